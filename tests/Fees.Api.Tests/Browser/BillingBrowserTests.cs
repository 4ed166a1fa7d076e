using System.Text;
using Microsoft.Playwright;
using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Browser;

/// <summary>The accountant's month in the browser: the roster uploaded, the billing previewed and issued, the notices downloaded to print.</summary>
public sealed class BillingBrowserTests
{
    [Fact]
    public async Task Accountant_ImportsARoster_PreviewsAndRunsBilling_AndDownloadsTheNoticesAsPdf()
    {
        await using var host = await BankHost.StartAsync();
        var fees = host.Fees;
        await Support.Browser.AddLoginAsync(fees, "kt@ts01.vn", "Kế toán", "accountant", "TS01");
        await using var browser = await Support.Browser.LaunchAsync();
        var page = await browser.PageAsync(host.BaseAddress);
        await Support.Browser.SignInAsync(page, "kt@ts01.vn");
        await page.Locator("#billed").WaitForAsync();

        // A roster with a mistake is refused whole, line by line; then the corrected one goes in.
        const string Ts01Pupils = "SELECT count(*) FROM students WHERE school_id = (SELECT id FROM schools WHERE code = 'TS01')";
        var before = await fees.Db.ScalarAsync(Ts01Pupils);
        await page.ClickAsync("text=Danh sách học sinh");
        var bad = Samples.StudentHeader + "TS01,7900000101,Phạm Minh Khôi,30/02/2018,Nam,1,1A1,Phạm Văn Long,0912000101,,,\n" +
                  "TS02,7900000102,Võ Thị Lan,01/06/2018,Nữ,1,1A1,Võ Văn Tài,0912000102,,,\n";
        await page.SetInputFilesAsync("#file", new FilePayload { Name = "lop1.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(bad) });
        await page.ClickAsync("#import");
        await page.Locator("#problems").WaitForAsync();
        Assert.Equal(2, await page.Locator("#problems tr").CountAsync() - 1);
        Assert.Contains("2", await page.InnerTextAsync("#problems tr:nth-child(2) td:first-child"));
        Assert.Contains("\"30/02/2018\" không phải là một ngày có thật", await page.InnerTextAsync("#problems tr:nth-child(2)"));
        Assert.Contains("dòng này của trường TS02; trang này chỉ nhận học sinh của trường TS01", await page.InnerTextAsync("#problems tr:nth-child(3)"));
        Assert.Equal(before, await fees.Db.ScalarAsync(Ts01Pupils));
        var good = Samples.StudentHeader + "TS01,7900000101,Phạm Minh Khôi,28/02/2018,Nam,1,1A1,Phạm Văn Long,0912000101,,,\n";
        await page.SetInputFilesAsync("#file", new FilePayload { Name = "lop1.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(good) });
        await page.ClickAsync("#import");
        Assert.Contains("1 mới", await page.InnerTextAsync("#imported"));

        // October: preview first (nothing written), then issue.
        await page.GotoAsync("/truong/TS01/lap-thong-bao");
        await page.FillAsync("#period", "2025-10");
        await page.ClickAsync("#preview");
        await page.Locator("#issue").WaitForAsync();
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM notices WHERE period_key = 202510"));
        Assert.Equal(1, await page.Locator("#totals tr[data-class='1A1']").CountAsync());
        var previewed = long.Parse(await page.InnerTextAsync("#total-row th:nth-child(2)"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(before + 1, previewed);
        await Support.Browser.ScreenshotAsync(page, "billing-preview");
        await page.ClickAsync("#issue");
        await page.Locator("#issued").WaitForAsync();
        Assert.Equal(previewed, await fees.Db.ScalarAsync("SELECT count(*) FROM notices WHERE period_key = 202510"));
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM notices n JOIN schools s ON s.id = n.school_id WHERE period_key = 202510 AND s.code = 'TS02'"));

        await page.ClickAsync("#issued a");
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#pdf"));
        var path = Path.Combine(fees.Folder, download.SuggestedFilename);
        await download.SaveAsAsync(path);
        Assert.Equal("thong-bao-TS01-2025-10.pdf", download.SuggestedFilename);
        Assert.Equal("%PDF"u8.ToArray(), File.ReadAllBytes(path)[..4]);
        var sheet = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#xlsx"));
        var xlsx = Path.Combine(fees.Folder, sheet.SuggestedFilename);
        await sheet.SaveAsAsync(xlsx);
        var rows = MiniExcelLibs.MiniExcel.Query(xlsx, useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(previewed, rows.Count);
        Assert.All(rows, r => Assert.StartsWith("TS01-202510-", (string)r["Số thông báo"], StringComparison.Ordinal));
    }
}
