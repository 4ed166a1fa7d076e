using System.Threading.Channels;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;

namespace TdmEdu.Fees.Api.Application.Banks;

/// <summary>Wakes the inbox worker when a bank call has been stored, so money is applied within moments.</summary>
public sealed class InboxSignal
{
    private readonly Channel<bool> _channel = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Poke() => _channel.Writer.TryWrite(true);

    public async Task WaitAsync(TimeSpan timeout, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        try
        {
            await _channel.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // The poll interval passed without a poke: look anyway, in case another instance stored something.
        }
    }
}

/// <summary>Applies stored bank calls in the background: on a poke, and every few seconds in any case.</summary>
public sealed class InboxWorker(IServiceScopeFactory scopes, InboxSignal signal, ILogger<InboxWorker> log) : BackgroundService
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                using var scope = scopes.CreateScope();
                var processor = new InboxProcessor(scope.ServiceProvider.GetRequiredService<FeesDb>(),
                    scope.ServiceProvider.GetRequiredService<BusinessClock>(), scope.ServiceProvider.GetRequiredService<ILogger<InboxProcessor>>());
                var n = await processor.ProcessPendingAsync(200, stoppingToken);
                if (n == 200) continue;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning("The inbox worker could not run: {Error}", e.GetType().Name);
            }
            await signal.WaitAsync(PollInterval, stoppingToken);
        }
    }
}
