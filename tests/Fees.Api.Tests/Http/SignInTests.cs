using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Http;

/// <summary>
/// Staff sign-in as an outsider tries it: guessing a colleague's password, many logins from one address, one
/// login from many addresses, and telling known e-mails from unknown ones by the answer or its time. Client
/// addresses are given in X-Forwarded-For, which the service believes from loopback (as from nginx).
/// </summary>
public sealed class SignInTests
{
    private const string Stranger = "203.0.113.7", Colleague = "198.51.100.20";

    private static async Task<BankHost> StartAsync()
    {
        var host = await BankHost.StartAsync();
        await Support.Browser.AddLoginAsync(host.Fees, "kt@ts01.vn", "Kế toán", "accountant", "TS01");
        return host;
    }

    private static async Task<HttpResponseMessage> SignInAsync(BankHost host, string from, string email, string password)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/sign-in") { Content = JsonContent.Create(new { email, password }) };
        request.Headers.Add("X-Forwarded-For", from);
        return await host.Http.SendAsync(request);
    }

    private static async Task<int> StatusAsync(BankHost host, string from, string email, string password)
    {
        using var r = await SignInAsync(host, from, email, password);
        return (int)r.StatusCode;
    }

    [Fact]
    public async Task SignIn_AStrangerGuessingAColleaguesPassword_IsStoppedAtTheirOwnAddress_AndTheColleagueStillSignsIn()
    {
        await using var host = await StartAsync();

        var guesses = new List<int>();
        for (var i = 0; i < 6; i++) guesses.Add(await StatusAsync(host, Stranger, "kt@ts01.vn", $"Doan-Mat-Khau-{i}"));
        using var stopped = await SignInAsync(host, Stranger, "kt@ts01.vn", Support.Browser.Password);
        var colleague = await StatusAsync(host, Colleague, "kt@ts01.vn", Support.Browser.Password);

        Assert.Equal([401, 401, 401, 401, 401, 429], guesses);
        Assert.Equal(HttpStatusCode.TooManyRequests, stopped.StatusCode);
        Assert.InRange(int.Parse(stopped.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 60, 900);
        Assert.Contains("Too many failed sign-ins to this login from this network address", await stopped.Content.ReadAsStringAsync());
        Assert.Equal(204, colleague);
    }

    [Fact]
    public async Task SignIn_ManyLoginsTriedFromOneAddress_StopsThatAddressOnly()
    {
        await using var host = await StartAsync();

        var tries = new List<int>();
        for (var i = 0; i < 21; i++) tries.Add(await StatusAsync(host, Stranger, $"ai-do-{i}@truong.vn", "Doan-Mat-Khau-1"));
        using var stopped = await SignInAsync(host, Stranger, "kt@ts01.vn", Support.Browser.Password);
        var elsewhere = await StatusAsync(host, Colleague, "kt@ts01.vn", Support.Browser.Password);

        Assert.Equal([.. Enumerable.Repeat(401, 20), 429], tries);
        Assert.Equal(HttpStatusCode.TooManyRequests, stopped.StatusCode);
        Assert.Contains("Too many failed sign-ins from this network address", await stopped.Content.ReadAsStringAsync());
        Assert.Equal(204, elsewhere);
    }

    [Fact]
    public async Task SignIn_ALoginGuessedFromManyAddresses_OpensForItsOwnerAtAnAddressThatHasNotFailed_AndNotForOneThatHas()
    {
        await using var host = await StartAsync();

        var guesses = new List<int>();
        for (var i = 1; i <= 21; i++) guesses.Add(await StatusAsync(host, $"10.0.0.{i}", "kt@ts01.vn", "Doan-Mat-Khau-1"));
        var fromAGuesser = await StatusAsync(host, "10.0.0.1", "kt@ts01.vn", Support.Browser.Password);
        var fromTheOffice = await StatusAsync(host, Colleague, "kt@ts01.vn", Support.Browser.Password);
        var anotherFreshGuesser = new[] { await StatusAsync(host, "10.0.1.1", "kt@ts01.vn", "Doan-Mat-Khau-2"), await StatusAsync(host, "10.0.1.1", "kt@ts01.vn", "Doan-Mat-Khau-3") };

        Assert.All(guesses, s => Assert.Equal(401, s));
        Assert.Equal(429, fromAGuesser);
        Assert.Equal(204, fromTheOffice);
        // While the login is being guessed, an address gets one try at it.
        Assert.Equal([401, 429], anotherFreshGuesser);
    }

    [Fact]
    public async Task Unlock_ByTheAdministrator_ForgetsTheFailedSignInsThatHoldALogin_AndSaysWhatItDid()
    {
        await using var host = await StartAsync();

        for (var i = 0; i < 5; i++) await StatusAsync(host, Stranger, "kt@ts01.vn", $"Doan-Mat-Khau-{i}");
        var held = await StatusAsync(host, Stranger, "kt@ts01.vn", Support.Browser.Password);
        var unlocked = await host.Fees.OkAsync("users", "enable", "kt@ts01.vn");
        var after = await StatusAsync(host, Stranger, "kt@ts01.vn", Support.Browser.Password);
        var again = await host.Fees.OkAsync("users", "enable", "kt@ts01.vn");

        Assert.Equal(429, held);
        Assert.Contains("kt@ts01.vn is unlocked: its failed sign-ins are forgotten.", unlocked);
        Assert.Equal(204, after);
        Assert.Contains("kt@ts01.vn was not disabled; nothing changed.", again);
        Assert.Equal(["{\"held\": true, \"disabled\": false}"], await host.Fees.Db.ListAsync("SELECT details::text FROM audit_log WHERE action = 'users.enable'"));
    }

    [Fact]
    public async Task SignIn_UnknownAndKnownEmails_AnswerWithTheSameStatusAndWords_InAboutTheSameTime()
    {
        await using var host = await StartAsync();
        await StatusAsync(host, "10.9.9.9", "kt@ts01.vn", "Lam-Nong-May-1");
        await StatusAsync(host, "10.9.9.9", "khong-co@ts01.vn", "Lam-Nong-May-1");

        var known = new List<double>();
        var unknown = new List<double>();
        var answers = new HashSet<string>();
        for (var i = 1; i <= 7; i++)
        {
            foreach (var (email, times) in new[] { ("kt@ts01.vn", known), ($"khong-co-{i}@ts01.vn", unknown) })
            {
                var clock = Stopwatch.StartNew();
                using var r = await SignInAsync(host, $"10.{(times == known ? 1 : 2)}.0.{i}", email, "Sai-Mat-Khau-2025");
                times.Add(clock.Elapsed.TotalMilliseconds);
                var body = await r.Content.ReadFromJsonAsync<JsonElement>();
                answers.Add($"{(int)r.StatusCode} {body.GetProperty("title").GetString()} {body.GetProperty("detail").GetString()}");
            }
        }
        var page = new List<string>();
        foreach (var email in new[] { "kt@ts01.vn", "khong-co@ts01.vn" })
        {
            var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = host.BaseAddress };
            var token = Forms.Token(await client.GetStringAsync("/dang-nhap"));
            using var r = await client.PostAsync("/dang-nhap", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token, ["Email"] = email, ["Password"] = "Sai-Mat-Khau-2025",
            }));
            var html = await r.Content.ReadAsStringAsync();
            page.Add($"{(int)r.StatusCode} {System.Text.RegularExpressions.Regex.Match(html, "role=\"alert\">([^<]*)<").Groups[1].Value}");
        }

        double Median(List<double> xs) => xs.Order().ElementAt(xs.Count / 2);
        Assert.Equal(["401 Not signed in The email or the password is wrong."], answers);
        Assert.Equal("200 Thư điện tử hoặc mật khẩu không đúng.", page[0]);
        Assert.Equal(page[0], page[1]);
        // The known login runs the password hasher; so must the unknown one, or its speed tells it apart.
        Assert.True(Median(unknown) > 0.5 * Median(known) && Median(unknown) < 2 * Median(known),
            $"known {string.Join(", ", known.Select(t => t.ToString("0")))} ms; unknown {string.Join(", ", unknown.Select(t => t.ToString("0")))} ms");
    }

    [Fact]
    public async Task Hsts_IsSentOnRequestsThatCameOverTls_AndNotOverPlainHttp()
    {
        await using var host = await BankHost.StartAsync();

        using var tls = new HttpRequestMessage(HttpMethod.Get, "/dang-nhap");
        tls.Headers.Host = "hocphi.tdmedu.vn";
        tls.Headers.Add("X-Forwarded-For", Colleague);
        tls.Headers.Add("X-Forwarded-Proto", "https");
        using var overTls = await host.Http.SendAsync(tls);
        using var plain = new HttpRequestMessage(HttpMethod.Get, "/dang-nhap");
        plain.Headers.Host = "hocphi.tdmedu.vn";
        using var overHttp = await host.Http.SendAsync(plain);

        Assert.Equal(HttpStatusCode.OK, overTls.StatusCode);
        Assert.Equal("max-age=31536000", overTls.Headers.GetValues("Strict-Transport-Security").Single());
        Assert.False(overHttp.Headers.Contains("Strict-Transport-Security"));
        // Cookies made on such a request are marked Secure as well.
        Assert.Contains(overTls.Headers.GetValues("Set-Cookie"), c => c.Contains("secure", StringComparison.OrdinalIgnoreCase));
    }
}
