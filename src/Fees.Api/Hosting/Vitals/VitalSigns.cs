using System.Diagnostics.Metrics;
using Npgsql;
using TdmEdu.Fees.Api.Application.Review;
using TdmEdu.Fees.Api.Common;

namespace TdmEdu.Fees.Api.Hosting.Vitals;

/// <summary>
/// Reads the service's vital signs from the database every few seconds (<c>Metrics:SampleSeconds</c>, 15 by default),
/// with the outcome of the last ledger audit (run once per cluster by the scheduled job every <c>Metrics:AuditSeconds</c>,
/// 900, or by <c>fees audit</c>): the gauges on <c>/metrics</c> show the last sample, so a scrape never waits for the
/// database. Every node samples; the alert rules take the maximum.
/// </summary>
public sealed class VitalSigns(NpgsqlDataSource dataSource, IConfiguration config, ILogger<VitalSigns> log) : BackgroundService
{
    private sealed record Sample(long Backlog, double OldestSeconds, long Review, long Unidentified, long UnidentifiedVnd, long Outbox,
        long FailedCalls, long FailedMessages, long FailedReceipts, bool Primary, Audit? LastAudit);

    /// <summary>The last ledger audit: the checks it found broken, the receipt numbers missing or used twice, its age.</summary>
    private sealed record Audit(long FailedChecks, long ReceiptGaps, double AgeSeconds);

    private volatile Sample? _last;
    private TaskCompletionSource _sampled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _reachable;
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
               a.failed_checks, a.receipt_gaps, EXTRACT(epoch FROM now() - a.finished_at)::float8,
               -- The server's identity: its address and port (a Unix socket has no address: the configured port) and
               -- when its postmaster started.
               COALESCE(host(inet_server_addr()), 'socket') || ':' || COALESCE(inet_server_port(), current_setting('port')::int)::text
                 || '@' || pg_postmaster_start_time()::text
        FROM (SELECT 1) one
        LEFT JOIN LATERAL (SELECT failed_checks, receipt_gaps, finished_at FROM ledger_audit_runs ORDER BY finished_at DESC LIMIT 1) a ON true
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
        m.CreateObservableGauge<long>("fees.audit.failed.checks", () => _last?.LastAudit is { } a ? [new Measurement<long>(a.FailedChecks)] : [], "{check}",
            "Ledger invariants the last audit found broken (0 when it passed).");
        m.CreateObservableGauge<long>("fees.receipt.gaps", () => _last?.LastAudit is { } a ? [new Measurement<long>(a.ReceiptGaps)] : [], "{number}",
            "Receipt numbers missing or used twice, found by the last audit.");
        m.CreateObservableGauge<double>("fees.audit.age", () => _last?.LastAudit is { } a ? [new Measurement<double>(a.AgeSeconds)] : [], "s",
            "Time since the last ledger audit finished (the scheduled job runs it once per cluster).");

        void Gauge(string name, string unit, string description, Func<Sample, long> read) =>
            m.CreateObservableGauge<long>(name, () => _last is { } s ? [new Measurement<long>(read(s))] : [], unit, description);
    }

    /// <summary>Completes once the next sample is taken (whether it reached the database or not).</summary>
    public Task NextSample => Volatile.Read(ref _sampled).Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var every = TimeSpan.FromSeconds(Math.Max(1, config.GetValue("Metrics:SampleSeconds", 15)));
        // The counter exists from the start (at 0), so the first change is an increase Prometheus can see.
        FeesTelemetry.PrimaryChanges.Add(0);
        using var timer = new PeriodicTimer(every);
        do
        {
            await SampleAsync(stoppingToken);
            Interlocked.Exchange(ref _sampled, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
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
                r.GetInt64(7), r.GetInt64(8), r.GetBoolean(9), r.IsDBNull(10) ? null : new Audit(r.GetInt32(10), r.GetInt32(11), r.GetDouble(12)));
            var primary = r.GetString(13);
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
}
