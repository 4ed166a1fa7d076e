using System.Net;
using System.Net.Http.Json;
using System.Text;
using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Hostile;

/// <summary>
/// A NUL or another control character anywhere in a request to the web app or the API (path, query, form field,
/// JSON string, header) is refused with 400 and a sentence that names where it was; never a 500, nothing written.
/// The banks' routes answer in their own formats and are not ours to refuse this way.
/// </summary>
public sealed class ControlCharacterTests
{
    private static HttpClient Client(BankHost host) =>
        new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = host.BaseAddress };

    private static async Task<HttpClient> SignedInAsync(BankHost host, string email)
    {
        var client = Client(host);
        var r = await client.PostAsJsonAsync("/api/auth/sign-in", new { email, password = Support.Browser.Password });
        Assert.Equal(HttpStatusCode.NoContent, r.StatusCode);
        return client;
    }

    private static FormUrlEncodedContent Form(string token, params (string Key, string Value)[] fields) =>
        new([new("__RequestVerificationToken", token), .. fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value))]);

    private static HttpContent Json(string json) => new StringContent(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task AControlCharacter_AnywhereInARequest_IsRefusedWith400ThatNamesIt_OnEveryKindOfRoute()
    {
        await using var host = await BankHost.StartAsync();
        await Support.Browser.AddLoginAsync(host.Fees, "kt@ts01.vn", "Kế toán", "accountant", "TS01");
        await Support.Browser.AddLoginAsync(host.Fees, "qt@so.vn", "Quản trị", "admin");
        var account = host.Account("TS01", "VCB").AccountNo;
        await host.Fees.OkAsync("statements", "import", host.Fees.File("s.sta", $":20:S\n:25:{account}\n:60F:C250909VND0,\n" +
            ":61:2509100910C1001800,NTRFNONREF//FT1\n:86:hoc phi khong ma\n"), "--bank", "VCB", "--account", account);
        await host.Fees.OkAsync("reconcile");
        var line = (await host.Fees.Db.ListAsync("SELECT right(id::text, 12) FROM statement_lines")).Single();
        const string ServiceId = "SELECT bidv_service_id FROM school_bank_accounts WHERE bank = 'BIDV'";
        var serviceId = (await host.Fees.Db.ListAsync(ServiceId)).Single();
        var accountant = await SignedInAsync(host, "kt@ts01.vn");
        var admin = await SignedInAsync(host, "qt@so.vn");
        var anonymous = Client(host);
        var staffToken = Forms.Token(await accountant.GetStringAsync("/truong/TS01/thu-tien-mat"));
        var adminToken = Forms.Token(await admin.GetStringAsync("/quan-tri/nguoi-dung"));
        var anonymousToken = Forms.Token(await anonymous.GetStringAsync("/dang-nhap"));
        var parentToken = Forms.Token(await anonymous.GetStringAsync("/phu-huynh"));
        var bankForm = new MultipartFormDataContent
        {
            { new StringContent(Forms.Token(await admin.GetStringAsync("/quan-tri/ngan-hang?school=TS02&bank=BIDV"))), "__RequestVerificationToken" },
            { new StringContent("HOC\0PHI"), "ServiceId" },
            { new StringContent("user"), "Username" },
        };

        var cases = new (string What, HttpClient Client, HttpRequestMessage Request, string Names)[]
        {
            ("API JSON string", anonymous, new(HttpMethod.Post, "/api/auth/sign-in") { Content = Json("{\"email\":\"kt\\u0000@ts01.vn\",\"password\":\"x\"}") }, "email"),
            ("API route value", accountant, new(HttpMethod.Get, "/api/schools/TS01%01/months/2025-09"), "path"),
            ("API query", accountant, new(HttpMethod.Get, "/api/schools/TS01/notices?status=paid%00"), "status"),
            ("API review reason", accountant, new(HttpMethod.Post, $"/api/schools/TS01/review/{line}/confirm") { Content = Json("{\"student\":\"7900000002\",\"reason\":\"ok\\u0001\"}") }, "reason"),
            ("open data route", anonymous, new(HttpMethod.Get, "/du-lieu-mo/thu-hoc-phi/2025-09%1F.json"), "đường dẫn"),
            ("sign-in form", anonymous, new(HttpMethod.Post, "/dang-nhap") { Content = Form(anonymousToken, ("Email", "kt\0@ts01.vn"), ("Password", "x")) }, "Email"),
            ("parent form", anonymous, new(HttpMethod.Post, "/phu-huynh") { Content = Form(parentToken, ("Code", "HS\u00001"), ("DateOfBirth", "01/03/2017")) }, "Code"),
            ("cash form", accountant, new(HttpMethod.Post, "/truong/TS01/thu-tien-mat") { Content = Form(staffToken, ("Notice", "TS01-202509-00001"), ("Amount", "1000"), ("Payer", "Nguyễn\0"), ("ClientRef", "web-nul")) }, "Payer"),
            ("page query", accountant, new(HttpMethod.Get, "/truong/TS01/2025-09/thong-bao?Class=6A%001"), "Class"),
            ("page route value", accountant, new(HttpMethod.Get, "/truong/TS%7F01/2025-09"), "đường dẫn"),
            ("users form", admin, new(HttpMethod.Post, "/quan-tri/nguoi-dung") { Content = Form(adminToken, ("Email", "x@y.vn"), ("Name", "A\u0007"), ("Role", "auditor"), ("Password", "Chuan-Mat-Khau-2025")) }, "Name"),
            ("multipart form field", admin, new(HttpMethod.Post, "/quan-tri/ngan-hang?school=TS02&bank=BIDV") { Content = bankForm }, "ServiceId"),
            ("language cookie", anonymous, WithHeader(new(HttpMethod.Get, "/phu-huynh"), "Cookie", "fees.lang=e\u0001n"), "Cookie"),
        };

        var answers = new List<string>();
        foreach (var (what, client, request, names) in cases)
        {
            using var r = await client.SendAsync(request);
            var body = await r.Content.ReadAsStringAsync();
            var ok = r.StatusCode == HttpStatusCode.BadRequest && body.Contains(names, StringComparison.Ordinal)
                && (body.Contains("control character", StringComparison.Ordinal) || body.Contains("ký tự điều khiển", StringComparison.Ordinal));
            if (!ok) answers.Add($"{what}: {(int)r.StatusCode} {body[..Math.Min(200, body.Length)]}");
        }

        // A NUL in the address never reaches the application: Kestrel refuses it with a bare 400 first.
        using var nulInPath = await accountant.GetAsync("/truong/TS%0001/2025-09");

        Assert.True(answers.Count == 0, string.Join("\n", answers));
        Assert.Equal(HttpStatusCode.BadRequest, nulInPath.StatusCode);
        Assert.Equal(0, await host.Fees.Db.ScalarAsync("SELECT count(*) FROM payments"));
        Assert.Equal(0, await host.Fees.Db.ScalarAsync("SELECT count(*) FROM users WHERE email = 'x@y.vn'"));
        Assert.Equal(serviceId, (await host.Fees.Db.ListAsync(ServiceId)).Single());
    }

    private static HttpRequestMessage WithHeader(HttpRequestMessage request, string name, string value)
    {
        request.Headers.TryAddWithoutValidation(name, value);
        return request;
    }

    [Fact]
    public async Task APageRefusal_SpeaksThePagesLanguage_AndTheBankRoutesKeepTheirOwnAnswers()
    {
        await using var host = await BankHost.StartAsync();
        var client = Client(host);
        var token = Forms.Token(await client.GetStringAsync("/phu-huynh"));

        using var vietnamese = await client.PostAsync("/phu-huynh", Form(token, ("Code", "HS1\0"), ("DateOfBirth", "01/03/2017")));
        client.DefaultRequestHeaders.Add("Cookie", "fees.lang=en");
        using var english = await client.PostAsync("/phu-huynh", Form(token, ("Code", "HS1\0"), ("DateOfBirth", "01/03/2017")));
        // A bank's notification with a NUL in its content is the bank adapter's to answer, in the bank's format.
        var (_, bankBody) = await host.VcbAsync(host.VcbBody("VCB-NUL-1", 1000, "hoc phi\u0000"));

        Assert.Equal(HttpStatusCode.BadRequest, vietnamese.StatusCode);
        Assert.Contains("Yêu cầu bị từ chối: trường \"Code\" có ký tự điều khiển U+0000", await vietnamese.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, english.StatusCode);
        Assert.Contains("The request was refused: the field \"Code\" holds the control character U+0000", await english.Content.ReadAsStringAsync());
        Assert.DoesNotContain("control character", bankBody.ToString());
    }
}
