using Microsoft.Playwright;
using TdmEdu.Fees.Api.Tests.Support;
using TdmEdu.Fees.NotifyAdapters;
using static TdmEdu.Fees.Api.Tests.Support.PhoneChecks;

namespace TdmEdu.Fees.Api.Tests.Browser;

/// <summary>
/// The school's messages page on a 390×844 phone: the preview of "send notices", the delivery report, the month's
/// messages, re-sending failures, the costs and the SMS budget; and who may do what there.
/// </summary>
public sealed class MessagesBrowserTests
{
    private const string Messages = "SELECT count(*) FROM messages";

    /// <summary>September billed (the billing run queued an SMS per guardian), plus a pupil whose family gave no phone and no address.</summary>
    private static async Task<BankHost> StartAsync()
    {
        var host = await BankHost.StartAsync();
        await host.Fees.OkAsync("students", "import", host.Fees.File("khang.csv", Samples.StudentHeader + "TS01,7900000005,Võ Minh Khang,02/02/2018,Nam,1,1A1,,,,,\n"));
        await host.Fees.OkAsync("notices", "issue", "--period", "2025-09");
        await Support.Browser.AddLoginAsync(host.Fees, "kt@ts01.vn", "Kế toán", "accountant", "TS01");
        await Support.Browser.AddLoginAsync(host.Fees, "ht@ts01.vn", "Hiệu trưởng", "principal", "TS01");
        await Support.Browser.AddLoginAsync(host.Fees, "kt@ts02.vn", "Kế toán", "accountant", "TS02");
        return host;
    }

    private static async Task<IPage> SignedInAsync(Support.Browser browser, BankHost host, string email)
    {
        var page = await PhoneAsync(browser, host);
        await Support.Browser.SignInAsync(page, email);
        await page.Locator("#billed").WaitForAsync();
        return page;
    }

    private static Task<string> CellAsync(IPage page, string status, string channel) =>
        page.InnerTextAsync($"#report tr[data-status='{status}'] td[data-channel='{channel}']");

    [Fact]
    public async Task Accountant_OnAPhone_SeesThePreview_SendsNothingNew_ResendsTheFailures_AndSeesCostsAndTheBudgetBanner()
    {
        await using var host = await StartAsync();
        var fees = host.Fees;
        await using var browser = await Support.Browser.LaunchAsync();
        var page = await SignedInAsync(browser, host, "kt@ts01.vn");

        // The menu leads here; the month is September by the business clock.
        await page.ClickAsync("#menu-open");
        await page.ClickAsync("#menu-messages");
        await page.Locator("#preview").WaitForAsync();
        Assert.Equal("2025-09", await page.InputValueAsync("#thang"));
        Assert.Equal("4", await page.InnerTextAsync("#owing"));
        Assert.Equal("Không có", await page.InnerTextAsync("#would-queue"));
        Assert.Equal("3", await page.InnerTextAsync("#already"));
        Assert.Equal("1", await page.InnerTextAsync("#no-contact"));
        Assert.Equal("3", await CellAsync(page, "queued", "sms"));
        Assert.Equal(3, await page.Locator("#messages tbody tr[data-status='queued']").CountAsync());
        Assert.Contains("Thông báo thu", await page.InnerTextAsync("#messages tbody tr:first-child"));
        await AssertFitsAPhoneAsync(page, "messages, queued");
        await Support.Browser.ScreenshotAsync(page, "messages-preview");

        // The billing run told every family it could reach: sending again adds nothing, and the page says so.
        var before = await fees.Db.ScalarAsync(Messages);
        await page.ClickAsync("#send");
        Assert.Equal("Không có tin nhắn mới: phụ huynh nào liên lạc được đều đã có tin về thông báo tháng này.", await page.InnerTextAsync("#done"));
        Assert.Equal(before, await fees.Db.ScalarAsync(Messages));

        // An's family gives an e-mail address: the preview counts one e-mail to queue, and sending queues exactly that.
        await fees.OkAsync("students", "import", fees.File("an.csv", Samples.StudentHeader.Replace("guardian_phone,", "guardian_phone,guardian_email,", StringComparison.Ordinal)
            + "TS01,7900000001,Nguyễn Văn An,12/05/2018,Nam,1,1A1,Nguyễn Văn Bình,0912000001,binh@example.vn,,,\n"));
        await page.GotoAsync("/truong/TS01/tin-nhan");
        Assert.Equal("Thư điện tử: 1", await page.InnerTextAsync("#would-queue"));
        await page.ClickAsync("#send");
        Assert.Equal("Đã xếp 1 tin nhắn vào hàng gửi.", await page.InnerTextAsync("#done"));
        Assert.Equal(("1", "3"), (await CellAsync(page, "queued", "email"), await CellAsync(page, "queued", "sms")));
        Assert.Equal(before + 1, await fees.Db.ScalarAsync(Messages));

        // The SMS provider takes An's message and refuses the other two as bad numbers.
        await Outbox.SendAllAsync(host, NotificationChannel.Sms, m => m.Values.FirstName == "An"
            ? new Accepted("P1", 1, null, "x") : new Failed("108", "bad number", FailureHint.NextChannel, null));
        await page.ReloadAsync();
        Assert.Equal(("1", "2", "0"), (await CellAsync(page, "sent", "sms"), await CellAsync(page, "failed", "sms"), await CellAsync(page, "queued", "sms")));
        await page.SelectOptionAsync("#f-status", "failed");
        await page.ClickAsync("#filters button");
        var failed = page.Locator("#messages tbody tr");
        Assert.Equal(2, await failed.CountAsync());
        Assert.Equal(["108", "108"], await failed.Locator(".error-code").AllInnerTextsAsync());
        Assert.Equal(["Lỗi", "Lỗi"], await failed.Locator(".status").AllInnerTextsAsync());
        // The list never shows where a message went nor what it said.
        var shown = await page.ContentAsync();
        Assert.DoesNotContain("912000002", shown);
        Assert.DoesNotContain("Thong bao thu", shown);
        await AssertFitsAPhoneAsync(page, "messages, failed");

        // None chosen is said in words; one chosen by hand, then "every failed one": the chosen one is already waiting, so only the other goes again.
        await page.ClickAsync("#resend-selected");
        Assert.Equal("Hãy chọn ít nhất một tin nhắn để gửi lại.", await page.InnerTextAsync("#problem"));
        await failed.Filter(new() { HasText = "Trần Thị Bích" }).Locator("input[type=checkbox]").CheckAsync();
        await page.ClickAsync("#resend-selected");
        Assert.Equal("Đã xếp 1/1 tin để gửi lại.", (await page.InnerTextAsync("#done")).Trim());
        await page.ClickAsync("#resend-failed");
        Assert.StartsWith("Đã xếp 1/2 tin để gửi lại. 1 tin không gửi lại", await page.InnerTextAsync("#done"));
        Assert.Equal(2, await fees.Db.ScalarAsync("SELECT count(*) FROM messages WHERE status = 'queued' AND idempotency_key LIKE '%:r1'"));

        // The new rows go out; asking again sends nothing twice.
        Assert.Equal(2, (await Outbox.SendAllAsync(host, NotificationChannel.Sms)).Count);
        await page.GotoAsync("/truong/TS01/tin-nhan?thang=2025-09&trang-thai=sent");
        var sent = page.Locator("#messages tbody tr");
        Assert.Equal(3, await sent.CountAsync());
        Assert.Equal(2, await sent.Filter(new() { HasText = "Trần Thị Bích" }).Or(sent.Filter(new() { HasText = "Lê Hoàng Nam" })).CountAsync());
        Assert.Equal(["1", "1", "1"], await sent.Locator("td.num").AllInnerTextsAsync());
        await page.GotoAsync("/truong/TS01/tin-nhan?thang=2025-09");
        await page.ClickAsync("#resend-failed");
        Assert.StartsWith("Đã xếp 0/2 tin để gửi lại.", await page.InnerTextAsync("#done"));
        Assert.Equal(("3", "2"), (await CellAsync(page, "sent", "sms"), await CellAsync(page, "failed", "sms")));
        Assert.Equal("2.400 ₫", await page.InnerTextAsync("#cost-total"));
        Assert.Equal("3", await page.InnerTextAsync("#costs tr[data-channel='sms'][data-kind='notice_issued'] td:nth-child(3)"));

        // A budget below what September's SMS cost: October's notices go out by SMS no more, and the page says so.
        await page.ClickAsync("#settings-link");
        await page.FillAsync("#budget", "1.000");
        await page.ClickAsync("#save");
        Assert.Equal("Đã lưu cài đặt tin nhắn.", await page.InnerTextAsync("#saved"));
        await AssertFitsAPhoneAsync(page, "messaging settings");
        await Support.Browser.ScreenshotAsync(page, "messages-settings");
        await fees.OkAsync("notices", "issue", "--period", "2025-10");
        // Only the other school's SMS go: the budget is this school's. The texts say "Trường {school}", so the name drops its own "Trường".
        Assert.All(await Outbox.SendAllAsync(host, NotificationChannel.Sms), m => Assert.Equal("THCS Thử Nghiệm", m.Values.School));
        await page.GotoAsync("/truong/TS01/tin-nhan?thang=2025-09");
        Assert.Equal("Đã hết ngân sách SMS của tháng (1.000 ₫): 4 tin SMS không được gửi. Zalo và thư điện tử vẫn gửi.", await page.InnerTextAsync("#budget-spent"));
        await page.GotoAsync("/truong/TS01/tin-nhan?thang=2025-10");
        Assert.Equal("4", await CellAsync(page, "suppressed", "sms"));
        Assert.StartsWith("Đã hết ngân sách SMS của tháng (1.000 ₫): 4 tin SMS", await page.InnerTextAsync("#budget-spent"));
        await AssertFitsAPhoneAsync(page, "messages, budget spent");
        await Support.Browser.ScreenshotAsync(page, "messages-budget");

        // The same page in English: every word has its translation.
        await page.GotoAsync("/ngon-ngu?to=en&back=/truong/TS01/tin-nhan");
        await page.Locator("#preview").WaitForAsync();
        var english = await page.InnerTextAsync("main");
        Assert.Contains("Delivery report", english);
        Assert.DoesNotMatch(@"\b(ms|mk|ch)-[a-z_]+\b|send-title|would-queue|no-contact|costs-help", english);
    }

    [Fact]
    public async Task ThePrincipalReads_ButNeitherThePrincipalNorAnotherSchoolsAccountantMaySendResendOrChangeSettings()
    {
        await using var host = await StartAsync();
        var fees = host.Fees;
        await Outbox.SendAllAsync(host, NotificationChannel.Sms, _ => new Failed("108", "bad number", FailureHint.NextChannel, null));
        var failedId = (await fees.Db.ListAsync("SELECT id FROM messages WHERE status = 'failed' LIMIT 1")).Single();
        await using var browser = await Support.Browser.LaunchAsync();

        var principal = await SignedInAsync(browser, host, "ht@ts01.vn");
        Assert.Equal(200, (await principal.GotoAsync("/truong/TS01/tin-nhan"))!.Status);
        Assert.Equal("3", await CellAsync(principal, "failed", "sms"));
        Assert.Equal(3, await principal.Locator("#messages tbody tr").CountAsync());
        Assert.Equal(0, await principal.Locator("#send, #resend-selected, #resend-failed, #settings-link, #messages input[type=checkbox]").CountAsync());
        await AssertFitsAPhoneAsync(principal, "messages, as the principal");
        await principal.GotoAsync("/truong/TS01/tin-nhan?thang=2025-13");
        Assert.Equal("\"2025-13\" không phải là một tháng như 2025-09.", await principal.InnerTextAsync("#problem"));
        Assert.Equal("2025-09", await principal.InputValueAsync("#thang"));
        var other = await SignedInAsync(browser, host, "kt@ts02.vn");
        Assert.Equal(403, (await other.GotoAsync("/truong/TS01/tin-nhan"))!.Status);

        // Each sends the forms with its own antiforgery token: what refuses them is the school rule.
        var before = (await fees.Db.ScalarAsync(Messages), await fees.Db.ScalarAsync("SELECT count(*) FROM school_messaging"));
        foreach (var page in new[] { principal, other })
        {
            await page.GotoAsync("/doi-mat-khau");
            var token = await page.Locator("input[name=__RequestVerificationToken]").First.GetAttributeAsync("value");
            Assert.Equal(403, (await page.GotoAsync("/truong/TS01/tin-nhan/cai-dat"))!.Status);
            foreach (var (path, field, value) in new[]
                     {
                         ("/truong/TS01/tin-nhan?handler=Send&thang=2025-09", "thang", "2025-09"),
                         ("/truong/TS01/tin-nhan?handler=Resend&thang=2025-09", "Ids", failedId),
                         ("/truong/TS01/tin-nhan?handler=ResendFailed&thang=2025-09", "thang", "2025-09"),
                         ("/truong/TS01/tin-nhan/cai-dat", "DueReminderDays", "5"),
                     })
            {
                var form = page.APIRequest.CreateFormData();
                form.Set("__RequestVerificationToken", token!);
                form.Set(field, value);
                var answer = await page.APIRequest.PostAsync(path, new() { Form = form });
                Assert.True(answer.Status == 403, $"POST {path}: {answer.Status}");
            }
        }
        Assert.Equal(before, (await fees.Db.ScalarAsync(Messages), await fees.Db.ScalarAsync("SELECT count(*) FROM school_messaging")));
    }
}
