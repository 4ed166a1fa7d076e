using TdmEdu.Fees.Api.Persistence;
using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using TdmEdu.Fees.Api.Common;

namespace TdmEdu.Fees.Api.Application.Banks;

/// <summary>
/// When applying a call fails: what is a failover (nothing counted, the run stops), what is the call's own failure
/// (counted; parked after <see cref="MaxAttempts"/>), and the transient failures on a database that answers, which
/// count as an attempt every <see cref="StrikesPerAttempt"/>.
/// </summary>
public sealed partial class InboxProcessor
{
    /// <summary>
    /// The database went away (a failover, a restart) or refused for a moment: nothing about the calls is wrong, so no
    /// attempt is counted and the run stops; the worker tries again in a moment, on whichever node is primary by then.
    /// The inbox store retries its write on the same.
    /// </summary>
    public static bool Transient(Exception e)
    {
        if (Failures.DatabaseUnavailable(e)) return true;
        // And what Npgsql calls transient on a live server: a deadlock or serialization failure between two apply loops,
        // lock or resource exhaustion. Not the calls' fault either (found by review: dropping this counted them). The
        // outermost database exception decides: under "No suitable host was found" lie every host's answers, among
        // them a cut connection even when another host refused the password.
        for (Exception? x = e; x is not null; x = x.InnerException)
            if (x is NpgsqlException n) return n.IsTransient;
        return false;
    }

    /// <summary>Transient failures of one call that count as one attempt, on a database that answered right after each.</summary>
    public const int StrikesPerAttempt = 3;

    /// <summary>Such failures per call, on this instance, since its last counted attempt (lost on a restart: it only delays parking).</summary>
    private static readonly ConcurrentDictionary<Guid, int> Strikes = new();

    /// <summary>Whether this failure completes an attempt of the call.</summary>
    private static bool Struck(Guid id)
    {
        if (Strikes.Count > 10_000) Strikes.Clear(); // calls applied by another instance leave theirs behind
        if (Strikes.AddOrUpdate(id, 1, (_, n) => n + 1) < StrikesPerAttempt) return false;
        Strikes.TryRemove(id, out _);
        return true;
    }

    /// <summary>Whether the database answers now, on a fresh connection if the last one was cut.</summary>
    private async Task<bool> AnswersAsync(CancellationToken ct)
    {
        try
        {
            await db.Database.ExecuteSqlRawAsync("SELECT 1", ct);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException && Transient(e))
        {
            return false;
        }
    }

    /// <summary>The processing failed and was rolled back: count the attempt; after a few, park the call for a person.</summary>
    private async Task RecordFailureAsync(Guid id, Exception? e, CancellationToken ct)
    {
        _failedThisRound.Add(id);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // A commit cut on its way back may have landed: a call applied meanwhile is not counted as failed.
        var msg = await db.Inbox.FromSql($"SELECT * FROM bank_inbox WHERE id = {id} AND processed_at IS NULL FOR UPDATE").SingleOrDefaultAsync(ct);
        if (msg is null) return;
        var error = e?.GetType().Name ?? "unknown";
        msg.Attempts++;
        msg.OutcomeReason = $"{error}: {e?.Message}";
        msg.OutcomeReasonVi = $"lỗi khi ghi nhận ({error}), lần thử thứ {msg.Attempts}";
        if (msg.Attempts >= MaxAttempts)
        {
            // Acknowledged to the bank but not applied: it waits in the review queue for a person, never silently.
            msg.Outcome = InboxOutcomes.Failed;
            msg.ProcessedAt = clock.Now;
            msg.Flagged = true;
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        db.ChangeTracker.Clear();
        log?.LogWarning("Bank call {InboxId} failed on attempt {Attempt}: {Error}", id, msg.Attempts, error);
    }
}
