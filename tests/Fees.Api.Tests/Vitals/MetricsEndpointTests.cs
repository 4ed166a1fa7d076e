using System.Globalization;
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

        // Two samples in a row reach the database (the host is still up between them).
        for (var seen = 0; seen < 2;)
        {
            var text = await scrape.GetStringAsync("metrics");
            if (text.Split('\n').Any(l => l.StartsWith("fees_database_up", StringComparison.Ordinal) && l.TrimEnd().EndsWith(" 1", StringComparison.Ordinal))) seen++;
            else await Task.Delay(200);
        }
        Assert.Equal(200, (int)(await host.Http.GetAsync("/health")).StatusCode);
    }
}
