using Microsoft.EntityFrameworkCore.Storage;

namespace TdmEdu.Fees.Api.Persistence;

/// <summary>
/// A transaction that joins the one already open on the context, if any: the inbox worker applies a bank
/// call and marks it done in one transaction, while the same ledger methods stand alone for the CLI.
/// </summary>
public sealed class UnitOfWork : IAsyncDisposable
{
    private readonly IDbContextTransaction? _owned;

    private UnitOfWork(IDbContextTransaction? owned) => _owned = owned;

    public static async Task<UnitOfWork> BeginAsync(FeesDb db, CancellationToken ct) =>
        new(db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null);

    public Task CommitAsync(CancellationToken ct) => _owned?.CommitAsync(ct) ?? Task.CompletedTask;

    public ValueTask DisposeAsync() => _owned?.DisposeAsync() ?? ValueTask.CompletedTask;
}
