using System.Net.Http.Json;
using System.Text.Json;
using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Browser;

/// <summary>The education office's auditor: every school's month, the rate moving when money comes, the same figures as the report.</summary>
public sealed class AuthorityBrowserTests
{
    [Fact]
    public async Task Auditor_SeesEverySchoolsRate_MoveWithAPayment_EqualToTheReportAndTheOpenData()
    {
        await using var host = await BankHost.StartAsync();
        var fees = host.Fees;
        await Support.Browser.AddLoginAsync(fees, "thanhtra@so.vn", "Thanh tra", "auditor");
        await Support.Browser.AddLoginAsync(fees, "kt@ts01.vn", "Kế toán", "accountant", "TS01");
        await using var browser = await Support.Browser.LaunchAsync();
        var page = await browser.PageAsync(host.BaseAddress);

        await Support.Browser.SignInAsync(page, "thanhtra@so.vn");
        var ts01 = page.Locator("tr[data-school='TS01']");
        await ts01.WaitForAsync();
        Assert.EndsWith("/so/2025-09", page.Url);
        Assert.Equal("0,0 %", await ts01.Locator(".rate").InnerTextAsync());

        await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00001", "--amount", "1371800");
        await host.VcbAsync(host.VcbBody("VCB8001", 500_000, await host.PaymentCodeAsync("7900000002")));
        await host.ProcessInboxAsync();
        await page.ReloadAsync();

        Assert.Equal("57,1 %", await ts01.Locator(".rate").InnerTextAsync());
        Assert.Equal("1.871.800 ₫", await ts01.Locator(".collected").InnerTextAsync());
        await Support.Browser.ScreenshotAsync(page, "authority-overview");
        // The same đồng as `report collection` and the open data.
        var csv = Path.Combine(fees.Folder, "c.csv");
        await fees.OkAsync("report", "collection", "--period", "2025-09", "--by", "school", "--out", csv);
        var reportRow = File.ReadAllLines(csv).Single(l => l.StartsWith("TS01,", StringComparison.Ordinal)).Split(',');
        Assert.Equal(("3275400", "1871800", "500000", "1371800"), (reportRow[4], reportRow[5], reportRow[7], reportRow[8]));
        var open = await new HttpClient { BaseAddress = host.BaseAddress }.GetFromJsonAsync<JsonElement>("/du-lieu-mo/thu-hoc-phi/2025-09.json");
        var row = open.EnumerateArray().Single(r => r.GetProperty("school").GetString() == "TS01");
        Assert.Equal((3_275_400, 1_871_800, 500_000), (row.GetProperty("amountDueVnd").GetInt64(), row.GetProperty("amountCollectedVnd").GetInt64(), row.GetProperty("cashlessVnd").GetInt64()));
        Assert.DoesNotContain("Nguyễn", open.GetRawText());

        // The same month by level and by item, each equal to the report grouped the same way.
        await page.ClickAsync("text=Theo cấp học");
        await page.Locator("#groupings strong").GetByText("Theo cấp học").WaitForAsync();
        var levels = Path.Combine(fees.Folder, "l.csv");
        await fees.OkAsync("report", "collection", "--period", "2025-09", "--by", "level", "--out", levels);
        foreach (var line in File.ReadAllLines(levels).Skip(1).Select(l => l.Split(',')))
            Assert.Equal(line[5], (await page.InnerTextAsync($"tr[data-school='{line[0]}'] .collected")).Replace(".", "", StringComparison.Ordinal).Replace(" ₫", "", StringComparison.Ordinal));
        await page.ClickAsync("text=Theo khoản thu");
        await page.Locator("#groupings strong").GetByText("Theo khoản thu").WaitForAsync();
        Assert.True(await page.Locator("#schools tr[data-school]").CountAsync() >= 3);

        // Charts where people look rather than read; the ageing of what is owed; all of it as a workbook.
        await page.ClickAsync("text=Theo trường");
        await page.Locator("#groupings strong").GetByText("Theo trường").WaitForAsync();
        Assert.StartsWith("2025-09: ", await page.Locator("#trend svg title").TextContentAsync());
        // On 05/09 nothing is late yet (due 15/09): all that TS01 still has to collect is "not yet due".
        Assert.Equal("1.403.600 ₫", await page.InnerTextAsync("tr[data-ageing='TS01'] td:nth-child(2)"));
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#xlsx"));
        var xlsx = Path.Combine(fees.Folder, "so.xlsx");
        await download.SaveAsAsync(xlsx);
        Assert.Equal(["thu-theo-school", "theo-thang", "no-theo-tuoi", "tien-chua-xac-dinh"], MiniExcelLibs.MiniExcel.GetSheetNames(xlsx));
        var sheet = MiniExcelLibs.MiniExcel.Query(xlsx, useHeaderRow: true, sheetName: "thu-theo-school").Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(1_871_800d, Convert.ToDouble(sheet.Single(r => (string)r["scope"] == "TS01")["amount_collected"], System.Globalization.CultureInfo.InvariantCulture));

        // A receipt number skipped by hand shows on the dashboard, named by its series.
        Assert.Contains("liền số", await page.InnerTextAsync("#receipt-gaps"));
        fees.PlantsBrokenState();
        await fees.Db.ExecAsync("UPDATE receipt_series SET next_number = next_number + 1 WHERE school_id = (SELECT id FROM schools WHERE code = 'TS01')");
        await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00003", "--amount", "100000");
        await page.ReloadAsync();
        Assert.Contains("TS01/01BLP0-001/AA-25E: number 3 is missing", await page.InnerTextAsync("#receipt-gaps"));

        // A school's accountant is not the education office.
        await page.ClickAsync("text=Đăng xuất");
        await page.Locator("#email").WaitForAsync();
        await Support.Browser.SignInAsync(page, "kt@ts01.vn");
        await page.Locator("#billed").WaitForAsync();
        var refused = await page.GotoAsync("/so/2025-09");
        Assert.Equal(403, refused!.Status);
    }
}
