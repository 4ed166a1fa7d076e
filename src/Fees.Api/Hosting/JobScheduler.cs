using Quartz;

namespace TdmEdu.Fees.Api.Hosting;

/// <summary>
/// Runs the Quartz scheduler inside the web host: started once the host has started (the server listens first), and
/// on stop shut down waiting for running jobs, but never past the host's shutdown timeout. Quartz's own hosted service
/// waits without bound: with the database gone, its scheduler thread retries releasing a trigger for ever and SIGTERM
/// never ended the process. A job cut off this way is as good as a crash: its transaction rolls back and the next
/// firing, on this node or another, does the work again.
/// </summary>
internal sealed class JobScheduler(ISchedulerFactory factory, DeclaredTriggers declared, ILogger<JobScheduler> log) : IHostedLifecycleService
{
    private IScheduler? _scheduler;

    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        _scheduler = await factory.GetScheduler(cancellationToken);
        // A trigger of an earlier version's schedule (a name this version does not declare) is removed, once, by whichever
        // node starts first; the triggers declared were added where missing and otherwise left as they are.
        var stored = await _scheduler.GetTriggerKeys(GroupMatcher<TriggerKey>.GroupEquals(declared.Group), cancellationToken);
        foreach (var key in stored.Where(k => !declared.Names.Contains(k.Name)))
            if (await _scheduler.UnscheduleJob(key, cancellationToken))
                log.LogInformation("Trigger {Trigger} is no longer in the schedule; removed", key.Name);
        await _scheduler.Start(cancellationToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_scheduler is null) return;
        try
        {
            await _scheduler.Shutdown(waitForJobsToComplete: true, cancellationToken).AsTask().WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            log.LogWarning("The job scheduler did not stop within the host's shutdown timeout (database unreachable or a job still running); left behind");
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
