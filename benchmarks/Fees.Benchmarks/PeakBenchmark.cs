using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using TdmEdu.Fees.Api.Application.Billing;
using TdmEdu.Fees.Api.Application.Reports;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Hosting;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Api.Sandbox;
using TdmEdu.Fees.Api.Security;
using TdmEdu.Fees.Domain.Schedule;

/// <summary>
/// The payment peak, replayed on loopback (issue #6): every notice of the city paid within "the first days of
/// the month" through the bank its school banks with (BIDV bill payment, Vietcombank and MSB notifications),
/// 10 % of the calls sent twice (half at once, half as late retries), 0.5 % reversed afterwards, while parents
/// look their children up and accountants open their month and notice list. The service runs with its worker
/// applying calls as they come; with --nodes 2 two instances run behind nginx. Reported: calls/s and latency
/// percentiles per bank, the time until every call is applied, the web pages' latencies, errors, and the
/// audit; beside pgbench's durable single-row INSERT rate at the same concurrency, in the same run.
/// Not a test: `./fees bench peak` (docs/benchmarks.md).
/// </summary>
public static partial class PeakBenchmark
{
    private sealed record Call(string Bank, Func<HttpRequestMessage> Make, string Key);

    // aggregatorPercent: the share of schools (0 to 100) whose first account is collected through an aggregator (SePay,
    // Casso and payOS in turn) instead of its bank's own channel, so the peak includes their webhooks (--aggregators).
    // ha: the database is the local three-node Patroni cluster (./fees bench peak --ha); once a third of the calls are
    // acknowledged the primary's postmaster is killed (SIGKILL), and every call is sent again until acknowledged, as banks do.
    // backlog: the nodes only acknowledge while the calls are sent (no worker, no scheduler); once every call is
    // acknowledged, one node with the apply workers starts and the time it takes to apply the whole backlog is reported:
    // applying alone, without the acknowledgements sharing the cores (./fees bench peak --backlog).
    public static async Task RunAsync(string cs, int pupils, int concurrency, int nodes, int aggregatorPercent = 0, HaDrill? ha = null, bool backlog = false)
    {
        var box = new SecretBox(Convert.FromBase64String(Environment.GetEnvironmentVariable(SecretBox.Variable) ?? SecretBox.NewKey()));
        var clock = new BusinessClock(TimeProvider.System);
        var actor = new Actor("bench");
        List<SandboxCredentials> creds;
        await using (var db = Database.Open(cs))
        {
            await Database.MigrateAsync(db);
            if (!db.Schools.Any())
            {
                Console.Error.WriteLine($"Seeding the roster ({pupils:N0} pupils)...");
                await new DemoSeeder(db, clock, actor, 20250905).SeedRosterAsync(DemoSeeder.CitySchools, pupils, null);
            }
            Console.Error.WriteLine("Emptying the ledger and issuing September's notices...");
            await db.Database.ExecuteSqlRawAsync("TRUNCATE notices, billing_runs, payments, bank_inbox, unidentified_money, statement_imports, bank_ref_claims, audit_log, users, data_protection_keys CASCADE");
            await db.Database.ExecuteSqlRawAsync("UPDATE receipt_series SET next_number = 1");
            await new MonthlyBilling(db, clock, actor).IssueAsync(new BillingMonth(2025, 9), null, dryRun: false);
            // Every n-th school's first account through an aggregator, in turn; the others back to their bank's own channel.
            await db.Database.ExecuteSqlRawAsync("UPDATE school_bank_accounts SET channel = NULL, aggregator_key_sealed = NULL");
            if (aggregatorPercent > 0)
                await db.Database.ExecuteSqlRawAsync("""
                    WITH firsts AS (
                        SELECT DISTINCT ON (a.school_id) a.id, row_number() OVER (ORDER BY a.school_id) AS n
                        FROM school_bank_accounts a ORDER BY a.school_id, a.position)
                    UPDATE school_bank_accounts a SET channel = (ARRAY['SEPAY','CASSO','PAYOS'])[1 + (f.n % 3)]
                    FROM firsts f WHERE f.id = a.id AND (f.n * {0}) % 100 < {0}
                    """, aggregatorPercent);
            await db.Database.ExecuteSqlRawAsync("ANALYZE");
            creds = await new BankSandbox(db, box).EnsureAsync();
        }

        var apps = new List<WebApplication>();
        for (var n = 0; n < nodes; n++)
        {
            var app = WebHost.Build(cs + ";Maximum Pool Size=40", 0, box, runWorker: !backlog, minimumLevel: Serilog.Events.LogEventLevel.Warning,
                runScheduler: !backlog, instanceId: $"peak-{n}");
            await app.StartAsync();
            apps.Add(app);
        }
        var addresses = apps.Select(a => new Uri(a.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First())).ToList();
        await using var proxy = nodes > 1 ? await PeakProxy.StartAsync(addresses) : null;
        var target = proxy?.Address ?? addresses[0];
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, UseCookies = false }) { BaseAddress = target, Timeout = TimeSpan.FromSeconds(60) };
        var login = await StaffLoginAsync(apps[0]);

        // Every open notice, paid through its school's first bank account.
        List<(string NoticeNo, string Code, long Balance, string Bank, string Account, string School, DateOnly Dob)> notices;
        await using (var db = Database.Open(cs))
            notices = await (from n in db.Notices
                             join s in db.Students on n.StudentId equals s.Id
                             join sc in db.Schools on n.SchoolId equals sc.Id
                             let a = db.BankAccounts.Where(x => x.SchoolId == n.SchoolId).OrderBy(x => x.Position).First()
                             select new { n.NoticeNo, s.PaymentCode, Balance = n.AmountDueVnd - n.AmountPaidVnd, a.Bank, a.AccountNo, sc.Code, s.DateOfBirth })
                .AsAsyncEnumerable().Select(x => (x.NoticeNo, x.PaymentCode, x.Balance, x.Bank, x.AccountNo, x.Code, x.DateOfBirth)).ToListAsync();
        var byAccount = creds.ToDictionary(c => (c.Bank, c.AccountNo));
        var through = creds.Count(c => c.Aggregator is not null);
        if (aggregatorPercent > 0) Console.Error.WriteLine($"{through} school account(s) collected through an aggregator.");
        // BIDV's tokens live 300 s: like BIDV, the harness takes a new one well before (a run of more than five minutes
        // sent the rest of its bill payments with an expired token, refused 401, before it did).
        var tokens = new ConcurrentDictionary<string, string>();
        var bidvs = creds.Where(c => c.Bidv is not null).Select(c => c.Bidv!).DistinctBy(b => b.Username).ToList();
        foreach (var b in bidvs) tokens[b.Username] = await PeakCalls.BidvTokenAsync(http, b);
        using var stopRefresh = new CancellationTokenSource();
        var refresher = Task.Run(async () =>
        {
            while (!stopRefresh.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(200), stopRefresh.Token);
                    foreach (var b in bidvs) tokens[b.Username] = await PeakCalls.BidvTokenAsync(http, b);
                }
                catch (OperationCanceledException) when (stopRefresh.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException or KeyNotFoundException or JsonException)
                {
                    // A failover or a busy moment: the old tokens still have 100 s; try again on the next round.
                }
            }
        });

        var rng = new Random(20250901);
        var credits = notices.Select((n, i) => (n, i)).Where(x => x.n.Balance > 0).Select(x => Credit(x.n, x.i, byAccount[(x.n.Bank, x.n.Account)], tokens)).ToList();
        var stream = credits.Concat(credits.Where((_, i) => i % 20 == 0)).OrderBy(_ => rng.Next()).ToList();   // 5 % twice, at once
        var lateRetries = credits.Where((_, i) => i % 20 == 10).ToList();                                        // 5 % again, later
        var reversals = notices.Select((n, i) => (n, i))
            .Where(x => x.i % 200 == 7 && x.n.Bank != "BIDV" && x.n.Balance > 0 && byAccount[(x.n.Bank, x.n.Account)].Aggregator is null)
            .Select(x => Reversal(x.n, x.i, byAccount[(x.n.Bank, x.n.Account)])).ToList();
        Console.Error.WriteLine($"{credits.Count:N0} credits, {stream.Count - credits.Count:N0} duplicates at once, {lateRetries.Count:N0} late retries, " +
                                $"{reversals.Count:N0} reversals; {concurrency} connections; {nodes} node(s){(proxy is null ? "" : " behind nginx")}.");

        var web = new ConcurrentBag<(string Page, double Ms, bool Ok, double At, int Status)>();
        using var stop = new CancellationTokenSource();
        var users = Enumerable.Range(0, 4).Select(u => WebUserAsync(target, u, notices, login, web, stop.Token)).ToList();

        var total = Stopwatch.StartNew();
        Since.Restart();   // the pages' times on the same clock as the calls' (and the drill's kill)
        var drill = ha is null ? null : new Drill(ha, total, stream.Count / 3);
        var peak = await SendAllAsync(http, stream, concurrency, drill);
        var late = await SendAllAsync(http, lateRetries.Concat(reversals).ToList(), concurrency, drill);
        var sentSeconds = total.Elapsed.TotalSeconds;
        stop.Cancel();
        await stopRefresh.CancelAsync();
        await refresher;
        await Task.WhenAll(users);
        (long Waiting, double Seconds)? fromBacklog = null;
        if (backlog)
        {
            long waiting;
            await using (var db = Database.Open(cs)) waiting = await db.Inbox.LongCountAsync(m => m.ProcessedAt == null);
            var applying = Stopwatch.StartNew();
            var worker = WebHost.Build(cs + ";Maximum Pool Size=40", 0, box, runWorker: true, minimumLevel: Serilog.Events.LogEventLevel.Warning,
                runScheduler: false, instanceId: "peak-apply");
            await worker.StartAsync();
            apps.Add(worker);
            await WaitAppliedAsync(cs);
            fromBacklog = (waiting, applying.Elapsed.TotalSeconds);
        }
        await WaitAppliedAsync(cs);
        var appliedSeconds = total.Elapsed.TotalSeconds;

        AuditReport audit;
        long payments, reversed, inbox;
        await using (var db = Database.Open(cs))
        {
            audit = await new LedgerAudit(db).RunAsync();
            payments = await db.Payments.LongCountAsync(p => p.AmountVnd > 0 && p.InboxId != null);
            reversed = await db.Payments.LongCountAsync(p => p.ReversesPaymentId != null);
            inbox = await db.Inbox.LongCountAsync();
        }
        foreach (var a in apps) await a.StopAsync();
        string? members = null;
        if (ha is not null)
        {
            // The old primary rejoins as a standby; pgbench measures the new primary (strict synchronous, as the service had it).
            try
            {
                members = await ha.ScriptAsync("wait-healthy", "180") + await ha.ScriptAsync("status");
            }
            catch (InvalidOperationException e)
            {
                // Reported, not thrown: the run's own figures (calls, losses, audit) stand whatever the members do after.
                members = "NOT HEALTHY after 180 s: " + await ha.ScriptAsync("status");
                Console.Error.WriteLine(e.Message);
            }
            var b = new NpgsqlConnectionStringBuilder(cs) { Host = "127.0.0.1", Port = int.Parse((await ha.ScriptAsync("primary")).Trim(), CultureInfo.InvariantCulture), TargetSessionAttributes = null };
            cs = b.ConnectionString;
        }
        var pg = await IngestBenchmark.PgbenchAsync(cs, concurrency, 10);

        var all = peak.Concat(late).ToList();
        Console.WriteLine($"| calls sent | {all.Count:N0} ({credits.Count:N0} credits, {stream.Count - credits.Count + lateRetries.Count:N0} duplicates, {reversals.Count:N0} reversals) |");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| sending | {sentSeconds:0.0} s, {all.Count / sentSeconds:0} calls/s acknowledged |"));
        foreach (var g in all.GroupBy(r => r.Bank).OrderBy(g => g.Key))
        {
            var ms = g.Select(r => r.Ms).Order().ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {g.Key} | {g.Count():N0} calls, p50 {P(ms, 0.50):0.0} ms, p95 {P(ms, 0.95):0.0} ms, p99 {P(ms, 0.99):0.0} ms, errors {g.Count(r => r.Status != 200)} |"));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| all applied after | {appliedSeconds:0.0} s: {credits.Count / appliedSeconds:0} credits/s end to end |"));
        if (fromBacklog is { } alone)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| applied from a backlog, alone | {alone.Waiting:N0} calls waiting when the workers started (one node, {Environment.ProcessorCount} workers): all applied in {alone.Seconds:0.0} s, {alone.Waiting / alone.Seconds:0} calls/s |"));
        else
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| last call applied after the last acknowledgement | {appliedSeconds - sentSeconds:0.0} s (target: no more than 20 s) |"));
        foreach (var g in web.GroupBy(w => w.Page).OrderBy(g => g.Key))
        {
            var ms = g.Select(w => w.Ms).Order().ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| web {g.Key} | {g.Count():N0} requests, p50 {P(ms, 0.50):0} ms, p99 {P(ms, 0.99):0} ms, errors {g.Count(w => !w.Ok)}{Errors(g.ToList())} |"));
        }
        Console.WriteLine($"| ledger | {payments:N0} bank payments in force or reversed, {reversed:N0} reversals, {inbox:N0} stored calls (duplicates answered, not stored twice) |");
        Console.WriteLine($"| audit | {(audit.Passed ? "passed" : "FAILED")}: {audit.ChecksRun.Count} checks, {audit.Findings.Count} findings |");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| pgbench, same run | {pg.Tps:0} single-row INSERT TPS at {concurrency} clients (avg {pg.LatencyMs:0.00} ms) |"));
        if (drill is not null)
        {
            var expected = credits.Count + reversals.Count;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| failover | primary killed after {drill.KilledAt:0.0} s ({drill.Killed}); no acknowledgement for {drill.Outage():0.0} s from the first refused call |"));
            Console.WriteLine($"| sends refused or cut meanwhile | {drill.Refused:N0} (each sent again until acknowledged) |");
            Console.WriteLine($"| acknowledged calls lost | {Math.Max(0, expected - inbox):N0} ({expected:N0} distinct calls acknowledged, {inbox:N0} stored, {payments:N0} payments for {credits.Count:N0} credits) |");
            Console.WriteLine($"| members after | {members!.Trim().Replace("\n", "; ", StringComparison.Ordinal)} |");
        }
        foreach (var f in audit.Findings.Take(10)) Console.Error.WriteLine($"  {f.Check}: {f.Row}: {f.Problem}");
    }

    /// <summary>When the errors of one page came (seconds since the harness started) and with which statuses.</summary>
    private static string Errors(List<(string Page, double Ms, bool Ok, double At, int Status)> answers)
    {
        var failed = answers.Where(w => !w.Ok).ToList();
        if (failed.Count == 0) return "";
        var statuses = string.Join(", ", failed.GroupBy(w => w.Status).OrderBy(g => g.Key).Select(g => $"{g.Count()}× {(g.Key == 0 ? "no answer" : g.Key.ToString(CultureInfo.InvariantCulture))}"));
        return string.Create(CultureInfo.InvariantCulture, $" ({statuses}; from {failed.Min(w => w.At):0.0} s to {failed.Max(w => w.At):0.0} s)");
    }

    private static double P(List<double> sorted, double q) => sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)(sorted.Count * q))];
}
