using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using TdmEdu.Fees.Api.Hosting;
using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.ScaleOut;

/// <summary>
/// Two instances of the service on one PostgreSQL behind nginx (round robin): a staff sign-in and a parent's
/// look-up made through one instance are honoured by the other (the data-protection keys are shared, sealed, in
/// the database), a form drawn by one is accepted by the other, and a burst of bank calls with duplicates
/// through the proxy is applied exactly once.
/// </summary>
public sealed class TwoInstancesBehindNginxTests
{
    private static string Token(string html) => Forms.Token(html);

    [Fact]
    public async Task SessionsSurviveSwitchingInstance_AndBankCallsThroughTheProxyApplyOnce()
    {
        await using var host = await BankHost.StartAsync(node: "a");
        await using var b = WebHost.Build(host.Fees.Db.ConnectionString, 0, BankHost.Box, runWorker: false, host.Fees.Clock, instanceId: "b");
        await b.StartAsync();
        var bAddress = new Uri(b.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        await using var nginx = await Nginx.StartAsync(host.BaseAddress, bAddress);
        await Support.Browser.AddLoginAsync(host.Fees, "kt@ts01.vn", "Kế toán", "accountant", "TS01");

        // Staff: signed in through the proxy, every later request honoured whichever node answers.
        var staff = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = nginx.Address };
        Assert.Equal(HttpStatusCode.NoContent, (await staff.PostAsJsonAsync("/api/auth/sign-in", new { email = "kt@ts01.vn", password = Support.Browser.Password })).StatusCode);
        var nodes = new HashSet<string>();
        for (var i = 0; i < 8; i++)
        {
            var me = await staff.GetAsync("/api/me");
            Assert.Equal(HttpStatusCode.OK, me.StatusCode);
            Assert.Equal("TS01", (await me.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("school").GetString());
            nodes.Add(me.Headers.GetValues("X-Fees-Node").Single());
        }
        Assert.Equal(["a", "b"], nodes.Order());

        // A form drawn by one node is posted to the other: the antiforgery token and the cookie both hold.
        for (var i = 0; i < 2; i++)
        {
            var form = await staff.GetAsync("/truong/TS01/thu-tien-mat?notice=TS01-202509-00003");
            var drawnBy = form.Headers.GetValues("X-Fees-Node").Single();
            var html = await form.Content.ReadAsStringAsync();
            var post = await staff.PostAsync("/truong/TS01/thu-tien-mat", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = Token(html), ["Notice"] = "TS01-202509-00003", ["Amount"] = "1000",
                ["ClientRef"] = Forms.Hidden(html, "ClientRef"), ["Seen"] = Forms.Hidden(html, "Seen"),
            }));
            Assert.True(post.StatusCode == HttpStatusCode.Redirect, $"drawn by {drawnBy}, posted to {post.Headers.GetValues("X-Fees-Node").Single()}: {(int)post.StatusCode}");
            Assert.Contains("payment=", post.Headers.Location!.ToString());
        }

        // A parent's session made by one node is read by the other.
        var parent = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = nginx.Address };
        var lookup = await parent.GetStringAsync("/phu-huynh");
        var found = await parent.PostAsync("/phu-huynh", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Token(lookup), ["Code"] = await host.PaymentCodeAsync("7900000002"), ["DateOfBirth"] = "01/03/2017",
        }));
        Assert.Equal(HttpStatusCode.Redirect, found.StatusCode);
        var seen = new HashSet<string>();
        for (var i = 0; i < 4; i++)
        {
            var page = await parent.GetAsync("/phu-huynh/hoc-sinh");
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains("Trần Thị Bích", await page.Content.ReadAsStringAsync());
            seen.Add(page.Headers.GetValues("X-Fees-Node").Single());
        }
        Assert.Equal(2, seen.Count);

        // The look-up limit counts parents by the address nginx forwards, not nginx's own: 22 parents from 22
        // addresses pass; 22 tries from one address are stopped after 20.
        var tries = 0;
        async Task<HttpStatusCode> LookUpAsync(string from)
        {
            using var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = nginx.Address };
            client.DefaultRequestHeaders.Add("X-Forwarded-For", from);
            var form = await client.GetStringAsync("/phu-huynh");
            return (await client.PostAsync("/phu-huynh", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = Token(form), ["Code"] = $"HS{++tries:D8}", ["DateOfBirth"] = "01/01/2017", // a code each: the address limit is what counts
            }))).StatusCode;
        }
        var many = new List<HttpStatusCode>();
        for (var i = 0; i < 22; i++) many.Add(await LookUpAsync($"203.0.113.{i + 1}"));
        var one = new List<HttpStatusCode>();
        for (var i = 0; i < 22; i++) one.Add(await LookUpAsync("198.51.100.7"));
        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, many);
        Assert.Equal(HttpStatusCode.TooManyRequests, one[^1]);

        // A burst of Vietcombank calls through the proxy, every tenth sent twice at once: each credit applied once.
        var code = await host.PaymentCodeAsync("7900000001");
        var key = host.Account("TS01", "VCB").Vcb!.PrivateKeyPem;
        var calls = Enumerable.Range(1, 60).Select(i => host.VcbBody($"VCBS{i:D3}", 1_000, $"{code} hoc phi")).ToList();
        var sends = calls.Concat(calls.Where((_, i) => i % 10 == 0)).Select(async body =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/banks/vcb/notify") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Add(BankAdapters.Vcb.VcbNotification.SignatureHeader, BankAdapters.Vcb.VcbNotification.Sign(key, Encoding.UTF8.GetBytes(body)));
            using var response = await new HttpClient { BaseAddress = nginx.Address }.SendAsync(request);
            return (int)response.StatusCode;
        });
        Assert.All(await Task.WhenAll(sends), s => Assert.Equal(200, s));
        await host.ProcessInboxAsync();

        Assert.Equal(60, await host.Fees.Db.ScalarAsync("SELECT count(*) FROM payments WHERE source = 'VCB'"));
        Assert.Equal(60_000, await host.Fees.Db.ScalarAsync("SELECT sum(amount_vnd) FROM payments WHERE source = 'VCB'"));
        Assert.True(await host.Fees.Db.ScalarAsync("SELECT count(*) FROM data_protection_keys") >= 1);
        Assert.Equal(0, await host.Fees.Db.ScalarAsync("SELECT count(*) FROM data_protection_keys WHERE xml LIKE '%<masterKey%'"));
        var audit = await host.Fees.RunAsync("audit");
        Assert.True(audit.ExitCode == 0, audit.ToString());
    }
}
