using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Application.Matching;
using TdmEdu.Fees.Api.Application.Payments;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Domain.Notices;
using TdmEdu.Fees.Reconciliation.Credits;
using TdmEdu.Fees.Reconciliation.Matching;

namespace TdmEdu.Fees.Api.Application.Statements;

/// <summary>
/// Decides a batch of statement lines (credits and plain debits) in one transaction: every look-up the
/// matching engine needs is read for the whole batch at once, the engine decides each line in memory, and
/// the sure credits go to the ledger together, in line order, through the same allocation rules as a single
/// payment. Doubtful lines move no money. The decision's key is the line, so a line is decided once.
/// </summary>
public sealed class BatchDecider(FeesDb db, BusinessClock clock, Actor actor, IReadOnlyDictionary<Guid, SchoolBankAccount> accounts, string prefix)
{
    public async Task<Dictionary<Guid, string>> DecideAsync(IReadOnlyList<StatementLineRow> lines, CancellationToken ct)
    {
        var outcomes = new Dictionary<Guid, string>();
        if (lines.Count == 0) return outcomes;
        // Joins a caller's transaction: the statement page's preview runs the whole decision and rolls it back.
        await using var tx = await UnitOfWork.BeginAsync(db, ct);
        // Lines another run holds or has decided meanwhile are skipped: the row locks and the key make it once.
        var ids = lines.Select(l => l.Id).ToArray();
        var taken = (await db.Database.SqlQuery<Guid>($"""
            SELECT l.id AS "Value" FROM statement_lines l
            WHERE l.id = ANY({ids}) AND NOT EXISTS (SELECT 1 FROM reconciliations r WHERE r.statement_line_id = l.id)
            FOR UPDATE OF l SKIP LOCKED
            """).ToListAsync(ct)).ToHashSet();
        foreach (var line in lines.Where(l => !taken.Contains(l.Id))) outcomes[line.Id] = "skipped";
        var mine = lines.Where(l => taken.Contains(l.Id)).ToList();

        var decisions = new List<Persistence.LineDecision>();
        var notified = await NotifiedAsync(mine, ct);
        var facts = mine.Where(l => !notified.ContainsKey(l.Id)).Select(l => (Line: l, Facts: Facts(l))).ToList();
        var contexts = await BatchLookups.ContextsAsync(db, accounts, prefix,
            facts.Select(f => new CreditClues(f.Line.AccountId, f.Line.Content, f.Line.VirtualAccount, null)).ToList(), ct);
        var decided = await BatchLookups.DecideAsync(db, contexts, facts.Select(f => (f.Line.AccountId, f.Facts)).ToList(), ct);
        var verdicts = facts.Select((f, i) => (f.Line, Decision: decided[i])).ToList();

        foreach (var line in mine.Where(l => notified.ContainsKey(l.Id)))
        {
            // The notification holds this money (applied, or parked in the review queue until a person decides): the line joins it.
            var n = notified[line.Id];
            var local = TimeZoneInfo.ConvertTime(n.ReceivedAt, BusinessClock.Zone);
            var why = new Words($"already received as a {line.Bank} notification ({n.ReceivedAt:yyyy-MM-dd HH:mm}); joined by bank reference {line.BankRef}",
                          $"đã nhận qua thông báo của {line.Bank} ({local:dd/MM/yyyy HH:mm}); khớp theo số tham chiếu {line.BankRef}")
                      + (n.PaymentId is null ? new Words("; that money waits in the review queue until a person decides", "; khoản tiền đó chờ đối soát đến khi có người quyết định") : Words.None);
            decisions.Add(new Persistence.LineDecision
            {
                StatementLineId = line.Id, DecidedAt = clock.Now, Outcome = "duplicate", PaymentId = n.PaymentId, Reason = why.En, ReasonVi = why.Vi,
            });
        }

        var duplicates = await NotifiedPaymentsAsync(verdicts.Where(v => v.Decision.Apply).SelectMany(v => v.Decision.Students.Select(s => s.Id)).Distinct().ToArray(), ct);
        var named = await NamedNoticesAsync(verdicts.Where(v => v.Decision.Apply).ToList(), ct);
        var credits = new List<(StatementLineRow Line, MatchDecision Decision, BankCredit Credit)>();
        var creditPolicy = new BankCredits(db, clock, actor);
        foreach (var (line, match) in verdicts)
        {
            var result = new Persistence.LineDecision { StatementLineId = line.Id, DecidedAt = clock.Now };
            var decision = CreditPolicy.Decide(new CreditFacts(line.AmountVnd, ClaimState.Free, match,
                SameDayNotification: match.Apply && ProbableDuplicate(line, match.Students[0].Id, duplicates)));
            if (decision.Action == CreditAction.Apply)
            {
                var account = accounts[line.AccountId];
                var month = named.GetValueOrDefault(line.Id);
                var payment = BankCredits.NewPayment(account, decision.Students[0], line.AmountVnd, BankCredits.StatementSource(line.Bank), line.Id.ToString(),
                    actor.Name, clock.Now, reason: (decision.Said + (month.Period is { } p ? StudentIdentifier.MonthSaid(p, month.Notice is not null) : Words.None)).En,
                    preferredNoticeId: month.Notice, flag: decision.Flag);
                credits.Add((line, match, new BankCredit(payment, decision.Students)));
                continue;
            }
            if (match.Apply)
            {
                // The engine was sure, the policy was not: the line waits with the engine's pupils as suggestions.
                result.Outcome = "suggested";
                (result.Reason, result.ReasonVi) = (decision.Said.En, decision.Said.Vi);
                result.Suggestions = NamedByTheLine(match);
            }
            else
            {
                result.Outcome = match.Outcome.ToString().ToLowerInvariant();
                var why = StudentIdentifier.Explain(match);
                (result.Reason, result.ReasonVi) = (why.En, why.Vi);
                result.Suggestions = SuggestionJson.Write(match.Suggestions);
            }
            decisions.Add(result);
        }

        // Exactly once across channels: a credit whose reference a notification already holds (even one that came in
        // a moment ago, past the check above) is a duplicate, not a second payment.
        var refused = await creditPolicy.ClaimManyAsync(
            credits.Where(c => c.Line.BankRef is not null).Select(c => (c.Line.AccountId, c.Line.BankRef!, c.Line.Id)).ToList(), BankRefClaims.Statement, ct);
        foreach (var c in credits.Where(c => refused.ContainsKey(c.Line.Id)))
        {
            var d = CreditPolicy.Decide(new CreditFacts(c.Line.AmountVnd, refused[c.Line.Id].State, c.Decision, BankRef: c.Line.BankRef,
                HolderAmountVnd: refused[c.Line.Id].HolderAmountVnd));
            decisions.Add(new Persistence.LineDecision
            {
                StatementLineId = c.Line.Id, DecidedAt = clock.Now, Outcome = d.Action == CreditAction.Duplicate ? "duplicate" : "suggested", Reason = d.Said.En,
                ReasonVi = d.Said.Vi, Suggestions = NamedByTheLine(c.Decision),
            });
        }
        credits = credits.Where(c => !refused.ContainsKey(c.Line.Id)).ToList();
        var applied = await new Ledger(db, clock, actor).RecordBankManyAsync(credits.Select(c => c.Credit).ToList(), ct);
        for (var i = 0; i < credits.Count; i++)
        {
            // What the money did is worded against what was owed when it was applied: earlier lines of the batch count.
            var settled = Matcher.Settle(credits[i].Decision, credits[i].Line.AmountVnd, applied[i].OwedBeforeVnd);
            var why = settled.Said + (named.GetValueOrDefault(credits[i].Line.Id) is { Period: { } p } m ? StudentIdentifier.MonthSaid(p, m.Notice is not null) : Words.None);
            decisions.Add(new Persistence.LineDecision
            {
                StatementLineId = credits[i].Line.Id, DecidedAt = clock.Now, PaymentId = applied[i].PaymentId,
                Outcome = settled.Outcome.ToString().ToLowerInvariant(), Reason = why.En, ReasonVi = why.Vi,
            });
        }
        await BulkCopy.InsertAsync(db, decisions, ct);
        await tx.CommitAsync(ct);
        foreach (var d in decisions) outcomes[d.StatementLineId] = d.Outcome;
        return outcomes;
    }

    /// <summary>
    /// For each line the engine applies, the month its text names after the first pupil's code, and that pupil's
    /// open notice of the month at the receiving school (read for the whole batch at once).
    /// </summary>
    private async Task<Dictionary<Guid, (int? Period, Guid? Notice)>> NamedNoticesAsync(List<(StatementLineRow Line, MatchDecision Decision)> applied, CancellationToken ct)
    {
        var asked = applied.Select(v => (v.Line, Student: v.Decision.Students[0].Id, Period: StudentIdentifier.NamedPeriod(v.Line.Content, v.Decision.Students[0].PaymentCode, prefix)))
            .Where(x => x.Period is not null).ToList();
        if (asked.Count == 0) return [];
        var students = asked.Select(a => a.Student).Distinct().ToArray();
        var periods = asked.Select(a => a.Period!.Value).Distinct().ToArray();
        var open = await db.Notices.AsNoTracking()
            .Where(n => students.Contains(n.StudentId) && periods.Contains(n.PeriodKey) && (n.Status == NoticeStatus.Issued || n.Status == NoticeStatus.PartiallyPaid))
            .Select(n => new { n.Id, n.StudentId, n.SchoolId, n.PeriodKey }).ToListAsync(ct);
        var byKey = open.GroupBy(n => (n.StudentId, n.SchoolId, n.PeriodKey)).ToDictionary(g => g.Key, g => g.First().Id);
        return asked.ToDictionary(a => a.Line.Id,
            a => (a.Period, byKey.TryGetValue((a.Student, accounts[a.Line.AccountId].SchoolId, a.Period!.Value), out var id) ? id : (Guid?)null));
    }

    /// <summary>The pupils a sure match named, as suggestions, when the policy would not let the money move by itself.</summary>
    private static string NamedByTheLine(MatchDecision match) =>
        SuggestionJson.Write(match.Students.Select(s => new Suggestion(s.Id, s.PaymentCode, new Words("named by the bank line", "được ghi trong giao dịch"))));

    private static LineFacts Facts(StatementLineRow l) =>
        new(l.Bank, l.ValueDate ?? l.BookingDate, l.Direction == "credit", l.Reversal, l.AmountVnd, l.Content, l.VirtualAccount, null,
            l.CounterpartyAccount, l.CounterpartyName, null);

    private sealed record InboxRef(Guid Id, string Bank, string BankRef, DateTimeOffset ReceivedAt, Guid AccountId, long? AmountVnd);

    private sealed record Notified(Guid InboxId, DateTimeOffset ReceivedAt, Guid? PaymentId);

    /// <summary>Credits the bank already notified, joined by bank reference: the notification moved the money.</summary>
    private async Task<Dictionary<Guid, Notified>> NotifiedAsync(List<StatementLineRow> lines, CancellationToken ct)
    {
        var credits = lines.Where(l => l.Direction == "credit" && !l.Reversal && l.BankRef is not null).ToList();
        var pairs = credits.Select(l => (l.Bank, Ref: l.BankRef!)).Distinct().ToList();
        if (pairs.Count == 0) return [];
        // Each (bank, reference) pair looked up in the inbox's index. EF's null handling of "reference in this list" hid
        // the index; "bank in these and reference in those" tested every stored call against the whole list; a plain join
        // hashed every stored call (their bodies make the table large: 0.3 s a batch at 50,000 calls). OFFSET 0 keeps
        // the look-up per pair, so its cost follows the batch, not the inbox.
        var inbox = await db.Database.SqlQuery<InboxRef>($"""
            SELECT b.id AS "Id", b.bank AS "Bank", b.bank_ref AS "BankRef", b.received_at AS "ReceivedAt", b.account_id AS "AccountId", b.amount_vnd AS "AmountVnd"
            FROM unnest({pairs.Select(p => p.Bank).ToArray()}::text[], {pairs.Select(p => p.Ref).ToArray()}::text[]) AS x(bank, ref)
            CROSS JOIN LATERAL (SELECT * FROM bank_inbox i WHERE i.bank = x.bank AND i.bank_ref = x.ref AND i.kind <> {InboxKinds.BidvRevert} OFFSET 0) b
            """).ToListAsync(ct);
        var inboxIds = inbox.Select(m => m.Id).ToList();
        var payments = (await db.Payments.AsNoTracking().Where(p => p.InboxId != null && inboxIds.Contains(p.InboxId.Value) && p.AmountVnd > 0)
            .Select(p => new { p.InboxId, p.Id }).ToListAsync(ct)).DistinctBy(p => p.InboxId).ToDictionary(p => p.InboxId!.Value, p => p.Id);
        var byRef = inbox.GroupBy(m => (m.Bank, m.BankRef!)).ToDictionary(g => g.Key, g => g.OrderBy(m => m.ReceivedAt).First());
        var result = new Dictionary<Guid, Notified>();
        foreach (var l in credits)
            // The same reference on the same account for the same amount is the same money; anything else is decided on its own.
            if (byRef.TryGetValue((l.Bank, l.BankRef!), out var m) && m.AccountId == l.AccountId && (m.AmountVnd ?? l.AmountVnd) == l.AmountVnd)
                result[l.Id] = new Notified(m.Id, m.ReceivedAt, payments.TryGetValue(m.Id, out var p) ? p : null);
        return result;
    }

    private sealed record NotifiedPayment(Guid StudentId, long AmountVnd, string Source, DateTimeOffset ReceivedAt);

    private async Task<ILookup<Guid, NotifiedPayment>> NotifiedPaymentsAsync(Guid[] students, CancellationToken ct) =>
        (await db.Payments.AsNoTracking().Where(p => students.Contains(p.StudentId) && p.InboxId != null && p.AmountVnd > 0)
            .Select(p => new NotifiedPayment(p.StudentId, p.AmountVnd, p.Source, p.ReceivedAt)).ToListAsync(ct)).ToLookup(p => p.StudentId);

    /// <summary>No reference joins them, but a notification for the same student, amount and day was applied already.</summary>
    private static bool ProbableDuplicate(StatementLineRow line, Guid student, ILookup<Guid, NotifiedPayment> notified)
    {
        var day = line.ValueDate ?? line.BookingDate;
        return notified[student].Any(p => p.AmountVnd == line.AmountVnd && p.Source == line.Bank
                                          && DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(p.ReceivedAt, BusinessClock.Zone).DateTime) == day);
    }
}
