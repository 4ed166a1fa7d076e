using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using TdmEdu.Fees.Api.Persistence;

namespace TdmEdu.Fees.Api.Tests.Support;

/// <summary>
/// A database context that says when it sends a statement containing a text: EF's command interceptor, called just
/// before the command goes to the server. What a test waits for when that statement will then block in the server
/// (a lock another transaction holds).
/// </summary>
public sealed class SqlSent(Func<string, bool> statement) : DbCommandInterceptor
{
    private readonly TaskCompletionSource _sent = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>A context on <paramref name="connection"/> that reports to this.</summary>
    public FeesDb Open(string connection) =>
        new(new DbContextOptionsBuilder<FeesDb>().UseNpgsql(connection).AddInterceptors(this).Options);

    /// <summary>The statement is being sent; fails after <paramref name="within"/> if it never is.</summary>
    public Task WaitAsync(TimeSpan within) => _sent.Task.WaitAsync(within);

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        if (statement(command.CommandText)) _sent.TrySetResult();
        return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
    }
}
