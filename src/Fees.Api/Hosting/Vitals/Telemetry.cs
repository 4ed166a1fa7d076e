using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using TdmEdu.Fees.Api.Common;

namespace TdmEdu.Fees.Api.Hosting.Vitals;

/// <summary>
/// OpenTelemetry for one host. Traces always (a request's trace id is kept with the bank call it stored, and the worker's
/// span links to it); exported over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> names a collector. Metrics, with the
/// sampler of <see cref="VitalSigns"/>, when <c>Metrics:Port</c> is set: Prometheus scrapes <c>/metrics</c> there,
/// and that port answers nothing else.
/// </summary>
public static class Telemetry
{
    private static int _gauges;

    public static void Add(WebApplicationBuilder builder, int metricsPort, string? instanceId)
    {
        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("tdmedu-fees", serviceInstanceId: instanceId ?? Environment.GetEnvironmentVariable("FEES_NODE_ID") ?? Environment.MachineName))
            .WithTracing(t =>
            {
                t.AddSource(FeesTelemetry.Name, "Microsoft.AspNetCore");
                if (Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT") is { Length: > 0 }) t.AddOtlpExporter();
            });
        if (metricsPort <= 0) return;
        otel.WithMetrics(m => m
            // Ours; ASP.NET Core's request durations; Npgsql's pool (connections in use and idle, waits).
            .AddMeter(FeesTelemetry.Name, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Npgsql")
            // Npgsql names its pool by the connection string (host, port, user, database): not for the monitoring network.
            // Only the connection's state (idle, used) is kept as a label of its instruments.
            .AddView(i => i.Meter.Name == "Npgsql" ? new MetricStreamConfiguration { TagKeys = ["db.client.connection.state"] } : null)
            .AddPrometheusExporter());
        builder.Services.AddSingleton<VitalSigns>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<VitalSigns>());
    }

    public static void Use(WebApplication app, int metricsPort)
    {
        if (metricsPort <= 0) return;
        // The gauges read the sampler's last values; registered once per process (one meter per process).
        if (Interlocked.Exchange(ref _gauges, 1) == 0) app.Services.GetRequiredService<VitalSigns>().Observe();
        app.UseOpenTelemetryPrometheusScrapingEndpoint(c => c.Connection.LocalPort == metricsPort && c.Request.Path == "/metrics");
        // The monitoring port is for /metrics only; the public port never answers /metrics (no route has it).
        app.Use(async (c, next) =>
        {
            if (c.Connection.LocalPort == metricsPort)
            {
                c.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }
            await next();
        });
    }
}
