using System.Net;
using System.Net.Http.Json;
using System.Text;
using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Hostile;

/// <summary>
/// The staff API and the parent portal fed mutated requests: sign-in JSON, review decisions, look-up forms.
/// Every answer is a refusal or a result (never a 5xx, always ProblemDetails or a page), and the ledger stays whole.
/// </summary>
public sealed class WebFuzzTests
{
    private static async Task<HttpStatusCode> PostAsync(HttpClient client, string path, byte[] body, string type)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(type);
        using var r = await client.PostAsync(path, content);
        await r.Content.ReadAsByteArrayAsync();
        Assert.True((int)r.StatusCode < 500, $"{path} answered {(int)r.StatusCode} to {Encoding.UTF8.GetString(body)}");
        return r.StatusCode;
    }

    [Fact]
    public async Task SignInReviewAndLookUp_Mutated_AreRefusedOrServed_NeverFault()
    {
        await using var host = await BankHost.StartAsync();
        await Support.Browser.AddLoginAsync(host.Fees, "kt@ts01.vn", "Kế toán", "accountant", "TS01");
        var account = host.Account("TS01", "VCB").AccountNo;
        await host.Fees.OkAsync("statements", "import", host.Fees.File("s.sta", $":20:S\n:25:{account}\n:60F:C250909VND0,\n" +
            ":61:2509100910C1001800,NTRFNONREF//FT1\n:86:hoc phi khong ma\n"), "--bank", "VCB", "--account", account);
        await host.Fees.OkAsync("reconcile");
        var line = (await host.Fees.Db.ListAsync("SELECT right(id::text, 12) FROM statement_lines")).Single();

        var anonymous = new HttpClient { BaseAddress = host.BaseAddress };
        // The mutated sign-ins come from an address of their own (as nginx forwards it): that address is throttled, as it should be.
        anonymous.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.66");
        await Support.Browser.AddLoginAsync(host.Fees, "ht@ts01.vn", "Hiệu trưởng", "principal", "TS01");
        var signIn = Encoding.UTF8.GetBytes($"{{\"email\":\"ht@ts01.vn\",\"password\":\"{Support.Browser.Password}\"}}");
        foreach (var (_, body) in Mutator.Mutants(signIn, Mutator.Cases(150), 61))
            await PostAsync(anonymous, "/api/auth/sign-in", body, "application/json");

        var staff = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = host.BaseAddress };
        Assert.Equal(HttpStatusCode.NoContent, (await staff.PostAsJsonAsync("/api/auth/sign-in", new { email = "kt@ts01.vn", password = Support.Browser.Password })).StatusCode);
        var split = Encoding.UTF8.GetBytes("{\"reason\":\"Hai con\",\"parts\":[{\"student\":\"7900000001\",\"amountVnd\":1000000},{\"student\":\"7900000002\",\"amountVnd\":1800}]}");
        foreach (var (_, body) in Mutator.Mutants(split, Mutator.Cases(150), 62))
            await PostAsync(staff, $"/api/schools/TS01/review/{line}/split", body, "application/json");

        var parent = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = host.BaseAddress };
        var token = Forms.Token(await parent.GetStringAsync("/phu-huynh"));
        var form = Encoding.UTF8.GetBytes($"__RequestVerificationToken={Uri.EscapeDataString(token)}&Code={await host.PaymentCodeAsync("7900000002")}&DateOfBirth=01%2F03%2F2017");
        // Found by a long run: a key with an unclosed bracket made ASP.NET's jQuery-style form reader throw (500).
        await PostAsync(parent, "/phu-huynh", Encoding.UTF8.GetBytes($"__RequestVerificationToken={Uri.EscapeDataString(token)}&Code=HS1&Dat[OfBirth=1"), "application/x-www-form-urlencoded");
        foreach (var (_, body) in Mutator.Mutants(form, Mutator.Cases(100), 63))
            await PostAsync(parent, "/phu-huynh", body, "application/x-www-form-urlencoded");

        // Whatever the mutated splits did, every đồng of the line is in exactly one place.
        var audit = await host.Fees.RunAsync("audit");
        Assert.True(audit.ExitCode == 0, audit.ToString());
        Assert.True(await host.Fees.Db.ScalarAsync("SELECT coalesce(sum(amount_vnd), 0) FROM payments WHERE source LIKE 'STMT-%'") <= 1_001_800);
    }
}
