using TdmEdu.Fees.Api.Tests.Cli;
using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Browser;

/// <summary>The month's books on a 390 px phone: vouchers by account and the claim for state support, downloaded; the accountant's only.</summary>
public sealed class BooksBrowserTests
{
    [Fact]
    public async Task Accountant_SeesTheMonthsVouchersAndTheSupportClaim_AndDownloadsThem_ThePrincipalDoesNot()
    {
        await using var host = await BankHost.StartAsync(before: f => f.OkAsync("schedule", "import", f.File("support.json", StateSupportTests.Schedule)));
        var fees = host.Fees;
        await fees.OkAsync("students", "import", fees.File("ht.csv",
            Samples.StudentHeader.TrimEnd('\n') + ",policy_evidence\nTS01,7900000001,Nguyễn Văn An,12/05/2018,Nam,1,1A1,Nguyễn Văn Bình,0912000001,HT_CPHT,,,HT_CPHT=GCN 12/2025\n"));
        await fees.OkAsync("notices", "issue", "--period", "2025-10");
        await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00002", "--amount", "1001800");
        await Support.Browser.AddLoginAsync(fees, "kt@ts01.vn", "Kế toán", "accountant", "TS01");
        await Support.Browser.AddLoginAsync(fees, "ht@ts01.vn", "Hiệu trưởng", "principal", "TS01");
        await using var browser = await Support.Browser.LaunchAsync();
        var page = await browser.PageAsync(host.BaseAddress, PhoneChecks.Width, PhoneChecks.Height);
        await Support.Browser.SignInAsync(page, "kt@ts01.vn");
        await page.Locator("#billed").WaitForAsync();

        await page.GotoAsync("/truong/TS01/2025-09/so-sach");
        Assert.Equal("1", await page.InnerTextAsync("#voucher-count"));
        Assert.Equal("1.001.800 ₫", await page.InnerTextAsync("#voucher-total"));
        // Bích's cash, with no accounts set yet: the placeholders, cash 111 to 3388, three items.
        Assert.Equal("3", await page.InnerTextAsync("tr[data-pair='111-3388'] td:nth-child(3)"));
        Assert.Equal("1.001.800 ₫", await page.InnerTextAsync("tr[data-pair='111-3388'] td:nth-child(4)"));
        await EnglishWords.AssertVietnameseOnAPhoneAsync(page, "accounting vouchers");
        await Support.Browser.ScreenshotAsync(page, "books");

        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#vouchers-csv"));
        var csv = Path.Combine(fees.Folder, "ct.csv");
        await download.SaveAsAsync(csv);
        Assert.Equal(4, (await File.ReadAllLinesAsync(csv)).Length);

        // October: An's study-cost support, claimed with his evidence.
        await page.GotoAsync("/truong/TS01/2025-10/so-sach");
        Assert.Contains("150.000 ₫", await page.InnerTextAsync("tr[data-support='HT_CPHT']"));
        var claim = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#support-year"));
        var xlsx = Path.Combine(fees.Folder, "ht.xlsx");
        await claim.SaveAsAsync(xlsx);
        var rows = MiniExcelLibs.MiniExcel.Query(xlsx, useHeaderRow: true, sheetName: "Chi tiết").Cast<IDictionary<string, object>>().ToList();
        Assert.Equal("GCN 12/2025", rows.Single()["Giấy tờ"]);

        // The principal sees the school, not its evidence.
        var principal = await browser.PageAsync(host.BaseAddress, PhoneChecks.Width, PhoneChecks.Height);
        await Support.Browser.SignInAsync(principal, "ht@ts01.vn");
        Assert.Equal(403, (await principal.GotoAsync("/truong/TS01/2025-10/so-sach?handler=support&scope=year"))!.Status);
        Assert.Equal(403, (await principal.GotoAsync("/truong/TS01/2025-10/so-sach"))!.Status);
    }
}
