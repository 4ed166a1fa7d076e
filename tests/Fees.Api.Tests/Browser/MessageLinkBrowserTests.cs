using TdmEdu.Fees.Api.Application.Messages;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Sandbox;
using TdmEdu.Fees.Api.Tests.Support;
using static TdmEdu.Fees.Api.Tests.Support.PhoneChecks;
using Smtp4dev = TdmEdu.Fees.NotifyAdapters.Tests.Support.Smtp4dev;

namespace TdmEdu.Fees.Api.Tests.Browser;

/// <summary>
/// The link a family receives, read where the family would read it (the Zalo sandbox's received message, the real SMTP
/// server's mailbox) and opened in a phone-sized browser that never looked anything up: it opens that child, and the
/// session it starts opens no other child.
/// </summary>
public sealed class MessageLinkBrowserTests
{
    [Fact]
    public async Task TheLinkFromZaloAndFromTheMailbox_OpensItsOwnChildOnAPhone_AndNoOther()
    {
        await using var host = await BankHost.StartAsync();
        await using var smtp = await Smtp4dev.StartAsync();
        await using var sim = await NotifySimulator.StartAsync(new NotifySimulator.Settings(0, host.BaseAddress, 5000), CancellationToken.None);
        // TS01 has a Zalo Official Account; An's guardian also gives an e-mail address. "Send notices" tells both new channels.
        await using (var db = host.Fees.Db.Open())
        {
            db.SchoolMessaging.Add(new Api.Persistence.SchoolMessaging { SchoolId = db.Schools.Single(s => s.Code == "TS01").Id, ZaloEnabled = true });
            await db.SaveChangesAsync();
        }
        await host.Fees.OkAsync("students", "import", host.Fees.File("email.csv", Samples.StudentHeader.Replace("\n", ",guardian_email\n") +
            "TS01,7900000001,Nguyễn Văn An,12/05/2018,Nam,1,1A1,Nguyễn Văn Bình,0912000001,,,,binh@example.vn\n"));
        await using (var db = host.Fees.Db.Open())
            Assert.True(await new SchoolMessages(db, new BusinessClock(host.Fees.Clock), new Api.Persistence.Actor("test")).QueueNoticesAsync("TS01", new(2025, 9)) > 0);
        await using var sandboxes = Sandboxes.Wire(host, sim, smtp, zalo: true);
        Assert.True((await sandboxes.RoundAsync()).Sent > 0);

        var zalo = sim.List("84912000002").Single(r => r.Channel == "zalo_zns").Link!;
        var (_, plain, _) = await smtp.ReadAsync("binh@example.vn");
        var mailed = System.Text.RegularExpressions.Regex.Match(plain, @"http://\S+/phu-huynh/l/\S+").Value;
        var anNotice = (await host.Fees.Db.ListAsync("SELECT n.notice_no FROM notices n JOIN students s ON s.id = n.student_id WHERE s.student_code = '7900000001'")).Single();
        var bichNotice = (await host.Fees.Db.ListAsync("SELECT n.notice_no FROM notices n JOIN students s ON s.id = n.student_id WHERE s.student_code = '7900000002'")).Single();
        await using var browser = await Support.Browser.LaunchAsync();

        foreach (var (link, from, child, other, mine, notMine) in new[]
                 {
                     (zalo, "Zalo", "Trần Thị Bích", "Nguyễn Văn An", bichNotice, anNotice),
                     (mailed, "e-mail", "Nguyễn Văn An", "Trần Thị Bích", anNotice, bichNotice),
                 })
        {
            var page = await PhoneAsync(browser, host);
            await page.GotoAsync(new Uri(link).PathAndQuery);
            await page.Locator(".pupil").First.WaitForAsync();
            Assert.EndsWith("/phu-huynh/hoc-sinh", page.Url);
            var text = await page.InnerTextAsync("main");
            Assert.Contains(child, text);
            Assert.DoesNotContain(other, text);
            await AssertFitsAPhoneAsync(page, $"the child's page opened from the {from} link");
            if (from == "Zalo") await Support.Browser.ScreenshotAsync(page, "parent-from-zalo-link");
            Assert.Equal(200, (await page.GotoAsync($"/phu-huynh/qr/{mine}"))!.Status);
            Assert.Equal(404, (await page.GotoAsync($"/phu-huynh/qr/{notMine}"))!.Status);
        }

        // A link altered by one character opens nothing and says so, on the look-up page.
        var stranger = await PhoneAsync(browser, host);
        var path = new Uri(zalo).PathAndQuery;
        await stranger.GotoAsync(path[..^1] + (path[^1] == 'A' ? 'B' : 'A'));
        Assert.EndsWith("/phu-huynh?lien-ket=sai", stranger.Url);
        Assert.DoesNotContain("Trần Thị Bích", await stranger.InnerTextAsync("main"));
        Assert.Equal(401, (await stranger.GotoAsync($"/phu-huynh/qr/{bichNotice}"))!.Status);
        Assert.Equal(0, (await host.Fees.RunAsync("audit")).ExitCode);
    }
}
