using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Browser;

/// <summary>The review queue as the accountant works it: a mangled code confirmed for the right pupil, a gift marked as not a fee.</summary>
public sealed class ReviewBrowserTests
{
    [Fact]
    public async Task Accountant_ConfirmsOneLineAndIgnoresAnother_WithReasons_AndTheMoneyLands()
    {
        await using var host = await BankHost.StartAsync();
        var fees = host.Fees;
        await Support.Browser.AddLoginAsync(fees, "kt@ts01.vn", "Kế toán", "accountant", "TS01");
        var bich = await host.PaymentCodeAsync("7900000002");
        var mangled = bich[..^2] + bich[^1] + bich[^2];
        var account = host.Account("TS01", "VCB").AccountNo;
        await fees.OkAsync("statements", "import", fees.File("s.sta", $":20:S\n:25:{account}\n:60F:C250909VND0,\n" +
            $":61:2509100910C1001800,NTRFNONREF//FT1\n:86:hoc phi be Bich {mangled}\n:61:2509100910C7000,NTRFNONREF//FT2\n:86:ung ho quy lop\n"),
            "--bank", "VCB", "--account", account);
        await fees.OkAsync("reconcile");
        await using var browser = await Support.Browser.LaunchAsync();
        var page = await browser.PageAsync(host.BaseAddress);
        await Support.Browser.SignInAsync(page, "kt@ts01.vn");
        await page.Locator("#billed").WaitForAsync();
        Assert.Equal("2", await page.InnerTextAsync("#queue"));

        await page.ClickAsync("text=Giao dịch chờ đối soát");
        var first = page.Locator("section.review", new() { HasText = "hoc phi be Bich" });
        Assert.Contains("fails its check digit", await first.Locator(".why").InnerTextAsync());
        await Support.Browser.ScreenshotAsync(page, "review-queue");
        await first.Locator("input[name=Student]").FillAsync("7900000002");
        await first.Locator("form:has(input[name=Student]) input[name=Reason]").FillAsync("Phụ huynh gọi điện xác nhận");
        await first.Locator("text=Xác nhận cho học sinh").ClickAsync();
        await page.Locator("#decided").WaitForAsync();
        Assert.Contains("paid for student 7900000002", await page.InnerTextAsync("#decided"));

        var gift = page.Locator("section.review", new() { HasText = "ung ho quy lop" });
        await gift.Locator("form:not(:has(input[name=Student])) input[name=Reason]").FillAsync("Quỹ lớp, không phải học phí");
        await gift.Locator("text=Không phải khoản thu").ClickAsync();
        await page.GetByText("0 giao dịch chờ quyết định").WaitForAsync();

        Assert.Equal(1_001_800, await fees.Db.ScalarAsync("SELECT amount_paid_vnd FROM notices WHERE notice_no = 'TS01-202509-00002'"));
        Assert.Equal(2, await fees.Db.ScalarAsync("SELECT count(*) FROM review_decisions WHERE actor = 'web:kt@ts01.vn'"));
        Assert.Equal(0, (await fees.RunAsync("audit")).ExitCode);
    }
}
