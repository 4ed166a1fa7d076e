using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Hosting;
using TdmEdu.Fees.Api.Tests.Support;
using TdmEdu.Fees.Api.Web;

namespace TdmEdu.Fees.Api.Tests.Http;

/// <summary>
/// Each face answers what went wrong in its own way, from one vocabulary (ADR 21): a browser gets a page in the
/// page's language (never JSON, never a blank page), also for an address with no page, a method an address does not
/// take, and a fault; the API gets ProblemDetails, also for its 404s. The banks' formats are pinned in Banks/.
/// </summary>
public sealed class ErrorAnswerTests
{
    /// <summary>Routes that throw what the services throw, one per failure kind: on a page address and on an API one.</summary>
    private static void AddThrowingRoutes(WebApplication app)
    {
        static IResult Throw(string kind) => throw (kind switch
        {
            "rule" => new BusinessRuleException("September 2025 is closed for billing.", "Tháng 09/2025 đã khoá sổ lập thông báo."),
            "input" => new BadInputException("lop.csv", 3, "ngay_sinh", "\"31/02/2018\" is not a date.", "\"31/02/2018\" không phải là ngày."),
            "race" => new DbUpdateConcurrencyException("row changed"),
            "environment" => new EnvironmentProblemException("FEES_MASTER_KEY is not set."),
            _ => new InvalidOperationException("a fault that names Nguyễn Văn An"),
        });
        app.MapMethods("/thu-loi/{kind}", ["GET", "POST"], (string kind) => Throw(kind));
        app.MapGet("/api/thu-loi/{kind}", (string kind) => Throw(kind));
    }

    private static async Task<(WebApplication App, Uri At)> StartAsync(string cs)
    {
        var app = WebHost.Build(cs, 0, BankHost.Box, runWorker: false);
        AddThrowingRoutes(app);
        await app.StartAsync();
        return (app, new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()));
    }

    private static HttpClient Client(Uri at, string? language = null)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = at };
        if (language is not null) client.DefaultRequestHeaders.Add("Cookie", $"fees.lang={language}");
        return client;
    }

    private static async Task<(HttpStatusCode Status, string Type, string Body, HttpResponseMessage Response)> GetAsync(HttpClient client, string path, HttpMethod? method = null)
    {
        var r = await client.SendAsync(new HttpRequestMessage(method ?? HttpMethod.Get, path));
        return (r.StatusCode, r.Content.Headers.ContentType?.MediaType ?? "", await r.Content.ReadAsStringAsync(), r);
    }

    [Fact]
    public async Task AnAddressWithNoPage_IsAPageInThePagesLanguage()
    {
        await using var fees = await Support.Fees.StartAsync();
        var (app, at) = await StartAsync(fees.Db.ConnectionString);
        await using var _ = app;

        var vi = await GetAsync(Client(at), "/khong-co-trang-nay?thang=9");
        var en = await GetAsync(Client(at, "en"), "/khong-co-trang-nay");

        Assert.Equal((HttpStatusCode.NotFound, "text/html"), (vi.Status, vi.Type));
        Assert.Contains("<html lang=\"vi\">", vi.Body);
        Assert.Contains("Không tìm thấy trang", vi.Body);
        // The language switch reloads the address asked for, not the error page's own.
        Assert.Contains("back=%2Fkhong-co-trang-nay%3Fthang%3D9", vi.Body);
        Assert.Equal((HttpStatusCode.NotFound, "text/html"), (en.Status, en.Type));
        Assert.Contains("<html lang=\"en\">", en.Body);
        Assert.Contains("Page not found", en.Body);
    }

    [Fact]
    public async Task TheApi_AnswersItsOwnMissesWithProblemDetails()
    {
        await using var fees = await Support.Fees.StartAsync();
        var (app, at) = await StartAsync(fees.Db.ConnectionString);
        await using var _ = app;
        var client = Client(at);

        var unknown = await GetAsync(client, "/api/khong-co");
        var method = await GetAsync(client, "/api/auth/sign-in");

        Assert.Equal((HttpStatusCode.NotFound, "application/problem+json"), (unknown.Status, unknown.Type));
        Assert.Equal(404, JsonDocument.Parse(unknown.Body).RootElement.GetProperty("status").GetInt32());
        Assert.Equal((HttpStatusCode.MethodNotAllowed, "application/problem+json"), (method.Status, method.Type));
    }

    [Fact]
    public async Task AMethodAPageAddressDoesNotTake_IsAPage()
    {
        await using var fees = await Support.Fees.StartAsync();
        var (app, at) = await StartAsync(fees.Db.ConnectionString);
        await using var _ = app;

        var r = await GetAsync(Client(at), "/phu-huynh/qr/TS01-202509-00001", HttpMethod.Post);

        Assert.Equal((HttpStatusCode.MethodNotAllowed, "text/html"), (r.Status, r.Type));
        Assert.Contains("Địa chỉ này không nhận loại yêu cầu này.", r.Body);
    }

    [Fact]
    public async Task APageThatFindsNothing_IsAPage_NotProblemDetails()
    {
        await using var fees = await Support.Fees.StartAsync();
        await fees.SetUpExampleSchoolAsync();
        await Support.Browser.AddLoginAsync(fees, "kt@ts01.vn", "Kế toán", "accountant", "TS01");
        var (app, at) = await StartAsync(fees.Db.ConnectionString);
        await using var _ = app;
        var staff = Client(at);
        Assert.Equal(HttpStatusCode.NoContent, (await staff.PostAsJsonAsync("/api/auth/sign-in", new { email = "kt@ts01.vn", password = Support.Browser.Password })).StatusCode);

        var month = await GetAsync(staff, "/truong/TS01/2025-13");

        Assert.Equal((HttpStatusCode.NotFound, "text/html"), (month.Status, month.Type));
        Assert.Contains("Không tìm thấy trang", month.Body);
        // The page keeps the site's frame: who is signed in, and the way out.
        Assert.Contains("id=\"who\"", month.Body);
    }

    [Fact]
    public async Task ARefusalThatEscapesAPage_IsShownInThePagesLanguage()
    {
        await using var fees = await Support.Fees.StartAsync();
        var (app, at) = await StartAsync(fees.Db.ConnectionString);
        await using var _ = app;

        var rule = await GetAsync(Client(at), "/thu-loi/rule");
        var ruleEn = await GetAsync(Client(at, "en"), "/thu-loi/rule");
        var input = await GetAsync(Client(at), "/thu-loi/input");
        var race = await GetAsync(Client(at), "/thu-loi/race");

        Assert.Equal((HttpStatusCode.Conflict, "text/html"), (rule.Status, rule.Type));
        Assert.Contains("Tháng 09/2025 đã khoá sổ lập thông báo.", rule.Body);
        Assert.Contains("Chưa có gì được lưu.", rule.Body);
        Assert.Contains("September 2025 is closed for billing.", ruleEn.Body);
        Assert.Contains("Nothing was saved.", ruleEn.Body);
        Assert.Equal((HttpStatusCode.BadRequest, "text/html"), (input.Status, input.Type));
        Assert.Contains("lop.csv, dòng 3, cột ngay_sinh: \"31/02/2018\" không phải là ngày.", WebUtility.HtmlDecode(input.Body));
        Assert.Equal((HttpStatusCode.Conflict, "text/html"), (race.Status, race.Type));
        Assert.Contains("Người khác vừa thay đổi cùng dữ liệu này", race.Body);
    }

    [Fact]
    public async Task AFaultOnAPage_IsAPageThatKeepsTheFaultToItself_WithTheSitesHeaders()
    {
        await using var fees = await Support.Fees.StartAsync();
        var (app, at) = await StartAsync(fees.Db.ConnectionString);
        await using var _ = app;

        var get = await GetAsync(Client(at), "/thu-loi/fault");
        // A form sent without its antiforgery token still gets the page (the error page does not ask for one).
        var post = await GetAsync(Client(at), "/thu-loi/fault", HttpMethod.Post);
        var environment = await GetAsync(Client(at), "/thu-loi/environment");

        Assert.Equal((HttpStatusCode.InternalServerError, "text/html"), (get.Status, get.Type));
        Assert.Contains("Có lỗi phía hệ thống", get.Body);
        Assert.DoesNotContain("Nguyễn", get.Body);
        Assert.Equal("nosniff", get.Response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("frame-ancestors 'none'", get.Response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal((HttpStatusCode.InternalServerError, "text/html"), (post.Status, post.Type));
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "text/html"), (environment.Status, environment.Type));
        Assert.DoesNotContain("FEES_MASTER_KEY", environment.Body);
    }

    [Fact]
    public async Task TheSameFailuresOnTheApi_AreProblemDetailsInEnglish()
    {
        await using var fees = await Support.Fees.StartAsync();
        var (app, at) = await StartAsync(fees.Db.ConnectionString);
        await using var _ = app;
        var client = Client(at, "vi");

        async Task<(int, string, string?)> ProblemAsync(string kind)
        {
            var r = await GetAsync(client, $"/api/thu-loi/{kind}");
            Assert.Equal("application/problem+json", r.Type);
            var p = JsonDocument.Parse(r.Body).RootElement;
            return ((int)r.Status, p.GetProperty("title").GetString()!, p.TryGetProperty("detail", out var d) ? d.GetString() : null);
        }

        Assert.Equal((409, "Not possible", "September 2025 is closed for billing."), await ProblemAsync("rule"));
        Assert.Equal((400, "Bad input", "lop.csv, line 3, column ngay_sinh: \"31/02/2018\" is not a date."), await ProblemAsync("input"));
        Assert.Equal((409, "Changed meanwhile", "Someone else changed the same records at the same moment; nothing was written. Try again."), await ProblemAsync("race"));
        Assert.Equal((503, "Unavailable", "The service cannot reach what it needs just now; try again later."), await ProblemAsync("environment"));
        Assert.Equal((500, "An error occurred while processing your request.", null), await ProblemAsync("fault"));
    }

    [Fact]
    public async Task TheDatabaseGoneUnderASignedInUser_IsStillAPage_AndProblemDetailsOnTheApi()
    {
        await using var fees = await Support.Fees.StartAsync();
        await fees.SetUpExampleSchoolAsync();
        await Support.Browser.AddLoginAsync(fees, "kt@ts01.vn", "Kế toán", "accountant", "TS01");
        await using var link = new CuttableLink(fees.Db.ConnectionString);
        var (app, at) = await StartAsync(link.ConnectionString);
        await using var _ = app;
        var staff = Client(at);
        Assert.Equal(HttpStatusCode.NoContent, (await staff.PostAsJsonAsync("/api/auth/sign-in", new { email = "kt@ts01.vn", password = Support.Browser.Password })).StatusCode);

        link.Cut();
        // The sign-in is checked against the database on every request: the error page cannot check it either.
        var page = await GetAsync(staff, "/truong/TS01/2025-09");
        var api = await GetAsync(staff, "/api/me");
        link.Restore();

        Assert.Equal((HttpStatusCode.ServiceUnavailable, "text/html"), (page.Status, page.Type));
        Assert.Contains("<html lang=\"vi\">", page.Body);
        Assert.Contains("Tạm thời chưa phục vụ được", WebUtility.HtmlDecode(page.Body));
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "application/problem+json"), (api.Status, api.Type));
        // A failover takes seconds: both faces say when to try again.
        Assert.Equal(TimeSpan.FromSeconds(5), page.Response.Headers.RetryAfter?.Delta);
        Assert.Equal(TimeSpan.FromSeconds(5), api.Response.Headers.RetryAfter?.Delta);
    }

    [Theory]
    [InlineData("23505", 409)]
    [InlineData("40001", 409)]
    [InlineData("40P01", 409)]
    [InlineData("57P03", 503)]
    [InlineData("3D000", 503)]
    [InlineData("57P01", 503)] // terminating connection due to administrator command: the old primary going down
    [InlineData("08006", 503)]
    [InlineData("25006", 503)] // read-only transaction: a write reached a node that has just become a standby
    [InlineData("42P01", 500)]
    public void StatusOf_ADatabaseRefusal_IsTheStatusOfItsKind(string sqlState, int status)
    {
        var wrapped = new DbUpdateException("saving failed", new PostgresException("refused", "ERROR", "ERROR", sqlState));

        Assert.Equal(status, ErrorStatus.Of(wrapped));
    }

    [Fact]
    public void NoPrimaryDuringAFailover_IsUnavailable_NotAFault_AlsoUnderEFsWrapper()
    {
        // Seen in the full city's failover drill: pages answered 500 for this, and bank calls were not stored again.
        var noHost = new NpgsqlException("No suitable host was found.");
        Assert.False(noHost.IsTransient);

        Assert.Equal(503, ErrorStatus.Of(noHost));
        Assert.Equal(503, ErrorStatus.Of(new InvalidOperationException("An exception has been raised that is likely due to a transient failure.", noHost)));
        Assert.True(Failures.DatabaseUnavailable(new DbUpdateException("saving failed", new TimeoutException())));
        // Negative controls: our own faults stay faults.
        Assert.Equal(500, ErrorStatus.Of(new InvalidOperationException("a bug")));
        Assert.False(Failures.DatabaseUnavailable(new PostgresException("relation does not exist", "ERROR", "ERROR", "42P01")));
        // The worker still counts no attempt for a deadlock between two apply loops (Npgsql calls it transient).
        Assert.True(TdmEdu.Fees.Api.Application.Banks.InboxProcessor.Transient(new DbUpdateException("x", new PostgresException("deadlock detected", "ERROR", "ERROR", "40P01"))));
        Assert.True(TdmEdu.Fees.Api.Application.Banks.InboxProcessor.Transient(noHost));
        Assert.False(TdmEdu.Fees.Api.Application.Banks.InboxProcessor.Transient(new InvalidOperationException("a bug")));
    }

    [Fact]
    public void NoSuitableHost_BecauseAServerRefusedThePassword_IsAFaultOfConfiguration_NotAFailoverToWaitFor()
    {
        // Npgsql's multi-host source puts what each host answered under "No suitable host was found".
        static NpgsqlException NoHost(params Exception[] answers) =>
            new("No suitable host was found.", answers.Length == 1 ? answers[0] : new AggregateException(answers));
        var cut = new NpgsqlException("Failed to connect to 127.0.0.1:5433", new System.Net.Sockets.SocketException(111));
        var wrongPassword = new PostgresException("password authentication failed for user \"fees\"", "FATAL", "FATAL", "28P01");
        var startingUp = new PostgresException("the database system is starting up", "FATAL", "FATAL", "57P03");

        Assert.Equal(500, ErrorStatus.Of(NoHost(wrongPassword, cut, cut)));
        Assert.Equal(500, ErrorStatus.Of(new InvalidOperationException("transient?", NoHost(cut, new PostgresException("no pg_hba.conf entry", "FATAL", "FATAL", "28000")))));
        Assert.False(TdmEdu.Fees.Api.Application.Banks.InboxProcessor.Transient(NoHost(cut, wrongPassword)));
        // Negative controls: hosts that are down or starting up are a failover under way.
        Assert.Equal(503, ErrorStatus.Of(NoHost(cut, startingUp, cut)));
        Assert.Equal(503, ErrorStatus.Of(NoHost(cut, new PostgresException("sorry, too many clients already", "FATAL", "FATAL", "53300"))));
        Assert.Equal(503, ErrorStatus.Of(NoHost(cut)));
    }
}
