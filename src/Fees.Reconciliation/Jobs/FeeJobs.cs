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

/// <summary>Thin job: the inbox worker's safety net across instances. Never runs beside itself; safe to run twice.</summary>
[DisallowConcurrentExecution]
public sealed class ProcessInboxJob(IInboxRun run) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        await run.ProcessAsync(cancellationToken);
}

/// <summary>Thin job: reconciles what statements brought. Never runs beside itself; each line is decided once.</summary>
[DisallowConcurrentExecution]
public sealed class ReconcileJob(IReconcileRun run) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        await run.ReconcileAsync(cancellationToken);
}

/// <summary>The schedule, with explicit names and Asia/Ho_Chi_Minh time.</summary>
public static class FeeJobs
{
    public const string SchedulerName = "fees-scheduler";
    public static readonly JobKey Inbox = new("process-inbox", "fees");
    public static readonly JobKey Reconcile = new("reconcile", "fees");

    public static void Add(IQuartzBuilder q, TimeZoneInfo zone)
    {
        q.ScheduleJob<ProcessInboxJob>(
            t => t.WithIdentity("process-inbox-every-minute", "fees")
                .WithCronSchedule("0 * * * * ?", c => c.InTimeZone(zone).WithMisfireInstruction(CronTriggerMisfireInstruction.DoNothing)),
            j => j.WithIdentity(Inbox).RequestRecovery());
        q.ScheduleJob<ReconcileJob>(
            t => t.WithIdentity("reconcile-every-15-minutes", "fees")
                .WithCronSchedule("0 0/15 * * * ?", c => c.InTimeZone(zone).WithMisfireInstruction(CronTriggerMisfireInstruction.DoNothing)),
            j => j.WithIdentity(Reconcile).RequestRecovery());
    }
}
