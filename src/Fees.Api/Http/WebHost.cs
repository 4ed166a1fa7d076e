using Microsoft.EntityFrameworkCore;
using Serilog;
using Serilog.Events;
using TdmEdu.Fees.Api.Persistence;

namespace TdmEdu.Fees.Api.Http;

/// <summary>The HTTP host: health and the read API of the foundation. Bank endpoints, jobs and the web app join later.</summary>
public static class WebHost
{
    public static WebApplication Build(string connectionString, int port, string[]? args = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args ?? [], ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Services.AddSerilog((_, lc) => lc
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
            .MinimumLevel.Override("Microsoft.EntityFrameworkCore", LogEventLevel.Warning)
            .WriteTo.Console(formatProvider: System.Globalization.CultureInfo.InvariantCulture));
        builder.Services.AddDbContext<FeesDb>(o => o.UseNpgsql(connectionString));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddProblemDetails();

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseSerilogRequestLogging(o => o.MessageTemplate = "HTTP {RequestMethod} {RequestPath} answered {StatusCode} in {Elapsed:0} ms");
        HealthEndpoints.Map(app);
        SchoolEndpoints.Map(app);
        return app;
    }

    public static async Task RunAsync(string connectionString, int port, TextWriter stdout, CancellationToken ct)
    {
        await using var app = Build(connectionString, port);
        await app.StartAsync(ct);
        await stdout.WriteLineAsync($"TdmEdu.Fees is serving at http://127.0.0.1:{port}  (health: /health, API: /api/schools). Ctrl-C stops it.");
        await app.WaitForShutdownAsync(ct);
    }
}
