using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Application.Matching;
using TdmEdu.Fees.Api.Application.Payments;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.BankAdapters.Inbound;
using TdmEdu.Fees.Reconciliation.Credits;
using TdmEdu.Fees.Reconciliation.Matching;

namespace TdmEdu.Fees.Api.Application.Banks;

/// <summary>
/// Applies stored bank calls, oldest first, each in one transaction with its outcome: a crash before the
/// commit leaves the call pending and it is applied again from the stored copy; the payment's unique
/// (bank, idempotency key) makes sure it is applied once.
/// </summary>
public sealed class InboxProcessor(FeesDb db, BusinessClock clock, ILogger<InboxProcessor>? log = null)
{
    public const int MaxAttempts = 5;

    private sealed record Claimed(Guid Id);

    /// <summary>Processes up to <paramref name="max"/> pending calls; returns how many it finished.</summary>
    public async Task<int> ProcessPendingAsync(int max, CancellationToken ct = default)
    {
        var done = 0;
        _failedThisRound.Clear();
        while (done < max)
        {
            Guid? claimed;
            try
            {
                claimed = await ProcessOneAsync(ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                db.ChangeTracker.Clear();
                await RecordFailureAsync(e, ct);
                continue;
            }
            if (claimed is null) break;
            done++;
        }
        return done;
    }

    private Guid? _current;
    private readonly List<Guid> _failedThisRound = [];

    private async Task<Guid?> ProcessOneAsync(CancellationToken ct)
    {
        _current = null;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var row = (await db.Database.SqlQuery<Claimed>($"""
            SELECT id AS "Id" FROM bank_inbox WHERE processed_at IS NULL AND NOT (id = ANY({_failedThisRound.ToArray()}))
            ORDER BY received_at, id LIMIT 1 FOR UPDATE SKIP LOCKED
            """).ToListAsync(ct)).FirstOrDefault();
        if (row is null) return null;
        _current = row.Id;
        var msg = await db.Inbox.SingleAsync(m => m.Id == row.Id, ct);
        var account = await db.BankAccounts.AsNoTracking().SingleAsync(a => a.Id == msg.AccountId, ct);
        var authority = await Authorities.GetOrCreateAsync(db, ct);
        var actor = new Actor("bank:" + msg.Bank);
        var credits = new BankCredits(db, clock, actor);

        var e = ToEvent(msg, account);
        msg.AmountVnd = e.AmountVnd;
        switch (e.Kind)
        {
            case BankEventKind.Credit:
            {
                msg.Event = "credit";
                // The same credit may have come on the account statement first: the reference is claimed before anything moves.
                var claim = await credits.ClaimAsync(account.Id, msg.BankRef, BankRefClaims.Notification, msg.Id, ct);
                var who = claim.State is ClaimState.HeldByNotification or ClaimState.HeldByStatement ? null
                    : new StudentIdentifier(db).Identify(e, account, authority.PaymentCodePrefix, clock.Today);
                var decision = CreditPolicy.Decide(new CreditFacts(e.AmountVnd, claim.State, who?.Decision, BankRef: msg.BankRef, HolderAmountVnd: claim.HolderAmountVnd));
                switch (decision.Action)
                {
                    case CreditAction.Duplicate:
                        Finish(msg, InboxOutcomes.Duplicate, decision.Said);
                        break;
                    case CreditAction.Apply:
                    {
                        // A bill the call names that is not the pupil's at this school: applied by the rules, and shown to a person.
                        var flag = decision.Flag ?? (e.BillId is not null && who!.PreferredNoticeId is null ? "names a bill that is not this pupil's at this school" : null);
                        decision = decision with { Flag = flag };
                        var payment = BankCredits.NewPayment(account, decision.Students[0], e.AmountVnd, msg.Bank, msg.IdempotencyKey, actor.Name, msg.ReceivedAt,
                            inboxId: msg.Id, preferredNoticeId: who!.PreferredNoticeId, flag: decision.Flag);
                        var result = await new Ledger(db, clock, actor).RecordBankAsync(payment, decision.Students, ct);
                        Finish(msg, InboxOutcomes.Applied, decision.Said + new Words($"; receipt {result.ReceiptNo}", $"; biên lai {result.ReceiptNo}")
                            + (result.CreditVnd > 0 ? new Words($"; {result.CreditVnd} đồng held as credit", $"; {Words.Amount(result.CreditVnd).Vi} giữ làm tiền dư") : Words.None)
                            + (decision.Flag is { } f ? new Words($"; to look at: {f}", "; kế toán cần xem lại") : Words.None));
                        msg.Flagged = decision.Flag is not null;
                        break;
                    }
                    default:
                    {
                        var why = who is null ? decision.Said : StudentIdentifier.Explain(who.Decision with { Said = decision.Said });
                        db.Unidentified.Add(new UnidentifiedMoney
                        {
                            Id = Guid.CreateVersion7(), InboxId = msg.Id, AccountId = account.Id, Bank = msg.Bank, BankRef = e.BankRef,
                            AmountVnd = e.AmountVnd, ReceivedAt = msg.ReceivedAt, Reason = why.En, ReasonVi = why.Vi,
                            Suggestions = SuggestionJson.Write(who?.Decision.Suggestions ?? []),
                        });
                        Finish(msg, InboxOutcomes.Unidentified, why + new Words("; parked for review", "; chờ đối soát"));
                        break;
                    }
                }
                break;
            }
            case BankEventKind.Reversal:
            {
                msg.Event = "reversal";
                // BIDV names the payment by the same transaction key; VCB and MSB by the original transaction id.
                var (kind, key) = msg.Bank == "BIDV" ? (InboxKinds.BidvPay, e.IdempotencyKey) : (InboxKinds.Notify, e.OriginalKey ?? "");
                // The credit on this account comes first: under its key, or the key kept when another account held it. A credit
                // found only on another account is still named, so the reversal is held saying so.
                var clash = InboxKeys.Clash(key, account.Id);
                var original = await db.Inbox.AsNoTracking()
                    .Where(m => m.Bank == msg.Bank && m.Kind == kind && (m.IdempotencyKey == key || m.IdempotencyKey == clash))
                    .OrderBy(m => m.AccountId == account.Id ? 0 : 1)
                    .Select(m => (Guid?)m.Id).FirstOrDefaultAsync(ct);
                var done = await credits.ReverseAsync(account.Id, e.AmountVnd, new BankCredits.ReversalOf(original, []), msg.Id, null, ct);
                if (done.Decision.Action == ReversalAction.Reverse)
                    Finish(msg, InboxOutcomes.Reversed, done.ParkedId is null
                        ? done.Decision.Said + new Words($": {done.ReversedPayments.Count} payment(s)", $": {done.ReversedPayments.Count} khoản nộp") : done.Decision.Said);
                else
                {
                    Finish(msg, InboxOutcomes.Held, done.Decision.Said);
                    msg.Flagged = true;
                }
                break;
            }
            default:
                msg.Event = "debit";
                Finish(msg, InboxOutcomes.Ignored, new Words("a debit that is not a fee payment", "tiền ra khỏi tài khoản, không phải khoản nộp"));
                break;
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        db.ChangeTracker.Clear();
        log?.LogInformation("Bank call {InboxId} from {Bank} processed: {Outcome}", msg.Id, msg.Bank, msg.Outcome);
        return msg.Id;
    }

    private void Finish(InboxMessage msg, string outcome, Words reason)
    {
        msg.Outcome = outcome;
        msg.OutcomeReason = reason.En;
        msg.OutcomeReasonVi = reason.Vi;
        msg.ProcessedAt = clock.Now;
        msg.Attempts++;
    }

    /// <summary>The processing failed and was rolled back: count the attempt; after a few, park the call for a person.</summary>
    private async Task RecordFailureAsync(Exception e, CancellationToken ct)
    {
        if (_current is not { } id)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e);
            return;
        }
        _failedThisRound.Add(id);
        var msg = await db.Inbox.SingleAsync(m => m.Id == id, ct);
        msg.Attempts++;
        msg.OutcomeReason = $"{e.GetType().Name}: {e.Message}";
        msg.OutcomeReasonVi = $"lỗi khi ghi nhận ({e.GetType().Name}), lần thử thứ {msg.Attempts}";
        if (msg.Attempts >= MaxAttempts)
        {
            // Acknowledged to the bank but not applied: it waits in the review queue for a person, never silently.
            msg.Outcome = InboxOutcomes.Failed;
            msg.ProcessedAt = clock.Now;
            msg.Flagged = true;
        }
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        log?.LogWarning("Bank call {InboxId} failed on attempt {Attempt}: {Error}", id, msg.Attempts, e.GetType().Name);
    }

    /// <summary>Reads the stored call again with its bank's adapter, exactly as the endpoint checked it would read.</summary>
    public static BankEvent ToEvent(InboxMessage msg, SchoolBankAccount account) => StoredCall.Read(msg.Bank, msg.Kind, msg.RawBody, account.AccountNo);
}
