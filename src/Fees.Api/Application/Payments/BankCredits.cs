using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Reconciliation.Credits;

namespace TdmEdu.Fees.Api.Application.Payments;

/// <summary>
/// The one place where bank money becomes ledger entries: a bank payment is built here (always for the school whose
/// account received the money), a bank reference is claimed here (once across channels), and a bank's reversal is
/// looked up, decided by <see cref="CreditPolicy"/> and carried out here. Notifications, BIDV bill payments,
/// statement lines and review decisions all come through it.
/// </summary>
public sealed class BankCredits(FeesDb db, BusinessClock clock, Actor actor)
{
    /// <summary>A bank payment: the school is the receiving account's, never the pupil's.</summary>
    public static Payment NewPayment(SchoolBankAccount account, Guid studentId, long amountVnd, string source, string externalRef, string actorName,
        DateTimeOffset receivedAt, Guid? inboxId = null, string? reason = null, Guid? preferredNoticeId = null, string? flag = null) => new()
        {
            Id = Guid.CreateVersion7(), SchoolId = account.SchoolId, StudentId = studentId, Method = PaymentMethods.Bank, AmountVnd = amountVnd,
            ReceivedAt = receivedAt, Source = source, ExternalRef = externalRef, Actor = actorName, InboxId = inboxId, Reason = reason,
            PreferredNoticeId = preferredNoticeId, Flag = flag,
        };

    /// <summary>The source of a statement line's payments: "STMT-" and the bank.</summary>
    public static string StatementSource(string bank) => "STMT-" + bank;

    /// <summary>Who holds a reference, and the amount of the credit that holds it (to tell the same money from a clash).</summary>
    public sealed record Claim(ClaimState State, long? HolderAmountVnd = null);

    /// <summary>Claims one reference for a source; Free when there is no reference to claim.</summary>
    public async Task<Claim> ClaimAsync(Guid accountId, string? bankRef, string channel, Guid sourceId, CancellationToken ct)
    {
        if (bankRef is null) return new(ClaimState.Free);
        var refused = await ClaimManyAsync([(accountId, bankRef, sourceId)], channel, ct);
        return refused.TryGetValue(sourceId, out var held) ? held : new(ClaimState.Free);
    }

    /// <summary>Claims many references for one channel; returns, for the sources refused, who holds the reference and for how much.</summary>
    public async Task<Dictionary<Guid, Claim>> ClaimManyAsync(IReadOnlyList<(Guid AccountId, string BankRef, Guid SourceId)> claims, string channel,
        CancellationToken ct)
    {
        var refused = await BankRefClaims.ClaimManyAsync(db, claims, channel, clock.Now, ct);
        var holders = refused.Values.Select(h => h.SourceId).Distinct().ToList();
        var amounts = (await db.Inbox.AsNoTracking().Where(m => holders.Contains(m.Id)).Select(m => new { m.Id, m.AmountVnd }).ToListAsync(ct))
            .ToDictionary(x => x.Id, x => x.AmountVnd);
        foreach (var l in await db.StatementLines.AsNoTracking().Where(l => holders.Contains(l.Id)).Select(l => new { l.Id, l.AmountVnd }).ToListAsync(ct))
            amounts[l.Id] = l.AmountVnd;
        return refused.ToDictionary(x => x.Key, x => new Claim(
            x.Value.Channel == BankRefClaims.Notification ? ClaimState.HeldByNotification : ClaimState.HeldByStatement, amounts.GetValueOrDefault(x.Value.SourceId)));
    }

    /// <summary>What a reversal names: the bank call it takes back, or a bank reference on the account's statement.</summary>
    public sealed record ReversalOf(Guid? OriginalInboxId, IReadOnlyList<string> References);

    public sealed record ReversalResult(ReversalDecision Decision, IReadOnlyList<Guid> ReversedPayments, Guid? ParkedId);

    /// <summary>
    /// A bank took money back from the account: the credit it names is found whichever channel brought it, the policy
    /// decides, and only a whole reversal on the same account undoes anything. Joins the caller's transaction.
    /// </summary>
    public async Task<ReversalResult> ReverseAsync(Guid accountId, long amountVnd, ReversalOf of, Guid? byInboxId, Guid? byStatementLineId, CancellationToken ct)
    {
        var original = await FindOriginalAsync(accountId, of, ct);
        // Money parked from a call that a person may be deciding on right now: taken under the review queue's lock on it
        // and read again, so either the decision comes first and its payment is reversed, or the money is taken back
        // first and the decision is refused.
        // Only money of this account can be taken back by it: parked money of another account is not locked (a school's
        // reversal naming another school's credit must not hold that school's review queue), and the policy refuses it.
        if (original.ParkedId is { } parkedId && original.AccountId == accountId)
        {
            await ReviewLock.TakeAsync(db, parkedId, ct);
            original = await FindOriginalAsync(accountId, of, ct);
        }
        var decision = CreditPolicy.DecideReversal(new ReversalFacts(accountId, amountVnd, original.State, original.AccountId, original.AmountVnd));
        if (decision.Action != ReversalAction.Reverse) return new(decision, [], null);
        var ledger = new Ledger(db, clock, actor);
        foreach (var id in original.Payments) await ledger.ReverseBankPaymentAsync(id, "taken back by the bank", byInboxId, ct);
        // Money parked from the call goes with it, whether still parked, marked returned, or paid to a pupil by a person
        // (whose payment was just reversed): marked taken back, it can never be paid, undone or moved again.
        if (original.ParkedId is { } taken)
        {
            var parked = await db.Unidentified.SingleAsync(u => u.Id == taken, ct);
            parked.ReversedByInboxId = byInboxId;
            parked.ReversedByStatementLineId = byStatementLineId;
            await db.SaveChangesAsync(ct);
        }
        return new(decision, original.Payments, original.Payments.Count == 0 ? original.ParkedId : null);
    }

    private sealed record Original(OriginalState State, Guid? AccountId = null, long? AmountVnd = null, IReadOnlyList<Guid>? PaymentIds = null, Guid? ParkedId = null)
    {
        public IReadOnlyList<Guid> Payments => PaymentIds ?? [];
    }

    private async Task<Original> FindOriginalAsync(Guid accountId, ReversalOf of, CancellationToken ct)
    {
        if (of.OriginalInboxId is { } inboxId)
        {
            var msg = await db.Inbox.AsNoTracking().SingleAsync(m => m.Id == inboxId, ct);
            // Not applied yet (on this account: stored after the reversal); failed: waiting in the review queue.
            if (msg.ProcessedAt is null) return new(OriginalState.NotApplied, msg.AccountId, msg.AmountVnd);
            if (msg.Outcome is InboxOutcomes.Failed) return new(OriginalState.Unsettled, msg.AccountId, msg.AmountVnd);
            // A call that was money going out (a debit, another reversal) is no credit to take back.
            if (msg.Event is "debit" or "reversal") return new(OriginalState.Unknown);
            // A call that was a duplicate moved its money through the channel that holds its reference.
            if (msg.Outcome == InboxOutcomes.Duplicate && msg.BankRef is not null)
                return await MoneyOfReferenceAsync(msg.AccountId, msg.BankRef, msg.AmountVnd, ct) is var found && msg.AmountVnd is { } own
                    ? found with { AmountVnd = own } : await MoneyOfReferenceAsync(msg.AccountId, msg.BankRef, msg.AmountVnd, ct);
            return await MoneyOfCallAsync(msg, ct);
        }
        foreach (var reference in of.References.Where(r => !string.IsNullOrWhiteSpace(r)).Distinct())
        {
            if (await db.BankRefClaims.AsNoTracking().AnyAsync(c => c.AccountId == accountId && c.BankRef == reference, ct))
                return await MoneyOfReferenceAsync(accountId, reference, null, ct);
            // A credit line of this account with the reference that moved no money yet: it waits in the queue.
            if (await db.StatementLines.AsNoTracking().AnyAsync(l => l.AccountId == accountId && l.BankRef == reference && l.Direction == "credit", ct))
                return new(OriginalState.Unsettled, accountId);
            var elsewhere = await db.BankRefClaims.AsNoTracking().Where(c => c.BankRef == reference).Select(c => (Guid?)c.AccountId).FirstOrDefaultAsync(ct);
            if (elsewhere is not null) return new(OriginalState.Paid, elsewhere, null);
        }
        return new(OriginalState.Unknown);
    }

    /// <summary>The money a claimed reference moved: through the notification or the statement line that holds it.</summary>
    private async Task<Original> MoneyOfReferenceAsync(Guid accountId, string reference, long? amountVnd, CancellationToken ct)
    {
        var claim = await db.BankRefClaims.AsNoTracking().SingleOrDefaultAsync(c => c.AccountId == accountId && c.BankRef == reference, ct);
        if (claim is null) return new(OriginalState.Unsettled, accountId, amountVnd);
        if (claim.Channel == BankRefClaims.Notification)
            return await MoneyOfCallAsync(await db.Inbox.AsNoTracking().SingleAsync(m => m.Id == claim.SourceId, ct), ct);
        var line = await db.StatementLines.AsNoTracking().SingleAsync(l => l.Id == claim.SourceId, ct);
        var key = line.Id.ToString();
        var source = StatementSource(line.Bank);
        var payments = await db.Payments.AsNoTracking()
            .Where(p => p.Source == source && (p.ExternalRef == key || p.ExternalRef.StartsWith(key + "#")) && p.AmountVnd > 0).ToListAsync(ct);
        return await StateOfAsync(line.AccountId, line.AmountVnd, payments, null, ct);
    }

    private async Task<Original> MoneyOfCallAsync(InboxMessage msg, CancellationToken ct)
    {
        var payments = await db.Payments.AsNoTracking().Where(p => p.InboxId == msg.Id && p.AmountVnd > 0).ToListAsync(ct);
        var parked = await db.Unidentified.AsNoTracking().SingleOrDefaultAsync(u => u.InboxId == msg.Id, ct);
        var amount = msg.AmountVnd ?? parked?.AmountVnd ?? (payments.Count > 0 ? payments.Sum(p => p.AmountVnd) : null);
        return await StateOfAsync(msg.AccountId, amount, payments, parked, ct);
    }

    private async Task<Original> StateOfAsync(Guid accountId, long? amountVnd, List<Payment> payments, UnidentifiedMoney? parked, CancellationToken ct)
    {
        var ids = payments.Select(p => p.Id).ToList();
        var reversed = await db.Payments.AsNoTracking().Where(r => r.ReversesPaymentId != null && ids.Contains(r.ReversesPaymentId.Value))
            .Select(r => r.ReversesPaymentId!.Value).ToListAsync(ct);
        var inForce = ids.Except(reversed).ToList();
        if (inForce.Count > 0)
        {
            var refunded = await db.Refunds.AsNoTracking().AnyAsync(r => inForce.Contains(r.PaymentId), ct);
            return new(refunded ? OriginalState.PartlyRefunded : OriginalState.Paid, accountId, amountVnd, inForce, parked?.Id);
        }
        if (parked is not null)
        {
            if (parked.ReversedByInboxId is not null || parked.ReversedByStatementLineId is not null) return new(OriginalState.AlreadyReversed, accountId, amountVnd);
            var decided = await DecisionsInForce.OfAsync(db, parked.Id, ct);
            return new(decided is null ? OriginalState.Parked : OriginalState.Returned, accountId, amountVnd, null, parked.Id);
        }
        return new(ids.Count > 0 ? OriginalState.AlreadyReversed : OriginalState.Unsettled, accountId, amountVnd);
    }
}
