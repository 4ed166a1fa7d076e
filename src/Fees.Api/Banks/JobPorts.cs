using TdmEdu.Fees.Api.Application;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Reconciliation.Jobs;

namespace TdmEdu.Fees.Api.Banks;

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
