using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace TdmEdu.Fees.Api.Persistence;

/// <summary>
/// A commit the synchronous standby did not confirm: PostgreSQL's wait for it was cancelled (a command timeout, a
/// cancelled request) and it warned that the transaction "has already committed locally, but might not have been
/// replicated to the standby". Nothing may be answered from it. An <see cref="NpgsqlException"/>, so it counts as the
/// database unavailable: the idempotent write is tried again, and that attempt waits for the standby again.
/// </summary>
public sealed class ReplicationInDoubtException()
    : NpgsqlException("The commit was not confirmed by the synchronous standby (its wait was cancelled); it may be on one node only.");

/// <summary>
/// A bank is answered "accepted" only for a call that is on two nodes (strict synchronous replication). PostgreSQL's
/// commit waits for the standby, but a cancelled wait ends in a warning, not an error, and a repeat found by its key
/// writes nothing, so its commit does not wait at all. Found by review: with no standby for longer than the command
/// timeout, a call committed on the primary alone was answered "accepted", and its repeat was answered from that row.
/// </summary>
public static class Replication
{
    /// <summary>Watches a connection for a warning (the cancelled wait for the standby is one) while a write is answered from it.</summary>
    public sealed class Watch : IDisposable
    {
        private readonly NpgsqlConnection _conn;
        private volatile bool _warned;

        public Watch(NpgsqlConnection conn)
        {
            _conn = conn;
            conn.Notice += OnNotice;
        }

        // Any warning: the statements answered from are ours and warn of nothing else; the text may be translated.
        private void OnNotice(object? sender, NpgsqlNoticeEventArgs e)
        {
            if (e.Notice.InvariantSeverity == "WARNING") _warned = true;
        }

        public void ThrowIfInDoubt()
        {
            if (_warned) throw new ReplicationInDoubtException();
        }

        public void Dispose() => _conn.Notice -= OnNotice;
    }

    /// <summary>
    /// Makes the transaction's commit wait until the standby has it, and with it everything committed before, even when
    /// the transaction writes nothing else (a repeat found by its key). PostgreSQL waits for the standby only for a
    /// commit that wrote WAL before its commit record (a transaction id alone is not enough, measured); a transactional
    /// logical message is such WAL and touches no table (any role may write one, at wal_level replica too).
    /// </summary>
    public static async Task MakeCommitWaitAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("SELECT pg_logical_emit_message(true, 'fees', 'answered')", conn);
        await cmd.ExecuteScalarAsync(ct);
    }

    /// <summary>Returns once everything committed so far is on the synchronous standby; throws when that is in doubt.</summary>
    public static async Task ConfirmAsync(FeesDb db, CancellationToken ct)
    {
        var conn = (NpgsqlConnection)db.Database.GetDbConnection();
        var opened = conn.State != System.Data.ConnectionState.Open;
        if (opened) await conn.OpenAsync(ct);
        try
        {
            using var watch = new Watch(conn);
            await using var tx = await conn.BeginTransactionAsync(ct);
            await MakeCommitWaitAsync(conn, ct);
            await tx.CommitAsync(ct);
            watch.ThrowIfInDoubt();
        }
        finally
        {
            if (opened) await conn.CloseAsync();
        }
    }
}
