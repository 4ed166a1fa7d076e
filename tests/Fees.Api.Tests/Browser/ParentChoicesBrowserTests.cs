using TdmEdu.Fees.Api.Tests.Support;
using TdmEdu.Fees.NotifyAdapters;
using static TdmEdu.Fees.Api.Tests.Support.PhoneChecks;

namespace TdmEdu.Fees.Api.Tests.Browser;

/// <summary>
/// On the child's page at 390×844 the guardian chooses which messages come by phone and by e-mail; the choice holds at
/// once (what is queued and no longer wanted is cancelled), and a session chooses for its own guardian only. A message's
/// link opens that child alone, and only while the roster keeps the link's guardian.
/// </summary>
public sealed class ParentChoicesBrowserTests
{
    private const string Bich = "7900000002";
    private const string SmsOf = "SELECT concat_ws('|', c.state, c.reminders_off) FROM guardian_channels c JOIN students s ON s.guardian_id = c.guardian_id " +
        "WHERE c.channel = 'sms' AND s.student_code = ";

    [Fact]
    public async Task TheGuardianChoosesOnThePhone_WhatIsQueuedFollows_AndAnotherFamilysGuardianIsOutOfReach()
    {
        await using var host = await BankHost.StartAsync();
        var fees = host.Fees;
        await using var browser = await Support.Browser.LaunchAsync();
        var page = await PhoneAsync(browser, host);
        await LookUpAsync(page, await host.PaymentCodeAsync(Bich), "01/03/2017");

        var phone = page.Locator("#nhan-tin form[data-kind='phone']");
        Assert.Equal("Qua điện thoại (Zalo, SMS) •••••••002", (await phone.Locator("legend").InnerTextAsync()).Trim());
        Assert.DoesNotContain("0912000002", await page.InnerTextAsync("main"));
        Assert.True(await phone.Locator("input[value='all']").IsCheckedAsync());
        await AssertFitsAPhoneAsync(page, "pupil with the message choices");

        // Nothing by phone: the SMS the billing run queued for Bích's family is cancelled; An's family's is not.
        await phone.Locator("label:has(input[value='none'])").ClickAsync();
        await phone.Locator("button[type=submit]").ClickAsync();
        await page.Locator("#nhan-tin form[data-kind='phone'] .saved").WaitForAsync();
        Assert.Equal("Đã lưu.", await page.InnerTextAsync("#nhan-tin form[data-kind='phone'] .saved"));
        Assert.True(await page.Locator("#nhan-tin form[data-kind='phone'] input[value='none']").IsCheckedAsync());
        Assert.Equal("opted_out|t", (await fees.Db.ListAsync(SmsOf + $"'{Bich}'")).Single());
        Assert.Equal(["cancelled|OPTED_OUT"], await fees.Db.ListAsync(
            $"SELECT m.status || '|' || m.last_error_code FROM messages m JOIN students s ON s.id = m.student_id WHERE s.student_code = '{Bich}'"));
        Assert.Equal(["queued"], await fees.Db.ListAsync("SELECT m.status FROM messages m JOIN students s ON s.id = m.student_id WHERE s.student_code = '7900000001'"));
        await AssertFitsAPhoneAsync(page, "pupil, choice saved");
        await Support.Browser.ScreenshotAsync(page, "parent-message-choices");

        // Notices and receipts, no reminders.
        await page.Locator("#nhan-tin form[data-kind='phone'] label:has(input[value='no-reminders'])").ClickAsync();
        await page.Locator("#nhan-tin form[data-kind='phone'] button[type=submit]").ClickAsync();
        await page.Locator("#nhan-tin form[data-kind='phone'] .saved").WaitForAsync();
        Assert.Equal("allowed|t", (await fees.Db.ListAsync(SmsOf + $"'{Bich}'")).Single());

        // The same form, naming An's guardian, from Bích's session: refused, and An's choice is untouched.
        var an = (await fees.Db.ListAsync("SELECT guardian_id FROM students WHERE student_code = '7900000001'")).Single();
        var token = await page.Locator("#nhan-tin form[data-kind='phone'] input[name=__RequestVerificationToken]").GetAttributeAsync("value");
        var form = page.APIRequest.CreateFormData();
        form.Set("__RequestVerificationToken", token!);
        form.Set("guardianId", an);
        form.Set("kind", "phone");
        form.Set("choice", "none");
        Assert.Equal(400, (await page.APIRequest.PostAsync("/phu-huynh/hoc-sinh?handler=Messages", new() { Form = form })).Status);
        Assert.Equal("allowed|f", (await fees.Db.ListAsync(SmsOf + "'7900000001'")).Single());

        // The one-click opt-out page, as a phone opens it from a message: it asks, then says it is done.
        var message = Guid.Parse((await fees.Db.ListAsync("SELECT m.id FROM messages m JOIN students s ON s.id = m.student_id WHERE s.student_code = '7900000001'")).Single());
        string optOut;
        await using (var db = fees.Db.Open())
            optOut = new Api.Application.Messages.ParentLinks(db, BankHost.Box).OptOutUrl(message, host.BaseAddress.ToString(), fees.Clock.GetUtcNow());
        var mailPage = await PhoneAsync(browser, host);
        await mailPage.GotoAsync(new Uri(optOut).PathAndQuery);
        await AssertFitsAPhoneAsync(mailPage, "opt-out, asking");
        await mailPage.ClickAsync("#opt-out");
        Assert.Equal("Đã ngừng gửi tin nhắc hạn qua SMS.", await mailPage.InnerTextAsync("#done"));
        await AssertFitsAPhoneAsync(mailPage, "opt-out, done");
        await Support.Browser.ScreenshotAsync(mailPage, "parent-opt-out-done");
        Assert.Equal("allowed|t", (await fees.Db.ListAsync(SmsOf + "'7900000001'")).Single());
        Assert.Equal(0, (await fees.RunAsync("audit")).ExitCode);
    }

    [Fact]
    public async Task AMessagesLink_OpensThatChildWithoutSiblings_UntilTheRosterGivesTheChildAnotherGuardian()
    {
        await using var host = await BankHost.StartAsync();
        var sent = await Outbox.SendAllAsync(host, NotificationChannel.Sms);
        var bao = sent.Single(m => m.Values.FirstName == "Bảo").Values.Link;
        await using var browser = await Support.Browser.LaunchAsync();
        var page = await PhoneAsync(browser, host);

        var landed = await page.GotoAsync(new Uri(bao).PathAndQuery);
        await page.Locator(".pupil").First.WaitForAsync();
        var text = await page.InnerTextAsync("main");
        Assert.Contains("Đặng Quốc Bảo", text);
        Assert.DoesNotContain("Đặng Thị Thu", text);
        var cookie = (await page.Context.CookiesAsync()).Single(c => c.Name == Web.ParentSession.Cookie);
        Assert.Equal(Microsoft.Playwright.SameSiteAttribute.Lax, cookie.SameSite);
        Assert.True(cookie.Expires > DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 7000, "the link's session outlives the half-hour look-up");
        // The lifetime as the server sent it (the browser's own expiry figure drifted by a minute and more on a loaded machine).
        var setCookie = await (await landed!.Request.RedirectedFrom!.ResponseAsync())!.HeaderValueAsync("set-cookie");
        Assert.Contains("max-age=7200", setCookie, StringComparison.OrdinalIgnoreCase);

        // The roster gives Bảo another guardian: the session the old guardian's link opened shows nothing more.
        await host.Fees.OkAsync("students", "import", host.Fees.File("bao.csv", Samples.StudentHeader +
            "TS02,7900000040,Đặng Quốc Bảo,07/07/2013,Nam,6,6A1,Lê Thị Hoa,0912000077,,,\n"));
        await page.GotoAsync("/phu-huynh/hoc-sinh");
        Assert.EndsWith("/phu-huynh", page.Url);
        Assert.DoesNotContain("Đặng Quốc Bảo", await page.InnerTextAsync("main"));
    }
}
