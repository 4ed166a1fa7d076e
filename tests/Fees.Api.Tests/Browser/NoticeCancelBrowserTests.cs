using Microsoft.Playwright;
using TdmEdu.Fees.Api.Tests.Support;
using static TdmEdu.Fees.Api.Tests.Support.PhoneChecks;

namespace TdmEdu.Fees.Api.Tests.Browser;

/// <summary>
/// Cancelling a notice from its page on a 390 px phone, by the ledger call `notices cancel` makes: an unpaid notice is
/// cancelled with a reason; money on a notice becomes the pupil's credit only after the accountant confirms the amount;
/// a form whose notice changed since it was drawn, or was cancelled already, is refused in Vietnamese and changes nothing.
/// The principal sees no form and a forged one is refused; the ledger passes `fees audit` throughout.
/// </summary>
public sealed class NoticeCancelBrowserTests
{
    private static Task<long> StatusAsync(BankHost host, string notice, string status) =>
        host.Fees.Db.ScalarAsync($"SELECT count(*) FROM notices WHERE notice_no = '{notice}' AND status = '{status}'");

    private static async Task<IPage> NoticePageAsync(IBrowserContext context, string notice)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync($"/truong/TS01/thong-bao/{notice}");
        await page.ClickAsync("#cancel-open");
        return page;
    }

    [Fact]
    public async Task Accountant_CancelsAnUnpaidNotice_ConfirmsMoneyBecomingCredit_AndStaleOrRepeatedFormsAreRefused()
    {
        await using var host = await BankHost.StartAsync();
        await StaffLogins.AddAsync(host.Fees);
        await host.Fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00002", "--amount", "1.001.800", "--payer", "Trần Văn Cường");
        await host.Fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00003", "--amount", "500.000", "--payer", "Lê Văn Dũng");
        await using var browser = await Support.Browser.LaunchAsync();
        var page = await PhoneAsync(browser, host);
        await Support.Browser.SignInAsync(page, StaffLogins.Accountant);
        await page.WaitForURLAsync("**/truong/TS01/2025-09");

        // An unpaid notice, from its page, with a reason. A second tab's form of the same notice is left open.
        var later = await NoticePageAsync(page.Context, "TS01-202509-00001");
        var first = await NoticePageAsync(page.Context, "TS01-202509-00001");
        Assert.Equal(0, await first.Locator("#cancel-sure").CountAsync());
        await AssertFitsAPhoneAsync(first, "notice with the cancel form open");
        await first.FillAsync("#cancel-reason", "Học sinh chuyển trường trước khai giảng");
        await first.ClickAsync("#cancel-notice");
        await first.Locator("#said").WaitForAsync();
        Assert.Equal("Đã huỷ thông báo.", await first.InnerTextAsync("#said"));
        Assert.Equal("status", await first.GetAttributeAsync("#said", "role"));
        Assert.Equal("Đã huỷ", await first.InnerTextAsync("#notice-status"));
        Assert.Equal(0, await first.Locator("#cancel-form").CountAsync());
        Assert.Equal(1, await StatusAsync(host, "TS01-202509-00001", "cancelled"));
        await AssertFitsAPhoneAsync(first, "notice cancelled");
        await Support.Browser.ScreenshotAsync(first, "notice-cancelled");

        // The other tab's form: the notice is cancelled already; refused in Vietnamese, nothing written.
        await later.FillAsync("#cancel-reason", "Bấm lần nữa");
        await later.ClickAsync("#cancel-notice");
        Assert.Contains("đã huỷ trước đó", await later.InnerTextAsync("#problem"));
        Assert.Equal("alert", await later.GetAttributeAsync("#problem", "role"));

        // A paid notice: the form says the money becomes credit and needs the accountant's tick.
        var paid = await NoticePageAsync(page.Context, "TS01-202509-00002");
        Assert.Contains("1.001.800 ₫", await paid.InnerTextAsync("#cancel-money"));
        await paid.FillAsync("#cancel-reason", "Lập nhầm");
        await paid.ClickAsync("#cancel-notice");
        Assert.Contains("Hãy đánh dấu ô xác nhận: 1.001.800 ₫ đã nộp sẽ thành tiền thừa của học sinh", await paid.InnerTextAsync("#problem"));
        Assert.Equal(1, await StatusAsync(host, "TS01-202509-00002", "paid"));
        await AssertFitsAPhoneAsync(paid, "cancel refused: not confirmed");
        await Support.Browser.ScreenshotAsync(paid, "notice-cancel-refused");

        // Partly paid, and paid more after the form was drawn: the form is stale and refused.
        var partly = await NoticePageAsync(page.Context, "TS01-202509-00003");
        await host.Fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00003", "--amount", "100.000", "--payer", "Lê Văn Dũng");
        await partly.CheckAsync("#cancel-sure");
        await partly.FillAsync("#cancel-reason", "Lập nhầm");
        await partly.ClickAsync("#cancel-notice");
        Assert.Contains("vừa thay đổi sau khi mở trang", await partly.InnerTextAsync("#problem"));
        Assert.Equal(1, await StatusAsync(host, "TS01-202509-00003", "partially_paid"));
        // Drawn again as it is now: 600.000 ₫ on it; confirmed, it is cancelled and the money is the pupil's credit.
        Assert.Contains("600.000 ₫", await partly.InnerTextAsync("#cancel-money"));
        await partly.CheckAsync("#cancel-sure");
        await partly.FillAsync("#cancel-reason", "Lập nhầm");
        await partly.ClickAsync("#cancel-notice");
        await partly.Locator("#said").WaitForAsync();
        Assert.Contains("tiền thừa", await partly.InnerTextAsync("#said"));
        Assert.Equal("Đã huỷ, tiền đã nộp thành tiền thừa", await partly.InnerTextAsync("#notice-status"));
        Assert.Equal("0 ₫", await partly.InnerTextAsync("#notice-balance"));
        Assert.Equal(1, await StatusAsync(host, "TS01-202509-00003", "refunded"));

        Assert.Equal(2, await host.Fees.Db.ScalarAsync(
            "SELECT count(*) FROM audit_log WHERE action = 'notices.cancel' AND actor = 'web:ketoan@ts01.vn'"));
        Assert.Equal(600_000, await host.Fees.Db.ScalarAsync(
            "SELECT (details::jsonb ->> 'released_vnd')::bigint FROM audit_log WHERE action = 'notices.cancel' AND entity_key = (SELECT id::text FROM notices WHERE notice_no = 'TS01-202509-00003')"));
        await host.Fees.OkAsync("audit");
    }

    [Fact]
    public async Task ThePrincipalSeesNoCancelForm_AndAForgedOneIsRefused_AndTheAuditorCannotOpenTheNotice()
    {
        await using var host = await BankHost.StartAsync();
        await StaffLogins.AddAsync(host.Fees);
        await using var browser = await Support.Browser.LaunchAsync();
        var page = await PhoneAsync(browser, host);
        await Support.Browser.SignInAsync(page, StaffLogins.Principal);
        await page.WaitForURLAsync("**/truong/TS01/2025-09");
        await page.GotoAsync("/truong/TS01/thong-bao/TS01-202509-00001");
        await page.Locator("#notice-status").WaitForAsync();
        Assert.Equal(0, await page.Locator("#cancel-form").CountAsync());

        // The same form, written by hand with the principal's own token.
        var principal = await StaffLogins.ClientAsync(host, StaffLogins.Principal);
        var token = Forms.Token(await principal.GetStringAsync("/truong/TS01/thong-bao/TS01-202509-00001"));
        var forged = await principal.PostAsync("/truong/TS01/thong-bao/TS01-202509-00001?handler=Cancel", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["Reason"] = "Thử", ["SeenStatus"] = "issued", ["SeenPaid"] = "0",
        }));
        var auditor = await StaffLogins.ClientAsync(host, StaffLogins.Auditor);

        Assert.True(StaffLogins.Refused(forged), $"the principal's forged cancel answered {(int)forged.StatusCode}");
        Assert.True(StaffLogins.Refused(await auditor.GetAsync("/truong/TS01/thong-bao/TS01-202509-00001")));
        Assert.Equal(1, await StatusAsync(host, "TS01-202509-00001", "issued"));
        Assert.Equal(0, await host.Fees.Db.ScalarAsync("SELECT count(*) FROM audit_log WHERE action = 'notices.cancel'"));
    }
}
