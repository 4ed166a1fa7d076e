using System.Globalization;
using TdmEdu.Fees.Api.Hosting.Vitals;
using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Vitals;

/// <summary>The vital signs over a Unix socket, as `./fees up` connects: the sampler reads the database and the host keeps running.</summary>
public sealed class MetricsEndpointTests
{
    [Fact]
    public async Task OverAUnixSocket_TheSamplerReadsTheDatabase_AndTheGaugesShowIt()
    {
        var port = PostgresServer.FreePort();
        await using var host = await BankHost.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Metrics:Port"] = port.ToString(CultureInfo.InvariantCulture), ["Metrics:SampleSeconds"] = "1", ["Metrics:AuditSeconds"] = "3600",
        });
        Assert.StartsWith("Host=/", host.Fees.Db.ConnectionString, StringComparison.Ordinal);
        using var scrape = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(10) };

        // Two samples taken (the host still up after the first), the gauges show the database reached.
        var vitals = host.App.Services.GetRequiredService<VitalSigns>();
        await vitals.NextSample.WaitAsync(TimeSpan.FromSeconds(30));
        await vitals.NextSample.WaitAsync(TimeSpan.FromSeconds(30));
        var text = await scrape.GetStringAsync("metrics");
        var up = text.Split('\n').Single(l => l.StartsWith("fees_database_up", StringComparison.Ordinal));
        Assert.EndsWith(" 1", up.TrimEnd(), StringComparison.Ordinal);
        // The pool's metrics are there, without the connection string Npgsql names its pool by.
        Assert.Contains("db_client_connection_count", text);
        Assert.DoesNotContain("Host=", text);
        Assert.DoesNotContain("Username=", text);
        Assert.Equal(200, (int)(await host.Http.GetAsync("/health")).StatusCode);
    }
}
