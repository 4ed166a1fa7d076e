using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Quartz;
using Scalar.AspNetCore;
using Serilog;
using Serilog.Events;
using TdmEdu.Fees.Api.Application.Banks;
using TdmEdu.Fees.Api.Application.Messages;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Http;
using TdmEdu.Fees.Api.Hosting.Vitals;
using TdmEdu.Fees.Api.Http.Banks;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Api.Security;
using TdmEdu.Fees.Api.Web;

namespace TdmEdu.Fees.Api.Hosting;

/// <summary>The HTTP host: health and the read API of the foundation. Bank endpoints, jobs and the web app join later.</summary>
public static class WebHost
{
    /// <summary>The request body any route takes unless it says otherwise.</summary>
    public const long MaxRequestBodyBytes = 1024 * 1024;

    public static WebApplication Build(string connectionString, int port, SecretBox box, bool runWorker = true, TimeProvider? time = null,
        LogEventLevel minimumLevel = LogEventLevel.Information, bool? runScheduler = null, string? instanceId = null, Action<IQuartzBuilder>? moreJobs = null,
        BankClientOptions? bankApis = null, Serilog.Core.ILogEventSink? logCopy = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            // The pages live in this assembly, whichever process hosts it (the CLI, or a test runner).
            ApplicationName = typeof(WebHost).Assembly.GetName().Name,
        });
        // Settings of this host only, over the environment's (several hosts in one process: the tests).
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
        // The vital signs (Prometheus' /metrics) on a port of their own, for the monitoring network only; off unless set.
        var metricsPort = builder.Configuration.GetValue<int?>("Metrics:Port") ?? 0;
        builder.WebHost.UseUrls(metricsPort > 0
            ? [$"http://127.0.0.1:{port}", $"http://{builder.Configuration.GetValue("Metrics:Address", "127.0.0.1")}:{metricsPort}"]
            : [$"http://127.0.0.1:{port}"]);
        // Request bodies: 1 MB unless a route says otherwise (the upload pages, by [RequestSizeLimit]; the bank
        // routes read 64 KB). Kestrel's default of 30 MB would let any form or JSON route be sent a roster's worth.
        builder.WebHost.ConfigureKestrel(o => o.Limits.MaxRequestBodySize = MaxRequestBodyBytes);
        // This host's own logger, not Serilog's static one: several hosts in one process (the tests, the peak
        // harness's two nodes) must not write into each other's logs.
        var serilog = new LoggerConfiguration()
            .MinimumLevel.Is(minimumLevel)
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
            .MinimumLevel.Override("Microsoft.EntityFrameworkCore", LogEventLevel.Warning)
            // A unique key refusing a second copy of a bank call is how idempotency works here; the code that
            // catches it decides what to log. EF's own "failed command" errors would page someone for nothing.
            .MinimumLevel.Override("Microsoft.EntityFrameworkCore.Database.Command", LogEventLevel.Fatal)
            .MinimumLevel.Override("Microsoft.EntityFrameworkCore.Update", LogEventLevel.Fatal)
            .WriteTo.Console(formatProvider: System.Globalization.CultureInfo.InvariantCulture)
            .WriteTo.Sink(logCopy ?? new NoSink())
            .CreateLogger();
        builder.Services.AddSerilog(serilog, dispose: true);
        builder.Services.AddDbContext<FeesDb>(o => o.UseNpgsql(connectionString));
        Telemetry.Add(builder, metricsPort, instanceId);
        builder.Services.AddSingleton(time ?? TimeProvider.System);
        builder.Services.AddSingleton<BusinessClock>();
        builder.Services.AddSingleton(box);
        SharedKeys.Add(builder.Services, box);
        // Vietnamese letters go out as themselves, not as &#x1EA7; (markup characters are still escaped).
        builder.Services.AddWebEncoders(o => o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        builder.Services.AddScoped<BankSettings>();
        EReceiptServices.Add(builder.Services, builder.Configuration);
        Messaging.Add(builder.Services, builder.Configuration, box);
        builder.Services.AddSingleton<BankSettingsCache>();
        builder.Services.AddSingleton<Application.Statements.StatementGate>();
        builder.Services.AddSingleton(_ => Npgsql.NpgsqlDataSource.Create(connectionString));
        builder.Services.AddSingleton<InboxStore>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<InboxStore>());
        builder.Services.AddSingleton<InboxSignal>();
        if (runWorker) builder.Services.AddHostedService<InboxWorker>();
        // Quartz on the persistent store, clustered: several instances share the schedule and each firing runs once.
        if (runScheduler ?? runWorker) ScheduledJobs.Add(builder, connectionString, instanceId, bankApis, moreJobs);
        HttpErrors.AddServices(builder.Services);
        ReadServices.Add(builder.Services);

        // Sign-in: ASP.NET Core Identity on our PostgreSQL, a cookie that scripts cannot read, checked against the
        // login's security stamp on every request (Sessions); failures throttled per address (StaffSignIn, ADR 17).
        builder.Services.AddIdentityCore<FeesUser>(Accounts.Configure).AddRoles<IdentityRole<Guid>>().AddEntityFrameworkStores<FeesDb>()
            .AddSignInManager().AddClaimsPrincipalFactory<FeesClaimsFactory>();
        builder.Services.AddAuthentication(IdentityConstants.ApplicationScheme).AddIdentityCookies();
        builder.Services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = "fees.auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            // Secure whenever the request came over TLS (production, behind the proxy); loopback http in development.
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
            o.LoginPath = "/dang-nhap";
            o.AccessDeniedPath = "/khong-duoc-phep";
            // The API answers 401 and 403; only pages redirect to the sign-in form.
            o.Events.OnRedirectToLogin = c => Deny(c, 401);
            o.Events.OnRedirectToAccessDenied = c => Deny(c, 403);
            o.Events.OnValidatePrincipal = Sessions.ValidateAsync;
        });
        builder.Services.AddScoped<AttemptCounter>();
        builder.Services.AddScoped<StaffSignIn>();
        builder.Services.AddScoped(sp => new AccountChanges(sp.GetRequiredService<UserManager<FeesUser>>(), sp.GetRequiredService<FeesDb>(),
            sp.GetRequiredService<BusinessClock>(), Actor.Of(sp.GetRequiredService<IHttpContextAccessor>().HttpContext!.User)));
        // Behind the TLS proxy, browsers are told to come back over https only (a year; subdomains are the school's to decide).
        builder.Services.AddHsts(o => o.MaxAge = TimeSpan.FromDays(365));
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policies.SignedIn, p => p.RequireAuthenticatedUser())
            .AddPolicy(Policies.Admin, p => p.RequireRole(Policies.RolesOf(Policies.Admin)!))
            .AddPolicy(Policies.ReadAll, p => p.RequireRole(Policies.RolesOf(Policies.ReadAll)!));

        builder.Services.AddHttpContextAccessor();
        // The API described with OpenAPI (bank routes excluded: they follow the banks' contracts, not ours).
        builder.Services.AddOpenApi("v1", o => o.ShouldInclude = d => d.RelativePath is { } p && p.StartsWith("api/", StringComparison.Ordinal) && !p.StartsWith("api/banks", StringComparison.Ordinal));
        builder.Services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "fees.af";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        // Pages: every folder but the sign-in, language and denied pages needs a signed-in user; each page checks the school.
        // jQuery-style form keys (a[b]) are not used here; their reader throws on a key with an unclosed bracket,
        // which answered 500 to a mangled form (found by fuzzing). Plain keys are read by the standard providers.
        builder.Services.PostConfigure<Microsoft.AspNetCore.Mvc.MvcOptions>(o =>
        {
            foreach (var jquery in o.ValueProviderFactories.Where(f => f is Microsoft.AspNetCore.Mvc.ModelBinding.JQueryFormValueProviderFactory
                         or Microsoft.AspNetCore.Mvc.ModelBinding.JQueryQueryStringValueProviderFactory).ToList())
                o.ValueProviderFactories.Remove(jquery);
        });
        builder.Services.AddSingleton<Pages.Shared.ExportLimit>();
        builder.Services.AddRazorPages(o =>
        {
            o.Conventions.ConfigureFilter(new ControlCharacters.FormFilter());
            o.Conventions.ConfigureFilter(new Pages.Shared.MonthPickerFilter());
            o.Conventions.ConfigureFilter(new Pages.Shared.ExportLimit.Filter());
            foreach (var (folder, policy) in Policies.Folders) o.Conventions.AuthorizeFolder(folder, policy);
        });

        var app = builder.Build();
        // Behind nginx every request comes from the proxy's address; the client's is in X-Forwarded-For. It is
        // believed only from proxies we know (loopback, and FEES_TRUSTED_PROXIES), walking back through them, so
        // the parents' per-address limit counts parents, not the proxy, and a client cannot forge its address.
        var forwarded = new Microsoft.AspNetCore.Builder.ForwardedHeadersOptions
        {
            ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto,
            ForwardLimit = null,
        };
        foreach (var proxy in (Environment.GetEnvironmentVariable("FEES_TRUSTED_PROXIES") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            forwarded.KnownProxies.Add(System.Net.IPAddress.Parse(proxy));
        app.UseForwardedHeaders(forwarded);
        Telemetry.Use(app, metricsPort);
        // Only on requests that came over TLS (the proxy says so in X-Forwarded-Proto): over plain http the header means nothing.
        app.UseHsts();
        // Behind a proxy, the node that answered (FEES_NODE_ID, or the instance id given), for operators and the scale-out test.
        var node = instanceId ?? Environment.GetEnvironmentVariable("FEES_NODE_ID");
        app.Use(async (context, next) =>
        {
            // Set as the answer starts: an error answer is written after the exception handler cleared the headers.
            context.Response.OnStarting(() =>
            {
                var h = context.Response.Headers;
                if (node is not null) h["X-Fees-Node"] = node;
                h["X-Content-Type-Options"] = "nosniff";
                h["X-Frame-Options"] = "DENY";
                h["Referrer-Policy"] = "no-referrer";
                // The API reference page (Scalar) needs its own inline script and styles; every other page runs no inline script
                // and takes its styles from the site's stylesheet only (no style attribute, no style element).
                h["Content-Security-Policy"] = context.Request.Path.StartsWithSegments("/api/docs")
                    ? "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; frame-ancestors 'none'"
                    : "default-src 'self'; img-src 'self' data:; style-src 'self'; frame-ancestors 'none'; form-action 'self'";
                return Task.CompletedTask;
            });
            await next();
        });
        // Outside the error handling, so each request is logged once with the status it was answered.
        app.UseSerilogRequestLogging(o =>
        {
            o.Logger = serilog;
            o.MessageTemplate = "HTTP {RequestMethod} {RequestPath} answered {StatusCode} in {Elapsed:0} ms";
            // A parent link is a key to a child's page and the eSMS hook path is a secret: the log keeps neither.
            o.GetMessageTemplateProperties = (http, path, elapsed, status) =>
            [
                new LogEventProperty("RequestMethod", new ScalarValue(http.Request.Method)),
                new LogEventProperty("RequestPath", new ScalarValue(SecretPath(http.Request.Path) ?? path)),
                new LogEventProperty("StatusCode", new ScalarValue(status)),
                new LogEventProperty("Elapsed", new ScalarValue(elapsed)),
            ];
        });
        // Each face answers errors its own way: ProblemDetails for the API, a page for pages, the banks' formats for banks.
        HttpErrors.Use(app);
        // Routing after the error handling (not first, where the host would put it): a request re-executed for its
        // error page is routed again, to that page.
        app.UseRouting();
        app.Use(ControlCharacters.Middleware);
        app.UseAuthentication();
        app.UseAuthorization();
        app.Use(PasswordFirst.Middleware);
        HealthEndpoints.Map(app);
        SchoolEndpoints.Map(app);
        AuthEndpoints.Map(app);
        BankEndpoints.Map(app);
        app.MapRazorPages();
        OpenData.Map(app);
        PublicReceipts.Map(app);
        app.MapOpenApi("/api/openapi/{documentName}.json").RequireAuthorization(Policies.SignedIn);
        app.MapScalarApiReference("/api/docs", o => o.WithTitle("TdmEdu.Fees API").WithOpenApiRoutePattern("/api/openapi/{documentName}.json"))
            .RequireAuthorization(Policies.SignedIn);
        ParentEndpoints.Map(app);
        SearchEndpoints.Map(app);
        StyleSheet.Map(app);
        NotifyHooks.Map(app);
        TvanHooks.Map(app);
        return app;
    }

    private static Task Deny(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> c, int status)
    {
        if (c.Request.Path.StartsWithSegments("/api"))
        {
            c.Response.StatusCode = status;
            return Task.CompletedTask;
        }
        c.Response.Redirect(c.RedirectUri);
        return Task.CompletedTask;
    }

    public static async Task RunAsync(string connectionString, int port, SecretBox box, TextWriter stdout, CancellationToken ct)
    {
        await using var app = Build(connectionString, port, box);
        await CheckBankSettingsAsync(app, box, ct);
        await app.StartAsync(ct);
        await stdout.WriteLineAsync($"TdmEdu.Fees is serving at http://127.0.0.1:{port}  (health: /health, API: /api/schools). Ctrl-C stops it.");
        await app.WaitForShutdownAsync(ct);
    }

    /// <summary>At start, every school account's bank settings are checked; each problem is logged once (no secrets).</summary>
    private static async Task CheckBankSettingsAsync(WebApplication app, SecretBox box, CancellationToken ct)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<FeesDb>();
        var log = scope.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger("Banks.Settings");
        var accounts = await (from a in db.BankAccounts.AsNoTracking() join s in db.Schools.AsNoTracking() on a.SchoolId equals s.Id select new { a, s.Code }).ToListAsync(ct);
        var problems = accounts.SelectMany(x => BankSettings.Check(x.a, x.Code, box)).ToList();
        foreach (var p in problems.Take(20)) log.LogWarning("Bank settings: {Problem}", p.En);
        if (problems.Count > 20) log.LogWarning("Bank settings: {More} more problems; calls for those accounts are refused until they are configured", problems.Count - 20);
    }

    /// <summary>Where a second copy of the log goes when nobody asked for one (tests scan a copy for personal data).</summary>
    private sealed class NoSink : Serilog.Core.ILogEventSink
    {
        public void Emit(LogEvent logEvent) { }
    }

    /// <summary>The path as the log may show it, for paths that carry a secret; null for any other.</summary>
    public static string? SecretPath(PathString path) =>
        path.StartsWithSegments(ParentLinks.Path.TrimEnd('/')) ? ParentLinks.Path + "…"
        : path.StartsWithSegments(ParentLinks.OptOutPath.TrimEnd('/')) ? ParentLinks.OptOutPath + "…"
        : path.StartsWithSegments("/api/notify/esms/callback") ? "/api/notify/esms/callback/…"
        : null;
}
