using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;

namespace TdmEdu.Fees.Api.Application.Banks;

/// <summary>Wakes the inbox workers when a bank call has been stored, so money is applied within moments.</summary>
public sealed class InboxSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes at the next poke: taken before looking for work, so a poke that comes meanwhile is not missed.</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    public void Poke() => Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>Waits for the next poke, up to <paramref name="timeout"/>.</summary>
    public Task WaitAsync(TimeSpan timeout, CancellationToken ct) => WaitAsync(Next, timeout, ct);

    /// <summary>Waits for the poke <paramref name="next"/> stands for, up to <paramref name="timeout"/>.</summary>
    public static async Task WaitAsync(Task next, TimeSpan timeout, CancellationToken ct)
    {
        try
        {
            await next.WaitAsync(timeout, ct);
        }
        catch (TimeoutException)
        {
            // The poll interval passed without a poke: look anyway, in case another instance stored something.
        }
    }
}

/// <summary>
/// Applies stored bank calls in the background with several loops (one per core by default, <c>Banks:ApplyWorkers</c>),
/// each taking a different school account, so one account's calls stay in order while accounts go in parallel; on a
/// poke, and every few seconds in any case.
/// </summary>
public sealed class InboxWorker(IServiceScopeFactory scopes, InboxSignal signal, IConfiguration config, ILogger<InboxWorker> log) : BackgroundService
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    /// <summary>How many loops apply calls at once on this instance.</summary>
    public static int Workers(IConfiguration config) => Math.Clamp(config.GetValue("Banks:ApplyWorkers", Environment.ProcessorCount), 1, 32);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Workers(config)).Select(_ => LoopAsync(stoppingToken)));

    private async Task LoopAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            var next = signal.Next;
            try
            {
                using var scope = scopes.CreateScope();
                var processor = new InboxProcessor(scope.ServiceProvider.GetRequiredService<FeesDb>(),
                    scope.ServiceProvider.GetRequiredService<BusinessClock>(), scope.ServiceProvider.GetRequiredService<ILogger<InboxProcessor>>());
                if (await processor.ProcessPendingAsync(InboxProcessor.BatchSize, stoppingToken) > 0) continue;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning("An inbox worker could not run: {Error}", e.GetType().Name);
            }
            await InboxSignal.WaitAsync(next, PollInterval, stoppingToken);
        }
    }
}
