using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using TdmEdu.Fees.Api.Hosting;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Api.Sandbox;
using TdmEdu.Fees.Api.Security;
using TdmEdu.Fees.BankAdapters.Msb;
using TdmEdu.Fees.BankAdapters.Vcb;

/// <summary>
/// Bank-callback ingestion (verify, store in the inbox, answer) under concurrent load on loopback, beside
/// pgbench doing one durable INSERT per transaction at the same concurrency, in the same run.
/// </summary>
public static class IngestBenchmark
{
    public static async Task RunAsync(string cs, int concurrency, int seconds, int runs)
    {
        var box = new SecretBox(Convert.FromBase64String(Environment.GetEnvironmentVariable(SecretBox.Variable) ?? SecretBox.NewKey()));
        List<SandboxCredentials> creds;
        await using (var db = Database.Open(cs))
        {
            await Database.MigrateAsync(db);
            if (!db.Schools.Any())
                await new TdmEdu.Fees.Api.Sandbox.DemoSeeder(db, new TdmEdu.Fees.Api.Common.BusinessClock(TimeProvider.System),
                    new TdmEdu.Fees.Api.Persistence.Actor("bench"), 20250905).SeedRosterAsync(TdmEdu.Fees.Api.Sandbox.DemoSeeder.CitySchools, 6000, null);
            creds = await new BankSandbox(db, box).EnsureAsync();
        }
        var vcb = creds.First(c => c.Bank == "VCB" && c.Vcb is not null);
        var msb = creds.First(c => c.Bank == "MSB");

        // Warnings only: one log line per call to a console would measure the console, not the service.
        var app = WebHost.Build(cs + ";Maximum Pool Size=64", 0, box, runWorker: false, minimumLevel: Serilog.Events.LogEventLevel.Warning);
        await app.StartAsync();
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency }) { BaseAddress = new Uri(url) };

        var results = new List<string>();
        for (var run = 0; run <= runs; run++)
        {
            await Exec(cs, "TRUNCATE bank_inbox CASCADE");
            var vcbRate = await LoadAsync(http, concurrency, seconds, i => VcbRequest(vcb, i, run));
            var msbRate = await LoadAsync(http, concurrency, seconds, i => MsbRequest(msb, i, run));
            var pg = await PgbenchAsync(cs, concurrency, seconds);
            if (run == 0) continue;
            var line = string.Create(CultureInfo.InvariantCulture,
                $"run {run}: VCB {vcbRate.Rate:0}/s (p50 {vcbRate.P50:0.0} ms, p99 {vcbRate.P99:0.0} ms, errors {vcbRate.Errors}); " +
                $"MSB {msbRate.Rate:0}/s (p50 {msbRate.P50:0.0} ms, p99 {msbRate.P99:0.0} ms, errors {msbRate.Errors}); pgbench {pg.Tps:0} TPS (avg {pg.LatencyMs:0.00} ms)");
            Console.Error.WriteLine(line);
            results.Add(string.Create(CultureInfo.InvariantCulture,
                $"| {run} | {vcbRate.Rate:0} | {vcbRate.P50:0.0} / {vcbRate.P99:0.0} | {msbRate.Rate:0} | {msbRate.P50:0.0} / {msbRate.P99:0.0} | {pg.Tps:0} | {vcbRate.Rate / pg.Tps:0.00}× / {msbRate.Rate / pg.Tps:0.00}× | {vcbRate.Errors + msbRate.Errors} |"));
        }
        await app.StopAsync();
        foreach (var r in results) Console.WriteLine(r);
    }

    private sealed record Load(double Rate, double P50, double P99, int Errors);

    private static HttpRequestMessage VcbRequest(SandboxCredentials c, int i, int run)
    {
        var body = $$"""{"transactionId":"B{{run}}-{{i}}","transactionTime":"2025-09-10 09:30:00","valueDate":"2025-09-10","referenceNumber":"FT{{run}}{{i}}","accountNumber":"{{c.AccountNo}}","amount":1500000,"currency":"VND","creditDebit":"C","content":"MBVCB.123.456.HS10000004 hoc phi","payerAccount":"0123456789","payerName":"NGUYEN VAN A"}""";
        var r = new HttpRequestMessage(HttpMethod.Post, "/api/banks/vcb/notify") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        r.Headers.Add(VcbNotification.SignatureHeader, VcbNotification.Sign(c.Vcb!.PrivateKeyPem, Encoding.UTF8.GetBytes(body)));
        return r;
    }

    private static HttpRequestMessage MsbRequest(SandboxCredentials c, int i, int run)
    {
        var body = $$"""{"transactionId":"FT{{run}}-{{i}}","referenceNo":"IB20SML247/FT{{i}}","vaNumber":"{{c.Msb!.VaPrefix}}10000004","accountNumber":"{{c.AccountNo}}","amount":1500000,"currency":"VND","transactionTime":"2025-09-10 09:30:00","valueDate":"2025-09-10","dcSign":"C","remark":"x-y-hoc phi","payerName":"B","payerAccount":"1","payerBankCode":"970422"}""";
        var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var r = new HttpRequestMessage(HttpMethod.Post, "/api/banks/msb/notify") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        r.Headers.Add(MsbNotification.TimestampHeader, ts);
        r.Headers.Add(MsbNotification.SignatureHeader, MsbNotification.Sign(c.Msb.Secret, ts, Encoding.UTF8.GetBytes(body)));
        return r;
    }

    /// <summary>
    /// Requests are prepared (signed, as the bank does) before the clock starts, so the figure is our side:
    /// receive, verify, store, answer. Bounded in count and time, loopback only.
    /// </summary>
    private static async Task<Load> LoadAsync(HttpClient http, int concurrency, int seconds, Func<int, HttpRequestMessage> make)
    {
        // Enough signed requests for the measured seconds at well above the rates seen here; signing is the bank's cost.
        var count = Math.Min(30_000, seconds * 5_000);
        var prepared = new ConcurrentQueue<HttpRequestMessage>(Enumerable.Range(0, count).AsParallel().AsOrdered().Select(make).ToList());
        var latencies = new ConcurrentBag<double>();
        var errors = 0;
        var deadline = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (deadline.Elapsed.TotalSeconds < seconds && prepared.TryDequeue(out var request))
            {
                var sw = Stopwatch.StartNew();
                using (request)
                using (var response = await http.SendAsync(request))
                {
                    await response.Content.ReadAsByteArrayAsync();
                    if (!response.IsSuccessStatusCode) Interlocked.Increment(ref errors);
                }
                latencies.Add(sw.Elapsed.TotalMilliseconds);
            }
        }).ToList();
        await Task.WhenAll(workers);
        var elapsed = deadline.Elapsed.TotalSeconds;
        var sorted = latencies.OrderBy(x => x).ToList();
        foreach (var left in prepared) left.Dispose();
        return new Load(sorted.Count / elapsed, sorted[sorted.Count / 2], sorted[(int)(sorted.Count * 0.99)], errors);
    }

    public static async Task<(double Tps, double LatencyMs)> PgbenchAsync(string cs, int concurrency, int seconds)
    {
        await Exec(cs, "DROP TABLE IF EXISTS bench_inbox; CREATE TABLE bench_inbox (id bigserial PRIMARY KEY, ref text UNIQUE NOT NULL, body text NOT NULL, received_at timestamptz NOT NULL DEFAULT now())");
        var b = new NpgsqlConnectionStringBuilder(cs);
        var script = Path.GetTempFileName();
        await File.WriteAllTextAsync(script, "INSERT INTO bench_inbox (ref, body) VALUES (md5(random()::text || clock_timestamp()::text), repeat('x', 400));\n");
        var bin = Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin", "pgbench")).First(File.Exists);
        var psi = new ProcessStartInfo(bin) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-n", "-c", concurrency.ToString(CultureInfo.InvariantCulture), "-j", "2", "-T", seconds.ToString(CultureInfo.InvariantCulture),
                     "-f", script, "-h", b.Host!, "-p", b.Port.ToString(CultureInfo.InvariantCulture), "-U", b.Username!, b.Database! })
            psi.ArgumentList.Add(a);
        if (b.Password is { } password) psi.Environment["PGPASSWORD"] = password;
        using var p = Process.Start(psi)!;
        var output = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        File.Delete(script);
        double Read(string label) => double.Parse(output.Split('\n').First(l => l.Contains(label, StringComparison.Ordinal)).Split('=')[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        return (Read("tps"), Read("latency average"));
    }

    private static async Task Exec(string cs, string sql)
    {
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }
}
