using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Application.Matching;
using TdmEdu.Fees.Api.Application.Payments;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.BankAdapters.Inbound;
using TdmEdu.Fees.Domain.Notices;
using TdmEdu.Fees.Reconciliation.Credits;
using TdmEdu.Fees.Reconciliation.Matching;

namespace TdmEdu.Fees.Api.Application.Banks;

public sealed partial class InboxProcessor
{
    /// <summary>
    /// Consecutive credits of one account and bank, in their order, as the policy decides each alone: a credit the bank
    /// already took back waits; its reference is claimed before anything moves (a second claim is a duplicate); the engine
    /// names the pupil from every look-up read once for all; the sure ones go to the ledger together, the rest are parked.
    /// </summary>
    private async Task ApplyCreditsAsync(IReadOnlyList<(InboxMessage Msg, BankEvent Event)> credits, SchoolBankAccount account, string prefix, CancellationToken ct)
    {
        if (credits.Count == 0) return;
        var actor = new Actor("bank:" + credits[0].Msg.Bank);
        var bankCredits = new BankCredits(db, clock, actor);
        foreach (var (msg, _) in credits) msg.Event = "credit";
        // Written now, so that a second credit of this stretch with the same reference sees what the first one holds.
        await db.SaveChangesAsync(ct);

        // The same credit may have come on the account statement first: references are claimed before anything moves.
        // Every credit claims its reference, the ones held below too: a second notification of a credit the bank took
        // back is then a duplicate of the held one, not new money.
        var refused = await bankCredits.ClaimManyAsync(credits.Where(c => c.Msg.BankRef is not null).Select(c => (account.Id, c.Msg.BankRef!, c.Msg.Id)).ToList(),
            BankRefClaims.Notification, ct);

        // The bank may take a credit back before the credit itself arrives (a retried call): a reversal held for a
        // person that names this credit for its whole amount means the money is already gone, so nothing is applied and
        // both wait. A reversal of another amount takes nothing back by itself: the credit is applied, the reversal waits.
        var takenBack = await HeldReversalsAsync(credits, account, ct);
        var open = new List<(InboxMessage Msg, BankEvent Event)>();
        foreach (var c in credits)
        {
            if (c.Msg.Kind == InboxKinds.Notify && takenBack.Contains((c.Msg.IdempotencyKey.Split(InboxKeys.Separator)[0], c.Event.AmountVnd)))
            {
                Finish(c.Msg, InboxOutcomes.Held, new Words("the bank already took this credit back (a reversal naming it came first); nothing applied, both wait for a person",
                    "ngân hàng đã lấy lại khoản này (lệnh đảo đến trước); không ghi gì, cả hai chờ người xem xét"));
                c.Msg.Flagged = true;
            }
            else open.Add(c);
        }
        if (open.Count == 0) return;

        var free = open.Where(c => !refused.ContainsKey(c.Msg.Id)).ToList();
        var accounts = new Dictionary<Guid, SchoolBankAccount> { [account.Id] = account };
        var contexts = await BatchLookups.ContextsAsync(db, accounts, prefix,
            free.Select(c => new CreditClues(account.Id, c.Event.Description, c.Event.VirtualAccount, c.Event.CustomerId)).ToList(), ct);
        var verdicts = await BatchLookups.DecideAsync(db, contexts, free.Select(c => (account.Id, Facts(c.Event))).ToList(), ct);
        var who = new Dictionary<Guid, MatchDecision>();
        for (var i = 0; i < free.Count; i++) who[free[i].Msg.Id] = verdicts[i];
        var named = await NamedNoticesAsync(free.Where(c => who[c.Msg.Id].Apply).Select(c => (c.Msg, c.Event, who[c.Msg.Id])).ToList(), account, prefix, ct);
        foreach (var (id, notice) in named) who[id] = who[id] with { Said = who[id].Said + notice.Said };

        var applying = new List<(InboxMessage Msg, CreditDecision Decision, MatchDecision Match, BankCredit Credit)>();
        foreach (var (msg, e) in open)
        {
            var claim = refused.GetValueOrDefault(msg.Id) ?? new BankCredits.Claim(ClaimState.Free);
            var match = who.GetValueOrDefault(msg.Id);
            var decision = CreditPolicy.Decide(new CreditFacts(e.AmountVnd, claim.State, match, BankRef: msg.BankRef, HolderAmountVnd: claim.HolderAmountVnd));
            switch (decision.Action)
            {
                case CreditAction.Duplicate:
                    Finish(msg, InboxOutcomes.Duplicate, decision.Said);
                    break;
                case CreditAction.Apply:
                {
                    var notice = named.GetValueOrDefault(msg.Id);
                    // A bill the call names that is not the pupil's at this school: applied by the rules, and shown to a person.
                    var flag = decision.Flag ?? (e.BillId is not null && notice.Id is null ? "names a bill that is not this pupil's at this school" : null);
                    decision = decision with { Flag = flag };
                    var payment = BankCredits.NewPayment(account, decision.Students[0], e.AmountVnd, msg.Bank, msg.IdempotencyKey, actor.Name, msg.ReceivedAt,
                        inboxId: msg.Id, preferredNoticeId: notice.Id, flag: decision.Flag);
                    applying.Add((msg, decision, match!, new BankCredit(payment, decision.Students)));
                    break;
                }
                default:
                {
                    var why = match is null ? decision.Said : StudentIdentifier.Explain(match with { Said = decision.Said });
                    db.Unidentified.Add(new UnidentifiedMoney
                    {
                        Id = Guid.CreateVersion7(), InboxId = msg.Id, AccountId = account.Id, Bank = msg.Bank, BankRef = e.BankRef,
                        AmountVnd = e.AmountVnd, ReceivedAt = msg.ReceivedAt, Reason = why.En, ReasonVi = why.Vi,
                        Suggestions = SuggestionJson.Write(match?.Suggestions ?? []),
                    });
                    Finish(msg, InboxOutcomes.Unidentified, why + new Words("; parked for review", "; chờ đối soát"));
                    break;
                }
            }
        }

        var results = await new Ledger(db, clock, actor).RecordBankManyAsync(applying.Select(a => a.Credit).ToList(), ct);
        for (var i = 0; i < applying.Count; i++)
        {
            var (msg, decision, match, _) = applying[i];
            var result = results[i];
            // What the money did is worded against what was owed when it was applied: earlier credits of the stretch count
            // (found by attack: "pays 100000 of 815000 owed; 100000 đồng held as credit").
            var settled = Matcher.Settle(match, result.AmountVnd, result.OwedBeforeVnd);
            var said = ReferenceEquals(settled, match) ? decision.Said
                : settled.Said + (named.TryGetValue(msg.Id, out var month) ? month.Said : Words.None);
            Finish(msg, InboxOutcomes.Applied, said + new Words($"; receipt {result.ReceiptNo}", $"; biên lai {result.ReceiptNo}")
                + (result.CreditVnd > 0 ? new Words($"; {result.CreditVnd} đồng held as credit", $"; {Words.Amount(result.CreditVnd).Vi} giữ làm tiền dư") : Words.None)
                + (decision.Flag is { } f ? new Words($"; to look at: {f}", "; kế toán cần xem lại") : Words.None));
            msg.Flagged = decision.Flag is not null;
        }
    }

    /// <summary>A call without a value date is dated by the business day it is applied on.</summary>
    private LineFacts Facts(BankEvent e) =>
        new(e.Bank, e.ValueDate ?? clock.Today, true, false, e.AmountVnd, e.Description, e.VirtualAccount, e.CustomerId, null, null, null);

    /// <summary>
    /// The (transaction id, amount) that reversals held on this account name, for the credits of this stretch
    /// (notifications only; BIDV reverses by its own key). Read from the key each reversal keeps, not from its body.
    /// </summary>
    private async Task<HashSet<(string Key, long AmountVnd)>> HeldReversalsAsync(IReadOnlyList<(InboxMessage Msg, BankEvent Event)> credits,
        SchoolBankAccount account, CancellationToken ct)
    {
        var keys = credits.Where(c => c.Msg.Kind == InboxKinds.Notify).Select(c => c.Msg.IdempotencyKey.Split(InboxKeys.Separator)[0]).Distinct().ToList();
        if (keys.Count == 0) return [];
        var bank = credits[0].Msg.Bank;
        var held = await db.Inbox.AsNoTracking()
            .Where(m => m.AccountId == account.Id && m.Event == "reversal" && m.Outcome == InboxOutcomes.Held && m.Bank == bank && m.Kind == InboxKinds.Notify
                        && m.OriginalKey != null && keys.Contains(m.OriginalKey))
            .Select(m => new { m.OriginalKey, m.AmountVnd }).ToListAsync(ct);
        return held.Select(h => (h.OriginalKey!, h.AmountVnd ?? 0)).ToHashSet();
    }

    /// <summary>
    /// The notice each sure credit names, when it is its first pupil's at the receiving school: the bill a BIDV payment
    /// names, or the open notice of the month the transfer's text names after the code (read for all at once).
    /// </summary>
    private async Task<Dictionary<Guid, (Guid? Id, Words Said)>> NamedNoticesAsync(IReadOnlyList<(InboxMessage Msg, BankEvent Event, MatchDecision Match)> sure,
        SchoolBankAccount account, string prefix, CancellationToken ct)
    {
        var result = new Dictionary<Guid, (Guid? Id, Words Said)>();
        if (sure.Count == 0) return result;
        var students = sure.Select(s => s.Match.Students[0].Id).Distinct().ToArray();
        var bills = sure.Where(s => s.Event.BillId is not null).Select(s => s.Event.BillId!).Distinct().ToArray();
        var byBill = bills.Length == 0 ? []
            : (await db.Notices.AsNoTracking().Where(n => bills.Contains(n.NoticeNo) && students.Contains(n.StudentId) && n.SchoolId == account.SchoolId)
                .Select(n => new { n.Id, n.NoticeNo, n.StudentId }).ToListAsync(ct)).GroupBy(n => (n.NoticeNo, n.StudentId)).ToDictionary(g => g.Key, g => g.First().Id);
        var periods = sure.Where(s => s.Event.BillId is null)
            .Select(s => (s.Msg.Id, Period: StudentIdentifier.NamedPeriod(s.Event.Description, s.Match.Students[0].PaymentCode, prefix))).Where(p => p.Period is not null)
            .ToDictionary(p => p.Id, p => p.Period!.Value);
        var periodKeys = periods.Values.Distinct().ToArray();
        var byPeriod = periodKeys.Length == 0 ? []
            : (await db.Notices.AsNoTracking()
                .Where(n => students.Contains(n.StudentId) && n.SchoolId == account.SchoolId && periodKeys.Contains(n.PeriodKey)
                            && (n.Status == NoticeStatus.Issued || n.Status == NoticeStatus.PartiallyPaid))
                .Select(n => new { n.Id, n.StudentId, n.PeriodKey }).ToListAsync(ct)).GroupBy(n => (n.StudentId, n.PeriodKey)).ToDictionary(g => g.Key, g => g.First().Id);
        foreach (var (msg, e, match) in sure)
        {
            var student = match.Students[0].Id;
            if (e.BillId is not null)
                result[msg.Id] = (byBill.TryGetValue((e.BillId, student), out var bill) ? bill : null, Words.None);
            else if (periods.TryGetValue(msg.Id, out var period))
            {
                var id = byPeriod.TryGetValue((student, period), out var n) ? n : (Guid?)null;
                result[msg.Id] = (id, StudentIdentifier.MonthSaid(period, id is not null));
            }
        }
        return result;
    }
}
