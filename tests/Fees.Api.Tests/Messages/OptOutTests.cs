using System.Net;
using MimeKit;
using TdmEdu.Fees.Api.Application.Messages;
using TdmEdu.Fees.Api.Sandbox;
using TdmEdu.Fees.Api.Tests.Support;
using Smtp4dev = TdmEdu.Fees.NotifyAdapters.Tests.Support.Smtp4dev;

namespace TdmEdu.Fees.Api.Tests.Messages;

/// <summary>
/// The e-mail's one-click opt-out (contracts/notifications.md §9, RFC 8058), read from the real SMTP server: opening the
/// link only asks; the mail app's POST switches reminders off on e-mail for that guardian, and nothing else.
/// </summary>
public sealed class OptOutTests
{
    private const string EmailOf = "SELECT concat_ws('|', c.state, c.reminders_off) FROM guardian_channels c JOIN students s ON s.guardian_id = c.guardian_id " +
        "WHERE s.student_code = '7900000001' AND c.channel = ";

    private static async Task<int> QueueAsync(BankHost host, string kind, string variant)
    {
        await using var db = host.Fees.Db.Open();
        var notice = db.Notices.Single(n => n.NoticeNo == "TS01-202509-00001").Id;
        return await OutboxQueue.QueueForNoticesAsync(db, [notice], kind, variant, host.Fees.Clock.GetUtcNow(), CancellationToken.None);
    }

    [Fact]
    public async Task TheReminderEmailsOneClickLink_StopsEmailRemindersForThatGuardian_AndNothingElse()
    {
        await using var host = await BankHost.StartAsync();
        await using var smtp = await Smtp4dev.StartAsync();
        await using var sim = await NotifySimulator.StartAsync(new NotifySimulator.Settings(0, host.BaseAddress, 5000), CancellationToken.None);
        await host.Fees.OkAsync("students", "import", host.Fees.File("email.csv", Samples.StudentHeader.Replace("\n", ",guardian_email\n") +
            "TS01,7900000001,Nguyễn Văn An,12/05/2018,Nam,1,1A1,Nguyễn Văn Bình,0912000001,,,,binh@example.vn\n"));
        await host.Fees.Db.ExecAsync("UPDATE messages SET status = 'cancelled'");
        Assert.Equal(2, await QueueAsync(host, OutboxQueue.ReminderDue, "d-3"));
        await using var sandboxes = Sandboxes.Wire(host, sim, smtp);
        Assert.Equal(2, (await sandboxes.RoundAsync()).Sent);

        var mail = MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes((await smtp.ReadAsync("binh@example.vn")).Raw)));
        Assert.Equal("List-Unsubscribe=One-Click", mail.Headers["List-Unsubscribe-Post"]);
        var link = new Uri(mail.Headers["List-Unsubscribe"]!.Trim('<', '>'));
        Assert.StartsWith(host.BaseAddress + "huy-nhan/", link.ToString());
        using var mailApp = new HttpClient { BaseAddress = host.BaseAddress };

        // Opening the link (a mail scanner does) only asks.
        var asked = await mailApp.GetAsync(link.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
        Assert.Contains("id=\"opt-out\"", await asked.Content.ReadAsStringAsync());
        Assert.Equal("allowed|f", (await host.Fees.Db.ListAsync(EmailOf + "'email'")).Single());

        // The mail app's one-click POST, without cookies or antiforgery token, switches e-mail reminders off.
        var done = await mailApp.PostAsync(link.PathAndQuery, new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]));
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Contains("Đã ngừng gửi thư nhắc hạn đến địa chỉ này.", await done.Content.ReadAsStringAsync());
        Assert.Equal("allowed|t", (await host.Fees.Db.ListAsync(EmailOf + "'email'")).Single());
        Assert.Equal("allowed|f", (await host.Fees.Db.ListAsync(EmailOf + "'sms'")).Single());

        // The next reminder goes by SMS only; a notice still goes by e-mail.
        Assert.Equal(1, await QueueAsync(host, OutboxQueue.ReminderOverdue, "d+3"));
        Assert.Equal(["sms"], await host.Fees.Db.ListAsync("SELECT channel FROM messages WHERE variant = 'd+3'"));
        Assert.Equal(2, await QueueAsync(host, OutboxQueue.NoticeIssued, "again"));

        // A token altered by one character, and a page link's token (the other prefix), switch nothing off.
        var token = link.AbsolutePath["/huy-nhan/".Length..];
        string pageToken;
        await using (var db = host.Fees.Db.Open())
            pageToken = new ParentLinks(db, BankHost.Box).Token(NotifyAdapters.Links.PortalLink.NewLid(), host.Fees.Clock.GetUtcNow().AddDays(1));
        foreach (var bad in new[] { token[..^1] + (token[^1] == 'A' ? 'B' : 'A'), pageToken, new string('A', 300) })
        {
            var refused = await mailApp.PostAsync("/huy-nhan/" + bad, new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]));
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
            Assert.Contains("Đường dẫn đã hết hạn hoặc không đúng.", await refused.Content.ReadAsStringAsync());
        }
        Assert.Equal(1, await host.Fees.Db.ScalarAsync("SELECT count(*) FROM guardian_channels WHERE reminders_off"));
        Assert.Equal(0, (await host.Fees.RunAsync("audit")).ExitCode);
    }

    private static readonly string EmailHeader = Samples.StudentHeader.Replace("\n", ",guardian_email\n");

    private static string AnWith(string email) => EmailHeader + $"TS01,7900000001,Nguyễn Văn An,12/05/2018,Nam,1,1A1,Nguyễn Văn Bình,0912000001,,,,{email}\n";

    [Fact]
    public async Task AnAddressTheRosterReplaced_LosesItsLinksAndItsSay_WhatWaitedGoesToTheNewOne_AndOneClickNeverWidens()
    {
        await using var host = await BankHost.StartAsync();
        await using var smtp = await Smtp4dev.StartAsync();
        await using var sim = await NotifySimulator.StartAsync(new NotifySimulator.Settings(0, host.BaseAddress, 5000), CancellationToken.None);
        var fees = host.Fees;
        await fees.OkAsync("students", "import", fees.File("email.csv", AnWith("binh@example.vn")));
        await fees.Db.ExecAsync("UPDATE messages SET status = 'cancelled'");
        await QueueAsync(host, OutboxQueue.ReminderDue, "d-3");
        await using (var sandboxes = Sandboxes.Wire(host, sim, smtp)) await sandboxes.RoundAsync();
        var mail = MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes((await smtp.ReadAsync("binh@example.vn")).Raw)));
        var oldOptOut = new Uri(mail.Headers["List-Unsubscribe"]!.Trim('<', '>')).PathAndQuery;
        var oldPage = new Uri(System.Text.RegularExpressions.Regex.Match(mail.TextBody ?? "", @"http://\S+/phu-huynh/l/\S+").Value).PathAndQuery;
        Assert.Equal(2, await QueueAsync(host, OutboxQueue.NoticeIssued, "waiting"));
        using var web = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = host.BaseAddress };

        // The roster corrects the address: what waited goes to the new one; the old address's links and one-click do nothing.
        Assert.Contains("1 changed", await fees.OkAsync("students", "import", fees.File("email2.csv", AnWith("binh.moi@example.vn"))));
        Assert.Equal(["binh.moi@example.vn"], await fees.Db.ListAsync("SELECT destination FROM messages WHERE variant = 'waiting' AND channel = 'email' AND status = 'queued'"));
        Assert.Equal(HttpStatusCode.NotFound, (await web.PostAsync(oldOptOut, new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]))).StatusCode);
        Assert.Equal("/phu-huynh?lien-ket=sai", (await web.GetAsync(oldPage)).Headers.Location?.OriginalString);
        Assert.Equal("allowed|f", (await fees.Db.ListAsync(EmailOf + "'email'")).Single());

        // The guardian switches e-mail off; a one-click link of the new address then only narrows: e-mail stays off.
        var waiting = Guid.Parse((await fees.Db.ListAsync("SELECT id FROM messages WHERE variant = 'waiting' AND channel = 'email'")).Single());
        await fees.Db.ExecAsync("UPDATE guardian_channels SET state = 'opted_out', reminders_off = true WHERE channel = 'email'");
        string optOut;
        await using (var db = fees.Db.Open()) optOut = new ParentLinks(db, BankHost.Box).OptOutUrl(waiting, host.BaseAddress.ToString(), fees.Clock.GetUtcNow());
        Assert.Equal(HttpStatusCode.OK, (await web.PostAsync(new Uri(optOut).PathAndQuery, new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]))).StatusCode);
        Assert.Equal("opted_out|t", (await fees.Db.ListAsync(EmailOf + "'email'")).Single());

        // The roster takes the address away (the column is there, the cell empty): the guardian has none, nothing waits for it.
        await fees.Db.ExecAsync("UPDATE guardian_channels SET state = 'allowed', reminders_off = false WHERE channel = 'email'");
        Assert.Equal(2, await QueueAsync(host, OutboxQueue.NoticeIssued, "again"));
        Assert.Contains("1 changed", await fees.OkAsync("students", "import", fees.File("email3.csv", AnWith(""))));
        Assert.Equal([""], await fees.Db.ListAsync("SELECT coalesce(g.email, '') FROM guardians g JOIN students s ON s.guardian_id = g.id WHERE s.student_code = '7900000001'"));
        Assert.Equal(["cancelled"], await fees.Db.ListAsync("SELECT status FROM messages WHERE variant = 'again' AND channel = 'email'"));
        Assert.Equal(0, (await fees.RunAsync("audit")).ExitCode);
    }
}
