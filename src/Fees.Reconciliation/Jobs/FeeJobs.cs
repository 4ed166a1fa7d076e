using Quartz;

namespace TdmEdu.Fees.Reconciliation.Jobs;

/// <summary>Applies the stored bank calls (the port the host implements).</summary>
public interface IInboxRun
{
    Task<int> ProcessAsync(CancellationToken ct);
}

/// <summary>Decides the imported statement lines not yet decided (the port the host implements).</summary>
public interface IReconcileRun
{
    Task<int> ReconcileAsync(CancellationToken ct);
}

/// <summary>Pulls every configured account's statement from its bank's API (the port the host implements).</summary>
public interface IStatementPullRun
{
    Task<int> PullAsync(CancellationToken ct);
}

/// <summary>Keeps the notification-versus-statement findings current (the port the host implements).</summary>
public interface ICrossCheckRun
{
    Task<int> CrossCheckAsync(CancellationToken ct);
}

/// <summary>Marks the notices whose due date has passed with money still owed (the port the host implements).</summary>
public interface IOverdueRun
{
    Task<int> MarkOverdueAsync(CancellationToken ct);
}

/// <summary>Sends what the outbox holds (the port the host implements).</summary>
public interface IMessageRun
{
    Task<int> SendAsync(CancellationToken ct);
}

/// <summary>Queues the day's reminders (the port the host implements).</summary>
public interface IReminderRun
{
    Task<int> QueueRemindersAsync(CancellationToken ct);
}

/// <summary>Signs the receipts whose numbers are taken and not yet signed (the port the host implements).</summary>
public interface IReceiptSigningRun
{
    Task<int> SignAsync(CancellationToken ct);
}

/// <summary>Sends signed receipts, error notices and reports to the T-VAN provider (the port the host implements).</summary>
public interface ITvanRun
{
    Task<int> SendAsync(CancellationToken ct);
}

/// <summary>Runs the ledger audit and keeps its outcome for the vital signs (the port the host implements).</summary>
public interface ILedgerAuditRun
{
    Task<int> AuditAsync(CancellationToken ct);
}

/// <summary>A thin job: one call of the port the host implements, with the scheduler's cancellation.</summary>
public abstract class PortJob<TPort>(TPort port, Func<TPort, CancellationToken, Task> call) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) => await call(port, cancellationToken);
}

/// <summary>Thin job: sends queued messages to guardians. Never runs beside itself; the outbox's leases keep two instances apart.</summary>
[DisallowConcurrentExecution]
public sealed class SendMessagesJob(IMessageRun run) : PortJob<IMessageRun>(run, (r, ct) => r.SendAsync(ct));

/// <summary>Thin job: the morning's reminders. Running it twice queues nothing new.</summary>
[DisallowConcurrentExecution]
public sealed class QueueRemindersJob(IReminderRun run) : PortJob<IReminderRun>(run, (r, ct) => r.QueueRemindersAsync(ct));

/// <summary>Thin job: the inbox worker's safety net across instances. Never runs beside itself; safe to run twice.</summary>
[DisallowConcurrentExecution]
public sealed class ProcessInboxJob(IInboxRun run) : PortJob<IInboxRun>(run, (r, ct) => r.ProcessAsync(ct));

/// <summary>Thin job: reconciles what statements brought. Never runs beside itself; each line is decided once.</summary>
[DisallowConcurrentExecution]
public sealed class ReconcileJob(IReconcileRun run) : PortJob<IReconcileRun>(run, (r, ct) => r.ReconcileAsync(ct));

/// <summary>Thin job: statements from the banks' APIs. Never runs beside itself; a line already stored is skipped.</summary>
[DisallowConcurrentExecution]
public sealed class PullStatementsJob(IStatementPullRun run) : PortJob<IStatementPullRun>(run, (r, ct) => r.PullAsync(ct));

/// <summary>Thin job: the daily cross-check of notifications against statements. Running it twice changes nothing.</summary>
[DisallowConcurrentExecution]
public sealed class CrossCheckJob(ICrossCheckRun run) : PortJob<ICrossCheckRun>(run, (r, ct) => r.CrossCheckAsync(ct));

/// <summary>Thin job: the nightly overdue mark. A notice is marked once.</summary>
[DisallowConcurrentExecution]
public sealed class MarkOverdueJob(IOverdueRun run) : PortJob<IOverdueRun>(run, (r, ct) => r.MarkOverdueAsync(ct));

/// <summary>Thin job: signs waiting receipts. Never runs beside itself; rows are taken with SKIP LOCKED across instances.</summary>
[DisallowConcurrentExecution]
public sealed class SignReceiptsJob(IReceiptSigningRun run) : PortJob<IReceiptSigningRun>(run, (r, ct) => r.SignAsync(ct));

/// <summary>Thin job: the outbox to the tax office's provider. Never runs beside itself; rows are leased across instances.</summary>
[DisallowConcurrentExecution]
public sealed class SendEReceiptsJob(ITvanRun run) : PortJob<ITvanRun>(run, (r, ct) => r.SendAsync(ct));

/// <summary>Thin job: the ledger audit for the vital signs, once per cluster (not once per node). Read-only but for its record.</summary>
[DisallowConcurrentExecution]
public sealed class LedgerAuditJob(ILedgerAuditRun run) : PortJob<ILedgerAuditRun>(run, (r, ct) => r.AuditAsync(ct));

/// <summary>The schedule, with explicit names and Asia/Ho_Chi_Minh time.</summary>
public static class FeeJobs
{
    public const string SchedulerName = "fees-scheduler";
    public static readonly JobKey Inbox = new("process-inbox", "fees");
    public static readonly JobKey Reconcile = new("reconcile", "fees");
    public static readonly JobKey PullStatements = new("pull-statements", "fees");
    public static readonly JobKey CrossCheck = new("crosscheck", "fees");
    public static readonly JobKey MarkOverdue = new("mark-overdue", "fees");
    public static readonly JobKey SendMessages = new("send-messages", "fees");
    public static readonly JobKey QueueReminders = new("queue-reminders", "fees");
    public static readonly JobKey SignReceipts = new("sign-receipts", "fees");
    public static readonly JobKey SendEReceipts = new("send-ereceipts", "fees");
    public static readonly JobKey LedgerAudit = new("ledger-audit", "fees");

    /// <summary>The group of every trigger of the schedule; a trigger of this group not declared here is a leftover.</summary>
    public const string Group = "fees";

    /// <summary>
    /// The names of the triggers <see cref="Add"/> declares. A node starting adds the triggers it does not find and leaves
    /// the others alone (storing a trigger again sets one another node has taken back to waiting, and that firing then ran
    /// twice): so a trigger's name says its schedule, a changed schedule is a new name, and the old one is unscheduled.
    /// </summary>
    public static IReadOnlyList<string> TriggerNames(TimeSpan? auditEvery = null) =>
    [
        AuditTrigger(auditEvery), "process-inbox-every-minute", "reconcile-every-15-minutes", "pull-statements-every-30-minutes",
        "crosscheck-daily-0630", "mark-overdue-daily-0015", "send-messages-every-10-seconds", "queue-reminders-daily-0745",
        "sign-receipts-every-30-seconds", "send-ereceipts-every-30-seconds",
    ];

    private static TimeSpan AuditEvery(TimeSpan? auditEvery) => auditEvery is { } a && a > TimeSpan.Zero ? a : TimeSpan.FromMinutes(15);

    private static string AuditTrigger(TimeSpan? auditEvery) => $"ledger-audit-every-{(long)AuditEvery(auditEvery).TotalSeconds}-seconds";

    /// <summary>
    /// The jobs and their triggers. The ledger audit runs every <paramref name="auditEvery"/> (15 minutes by default),
    /// first a minute after the trigger is first stored (or sooner when the interval is shorter), so a start is not an audit.
    /// </summary>
    public static void Add(IQuartzBuilder q, TimeZoneInfo zone, TimeSpan? auditEvery = null)
    {
        var every = AuditEvery(auditEvery);
        var first = every < TimeSpan.FromMinutes(1) ? every : TimeSpan.FromMinutes(1);
        q.ScheduleJob<LedgerAuditJob>(
            t => t.WithIdentity(AuditTrigger(auditEvery), Group)
                .StartAt(DateTimeOffset.UtcNow + first)
                .WithSimpleSchedule(x => x.WithInterval(every).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)),
            j => j.WithIdentity(LedgerAudit));
        q.ScheduleJob<ProcessInboxJob>(
            t => t.WithIdentity("process-inbox-every-minute", "fees")
                .WithCronSchedule("0 * * * * ?", c => c.InTimeZone(zone).WithMisfireInstruction(CronTriggerMisfireInstruction.DoNothing)),
            j => j.WithIdentity(Inbox).RequestRecovery());
        q.ScheduleJob<ReconcileJob>(
            t => t.WithIdentity("reconcile-every-15-minutes", "fees")
                .WithCronSchedule("0 0/15 * * * ?", c => c.InTimeZone(zone).WithMisfireInstruction(CronTriggerMisfireInstruction.DoNothing)),
            j => j.WithIdentity(Reconcile).RequestRecovery());
        q.ScheduleJob<PullStatementsJob>(
            t => t.WithIdentity("pull-statements-every-30-minutes", "fees")
                .WithCronSchedule("0 5/30 * * * ?", c => c.InTimeZone(zone).WithMisfireInstruction(CronTriggerMisfireInstruction.DoNothing)),
            j => j.WithIdentity(PullStatements).RequestRecovery());
        q.ScheduleJob<CrossCheckJob>(
            t => t.WithIdentity("crosscheck-daily-0630", "fees")
                .WithCronSchedule("0 30 6 * * ?", c => c.InTimeZone(zone).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed)),
            j => j.WithIdentity(CrossCheck).RequestRecovery());
        q.ScheduleJob<MarkOverdueJob>(
            t => t.WithIdentity("mark-overdue-daily-0015", "fees")
                .WithCronSchedule("0 15 0 * * ?", c => c.InTimeZone(zone).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed)),
            j => j.WithIdentity(MarkOverdue).RequestRecovery());
        q.ScheduleJob<SendMessagesJob>(
            t => t.WithIdentity("send-messages-every-10-seconds", "fees")
                .WithCronSchedule("0/10 * * * * ?", c => c.InTimeZone(zone).WithMisfireInstruction(CronTriggerMisfireInstruction.DoNothing)),
            j => j.WithIdentity(SendMessages).RequestRecovery());
        q.ScheduleJob<QueueRemindersJob>(
            t => t.WithIdentity("queue-reminders-daily-0745", "fees")
                .WithCronSchedule("0 45 7 * * ?", c => c.InTimeZone(zone).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed)),
            j => j.WithIdentity(QueueReminders).RequestRecovery());
        q.ScheduleJob<SignReceiptsJob>(
            t => t.WithIdentity("sign-receipts-every-30-seconds", "fees")
                .WithCronSchedule("0/30 * * * * ?", c => c.InTimeZone(zone).WithMisfireInstruction(CronTriggerMisfireInstruction.DoNothing)),
            j => j.WithIdentity(SignReceipts).RequestRecovery());
        q.ScheduleJob<SendEReceiptsJob>(
            t => t.WithIdentity("send-ereceipts-every-30-seconds", "fees")
                .WithCronSchedule("15/30 * * * * ?", c => c.InTimeZone(zone).WithMisfireInstruction(CronTriggerMisfireInstruction.DoNothing)),
            j => j.WithIdentity(SendEReceipts).RequestRecovery());
    }
}
