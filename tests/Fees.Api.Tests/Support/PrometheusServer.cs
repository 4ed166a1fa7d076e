using System.Globalization;
using System.Net;
using System.Text.Json;

namespace TdmEdu.Fees.Api.Tests.Support;

/// <summary>
/// Debian's Prometheus on a loopback port, scraping the given targets and evaluating the repository's alert rules
/// (ops/prometheus/fees-alerts.yml) every second, and sending its alerts to a receiver in this test (what Alertmanager
/// would get): a test waits for an alert to fire or end by the notification itself. Whatever else a test waits for in
/// Prometheus is written as a condition, an alert of its own the receiver hears, dropped (by a reload) once the test
/// says so. Stopped and removed when the test ends.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    /// <summary>The label that marks a test's own conditions, kept apart from the repository's alerts.</summary>
    private const string ConditionLabel = "test_condition";

    private readonly ServiceProcess _process;
    private readonly string _folder;
    private readonly HttpClient _http;
    private readonly HttpListener _receiver;
    private readonly Task _receiving;
    private readonly Dictionary<string, bool> _firing = [];
    private readonly List<(string Alert, bool Firing, TaskCompletionSource Heard)> _waiting = [];

    private PrometheusServer(ServiceProcess process, string folder, Uri address, HttpListener receiver)
    {
        _process = process;
        _folder = folder;
        Address = address;
        _http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
        _receiver = receiver;
        _receiving = Task.Run(ReceiveAsync);
    }

    public Uri Address { get; }

    public static string RulesFile => Repository.Path("ops", "prometheus", "fees-alerts.yml");

    /// <param name="metricsPorts">The nodes' monitoring ports.</param>
    /// <param name="conditions">What the test waits for besides the alerts, by name: PromQL that holds when it is so.</param>
    public static async Task<PrometheusServer> StartAsync(IEnumerable<int> metricsPorts, IReadOnlyDictionary<string, string> conditions)
    {
        var parent = Environment.GetEnvironmentVariable("FEES_TEST_TMP") is { Length: > 0 } t ? t : Path.GetTempPath();
        var folder = Path.Combine(parent, "prometheus-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(folder);
        File.Copy(RulesFile, Path.Combine(folder, "fees-alerts.yml"));
        await File.WriteAllTextAsync(Path.Combine(folder, "conditions.yml"), JsonSerializer.Serialize(new
        {
            groups = new[]
            {
                new { name = "test", rules = conditions.Select(c => new Dictionary<string, object> { ["alert"] = c.Key, ["expr"] = c.Value, ["labels"] = new Dictionary<string, string> { [ConditionLabel] = "true" } }) },
            },
        }));
        var receiverPort = PostgresServer.FreePort();
        var receiver = new HttpListener();
        receiver.Prefixes.Add($"http://127.0.0.1:{receiverPort}/");
        receiver.Start();
        var targets = string.Join(", ", metricsPorts.Select(p => $"'127.0.0.1:{p.ToString(CultureInfo.InvariantCulture)}'"));
        await File.WriteAllTextAsync(Path.Combine(folder, "prometheus.yml"), $$"""
            global: {scrape_interval: 1s, evaluation_interval: 1s}
            rule_files: [fees-alerts.yml, conditions.yml]
            alerting:
              alertmanagers: [{api_version: v2, static_configs: [{targets: ['127.0.0.1:{{receiverPort}}']}]}]
            scrape_configs:
              - job_name: fees
                static_configs: [{targets: [{{targets}}]}]
            """);
        var port = PostgresServer.FreePort();
        var process = ServiceProcess.Program("prometheus",
            ["--config.file=prometheus.yml", "--storage.tsdb.path=data", $"--web.listen-address=127.0.0.1:{port}", "--rules.alert.resend-delay=1s"], folder);
        // The test scripts stop a Prometheus a crashed test host left (./fees, cleanup_test_clusters).
        await File.WriteAllTextAsync(Path.Combine(folder, "pid"), process.Id.ToString(CultureInfo.InvariantCulture));
        var server = new PrometheusServer(process, folder, new Uri($"http://127.0.0.1:{port}/"), receiver);
        await process.SaysAsync("Server is ready to receive web requests.", TimeSpan.FromSeconds(60));
        return server;
    }

    /// <summary>Takes Prometheus' notifications: an alert whose end lies ahead is firing; one that ended is resolved.</summary>
    private async Task ReceiveAsync()
    {
        while (_receiver.IsListening)
        {
            HttpListenerContext context;
            try { context = await _receiver.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { return; }
            using (var doc = await JsonDocument.ParseAsync(context.Request.InputStream))
            {
                var now = DateTimeOffset.UtcNow;
                lock (_waiting)
                    foreach (var alert in doc.RootElement.EnumerateArray())
                    {
                        var name = alert.GetProperty("labels").GetProperty("alertname").GetString()!;
                        // A firing alert is valid for a few evaluations ahead; a resolved one ended when it was resolved.
                        var firing = alert.GetProperty("endsAt").GetDateTimeOffset() > now.AddSeconds(1.5);
                        _firing[name] = firing;
                        foreach (var w in _waiting.Where(w => w.Alert == name && w.Firing == firing).ToList())
                        {
                            w.Heard.TrySetResult();
                            _waiting.Remove(w);
                        }
                    }
            }
            context.Response.StatusCode = 200;
            context.Response.Close();
        }
    }

    /// <summary>Completes when Prometheus says the alert (or condition) fires.</summary>
    public Task FiringAsync(string alert) => HeardAsync(alert, firing: true);

    /// <summary>Completes when Prometheus says the alert, which fired, has ended.</summary>
    public Task ResolvedAsync(string alert) => HeardAsync(alert, firing: false);

    private async Task HeardAsync(string alert, bool firing)
    {
        var heard = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waiting)
        {
            if (_firing.TryGetValue(alert, out var now) && now == firing) return;
            _waiting.Add((alert, firing, heard));
        }
        try
        {
            await heard.Task.WaitAsync(TimeSpan.FromSeconds(90));
        }
        catch (TimeoutException)
        {
            lock (_waiting)
                throw new TimeoutException($"Prometheus did not say {alert} {(firing ? "fires" : "ended")} within 90 s; it said: "
                                           + string.Join(", ", _firing.Select(f => $"{f.Key} {(f.Value ? "firing" : "resolved")}")));
        }
    }

    /// <summary>The test's conditions are dropped (the configuration reloaded without them): only the repository's alerts remain.</summary>
    public async Task DropConditionsAsync()
    {
        await File.WriteAllTextAsync(Path.Combine(_folder, "conditions.yml"), "groups: []\n");
        var mark = _process.LinesSoFar;
        using (var hup = System.Diagnostics.Process.Start("kill", ["-HUP", _process.Id.ToString(CultureInfo.InvariantCulture)])) await hup.WaitForExitAsync();
        await _process.SaysAsync("Completed loading of configuration file", TimeSpan.FromSeconds(30), after: mark);
    }

    /// <summary>The repository's alerts pending or firing now, by name (the test's conditions left out).</summary>
    public async Task<Dictionary<string, string>> AlertsAsync()
    {
        using var doc = JsonDocument.Parse(await _http.GetStringAsync("api/v1/alerts"));
        return doc.RootElement.GetProperty("data").GetProperty("alerts").EnumerateArray()
            .Where(a => !a.GetProperty("labels").TryGetProperty(ConditionLabel, out _))
            .GroupBy(a => a.GetProperty("labels").GetProperty("alertname").GetString()!)
            .ToDictionary(g => g.Key, g => g.Any(a => a.GetProperty("state").GetString() == "firing") ? "firing" : "pending");
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        _receiver.Close();
        await _receiving;
        await _process.DisposeAsync();
        try { Directory.Delete(_folder, recursive: true); }
        catch (IOException) { /* a file still being closed: the test scripts remove the test folder */ }
    }
}
