using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TdmEdu.Fees.Api.Tests.Support;
using TdmEdu.Fees.NotifyAdapters;

namespace TdmEdu.Fees.Api.Tests.Messages;

/// <summary>The accountant's message routes and the parent link, over real HTTP, with one school's logins.</summary>
public sealed class MessageApiTests
{
    private const string Password = "Chuan-Mat-Khau-2025";

    internal static async Task<HttpClient> AccountantAsync(BankHost host, string email, string? school, string role = "accountant")
    {
        var variable = "FEES_TEST_PW_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, Password);
        string[] where = school is null ? [] : ["--school", school];
        await host.Fees.OkAsync(["users", "add", "--email", email, "--name", "Người dùng", "--role", role, "--password-env", variable, .. where]);
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = host.BaseAddress };
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsJsonAsync("/api/auth/sign-in", new { email, password = Password })).StatusCode);
        return client;
    }

    [Fact]
    public async Task ParentLink_OpensThatPupilOnly_AndATamperedOrForeignLinkOpensNothing()
    {
        await using var host = await BankHost.StartAsync();
        var sent = await Outbox.SendAllAsync(host, NotificationChannel.Sms);
        var an = sent.First(m => m.Values.FirstName == "An");
        var other = sent.First(m => m.Values.FirstName != "An");

        var parent = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = host.BaseAddress };
        var opened = await parent.GetAsync(new Uri(an.Values.Link).PathAndQuery);
        Assert.Equal("/phu-huynh/hoc-sinh", opened.Headers.Location?.OriginalString);
        var page = await parent.GetStringAsync("/phu-huynh/hoc-sinh");
        Assert.Contains("Nguyễn Văn An", page);
        Assert.DoesNotContain(other.Values.PaymentCode, page);

        var path = new Uri(other.Values.Link).AbsolutePath;
        foreach (var bad in new[] { path[..^1] + (path[^1] == 'A' ? 'B' : 'A'), path.Replace(".a", ".b"), "/phu-huynh/l/x.y.z", path + "x" })
        {
            var stranger = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = host.BaseAddress };
            var r = await stranger.GetAsync(bad);
            Assert.Equal("/phu-huynh?lien-ket=sai", r.Headers.Location?.OriginalString);
            Assert.NotEqual(HttpStatusCode.OK, (await stranger.GetAsync("/phu-huynh/hoc-sinh")).StatusCode);
        }

        Assert.Contains("Đường dẫn đã hết hạn hoặc không đúng", await parent.GetStringAsync("/phu-huynh?lien-ket=sai"));

        // Expired: the same link after 61 days opens nothing.
        host.Fees.Clock.Now += TimeSpan.FromDays(61);
        var late = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = host.BaseAddress };
        Assert.Equal("/phu-huynh?lien-ket=sai", (await late.GetAsync(new Uri(an.Values.Link).PathAndQuery)).Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Accountant_PreviewsSendsListsAndResends_OwnSchoolOnly()
    {
        await using var host = await BankHost.StartAsync();
        var ts01 = await AccountantAsync(host, "kt1@ts01.vn", "TS01");
        var ts02 = await AccountantAsync(host, "kt2@ts02.vn", "TS02");
        // The billing run told every guardian it could; "send" adds nothing, the preview says so.
        var preview = await ts01.PostAsync("/api/schools/TS01/periods/2025-09/messages/preview", null);
        var p = JsonDocument.Parse(await preview.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        Assert.True(p.GetProperty("wouldQueue").GetArrayLength() == 0, p.ToString());
        Assert.True(p.GetProperty("alreadyQueued").GetInt32() > 0);
        // The preview is the messages as guardians get them: not for another school's accountant, nor for the education office.
        var auditor = await AccountantAsync(host, "tt@so.vn", null, "auditor");
        Assert.Equal(HttpStatusCode.Forbidden, (await ts02.PostAsync("/api/schools/TS01/periods/2025-09/messages/preview", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await auditor.PostAsync("/api/schools/TS01/periods/2025-09/messages/preview", null)).StatusCode);
        Assert.Equal(0, (await (await ts01.PostAsync("/api/schools/TS01/periods/2025-09/messages/send", null)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("queued").GetInt32());

        await Outbox.SendAllAsync(host, NotificationChannel.Sms, _ => new Failed("108", "bad number", FailureHint.NextChannel, null));
        var failed = await ts01.GetFromJsonAsync<JsonElement>("/api/schools/TS01/messages?status=failed");
        var ids = failed.EnumerateArray().Select(m => m.GetProperty("id").GetGuid()).ToList();
        Assert.NotEmpty(ids);
        Assert.DoesNotContain("destination", failed.ToString());
        Assert.DoesNotContain("body", failed.ToString());

        // Another school's accountant cannot list, nor re-send these by id through their own school.
        Assert.Equal(HttpStatusCode.Forbidden, (await ts02.GetAsync("/api/schools/TS01/messages")).StatusCode);
        var foreign = await ts02.PostAsJsonAsync("/api/schools/TS02/messages/resend", new { ids });
        Assert.Equal(0, (await foreign.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("requeued").GetInt32());

        var resend = await ts01.PostAsJsonAsync("/api/schools/TS01/messages/resend", new { ids });
        Assert.Equal(ids.Count, (await resend.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("requeued").GetInt32());
        var again = await ts01.PostAsJsonAsync("/api/schools/TS01/messages/resend", new { ids });
        Assert.Equal(0, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("requeued").GetInt32());
        var resent = await Outbox.SendAllAsync(host, NotificationChannel.Sms);
        Assert.Equal(ids.Count, resent.Count);

        var costs = await ts01.GetFromJsonAsync<JsonElement>("/api/schools/TS01/message-costs?month=2025-09");
        Assert.Equal(ids.Count * 800L, costs.GetProperty("total_vnd").GetInt64());
        Assert.Equal(0, (await host.Fees.RunAsync("audit")).ExitCode);
    }

    [Fact]
    public async Task ParentLink_OfAGuardianTheRosterReplaced_OpensNothing()
    {
        await using var host = await BankHost.StartAsync();
        var an = (await Outbox.SendAllAsync(host, NotificationChannel.Sms)).First(m => m.Values.FirstName == "An");
        // The school corrects An's guardian: the phone that got the link is not An's family any more.
        await host.Fees.OkAsync("students", "import", host.Fees.File("fix.csv", Samples.StudentHeader +
            "TS01,7900000001,Nguyễn Văn An,12/05/2018,Nam,1,1A1,Nguyễn Thị Hoa,0912000099,,,\n"));

        var old = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = host.BaseAddress };
        Assert.Equal("/phu-huynh?lien-ket=sai", (await old.GetAsync(new Uri(an.Values.Link).PathAndQuery)).Headers.Location?.OriginalString);
        Assert.NotEqual(HttpStatusCode.OK, (await old.GetAsync("/phu-huynh/hoc-sinh")).StatusCode);
    }
}
