using System.Collections.Concurrent;
using Npgsql;
using Quartz;
using TdmEdu.Fees.Api.Hosting;
using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Jobs;

/// <summary>Records every execution: which firing (its scheduled time) and which instance ran it.</summary>
public sealed class ProbeJob : IJob
{
    public static readonly ConcurrentDictionary<string, ConcurrentBag<(DateTimeOffset Fire, string Instance)>> Runs = new();

    public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var run = (string)context.MergedJobDataMap["run"]!;
        Runs.GetOrAdd(run, _ => []).Add((context.ScheduledFireTimeUtc ?? context.FireTimeUtc, context.Scheduler.SchedulerInstanceId));
        return ValueTask.CompletedTask;
    }
}

/// <summary>Runs until released, unless it is a recovery run; records who ran it and whether it was recovering.</summary>
public sealed class LongJob : IJob
{
    public static readonly ConcurrentDictionary<string, ConcurrentBag<(string Instance, bool Recovering)>> Runs = new();
    public static readonly ConcurrentDictionary<string, TaskCompletionSource> Release = new();

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var run = (string)context.MergedJobDataMap["run"]!;
        Runs.GetOrAdd(run, _ => []).Add((context.Scheduler.SchedulerInstanceId, context.Recovering));
        if (!context.Recovering) await Release.GetOrAdd(run, _ => new()).Task.WaitAsync(cancellationToken);
    }
}

public sealed class ClusteredSchedulerTests
{
    private static async Task WaitAsync(Func<bool> condition, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        while (!condition() && DateTime.UtcNow < deadline) await tick.WaitForNextTickAsync();
        Assert.True(condition(), "the condition was not reached in time");
    }

    [Fact]
    public async Task TwoInstances_OnOneDatabase_RunEachFiringOnce_AndOneTakesOverWhenTheOtherStops()
    {
        await using var fees = await Support.Fees.StartAsync();
        var run = Guid.NewGuid().ToString("N");
        void Probe(IQuartzBuilder q) => q.ScheduleJob<ProbeJob>(
            t => t.WithIdentity("probe-every-second", "test").WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromSeconds(1)).RepeatForever()),
            j => j.WithIdentity("probe", "test").UsingJobData("run", run));
        await using var a = WebHost.Build(fees.Db.ConnectionString, 0, BankHost.Box, runWorker: false, runScheduler: true, instanceId: "node-a", moreJobs: Probe);
        await using var b = WebHost.Build(fees.Db.ConnectionString, 0, BankHost.Box, runWorker: false, runScheduler: true, instanceId: "node-b", moreJobs: Probe);
        await a.StartAsync();
        await b.StartAsync();
        ConcurrentBag<(DateTimeOffset Fire, string Instance)> Runs() => ProbeJob.Runs.GetOrAdd(run, _ => []);

        await WaitAsync(() => Runs().Count >= 6, TimeSpan.FromSeconds(30));
        await a.StopAsync();
        var beforeStop = Runs().ToHashSet();
        await WaitAsync(() => Runs().Count >= beforeStop.Count + 3, TimeSpan.FromSeconds(40));
        await b.StopAsync();

        var runs = Runs().ToList();
        // No firing ran twice, on one node or across both.
        Assert.Equal(runs.Count, runs.Select(r => r.Fire).Distinct().Count());
        // With node A gone, node B carries the schedule on.
        var later = runs.Where(r => !beforeStop.Contains(r)).ToList();
        Assert.True(later.Count >= 3);
        Assert.All(later, r => Assert.Equal("node-b", r.Instance));
        // Both instances registered in the cluster's state table.
        await using var conn = new NpgsqlConnection(fees.Db.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT count(*) FROM qrtz_job_details WHERE job_group = 'fees'", conn);
        Assert.Equal(10L, (long)(await cmd.ExecuteScalarAsync())!); // the ten jobs of FeeJobs.Add
    }

    [Fact]
    public async Task AnInstanceThatDiesMidJob_HasItsJobRecoveredByTheOther()
    {
        await using var fees = await Support.Fees.StartAsync();
        var run = Guid.NewGuid().ToString("N");
        ConcurrentBag<(string Instance, bool Recovering)> Runs() => LongJob.Runs.GetOrAdd(run, _ => []);
        await using var link = new CuttableLink(fees.Db.ConnectionString);
        // Node A reaches the database through a link the test can cut; it starts a job that runs until released.
        var a = WebHost.Build(link.ConnectionString, 0, BankHost.Box, runWorker: false, runScheduler: true, instanceId: "node-a",
            moreJobs: q => q.ScheduleJob<LongJob>(t => t.WithIdentity("long-once", "test").StartNow(),
                j => j.WithIdentity("long", "test").UsingJobData("run", run).RequestRecovery()));
        await a.StartAsync();
        await WaitAsync(() => Runs().Any(r => r.Instance == "node-a"), TimeSpan.FromSeconds(30));

        // A dies to the cluster in the middle of the job: no more check-ins, no more answers.
        link.Cut();
        await using var b = WebHost.Build(fees.Db.ConnectionString, 0, BankHost.Box, runWorker: false, runScheduler: true, instanceId: "node-b");
        await b.StartAsync();
        await WaitAsync(() => Runs().Any(r => r.Instance == "node-b"), TimeSpan.FromSeconds(60));

        // B ran the job again, as a recovery of A's firing, and only once.
        Assert.Equal([("node-a", false), ("node-b", true)], Runs().OrderBy(r => r.Instance).ToList());
        await b.StopAsync();
        link.Restore();
        LongJob.Release.GetOrAdd(run, _ => new()).TrySetResult();
        using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await a.StopAsync(giveUp.Token);
        await a.DisposeAsync();
    }
}
