using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using TdmEdu.Fees.Api.Hosting;
using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Http;

/// <summary>
/// A staff session ends when it should, at once and on every instance: at sign-out (a copy of the cookie kept by
/// someone is refused), and when the login is disabled, its password changed or the login removed.
/// </summary>
public sealed class SessionTests
{
    private static HttpClient Client(Uri at) =>
        new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = at };

    /// <summary>A client that sends exactly the cookie header given, as someone replaying a stolen cookie would.</summary>
    private static HttpClient Replaying(Uri at, string cookie)
    {
        var client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = at };
        client.DefaultRequestHeaders.Add("Cookie", cookie);
        return client;
    }

    private static async Task<string> SignInAsync(Uri at, string email, string password = Support.Browser.Password)
    {
        var client = Client(at);
        var r = await client.PostAsJsonAsync("/api/auth/sign-in", new { email, password });
        Assert.Equal(HttpStatusCode.NoContent, r.StatusCode);
        return Cookie(r);
    }

    private static string Cookie(HttpResponseMessage r) =>
        string.Join("; ", r.Headers.GetValues("Set-Cookie").Where(c => c.StartsWith("fees.auth", StringComparison.Ordinal)).Select(c => c[..c.IndexOf(';', StringComparison.Ordinal)]));

    private static async Task<HttpStatusCode> MeAsync(Uri at, string cookie) => (await Replaying(at, cookie).GetAsync("/api/me")).StatusCode;

    [Fact]
    public async Task SignOut_ThenTheCookieFromBeforeIsReplayed_IsSentToSignIn()
    {
        await using var host = await BankHost.StartAsync();
        await Support.Browser.AddLoginAsync(host.Fees, "kt@ts01.vn", "Kế toán", "accountant", "TS01");
        var browser = Client(host.BaseAddress);
        var form = Forms.Token(await browser.GetStringAsync("/dang-nhap"));
        var signedIn = await browser.PostAsync("/dang-nhap", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = form, ["Email"] = "kt@ts01.vn", ["Password"] = Support.Browser.Password,
        }));
        var kept = Cookie(signedIn);
        var before = await Replaying(host.BaseAddress, kept).GetAsync("/truong/TS01/2025-09");
        var token = Forms.Token(await browser.GetStringAsync("/truong/TS01/2025-09"));

        var signedOut = await browser.PostAsync("/dang-xuat", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
        var page = await Replaying(host.BaseAddress, kept).GetAsync("/truong/TS01/2025-09");
        var api = await Replaying(host.BaseAddress, kept).GetAsync("/api/schools/TS01/months/2025-09");

        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal("/dang-nhap", signedOut.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Contains("/dang-nhap", page.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
    }

    [Fact]
    public async Task DisablingChangingThePasswordOrRemovingALogin_EndsItsSessionsAtOnce_OnEveryInstance()
    {
        await using var host = await BankHost.StartAsync(node: "a");
        await using var b = WebHost.Build(host.Fees.Db.ConnectionString, 0, BankHost.Box, runWorker: false, host.Fees.Clock, instanceId: "b");
        await b.StartAsync();
        var a = host.BaseAddress;
        var other = new Uri(b.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        await Support.Browser.AddLoginAsync(host.Fees, "qt@so.vn", "Quản trị", "admin");
        await Support.Browser.AddLoginAsync(host.Fees, "kt@ts01.vn", "Kế toán", "accountant", "TS01");
        var admin = Client(a);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsJsonAsync("/api/auth/sign-in", new { email = "qt@so.vn", password = Support.Browser.Password })).StatusCode);
        async Task<HttpResponseMessage> AdminActsAsync(string handler, string login) =>
            await admin.PostAsync($"/quan-tri/nguoi-dung?handler={handler}", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = Forms.Token(await admin.GetStringAsync("/quan-tri/nguoi-dung")), ["Login"] = login,
            }));

        // Disabled by the administrator on instance a: the session made there is refused by b at the next request.
        var first = await SignInAsync(a, "kt@ts01.vn");
        var beforeDisable = await MeAsync(other, first);
        var disabled = await AdminActsAsync("Disable", "kt@ts01.vn");
        var afterDisable = await MeAsync(other, first);
        var rightPasswordWhileDisabled = await Client(other).PostAsJsonAsync("/api/auth/sign-in", new { email = "kt@ts01.vn", password = Support.Browser.Password });
        var wrongPasswordWhileDisabled = await Client(other).PostAsJsonAsync("/api/auth/sign-in", new { email = "kt@ts01.vn", password = "Sai-Mat-Khau-2025" });

        // Enabled again and its password set on the command line: the session from before the new password ends.
        await host.Fees.OkAsync("users", "enable", "kt@ts01.vn");
        var second = await SignInAsync(other, "kt@ts01.vn");
        var beforePasswd = await MeAsync(a, second);
        Environment.SetEnvironmentVariable("FEES_TEST_NEW_PW", "Mat-Khau-Moi-2026");
        var passwd = await host.Fees.OkAsync("users", "passwd", "kt@ts01.vn", "--password-env", "FEES_TEST_NEW_PW");
        var afterPasswd = await MeAsync(a, second);
        var oldPassword = await Client(a).PostAsJsonAsync("/api/auth/sign-in", new { email = "kt@ts01.vn", password = Support.Browser.Password });
        var third = await SignInAsync(a, "kt@ts01.vn", "Mat-Khau-Moi-2026");

        // Removed: its session ends, and signing in answers as for any unknown e-mail.
        var removed = await AdminActsAsync("Remove", "kt@ts01.vn");
        var afterRemove = await MeAsync(other, third);
        var gone = await Client(other).PostAsJsonAsync("/api/auth/sign-in", new { email = "kt@ts01.vn", password = "Mat-Khau-Moi-2026" });

        Assert.Equal(HttpStatusCode.OK, beforeDisable);
        Assert.Equal(HttpStatusCode.Redirect, disabled.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, afterDisable);
        Assert.Equal(HttpStatusCode.Forbidden, rightPasswordWhileDisabled.StatusCode);
        Assert.Contains("This login is disabled", await rightPasswordWhileDisabled.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, wrongPasswordWhileDisabled.StatusCode);
        Assert.Equal(HttpStatusCode.OK, beforePasswd);
        Assert.Contains("The password of kt@ts01.vn is changed; its sessions are ended.", passwd);
        Assert.Equal(HttpStatusCode.Unauthorized, afterPasswd);
        Assert.Equal(HttpStatusCode.Unauthorized, oldPassword.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, afterRemove);
        Assert.Equal(HttpStatusCode.Unauthorized, gone.StatusCode);
        Assert.Equal(0, await host.Fees.Db.ScalarAsync("SELECT count(*) FROM users WHERE email = 'kt@ts01.vn'"));
        // Each act is in the audit log, with who did it, and no password in it.
        Assert.Equal(["users.disable web:qt@so.vn", $"users.enable cli:{Environment.UserName}", $"users.passwd cli:{Environment.UserName}", "users.remove web:qt@so.vn"],
            await host.Fees.Db.ListAsync("SELECT action || ' ' || actor FROM audit_log WHERE entity_key = 'kt@ts01.vn' AND action <> 'users.add' ORDER BY id"));
        Assert.Equal(0, await host.Fees.Db.ScalarAsync("SELECT count(*) FROM audit_log WHERE details::text LIKE '%Mat-Khau%'"));
    }
}
