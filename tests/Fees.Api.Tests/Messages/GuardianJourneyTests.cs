using System.Net;
using Microsoft.Extensions.Configuration;
using TdmEdu.Fees.Api.Application.Messages;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Sandbox;
using TdmEdu.Fees.Api.Tests.Support;
using Smtp4dev = TdmEdu.Fees.NotifyAdapters.Tests.Support.Smtp4dev;

namespace TdmEdu.Fees.Api.Tests.Messages;

/// <summary>
/// A month's messages from the billing run to the family's phone and mailbox, through the real adapters: eSMS played
/// by notify-sim, e-mail through a real SMTP server (smtp4dev). The link a family receives opens their child and
/// no other; a second round sends nothing new.
/// </summary>
public sealed class GuardianJourneyTests
{
    [Fact]
    public async Task BillingRun_ThenTheSender_ReachesEveryFamily_AndEachLinkOpensItsOwnChild()
    {
        await using var host = await BankHost.StartAsync();
        await using var smtp = await Smtp4dev.StartAsync();
        await using var sim = await NotifySimulator.StartAsync(new NotifySimulator.Settings(0, host.BaseAddress, 5000), CancellationToken.None);
        // An's guardian gives an e-mail address; "send notices" tells that new channel what the billing run told by SMS.
        await host.Fees.OkAsync("students", "import", host.Fees.File("email.csv", Samples.StudentHeader.Replace("\n", ",guardian_email\n") +
            "TS01,7900000001,Nguyễn Văn An,12/05/2018,Nam,1,1A1,Nguyễn Văn Bình,0912000001,,,,binh@example.vn\n"));
        await using (var db = host.Fees.Db.Open())
            Assert.Equal(1, await new SchoolMessages(db, new BusinessClock(host.Fees.Clock), new Api.Persistence.Actor("test")).QueueNoticesAsync("TS01", new(2025, 9)));
        await using var sandboxes = Sandboxes.Wire(host, sim, smtp);
        var first = await sandboxes.RoundAsync();
        var second = await sandboxes.RoundAsync();

        var queued = await host.Fees.Db.ScalarAsync("SELECT count(*) FROM messages");
        Assert.Equal(queued, first.Sent);
        Assert.Equal(0, second.Sent);
        Assert.Equal(["delivered", "sent"], await host.Fees.Db.ListAsync("SELECT DISTINCT status FROM messages ORDER BY 1"));
        Assert.Equal(queued - 1, sim.List(null).Count);

        // The e-mail, read back from the real server: its link opens An's page.
        var (_, plain, _) = await smtp.ReadAsync("binh@example.vn");
        var mailed = System.Text.RegularExpressions.Regex.Match(plain, @"http://\S+/phu-huynh/l/\S+").Value;
        Assert.Contains("Nguyễn Văn An", await OpenAsync(host, mailed));
        // An SMS, read back from the sandbox: its link opens that pupil's page and not An's.
        var sms = sim.List("84912000002").Single();
        Assert.Contains("Trần Thị Bích", await OpenAsync(host, sms.Link!));
        Assert.DoesNotContain("Nguyễn Văn An", await OpenAsync(host, sms.Link!));
        Assert.Equal(0, (await host.Fees.RunAsync("audit")).ExitCode);
    }

    /// <summary>The page a link opens, for a family that never looked anything up.</summary>
    private static async Task<string> OpenAsync(BankHost host, string link)
    {
        using var family = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = host.BaseAddress };
        var r = await family.GetAsync(new Uri(link).PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.EndsWith("/phu-huynh/hoc-sinh", r.RequestMessage!.RequestUri!.AbsolutePath);
        return await r.Content.ReadAsStringAsync();
    }
}
