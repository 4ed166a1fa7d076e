using System.Diagnostics;
using System.Runtime.ExceptionServices;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using TdmEdu.Fees.Api.Application.Payments;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.BankAdapters.Inbound;
using TdmEdu.Fees.Reconciliation.Credits;
using TdmEdu.Fees.Reconciliation.Matching;

namespace TdmEdu.Fees.Api.Application.Banks;

/// <summary>
/// Applies stored bank calls as one ordered stream per school account: a run takes an account no other run holds
/// (a row lock on the account, skipped by the others), and applies that account's waiting calls in the order they
/// came, the credits of a stretch together through the ledger, each reversal after everything before it. The calls and
/// their outcomes commit together; if anything in the stretch fails, the calls are applied again one transaction each,
/// so a call that cannot be applied is counted, and after a few attempts parked, without holding back other accounts
/// (its own account's later calls wait behind it, so a reversal never overtakes its credit). A crash before a commit leaves
/// the calls pending; the payment's unique (bank, idempotency key) makes sure each is applied once.
/// </summary>
public sealed partial class InboxProcessor(FeesDb db, BusinessClock clock, ILogger<InboxProcessor>? log = null)
{
    public const int MaxAttempts = 5;

    /// <summary>Calls of one account applied in one transaction at most.</summary>
    public const int BatchSize = 500;

    private readonly List<Guid> _failedThisRound = [];

    /// <summary>Accounts whose stream stops for this run at a call that failed: their later calls wait behind it.</summary>
    private readonly List<Guid> _heldBack = [];

    /// <summary>
    /// Processes up to <paramref name="max"/> pending calls, account after account; returns how many it finished.
    /// Accounts another run holds are left to it, unless <paramref name="waitForHeld"/>: then, when nothing else is
    /// free, this run waits for the held account and goes on, returning only when no call waits (what the command line's
    /// `fees inbox process` promises).
    /// </summary>
    public async Task<int> ProcessPendingAsync(int max, CancellationToken ct = default, bool waitForHeld = false)
    {
        var done = 0;
        _failedThisRound.Clear();
        _heldBack.Clear();
        while (done < max)
        {
            var failedBefore = _failedThisRound.Count;
            var finished = await ProcessNextAccountAsync(Math.Min(BatchSize, max - done), wait: false, ct);
            if (finished is null && waitForHeld) finished = await ProcessNextAccountAsync(Math.Min(BatchSize, max - done), wait: true, ct);
            if (finished is null) break;
            done += finished.Value;
            // Another run took the account over between two of its calls (or finished it while this one waited): it goes
            // on from there. A waiting run looks again with a fresh view of what is pending.
            if (finished == 0 && _failedThisRound.Count == failedBefore && !waitForHeld) break;
        }
        return done;
    }

    /// <summary>The account with the oldest waiting call that no other run holds, locked until the transaction ends.</summary>
    /// <remarks>With <paramref name="wait"/>, the oldest waiting account is taken even when held: the query waits for its holder.</remarks>
    private async Task<Guid?> TakeAccountAsync(Guid? only, CancellationToken ct, bool wait = false)
    {
        var any = only is null;
        var one = only ?? Guid.Empty;
        var failed = _failedThisRound.ToArray();
        var held = _heldBack.ToArray();
        // Only the lock clause differs (one of two constants); the values go as parameters.
        var lockClause = wait ? "FOR NO KEY UPDATE OF a" : "FOR NO KEY UPDATE OF a SKIP LOCKED";
        var sql = $"""
            SELECT a.id AS "Value" FROM school_bank_accounts a
            WHERE (@any OR a.id = @one) AND NOT (a.id = ANY(@held))
              AND EXISTS (SELECT 1 FROM bank_inbox m WHERE m.account_id = a.id AND m.processed_at IS NULL AND NOT (m.id = ANY(@failed)))
            ORDER BY (SELECT min(m.received_at) FROM bank_inbox m WHERE m.account_id = a.id AND m.processed_at IS NULL)
            LIMIT 1 {lockClause}
            """;
        var query = db.Database.SqlQueryRaw<Guid>(sql, new NpgsqlParameter("any", any), new NpgsqlParameter("one", one), new NpgsqlParameter("failed", failed),
            new NpgsqlParameter("held", held));
        return (await query.ToListAsync(ct)).Select(id => (Guid?)id).FirstOrDefault();
    }

    private async Task<List<InboxMessage>> WaitingAsync(Guid accountId, int max, CancellationToken ct)
    {
        var failed = _failedThisRound.ToArray();
        return await db.Inbox.FromSql($"""
            SELECT * FROM bank_inbox WHERE account_id = {accountId} AND processed_at IS NULL AND NOT (id = ANY({failed}))
            ORDER BY received_at, id LIMIT {max} FOR UPDATE
            """).ToListAsync(ct);
    }

    /// <summary>One account's waiting calls, together; null when no account is waiting for this run.</summary>
    private async Task<int?> ProcessNextAccountAsync(int max, bool wait, CancellationToken ct)
    {
        Guid accountId;
        List<Guid> ids;
        ExceptionDispatchInfo? cut = null;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            if (await TakeAccountAsync(null, ct, wait) is not { } taken) return null;
            accountId = taken;
            var rows = await WaitingAsync(accountId, max, ct);
            ids = rows.Select(r => r.Id).ToList();
            if (rows.Count > 1)
            {
                try
                {
                    using var span = Span(rows);
                    await ApplyInOrderAsync(rows, ct);
                    await tx.CommitAsync(ct);
                    db.ChangeTracker.Clear();
                    Finished(rows);
                    return rows.Count;
                }
                catch (Exception e) when (e is not OperationCanceledException && !Transient(e))
                {
                    db.ChangeTracker.Clear();
                    await tx.RollbackAsync(ct);
                    log?.LogWarning("{Count} bank calls of one account were rolled back together ({Error}); applying them one by one", rows.Count, e.GetType().Name);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    db.ChangeTracker.Clear();
                    cut = ExceptionDispatchInfo.Capture(e);
                }
            }
        }
        // Cut like a failover: the run stops unless the database answers at once; then one of the calls did it, and
        // applying them one by one finds which.
        if (cut is not null && !await AnswersAsync(ct)) cut.Throw();
        // One call per transaction: a call that fails is counted (and after a few attempts parked), and its account's
        // later calls wait for the next run (a reversal never overtakes its credit); other accounts go on.
        var finished = 0;
        foreach (var id in ids)
        {
            Exception? failure = null;
            cut = null;
            await using (var tx = await db.Database.BeginTransactionAsync(ct))
            {
                if (await TakeAccountAsync(accountId, ct) is null) break;
                var row = await db.Inbox.FromSql($"SELECT * FROM bank_inbox WHERE id = {id} AND processed_at IS NULL FOR UPDATE").SingleOrDefaultAsync(ct);
                if (row is null) continue;
                try
                {
                    using var span = Span([row]);
                    await ApplyInOrderAsync([row], ct);
                    await tx.CommitAsync(ct);
                    db.ChangeTracker.Clear();
                    Finished([row]);
                    finished++;
                    continue;
                }
                catch (Exception e) when (e is not OperationCanceledException && !Transient(e))
                {
                    db.ChangeTracker.Clear();
                    await tx.RollbackAsync(ct);
                    failure = e;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    db.ChangeTracker.Clear();
                    cut = ExceptionDispatchInfo.Capture(e);
                }
            }
            if (cut is not null)
            {
                // A failover ends the run and counts nothing. A database that answers at once was not failing over: this
                // call cut its own connection or met a transient error. It is skipped for this run, so no other account
                // waits behind it, and every few such failures count as one attempt, so it is parked in the end.
                if (!await AnswersAsync(ct)) cut.Throw();
                if (!Struck(id))
                {
                    _failedThisRound.Add(id);
                    _heldBack.Add(accountId);
                    log?.LogWarning("Bank call {InboxId} met a transient failure on a database that answers ({Error}); left for the next run", id, cut.SourceException.GetType().Name);
                    break;
                }
                failure = cut.SourceException;
            }
            await RecordFailureAsync(id, failure, ct);
            _heldBack.Add(accountId);
            break;
        }
        return finished;
    }

    /// <summary>
    /// The worker's span for a stretch: a single call's is a child of the request that stored it; a stretch of several
    /// links to each call's request (the OpenTelemetry way for batches), so a trace leads from the bank's call to its apply.
    /// </summary>
    private static Activity? Span(IReadOnlyList<InboxMessage> rows)
    {
        if (!FeesTelemetry.Source.HasListeners()) return null;
        var contexts = rows.Select(r => FeesTelemetry.ContextOf(r.TraceParent)).OfType<ActivityContext>().ToList();
        var span = rows.Count == 1 && contexts.Count == 1
            ? FeesTelemetry.Source.StartActivity("apply bank calls", ActivityKind.Consumer, contexts[0])
            : FeesTelemetry.Source.StartActivity("apply bank calls", ActivityKind.Consumer, parentContext: default,
                links: contexts.Select(c => new ActivityLink(c)));
        span?.SetTag("fees.bank.calls", rows.Count);
        return span;
    }

    /// <summary>After a commit: the calls are counted in the vital signs and logged (by outcome, never by content).</summary>
    private void Finished(IReadOnlyList<InboxMessage> rows)
    {
        foreach (var r in rows) Strikes.TryRemove(r.Id, out _);
        foreach (var g in rows.GroupBy(r => (r.Bank, r.Outcome))) FeesTelemetry.Applied(g.Key.Bank, g.Key.Outcome, g.Count());
        if (log is null || !log.IsEnabled(LogLevel.Information)) return;
        var outcomes = string.Join(", ", rows.GroupBy(r => r.Outcome).Select(g => $"{g.Key} {g.Count()}"));
        log.LogInformation("{Count} bank call(s) of account {AccountId} processed: {Outcomes}", rows.Count, rows[0].AccountId, outcomes);
    }

    /// <summary>
    /// The calls of one account in their order: consecutive credits of one bank together, each reversal or debit on its
    /// own after everything before it is written, so a reversal always finds its credit's outcome. Joins the caller's transaction.
    /// </summary>
    private async Task ApplyInOrderAsync(IReadOnlyList<InboxMessage> rows, CancellationToken ct)
    {
        var account = await db.BankAccounts.AsNoTracking().SingleAsync(a => a.Id == rows[0].AccountId, ct);
        var authority = await Authorities.GetOrCreateAsync(db, ct);
        var credits = new List<(InboxMessage Msg, BankEvent Event)>();
        foreach (var msg in rows)
        {
            var e = ToEvent(msg, account);
            msg.AmountVnd = e.AmountVnd;
            if (e.Kind == BankEventKind.Credit && (credits.Count == 0 || credits[0].Msg.Bank == msg.Bank))
            {
                credits.Add((msg, e));
                continue;
            }
            await ApplyCreditsAsync(credits, account, authority.PaymentCodePrefix, ct);
            credits.Clear();
            await db.SaveChangesAsync(ct);
            if (e.Kind == BankEventKind.Credit) credits.Add((msg, e));
            else if (e.Kind == BankEventKind.Reversal) await ReverseAsync(msg, e, account, ct);
            else
            {
                msg.Event = "debit";
                Finish(msg, InboxOutcomes.Ignored, new Words("a debit that is not a fee payment", "tiền ra khỏi tài khoản, không phải khoản nộp"));
            }
            await db.SaveChangesAsync(ct);
        }
        await ApplyCreditsAsync(credits, account, authority.PaymentCodePrefix, ct);
        await db.SaveChangesAsync(ct);
    }

    private async Task ReverseAsync(InboxMessage msg, BankEvent e, SchoolBankAccount account, CancellationToken ct)
    {
        msg.Event = "reversal";
        // BIDV names the payment by the same transaction key; VCB and MSB by the original transaction id.
        var (kind, key) = msg.Bank == "BIDV" ? (InboxKinds.BidvPay, e.IdempotencyKey) : (InboxKinds.Notify, e.OriginalKey ?? "");
        if (kind == InboxKinds.Notify) msg.OriginalKey = key;
        // The credit on this account comes first: under its key, or the key kept when another account held it. A credit
        // found only on another account is still named, so the reversal is held saying so.
        var clash = InboxKeys.Clash(key, account.Id);
        var original = await db.Inbox.AsNoTracking()
            .Where(m => m.Bank == msg.Bank && m.Kind == kind && (m.IdempotencyKey == key || m.IdempotencyKey == clash) && m.Id != msg.Id)
            .OrderBy(m => m.AccountId == account.Id ? 0 : 1)
            .Select(m => (Guid?)m.Id).FirstOrDefaultAsync(ct);
        var done = await new BankCredits(db, clock, new Actor("bank:" + msg.Bank))
            .ReverseAsync(account.Id, e.AmountVnd, new BankCredits.ReversalOf(original, []), msg.Id, null, ct);
        if (done.Decision.Action == ReversalAction.Reverse)
        {
            Finish(msg, InboxOutcomes.Reversed, done.ParkedId is null
                ? done.Decision.Said + new Words($": {done.ReversedPayments.Count} payment(s)", $": {done.ReversedPayments.Count} khoản nộp") : done.Decision.Said);
            msg.Flagged = done.Decision.LookAt;
        }
        else
        {
            Finish(msg, InboxOutcomes.Held, done.Decision.Said);
            msg.Flagged = true;
        }
    }

    private void Finish(InboxMessage msg, string outcome, Words reason)
    {
        msg.Outcome = outcome;
        msg.OutcomeReason = reason.En;
        msg.OutcomeReasonVi = reason.Vi;
        msg.ProcessedAt = clock.Now;
        msg.Attempts++;
    }

    /// <summary>Reads the stored call again with its bank's adapter, exactly as the endpoint checked it would read.</summary>
    public static BankEvent ToEvent(InboxMessage msg, SchoolBankAccount account) => StoredCall.Read(msg.Bank, msg.Kind, msg.RawBody, account.AccountNo);
}
