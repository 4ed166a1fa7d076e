using System.Diagnostics.Metrics;
using Npgsql;
using TdmEdu.Fees.Api.Application.Reports;
using TdmEdu.Fees.Api.Application.Review;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;

namespace TdmEdu.Fees.Api.Hosting.Vitals;

/// <summary>
/// Reads the service's vital signs from the database every few seconds (<c>Metrics:SampleSeconds</c>, 15 by default) and
/// runs the ledger audit every so often (<c>Metrics:AuditSeconds</c>, 900): the gauges on <c>/metrics</c> show the last
/// sample, so a scrape never waits for the database. Every node samples; the alert rules take the maximum.
/// </summary>
public sealed class VitalSigns(NpgsqlDataSource dataSource, IServiceScopeFactory scopes, IConfiguration config, ILogger<VitalSigns> log) : BackgroundService
{
    private sealed record Sample(long Backlog, double OldestSeconds, long Review, long Unidentified, long UnidentifiedVnd, long Outbox,
        long FailedCalls, long FailedMessages, long FailedReceipts, bool Primary);

    private volatile Sample? _last;
    private TaskCompletionSource _sampled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _reachable;
    private long _auditFailedChecks = -1, _receiptGaps = -1;
    private string? _primary;

    private static readonly string Sql = $"""
        WITH waiting AS ({ReviewSubjects.WaitingSql})
        SELECT (SELECT count(*) FROM bank_inbox WHERE processed_at IS NULL),
               COALESCE(EXTRACT(epoch FROM now() - (SELECT min(received_at) FROM bank_inbox WHERE processed_at IS NULL)), 0)::float8,
               (SELECT count(*) FROM waiting),
               (SELECT count(*) FROM waiting WHERE kind = 'parked'),
               (SELECT COALESCE(sum(amount_vnd), 0) FROM waiting WHERE kind = 'parked')::bigint,
               (SELECT count(*) FROM messages WHERE status IN ('queued', 'sending')),
               (SELECT count(*) FROM waiting WHERE kind = 'call' AND outcome = 'failed'),
               (SELECT count(*) FROM messages WHERE status = 'failed' AND created_at > now() - interval '1 day'),
               (SELECT count(*) FROM ereceipt_outbox WHERE state IN ('rejected', 'conflict')),
               NOT pg_is_in_recovery(),
               -- The server's identity: its address and port (a Unix socket has no address: the configured port) and
               -- when its postmaster started.
               COALESCE(host(inet_server_addr()), 'socket') || ':' || COALESCE(inet_server_port(), current_setting('port')::int)::text
                 || '@' || pg_postmaster_start_time()::text
        """;

    /// <summary>Registers the gauges; values come from the last sample (none before the first).</summary>
    public void Observe()
    {
        var m = FeesTelemetry.Meter;
        Gauge("fees.bank.inbox.backlog", "{call}", "Bank calls stored and not yet applied.", s => s.Backlog);
        m.CreateObservableGauge<double>("fees.bank.inbox.oldest.age", () => _last is { } s ? [new Measurement<double>(s.OldestSeconds)] : [], "s",
            "Age of the oldest bank call not yet applied (0 when none waits).");
        Gauge("fees.review.queue.size", "{item}", "Items waiting for an accountant: unmatched lines, parked money, held or failed calls.", s => s.Review);
        Gauge("fees.unidentified.items", "{item}", "Money parked because it names no pupil we can be sure of.", s => s.Unidentified);
        Gauge("fees.unidentified.amount.vnd", "{VND}", "The đồng of parked money waiting for a decision.", s => s.UnidentifiedVnd);
        Gauge("fees.notifications.backlog", "{message}", "Messages to guardians queued or being sent.", s => s.Outbox);
        m.CreateObservableGauge<long>("fees.failed.items", () => _last is { } s
            ? [new Measurement<long>(s.FailedCalls, new KeyValuePair<string, object?>("kind", "bank_call")),
               new Measurement<long>(s.FailedMessages, new KeyValuePair<string, object?>("kind", "message")),
               new Measurement<long>(s.FailedReceipts, new KeyValuePair<string, object?>("kind", "ereceipt"))]
            : [], "{item}", "Items that failed and wait for a person: bank calls, messages of the last day, e-receipts refused.");
        m.CreateObservableGauge<int>("fees.database.up", () => _last is null ? [] : [new Measurement<int>(_reachable ? 1 : 0)], "",
            "1 when the last sample reached the database.");
        m.CreateObservableGauge<int>("fees.database.primary", () => _last is { } s ? [new Measurement<int>(s.Primary ? 1 : 0)] : [], "",
            "1 when the database this node writes to is a primary.");
        m.CreateObservableGauge<long>("fees.audit.failed.checks", () => Interlocked.Read(ref _auditFailedChecks) is var n and >= 0 ? [new Measurement<long>(n)] : [], "{check}",
            "Ledger invariants the last audit found broken (0 when it passed).");
        m.CreateObservableGauge<long>("fees.receipt.gaps", () => Interlocked.Read(ref _receiptGaps) is var n and >= 0 ? [new Measurement<long>(n)] : [], "{number}",
            "Receipt numbers missing or used twice, found by the last audit.");

        void Gauge(string name, string unit, string description, Func<Sample, long> read) =>
            m.CreateObservableGauge<long>(name, () => _last is { } s ? [new Measurement<long>(read(s))] : [], unit, description);
    }

    /// <summary>Completes once the next sample is taken (whether it reached the database or not).</summary>
    public Task NextSample => Volatile.Read(ref _sampled).Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var every = TimeSpan.FromSeconds(Math.Max(1, config.GetValue("Metrics:SampleSeconds", 15)));
        var auditEvery = TimeSpan.FromSeconds(Math.Max(1, config.GetValue("Metrics:AuditSeconds", 900)));
        var nextAudit = DateTime.UtcNow;
        // The counter exists from the start (at 0), so the first change is an increase Prometheus can see.
        FeesTelemetry.PrimaryChanges.Add(0);
        using var timer = new PeriodicTimer(every);
        do
        {
            await SampleAsync(stoppingToken);
            Interlocked.Exchange(ref _sampled, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
            if (DateTime.UtcNow >= nextAudit && _reachable)
            {
                await AuditAsync(stoppingToken);
                nextAudit = DateTime.UtcNow + auditEvery;
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task SampleAsync(CancellationToken ct)
    {
        try
        {
            await using var conn = await dataSource.OpenConnectionAsync(ct);
            await using var cmd = new NpgsqlCommand(Sql, conn);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            await r.ReadAsync(ct);
            var sample = new Sample(r.GetInt64(0), r.GetDouble(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4), r.GetInt64(5), r.GetInt64(6),
                r.GetInt64(7), r.GetInt64(8), r.GetBoolean(9));
            var primary = r.GetString(10);
            if (_primary is not null && _primary != primary)
            {
                FeesTelemetry.PrimaryChanges.Add(1);
                log.LogWarning("The database primary changed or restarted under this node");
            }
            _primary = primary;
            _last = sample;
            _reachable = true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Whatever goes wrong here must not stop the host (a background service's exception would): it shows as a
            // database that was not reached, and the next sample tries again.
            _reachable = false;
            log.LogWarning("Reading the vital signs failed: {Error}", e.GetType().Name);
        }
    }

    private async Task AuditAsync(CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var report = await new LedgerAudit(scope.ServiceProvider.GetRequiredService<FeesDb>()).RunAsync(ct);
            Interlocked.Exchange(ref _auditFailedChecks, report.Findings.Select(f => f.Check).Distinct().Count());
            Interlocked.Exchange(ref _receiptGaps, report.Findings.Count(f => f.Check == LedgerAudit.ReceiptGapsCheck));
            if (!report.Passed) log.LogWarning("The ledger audit found {Count} broken invariant(s)", report.Findings.Select(f => f.Check).Distinct().Count());
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning("The scheduled ledger audit could not run: {Error}", e.GetType().Name);
        }
    }
}
