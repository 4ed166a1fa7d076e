using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Http;

/// <summary>Sign-in, roles and the per-school rule, over every route that takes a school: discovered, not listed by hand.</summary>
public sealed class AuthorizationTests
{
    private const string Password = "Chuan-Mat-Khau-2025";

    private static async Task<BankHost> StartAsync()
    {
        var host = await BankHost.StartAsync();
        var variable = "FEES_TEST_PW_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, Password);
        foreach (var (email, role, school) in new[]
                 {
                     ("kt1@ts01.vn", "accountant", "TS01"), ("ht1@ts01.vn", "principal", "TS01"), ("kt2@ts02.vn", "accountant", "TS02"),
                     ("ht2@ts02.vn", "principal", "TS02"), ("tt@so.vn", "auditor", null), ("qt@so.vn", "admin", null),
                 })
        {
            var args = new List<string> { "users", "add", "--email", email, "--name", "Người dùng", "--role", role, "--password-env", variable };
            if (school is not null) args.AddRange(["--school", school]);
            await host.Fees.OkAsync([.. args]);
        }
        return host;
    }

    private static async Task<HttpClient> SignInAsync(BankHost host, string email, string password = Password)
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = host.BaseAddress };
        var r = await client.PostAsJsonAsync("/api/auth/sign-in", new { email, password });
        Assert.Equal(HttpStatusCode.NoContent, r.StatusCode);
        return client;
    }

    /// <summary>
    /// Every route with a {school} parameter, with a request that names school TS02, and whether it moves money. A page
    /// is requested once per handler its model declares (OnGet, OnPostSplit as ?handler=Split, ...), found by reflection;
    /// a handler moves money when its page or the handler method itself carries [MovesMoney]; likewise [ShowsPupils]
    /// (never the auditor) and [PrincipalDecides] (the school's principal alone).
    /// </summary>
    private static List<(string Method, string Path, Rule Rule)> SchoolRoutes(BankHost host) =>
        host.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.Parameters.Any(p => p.Name == "school"))
            .SelectMany(e =>
            {
                var path = "/" + string.Join('/', e.RoutePattern.PathSegments.Select(s => string.Concat(s.Parts.Select(part => part switch
                {
                    Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart l => l.Content,
                    Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart { Name: "school" } => "TS02",
                    Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart { Name: "period" } => "2025-09",
                    _ => Guid.Empty.ToString(),
                }))));
                var page = new Rule(e.Metadata.GetMetadata<Web.MovesMoneyAttribute>() is not null, e.Metadata.GetMetadata<Web.ShowsPupilsAttribute>() is not null,
                    e.Metadata.GetMetadata<Web.PrincipalDecidesAttribute>() is not null);
                if (e.Metadata.GetMetadata<Microsoft.AspNetCore.Mvc.RazorPages.PageActionDescriptor>() is { } pageAction)
                    return Handlers(pageAction).Select(h => (h.Method, h.Name is null ? path : $"{path}?handler={h.Name}",
                        new Rule(page.MovesMoney || h.Rule.MovesMoney, page.ShowsPupils || h.Rule.ShowsPupils, page.PrincipalOnly || h.Rule.PrincipalOnly)));
                return (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (m, path, page));
            })
            .ToList();

    private sealed record Rule(bool MovesMoney, bool ShowsPupils, bool PrincipalOnly);

    /// <summary>The handler methods of a page's model (named by convention: Pages/School/Review.cshtml → Pages.School.ReviewModel).</summary>
    private static IEnumerable<(string Method, string? Name, Rule Rule)> Handlers(Microsoft.AspNetCore.Mvc.RazorPages.PageActionDescriptor page)
    {
        var typeName = "TdmEdu.Fees.Api" + page.RelativePath.Replace(".cshtml", "", StringComparison.Ordinal).Replace('/', '.') + "Model";
        var model = typeof(Web.Lang).Assembly.GetType(typeName) ?? throw new InvalidOperationException($"no page model {typeName}");
        return model.GetMethods(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.DeclaredOnly)
            .Select(m => (Match: System.Text.RegularExpressions.Regex.Match(m.Name, "^On(Get|Post)(\\w*?)(Async)?$"),
                Rule: new Rule(m.IsDefined(typeof(Web.MovesMoneyAttribute), inherit: false), m.IsDefined(typeof(Web.ShowsPupilsAttribute), inherit: false),
                    m.IsDefined(typeof(Web.PrincipalDecidesAttribute), inherit: false))))
            .Where(m => m.Match.Success)
            .Select(m => (m.Match.Groups[1].Value.ToUpperInvariant(), m.Match.Groups[2].Value is { Length: > 0 } n ? n : null, m.Rule))
            .Distinct();
    }

    /// <summary>The antiforgery token a signed-in person's pages carry (the sign-out form is on every page).</summary>
    private static async Task<string> TokenAsync(HttpClient client, string page)
    {
        var html = await client.GetStringAsync(page);
        return Forms.Token(html);
    }

    [Fact]
    public async Task EveryRouteOfASchool_RefusesOtherSchoolsStaffAndStrangers_AndServesItsOwnAndTheAuditor()
    {
        await using var host = await StartAsync();
        var routes = SchoolRoutes(host);
        var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = host.BaseAddress };
        var otherSchool = await SignInAsync(host, "kt1@ts01.vn");
        var otherPrincipal = await SignInAsync(host, "ht1@ts01.vn");
        var own = await SignInAsync(host, "kt2@ts02.vn");
        var ownPrincipal = await SignInAsync(host, "ht2@ts02.vn");
        var auditor = await SignInAsync(host, "tt@so.vn");

        Assert.True(routes.Count >= 2, $"found only {routes.Count} routes with a school");
        Assert.Contains(routes, r => !r.Path.StartsWith("/api/", StringComparison.Ordinal));
        Assert.Contains(routes, r => r.Rule.MovesMoney);
        Assert.Contains(routes, r => r.Rule.ShowsPupils);
        Assert.Contains(routes, r => r.Method == "POST" && r.Path.Contains("handler=Split", StringComparison.Ordinal));
        // A page read by everyone whose sending handlers alone are the accountant's: the handler's own mark is seen.
        Assert.Contains(routes, r => r.Path.EndsWith("/tin-nhan?handler=Send", StringComparison.Ordinal) && r.Rule.MovesMoney);
        Assert.Contains(routes, r => r.Path.EndsWith("/tin-nhan", StringComparison.Ordinal) && r.Method == "GET" && !r.Rule.MovesMoney);
        // Forms are sent with the sender's own antiforgery token, so what answers is the school rule, not the token check.
        var tokens = new Dictionary<HttpClient, string>
        {
            [anonymous] = "", [otherSchool] = await TokenAsync(otherSchool, "/truong/TS01"), [otherPrincipal] = await TokenAsync(otherPrincipal, "/truong/TS01"),
            [own] = await TokenAsync(own, "/truong/TS02"), [ownPrincipal] = await TokenAsync(ownPrincipal, "/truong/TS02"), [auditor] = await TokenAsync(auditor, "/so"),
        };
        Assert.All(tokens.Where(t => t.Key != anonymous), t => Assert.NotEmpty(t.Value));
        foreach (var (method, path, rule) in routes)
        {
            // The API answers 401 and 403; a page sends the visitor to the sign-in form or to the "not allowed" page.
            async Task<string> As(HttpClient c)
            {
                var request = new HttpRequestMessage(new HttpMethod(method), path);
                if (method == "POST" && !path.StartsWith("/api/", StringComparison.Ordinal))
                    request.Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = tokens[c], ["Line"] = "000000000000" });
                var r = await c.SendAsync(request);
                return r.StatusCode switch
                {
                    HttpStatusCode.Unauthorized => "unauthorized",
                    HttpStatusCode.Forbidden => "forbidden",
                    HttpStatusCode.Found when r.Headers.Location!.ToString().Contains("/dang-nhap", StringComparison.Ordinal) => "unauthorized",
                    HttpStatusCode.Found when r.Headers.Location!.ToString().Contains("/khong-duoc-phep", StringComparison.Ordinal) => "forbidden",
                    var other => other.ToString(),
                };
            }
            Assert.True(await As(anonymous) == "unauthorized", $"{method} {path} without sign-in");
            Assert.True(await As(otherSchool) == "forbidden", $"{method} {path} by TS01's accountant");
            Assert.True(await As(otherPrincipal) == "forbidden", $"{method} {path} by TS01's principal");
            if (rule.PrincipalOnly)
            {
                // The principal's decisions: the school's own principal, nobody else of it.
                Assert.True(await As(own) == "forbidden", $"{method} {path} is the principal's, refused to TS02's accountant");
                Assert.True(await As(ownPrincipal) is not ("unauthorized" or "forbidden"), $"{method} {path} by TS02's own principal");
            }
            else Assert.True(await As(own) is not ("unauthorized" or "forbidden"), $"{method} {path} by TS02's own accountant");
            if (rule.MovesMoney) Assert.True(await As(ownPrincipal) == "forbidden", $"{method} {path} moves money, refused to TS02's principal");
            // The auditor reads every school and moves no money, and sees no pupil's name.
            if (rule.MovesMoney || rule.ShowsPupils || rule.PrincipalOnly) Assert.True(await As(auditor) == "forbidden", $"{method} {path} refused to the auditor");
            else if (method == "GET") Assert.True(await As(auditor) is not ("unauthorized" or "forbidden"), $"{method} {path} by the auditor");
        }
    }

    [Fact]
    public async Task ReviewQueueOverHttp_ShowsASchoolItsOwnLines_AndItsAccountantDecides()
    {
        await using var host = await StartAsync();
        var bich = await host.PaymentCodeAsync("7900000002");
        var account = host.Account("TS01", "VCB").AccountNo;
        await host.Fees.OkAsync("statements", "import", host.Fees.File("s.sta", $":20:S\n:25:{account}\n:60F:C250909VND0,\n" +
            $":61:2509100910C1001800,NTRFNONREF//FT1\n:86:hoc phi be {bich[..^1]}\n"), "--bank", "VCB", "--account", account);
        await host.Fees.OkAsync("reconcile");
        var ts01 = await SignInAsync(host, "kt1@ts01.vn");
        var ts02 = await SignInAsync(host, "kt2@ts02.vn");
        var principal = await SignInAsync(host, "ht1@ts01.vn");

        var items = await ts01.GetFromJsonAsync<JsonElement>("/api/schools/TS01/review");
        var none = await ts02.GetFromJsonAsync<JsonElement>("/api/schools/TS02/review");
        var id = items[0].GetProperty("id").GetString()!;
        var byOther = await ts02.PostAsJsonAsync($"/api/schools/TS02/review/{id}/confirm", new { student = "7900000002", reason = "x" });
        var byPrincipal = await principal.PostAsJsonAsync($"/api/schools/TS01/review/{id}/confirm", new { student = "7900000002", reason = "x" });
        var noReason = await ts01.PostAsJsonAsync($"/api/schools/TS01/review/{id}/confirm", new { student = "7900000002" });
        var confirmed = await ts01.PostAsJsonAsync($"/api/schools/TS01/review/{id}/confirm", new { student = "7900000002", reason = "Phụ huynh xác nhận" });

        Assert.Equal(1, items.GetArrayLength());
        Assert.Equal(0, none.GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, byOther.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, byPrincipal.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Equal(1_001_800, await host.Fees.Db.ScalarAsync("SELECT amount_paid_vnd FROM notices WHERE notice_no = 'TS01-202509-00002'"));
        Assert.Equal(0, (await ts01.GetFromJsonAsync<JsonElement>("/api/schools/TS01/review")).GetArrayLength());
    }

    [Fact]
    public async Task SignIn_NamesTheSchool_AndSetsAnHttpOnlyCookie()
    {
        await using var host = await StartAsync();
        var raw = new HttpClient { BaseAddress = host.BaseAddress };

        var ok = await raw.PostAsJsonAsync("/api/auth/sign-in", new { email = "kt1@ts01.vn", password = Password });
        var cookie = ok.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("fees.auth=", StringComparison.Ordinal));
        var me = await (await SignInAsync(host, "kt1@ts01.vn")).GetFromJsonAsync<JsonElement>("/api/me");
        var month = await (await SignInAsync(host, "kt1@ts01.vn")).GetFromJsonAsync<JsonElement>("/api/schools/TS01/months/2025-09");

        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("TS01", me.GetProperty("school").GetString());
        Assert.Equal(["accountant"], me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(3, month.GetProperty("notices").GetInt32());
        Assert.Equal(3_275_400, month.GetProperty("billedVnd").GetInt64());
        Assert.Equal("nosniff", ok.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", ok.Headers.GetValues("X-Frame-Options").Single());
    }

    [Fact]
    public async Task UsersAdd_RefusesWeakPasswordsRolesWithoutSchoolAndUnknownSchools_InWords()
    {
        await using var fees = await Support.Fees.StartAsync();
        await fees.SetUpExampleSchoolAsync();
        var weak = "FEES_TEST_WEAK_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(weak, "short1");

        var tooWeak = await fees.RunAsync("users", "add", "--email", "a@b.vn", "--name", "A", "--role", "auditor", "--password-env", weak);
        var noSchool = await fees.RunAsync("users", "add", "--email", "a@b.vn", "--name", "A", "--role", "accountant");
        var unknown = await fees.RunAsync("users", "add", "--email", "a@b.vn", "--name", "A", "--role", "accountant", "--school", "XX99");
        var made = await fees.OkAsync("users", "add", "--email", "a@b.vn", "--name", "A", "--role", "principal", "--school", "ts01");

        Assert.Equal(2, tooWeak.ExitCode);
        Assert.Contains("at least 12 characters", tooWeak.Err);
        Assert.Contains("a accountant belongs to one school; give its code", noSchool.Err);
        Assert.Contains("there is no school XX99", unknown.Err);
        Assert.Contains("Login a@b.vn (principal of TS01) is created.", made);
        Assert.Matches("Its password, shown once: Fees-\\S{16}-7a", made);
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM users WHERE password_hash NOT LIKE 'AQAAAA%'"));
    }

    [Fact]
    public async Task AFormPostedWithoutItsToken_OrWithAnotherUsersToken_MovesNothing()
    {
        await using var host = await StartAsync();
        var own = await SignInAsync(host, "kt2@ts02.vn");
        var other = await SignInAsync(host, "kt1@ts01.vn");
        var otherToken = await TokenAsync(other, "/truong/TS01");
        var form = new Dictionary<string, string> { ["Notice"] = "TS02-202509-00001", ["Amount"] = "1000", ["ClientRef"] = "web-csrf" };

        // A page elsewhere making the signed-in accountant's browser post the cash form (no token), or with a token stolen from another login.
        var none = await own.PostAsync("/truong/TS02/thu-tien-mat", new FormUrlEncodedContent(form));
        var stolen = await own.PostAsync("/truong/TS02/thu-tien-mat", new FormUrlEncodedContent(new Dictionary<string, string>(form) { ["__RequestVerificationToken"] = otherToken }));
        var headers = await own.GetAsync("/truong/TS02");

        Assert.Equal(HttpStatusCode.BadRequest, none.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, stolen.StatusCode);
        Assert.Equal(0, await host.Fees.Db.ScalarAsync("SELECT count(*) FROM payments"));
        Assert.Contains("frame-ancestors 'none'", headers.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Contains("form-action 'self'", headers.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("DENY", headers.Headers.GetValues("X-Frame-Options").Single());
    }
}
