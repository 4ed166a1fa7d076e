using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace TdmEdu.Fees.Api.Tests.Support;

/// <summary>
/// Debian's Prometheus on a loopback port, scraping the given targets every second and evaluating the repository's
/// alert rules (ops/prometheus/fees-alerts.yml) every second; stopped and removed when the test ends.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _folder;
    private readonly HttpClient _http;

    private PrometheusServer(Process process, string folder, Uri address)
    {
        _process = process;
        _folder = folder;
        Address = address;
        _http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
    }

    public Uri Address { get; }

    public static string RulesFile => Repository.Path("ops", "prometheus", "fees-alerts.yml");

    public static async Task<PrometheusServer> StartAsync(IEnumerable<int> metricsPorts)
    {
        var parent = Environment.GetEnvironmentVariable("FEES_TEST_TMP") is { Length: > 0 } t ? t : Path.GetTempPath();
        var folder = Path.Combine(parent, "prometheus-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(folder);
        File.Copy(RulesFile, Path.Combine(folder, "fees-alerts.yml"));
        var targets = string.Join(", ", metricsPorts.Select(p => $"'127.0.0.1:{p.ToString(CultureInfo.InvariantCulture)}'"));
        await File.WriteAllTextAsync(Path.Combine(folder, "prometheus.yml"), $$"""
            global: {scrape_interval: 1s, evaluation_interval: 1s}
            rule_files: [fees-alerts.yml]
            scrape_configs:
              - job_name: fees
                static_configs: [{targets: [{{targets}}]}]
            """);
        var port = PostgresServer.FreePort();
        var psi = new ProcessStartInfo("prometheus") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = folder };
        foreach (var a in new[] { "--config.file=prometheus.yml", "--storage.tsdb.path=data", $"--web.listen-address=127.0.0.1:{port}", "--log.level=warn" })
            psi.ArgumentList.Add(a);
        var process = Process.Start(psi) ?? throw new InvalidOperationException("prometheus did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        // The test scripts stop a Prometheus a crashed test host left (./fees, cleanup_test_clusters).
        await File.WriteAllTextAsync(Path.Combine(folder, "pid"), process.Id.ToString(CultureInfo.InvariantCulture));
        var server = new PrometheusServer(process, folder, new Uri($"http://127.0.0.1:{port}/"));
        await server.UntilAsync(async () => (await server.TryGetAsync("-/ready")) is not null, TimeSpan.FromSeconds(30), "Prometheus to be ready");
        return server;
    }

    private async Task<string?> TryGetAsync(string path)
    {
        try
        {
            using var r = await _http.GetAsync(path);
            return r.IsSuccessStatusCode ? await r.Content.ReadAsStringAsync() : null;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    /// <summary>An instant query's values, one per series (empty when no series matches).</summary>
    public async Task<List<double>> QueryAsync(string promql)
    {
        using var doc = JsonDocument.Parse(await _http.GetStringAsync("api/v1/query?query=" + Uri.EscapeDataString(promql)));
        return doc.RootElement.GetProperty("data").GetProperty("result").EnumerateArray()
            .Select(r => double.Parse(r.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture)).ToList();
    }

    /// <summary>The alerts pending or firing now, by name.</summary>
    public async Task<Dictionary<string, string>> AlertsAsync()
    {
        using var doc = JsonDocument.Parse(await _http.GetStringAsync("api/v1/alerts"));
        return doc.RootElement.GetProperty("data").GetProperty("alerts").EnumerateArray()
            .GroupBy(a => a.GetProperty("labels").GetProperty("alertname").GetString()!)
            .ToDictionary(g => g.Key, g => g.Any(a => a.GetProperty("state").GetString() == "firing") ? "firing" : "pending");
    }

    /// <summary>The scrape targets' health (up, down, unknown).</summary>
    public async Task<List<string>> TargetHealthAsync()
    {
        using var doc = JsonDocument.Parse(await _http.GetStringAsync("api/v1/targets"));
        return doc.RootElement.GetProperty("data").GetProperty("activeTargets").EnumerateArray().Select(t => t.GetProperty("health").GetString()!).ToList();
    }

    public Task UntilFiringAsync(string alert) =>
        UntilAsync(async () => (await AlertsAsync()).GetValueOrDefault(alert) == "firing", TimeSpan.FromSeconds(60), $"the alert {alert} to fire");

    public Task UntilAsync(string promql, Func<List<double>, bool> holds, string what) =>
        UntilAsync(async () => holds(await QueryAsync(promql)), TimeSpan.FromSeconds(60), what);

    /// <summary>Waits for what Prometheus shows (it scrapes and evaluates each second), within a bound; fails otherwise.</summary>
    public async Task UntilAsync(Func<Task<bool>> holds, TimeSpan within, string what)
    {
        var until = DateTime.UtcNow + within;
        while (!await holds())
        {
            if (DateTime.UtcNow > until) throw new TimeoutException($"waited {within.TotalSeconds:0} s for {what}; alerts: {string.Join(", ", await AlertsSafeAsync())}");
            await Task.Delay(200);
        }
    }

    private async Task<IEnumerable<string>> AlertsSafeAsync()
    {
        try { return (await AlertsAsync()).Select(a => $"{a.Key} {a.Value}"); }
        catch (HttpRequestException) { return []; }
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        try { Directory.Delete(_folder, recursive: true); }
        catch (IOException) { /* a file still being closed: the test scripts remove the test folder */ }
    }
}
