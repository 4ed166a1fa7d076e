using TdmEdu.Fees.Api.Application.Banks;
using TdmEdu.Fees.Api.Application.Billing;
using TdmEdu.Fees.Api.Application.Messages;
using TdmEdu.Fees.Api.Application.Statements;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Api.Security;
using TdmEdu.Fees.Reconciliation.Jobs;

namespace TdmEdu.Fees.Api.Hosting;

/// <summary>What the scheduled jobs run: the same services the CLI and the worker use.</summary>
public sealed class InboxRun(FeesDb db, BusinessClock clock, ILogger<InboxProcessor> log) : IInboxRun
{
    public Task<int> ProcessAsync(CancellationToken ct) => new InboxProcessor(db, clock, log).ProcessPendingAsync(1000, ct);
}

public sealed class ReconcileRun(FeesDb db, BusinessClock clock) : IReconcileRun
{
    public async Task<int> ReconcileAsync(CancellationToken ct) =>
        (await new Reconciler(db, clock, new Actor("job:reconcile")).RunAsync(null, ct)).Values.Sum();
}

public sealed class StatementPullRun(FeesDb db, BusinessClock clock, SecretBox box, IServiceProvider services, TimeProvider time, ILogger<StatementPull> log)
    : IStatementPullRun
{
    public async Task<int> PullAsync(CancellationToken ct)
    {
        var results = await new StatementPull(db, clock, box, services, time, new Actor("job:pull-statements")).PullAsync(null, ct);
        // School and bank only: account numbers and bank payloads stay out of the log.
        foreach (var r in results)
            if (r.Problem is not null) log.LogWarning("Statement pull for school {School} at {Bank} failed: {Problem}", r.School, r.Bank, r.Problem);
            else log.LogInformation("Statement pull for school {School} at {Bank}: {Lines} line(s), {New} new", r.School, r.Bank, r.Imported!.Lines, r.Imported.Inserted);
        return results.Sum(r => r.Imported?.Inserted ?? 0);
    }
}

public sealed class CrossCheckRun(FeesDb db, BusinessClock clock, ILogger<CrossCheck> log) : ICrossCheckRun
{
    public async Task<int> CrossCheckAsync(CancellationToken ct)
    {
        var s = await new CrossCheck(db, clock).RecordAsync(CrossCheck.DefaultSettlementDays, ct);
        log.LogInformation("Cross-check: {Open} open finding(s), {New} new, {Resolved} resolved", s.Open, s.New, s.Resolved);
        return s.Open;
    }
}

public sealed class LedgerAuditRunPort(FeesDb db, ILogger<LedgerAuditRunPort> log) : ILedgerAuditRun
{
    public async Task<int> AuditAsync(CancellationToken ct)
    {
        var report = await new Application.Reports.LedgerAudit(db).RunAndRecordAsync("job:ledger-audit", ct);
        // Check names only: the findings' rows stay in the database, for `fees audit`.
        if (report.Passed) log.LogInformation("Ledger audit passed: {Checks} checks in {Seconds:0.0} s", report.ChecksRun.Count, report.Total.TotalSeconds);
        else log.LogWarning("The ledger audit found {Count} broken invariant(s): {Checks}", report.FailedChecks,
            string.Join("; ", report.Findings.Select(f => f.Check).Distinct()));
        return report.FailedChecks;
    }
}

public sealed class OverdueRun(FeesDb db, BusinessClock clock) : IOverdueRun
{
    public Task<int> MarkOverdueAsync(CancellationToken ct) => new OverdueMarker(db, clock).MarkAsync(ct);
}

public sealed class MessageRun(OutboxSender sender) : IMessageRun
{
    /// <summary>Rounds until the outbox has nothing due or 8 s have passed: the job fires every 10 s and never beside itself.</summary>
    public async Task<int> SendAsync(CancellationToken ct)
    {
        var until = DateTime.UtcNow.AddSeconds(8);
        var done = 0;
        while (DateTime.UtcNow < until)
        {
            var r = await sender.RunAsync(ct);
            var round = r.Sent + r.Retried + r.Failed + r.Unknown + r.Cancelled;
            done += r.Sent + r.Failed + r.Unknown;
            if (round == 0 || r.Quiet) break;
        }
        return done;
    }
}

public sealed class ReminderRun(FeesDb db, BusinessClock clock) : IReminderRun
{
    public async Task<int> QueueRemindersAsync(CancellationToken ct)
    {
        var reminders = new Reminders(db, clock);
        await reminders.PurgeOldBodiesAsync(ct);
        return await reminders.QueueAsync(ct);
    }
}

public sealed class ReceiptSigningRun(Application.Receipts.ReceiptSigner signer) : IReceiptSigningRun
{
    // Within the half minute between runs: what is left waits for the next one.
    public async Task<int> SignAsync(CancellationToken ct) => (await signer.SignAsync(null, TimeSpan.FromSeconds(25), ct)).Signed;
}

public sealed class TvanRunPort(Application.Receipts.TvanOutbox outbox) : ITvanRun
{
    public async Task<int> SendAsync(CancellationToken ct) => (await outbox.RunAsync(TimeSpan.FromSeconds(25), ct)).Taken;
}
