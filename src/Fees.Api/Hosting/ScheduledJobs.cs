using Quartz;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Reconciliation.Jobs;

namespace TdmEdu.Fees.Api.Hosting;

/// <summary>
/// The scheduled jobs of a node (architecture.md, "Scheduled jobs"): their ports, Quartz on the persistent store,
/// clustered (several nodes share the schedule and each firing runs once), and the hosted service that runs it.
/// </summary>
public static class ScheduledJobs
{
    public static void Add(WebApplicationBuilder builder, string connectionString, string? instanceId, BankClientOptions? bankApis,
        Action<IQuartzBuilder>? moreJobs)
    {
        builder.Services.AddScoped<IInboxRun, InboxRun>();
        builder.Services.AddScoped<IReconcileRun, ReconcileRun>();
        builder.Services.AddScoped<IStatementPullRun, StatementPullRun>();
        builder.Services.AddScoped<ICrossCheckRun, CrossCheckRun>();
        builder.Services.AddScoped<IOverdueRun, OverdueRun>();
        builder.Services.AddScoped<IMessageRun, MessageRun>();
        builder.Services.AddScoped<IReminderRun, ReminderRun>();
        builder.Services.AddScoped<IReceiptSigningRun, ReceiptSigningRun>();
        builder.Services.AddScoped<ITvanRun, TvanRunPort>();
        builder.Services.AddScoped<ILedgerAuditRun, LedgerAuditRunPort>();
        // The statement APIs are called only for banks whose address is set (FEES_VCB_API, FEES_MSB_API).
        builder.Services.AddBankStatementClients(bankApis ?? BankClientOptions.From(null, null));
        var auditEvery = TimeSpan.FromSeconds(Math.Max(1, builder.Configuration.GetValue("Metrics:AuditSeconds", 900)));
        builder.Services.AddSingleton(new DeclaredTriggers(FeeJobs.Group, FeeJobs.TriggerNames(auditEvery)));
        // A starting node adds what the store lacks and leaves the rest alone: storing a trigger again set one another
        // node had taken back to waiting, and that firing ran on both (JobScheduler removes triggers no longer declared).
        builder.Services.Configure<QuartzOptions>(o => o.Scheduling.IgnoreDuplicates = true);
        builder.AddQuartz(q =>
        {
            q.ConfigureScheduler(o =>
            {
                o.InstanceName = FeeJobs.SchedulerName;
                // Unique per node: the cluster tells its members apart by this id.
                o.InstanceId = instanceId ?? Environment.GetEnvironmentVariable("FEES_NODE_ID") ?? $"{Environment.MachineName}-{Environment.ProcessId}";
            });
            q.UsePersistentStore(s =>
            {
                s.UsePostgres(connectionString);
                // The store's misfire and cluster threads do not keep the process alive: a scheduler left behind at
                // shutdown (JobScheduler) must not hold the process once the host has stopped.
                s.ConfigureStore(o => o.UseBackgroundThreads = true);
                s.UseClustering(c =>
                {
                    c.CheckinInterval = TimeSpan.FromSeconds(5);
                    c.CheckinMisfireThreshold = TimeSpan.FromSeconds(20);
                });
            });
            FeeJobs.Add(q, BusinessClock.Zone, auditEvery);
            moreJobs?.Invoke(q);
        });
        builder.Services.AddHostedService<JobScheduler>();
    }
}

/// <summary>The triggers of the schedule's group that this version declares; any other trigger of the group is a leftover.</summary>
public sealed record DeclaredTriggers(string Group, IReadOnlyList<string> Names);
