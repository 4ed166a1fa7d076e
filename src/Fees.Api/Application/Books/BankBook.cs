using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Api.Application.Books;

/// <summary>
/// The bank book of one school account and one month (sổ tiền gửi ngân hàng, docs/contracts/bank-book.md), set against
/// the bank's own statement of the account. The book holds what the fee ledger moved through the account: bank payments
/// in, reversals and refunds by transfer out, with the vouchers' numbers. The statement holds the lines the bank booked,
/// and the balances it stated. Every statement line of the month is either in the book that month, or listed with why
/// not (money waiting for review, booked in another month, a debit that is not fee money); every book entry is either on
/// the month's statement, or listed with why not. The two lists explain the whole difference between book and statement.
/// </summary>
public sealed class BankBook(FeesDb db)
{
    /// <summary>A book entry: a voucher's movement of money on the account.</summary>
    public sealed record Entry(DateOnly Date, string Document, string Kind, string? StudentCode, long InVnd, long OutVnd, Line? OnStatement);

    /// <summary>A statement line (or what of it the month's book does not hold).</summary>
    public sealed record Line(Guid Id, DateOnly Day, string? BankRef, string Content, long InVnd, long OutVnd);

    /// <summary>Why a statement line is not (wholly) in the month's book, or a book entry not on the month's statement.</summary>
    public static class Why
    {
        public const string Waiting = "waiting", Parked = "parked", Ignored = "ignored", OtherDebit = "other-debit", OtherMonth = "other-month",
            NotReconciled = "not-reconciled", NoLine = "no-line", Refund = "refund", Reversed = "reversed";
    }

    public sealed record LineDifference(Line Line, string Why, long InVnd, long OutVnd, DateOnly? BookedOn);

    public sealed record EntryDifference(Entry Entry, string Why);

    /// <summary>
    /// Unconfirmed: the month's lines only an uploaded file carries, on days the bank's statement API was pulled for the
    /// account and did not report them. A file is the accountant's; the API is the bank's own word. Until a person checks
    /// them with the bank, the month is not reconciled (found by attack: a made-up credit and debit that cancel out kept
    /// the stated balances whole while the credit paid a notice). FilesAlone: no day of the month was covered by the API.
    /// </summary>
    public sealed record Account(Guid Id, string Bank, string AccountNo, string AccountName, BillingMonth Month,
        long? OpeningVnd, long? ClosingVnd, IReadOnlyList<string> BalanceConflicts, int StatementLines, long StatementInVnd, long StatementOutVnd,
        IReadOnlyList<Entry> Entries, IReadOnlyList<LineDifference> NotInBook, IReadOnlyList<EntryDifference> NotOnStatement, IReadOnlyList<Line> Unconfirmed,
        bool FilesAlone = false)
    {
        /// <summary>
        /// Lines the reconciliation has not read yet: the month is not reconciled while they are there (found by review: it
        /// said "reconciled" over them). A line waiting for the accountant is read and held visibly: an explained difference.
        /// </summary>
        public int UndecidedLines => NotInBook.Count(d => d.Why is Why.NotReconciled);

        public long BookInVnd => Entries.Sum(e => e.InVnd);
        public long BookOutVnd => Entries.Sum(e => e.OutVnd);

        /// <summary>What the stated closing balance differs from the opening plus the month's lines: lines missing from the imports when not 0.</summary>
        public long? StatementGapVnd => OpeningVnd is { } o && ClosingVnd is { } c ? c - (o + StatementInVnd - StatementOutVnd) : null;

        /// <summary>What the two lists do not explain of the difference between statement and book: 0 when every đồng is accounted for.</summary>
        public long UnexplainedVnd =>
            StatementInVnd - StatementOutVnd - (BookInVnd - BookOutVnd)
            - (NotInBook.Sum(d => d.InVnd - d.OutVnd) - NotOnStatement.Sum(d => d.Entry.InVnd - d.Entry.OutVnd));

        public bool Reconciled => StatementGapVnd is 0 && UnexplainedVnd == 0 && Unconfirmed.Count == 0 && BalanceConflicts.Count == 0 && UndecidedLines == 0;
    }

    /// <summary>How many days a stated balance is looked for before the month's first day and after its last.</summary>
    private const int Carry = 31;

    private sealed record Money(Guid Id, string Method, long AmountVnd, DateTimeOffset ReceivedAt, Guid? InboxId, string Source, string ExternalRef,
        Guid? ReversesPaymentId, string? Reason, string StudentCode);

    public async Task<List<Account>> QueryAsync(string schoolCode, BillingMonth month, string? accountNo = null, CancellationToken ct = default)
    {
        var school = await db.Schools.AsNoTracking().Where(s => s.Code == schoolCode).Select(s => (Guid?)s.Id).SingleOrDefaultAsync(ct)
            ?? throw new BusinessRuleException($"School {schoolCode} is not known.", $"Không có trường {schoolCode}.");
        var accounts = await db.BankAccounts.AsNoTracking().Where(a => a.SchoolId == school).OrderBy(a => a.Position).ThenBy(a => a.AccountNo).ToListAsync(ct);
        // Refunds of money no account brought (cash, or credit) go out of the school's first account.
        var firstAccount = accounts.Select(a => (Guid?)a.Id).FirstOrDefault();
        if (accountNo is not null)
        {
            accounts = accounts.Where(a => a.AccountNo == accountNo).ToList();
            if (accounts.Count == 0) throw new BusinessRuleException($"School {schoolCode} has no account {accountNo}.", $"Trường {schoolCode} không có tài khoản {accountNo}.");
        }
        static DateOnly Local(DateTimeOffset at) => BusinessClock.DayOf(at);
        var (first, last) = (month.FirstDay, month.FirstDay.AddMonths(1).AddDays(-1));
        var (start, end) = (BusinessClock.StartOf(first), BusinessClock.StartOf(last.AddDays(1)));
        var ids = accounts.Select(a => a.Id).ToList();

        var lines = await db.StatementLines.AsNoTracking().Where(l => ids.Contains(l.AccountId) && l.BookingDate >= first && l.BookingDate <= last)
            .Select(l => new { l.Id, l.AccountId, l.BookingDate, l.BankRef, l.Content, l.Direction, l.Reversal, l.AmountVnd }).ToListAsync(ct);
        var lineIds = lines.Select(l => l.Id.ToString()).ToList();
        var refs = lines.Where(l => l.BankRef != null).Select(l => l.BankRef!).Distinct().ToList();
        // The bank calls that carried the month's lines' money too (joined by reference on the account).
        var calls = await db.Inbox.AsNoTracking().Where(m => ids.Contains(m.AccountId) && m.BankRef != null && refs.Contains(m.BankRef))
            .Select(m => m.Id).ToListAsync(ct);

        // The ledger's bank money: what the month's book holds, and what moved the month's lines in any month.
        var money = await (from p in db.Payments.AsNoTracking()
                           join s in db.Students.AsNoTracking() on p.StudentId equals s.Id
                           where p.SchoolId == school && (p.Method == PaymentMethods.Bank || p.Method == PaymentMethods.Reversal)
                              && (p.ReceivedAt >= start && p.ReceivedAt < end
                                  || p.InboxId != null && calls.Contains(p.InboxId.Value)
                                  || p.Source.StartsWith("STMT-") && lineIds.Contains(p.ExternalRef.Substring(0, 36)))
                           select new Money(p.Id, p.Method, p.AmountVnd, p.ReceivedAt, p.InboxId, p.Source, p.ExternalRef, p.ReversesPaymentId, p.Reason, s.StudentCode))
            .ToListAsync(ct);
        // Refunds paid by transfer: out of the account the refunded payment came into, else the school's first (a cash payment's, a credit's).
        var refunds = await (from r in db.Refunds.AsNoTracking()
                             join p in db.Payments.AsNoTracking() on r.PaymentId equals p.Id
                             join s in db.Students.AsNoTracking() on p.StudentId equals s.Id
                             where p.SchoolId == school && r.Method == PaymentMethods.Bank && r.At >= start && r.At < end
                             select new { r.Id, r.AmountVnd, r.At, p.Method, PaymentId = p.Id, s.StudentCode }).ToListAsync(ct);
        var loaded = money.Select(m => m.Id).ToHashSet();
        // Reversals of those payments made in other months, and the originals of the month's reversals.
        var wanted = money.Where(m => m.ReversesPaymentId is { } o && !loaded.Contains(o)).Select(m => m.ReversesPaymentId!.Value)
            .Concat(refunds.Where(r => r.Method == PaymentMethods.Bank && !loaded.Contains(r.PaymentId)).Select(r => r.PaymentId)).Distinct().ToList();
        var more = await (from p in db.Payments.AsNoTracking()
                          join s in db.Students.AsNoTracking() on p.StudentId equals s.Id
                          where p.SchoolId == school && (wanted.Contains(p.Id) || p.ReversesPaymentId != null && loaded.Contains(p.ReversesPaymentId.Value))
                          select new Money(p.Id, p.Method, p.AmountVnd, p.ReceivedAt, p.InboxId, p.Source, p.ExternalRef, p.ReversesPaymentId, p.Reason, s.StudentCode))
            .ToListAsync(ct);
        money.AddRange(more.Where(m => loaded.Add(m.Id)));
        var byId = money.ToDictionary(m => m.Id);

        // Where each payment's money came in: the account, and the statement line that carries it.
        var inboxIds = money.Where(m => m.InboxId is not null).Select(m => m.InboxId!.Value).Distinct().ToList();
        var inbox = await db.Inbox.AsNoTracking().Where(m => inboxIds.Contains(m.Id)).Select(m => new { m.Id, m.AccountId, m.BankRef }).ToDictionaryAsync(m => m.Id, ct);
        var stmtIds = money.Where(m => m.Source.StartsWith("STMT-", StringComparison.Ordinal) && m.ExternalRef.Length >= 36)
            .Select(m => Guid.TryParse(m.ExternalRef[..36], out var g) ? g : Guid.Empty).Distinct().ToList();
        var callRefs = inbox.Values.Where(c => c.BankRef != null).Select(c => c.BankRef!).Distinct().ToList();
        var known = await db.StatementLines.AsNoTracking()
            .Where(l => stmtIds.Contains(l.Id) || ids.Contains(l.AccountId) && l.BankRef != null && callRefs.Contains(l.BankRef))
            .Select(l => new { l.Id, l.AccountId, l.BookingDate, l.BankRef, l.Content, l.Direction, l.Reversal, l.AmountVnd }).ToListAsync(ct);
        var lineById = known.Concat(lines).DistinctBy(l => l.Id).ToDictionary(l => l.Id);
        var lineByRef = lineById.Values.Where(l => l.BankRef != null).GroupBy(l => (l.AccountId, l.BankRef!, l.Direction)).ToDictionary(g => g.Key, g => g.First().Id);
        // A statement line the bank took a credit back with: the credit's payments are reversed by it.
        var takenBackBy = await db.LineDecisions.AsNoTracking().Where(d => d.Outcome == "reversed" && d.PaymentId != null && loaded.Contains(d.PaymentId.Value))
            .Select(d => new { Payment = d.PaymentId!.Value, d.StatementLineId }).ToListAsync(ct);

        (Guid? Account, Guid? Line) Where(Money m)
        {
            if (m.ReversesPaymentId is { } o)
            {
                if (!byId.TryGetValue(o, out var original) || original.Method != PaymentMethods.Bank) return (null, null);
                var (account, credit) = Where(original);
                // Taken back by the bank: on the debit it came with. A person's reversal moves no bank money: it nets on the credit's line.
                if (m.InboxId is { } debit && inbox.TryGetValue(debit, out var call))
                    return (account, call.BankRef is { } r && lineByRef.TryGetValue((call.AccountId, r, "debit"), out var d) ? d : null);
                if (m.Reason == "taken back by the bank")
                {
                    var group = credit;
                    var by = takenBackBy.FirstOrDefault(t => byId.TryGetValue(t.Payment, out var x) && Where(x).Line == group);
                    return (account, by?.StatementLineId);
                }
                return (account, credit);
            }
            if (m.Method != PaymentMethods.Bank) return (null, null);
            if (m.InboxId is { } i && inbox.TryGetValue(i, out var c))
                return (c.AccountId, c.BankRef is { } r && lineByRef.TryGetValue((c.AccountId, r, "credit"), out var l) ? l : null);
            if (m.Source.StartsWith("STMT-", StringComparison.Ordinal) && m.ExternalRef.Length >= 36 && Guid.TryParse(m.ExternalRef[..36], out var g)
                && lineById.TryGetValue(g, out var own))
                return (own.AccountId, own.Id);
            return (null, null);
        }


        // What happened to a line that moved no money of the book: the reconciliation's outcome, a person's decision, parked money.
        var monthLines = lines.Select(l => l.Id).ToList();
        var outcomes = await db.LineDecisions.AsNoTracking().Where(d => monthLines.Contains(d.StatementLineId))
            .Select(d => new { d.StatementLineId, d.Outcome }).ToDictionaryAsync(d => d.StatementLineId, d => d.Outcome, ct);
        var ignoredLines = (await db.ReviewDecisions.AsNoTracking()
            .Where(d => d.StatementLineId != null && monthLines.Contains(d.StatementLineId.Value) && d.Action == "ignore"
                && !db.ReviewDecisions.Any(x => x.UndoesDecisionId == d.Id))
            .Select(d => d.StatementLineId!.Value).ToListAsync(ct)).ToHashSet();
        var parkedRefs = await db.Unidentified.AsNoTracking().Where(u => ids.Contains(u.AccountId) && refs.Contains(u.BankRef))
            .Select(u => new
            {
                u.AccountId, u.BankRef,
                Returned = db.ReviewDecisions.Any(d => d.ParkedId == u.Id && d.Action == "ignore" && !db.ReviewDecisions.Any(x => x.UndoesDecisionId == d.Id)),
            }).ToListAsync(ct);

        // A stated balance carries over days on which the account has no line: the month's opening may be stated on a day
        // before it, its closing on a day after it.
        var (near, far) = (first.AddDays(-Carry), last.AddDays(Carry));
        var balances = await db.StatementBalances.AsNoTracking().Where(b => ids.Contains(b.AccountId) && b.Day >= near && b.Day <= far)
            .Select(b => new { b.AccountId, b.Day, b.BalanceVnd, Api = db.StatementImports.Any(i => i.Id == b.ImportId && i.Format == "api") }).ToListAsync(ct);
        var lineDays = await db.StatementLines.AsNoTracking().Where(l => ids.Contains(l.AccountId) && l.BookingDate >= near && l.BookingDate <= far)
            .Select(l => new { l.AccountId, l.BookingDate }).Distinct().ToListAsync(ct);

        // Which of the month's lines the bank's statement API reported, and the days its pulls covered per account.
        var viaApi = (await (from il in db.StatementImportLines.AsNoTracking()
                             join i in db.StatementImports.AsNoTracking() on il.ImportId equals i.Id
                             where monthLines.Contains(il.LineId) && i.Format == "api" && !il.Disagrees
                             select il.LineId).ToListAsync(ct)).ToHashSet();
        // From the first day a pull asked for (found by attack: counting from the first line the API ever reported left
        // the days before it, and an account with no line yet, uncovered); pulls made before the days were kept count
        // from their first line.
        var apiFrom = (await (from il in db.StatementImportLines.AsNoTracking()
                              join i in db.StatementImports.AsNoTracking() on il.ImportId equals i.Id
                              join l in db.StatementLines.AsNoTracking() on il.LineId equals l.Id
                              where ids.Contains(i.AccountId) && i.Format == "api"
                              group l by i.AccountId into g
                              select new { Account = g.Key, From = g.Min(l => l.BookingDate) }).ToListAsync(ct))
            .Concat(await db.StatementImports.AsNoTracking().Where(i => ids.Contains(i.AccountId) && i.Format == "api" && i.CoveredFrom != null)
                .GroupBy(i => i.AccountId).Select(g => new { Account = g.Key, From = g.Min(i => i.CoveredFrom!.Value) }).ToListAsync(ct))
            .GroupBy(x => x.Account).ToDictionary(g => g.Key, g => g.Min(x => x.From));

        var books = new List<Account>();
        foreach (var a in accounts)
        {
            Line ToLine(Guid id)
            {
                var l = lineById[id];
                var signed = l.Direction == "credit" ? l.AmountVnd : -l.AmountVnd;
                return new Line(l.Id, l.BookingDate, l.BankRef, l.Content, Math.Max(signed, 0), Math.Max(-signed, 0));
            }
            var entries = new List<(Entry Entry, Guid? LineId)>();
            foreach (var m in money.Where(m => m.ReceivedAt >= start && m.ReceivedAt < end).OrderBy(m => m.ReceivedAt).ThenBy(m => m.Id))
            {
                var (account, line) = Where(m);
                if (account != a.Id) continue;
                var reversal = m.Method == PaymentMethods.Reversal;
                var entry = new Entry(Local(m.ReceivedAt), reversal ? $"DC-{InboxKeys.Shown(m.ExternalRef)}" : $"BC-{InboxKeys.Shown(m.ExternalRef)}", reversal ? "reversal" : "payment", m.StudentCode,
                    Math.Max(m.AmountVnd, 0), Math.Max(-m.AmountVnd, 0), line is { } l && lineById[l].BookingDate >= first && lineById[l].BookingDate <= last ? ToLine(l) : null);
                entries.Add((entry, line));
            }
            foreach (var r in refunds.OrderBy(r => r.At).ThenBy(r => r.Id))
            {
                var from = byId.TryGetValue(r.PaymentId, out var paid) ? Where(paid).Account ?? firstAccount : firstAccount;
                if (from != a.Id) continue;
                entries.Add((new Entry(Local(r.At), $"UNC-{r.Id.ToString("N")[^12..]}", "refund", r.StudentCode, 0, r.AmountVnd, null), null));
            }

            // The month's lines against what the book holds of each, this month and in others.
            var own = lines.Where(l => l.AccountId == a.Id).OrderBy(l => l.BookingDate).ThenBy(l => l.BankRef).ToList();
            var linked = money.Select(m => (Money: m, Where: Where(m))).Where(x => x.Where.Account == a.Id && x.Where.Line is not null)
                .GroupBy(x => x.Where.Line!.Value).ToDictionary(g => g.Key, g => g.Select(x => x.Money).ToList());
            var notInBook = new List<LineDifference>();
            foreach (var l in own)
            {
                var signed = l.Direction == "credit" ? l.AmountVnd : -l.AmountVnd;
                var mine = linked.GetValueOrDefault(l.Id) ?? [];
                var thisMonth = mine.Where(m => m.ReceivedAt >= start && m.ReceivedAt < end).Sum(m => m.AmountVnd);
                var rest = signed - thisMonth;
                if (rest == 0) continue;
                var elsewhere = mine.Where(m => m.ReceivedAt < start || m.ReceivedAt >= end).ToList();
                var why = elsewhere.Sum(m => m.AmountVnd) == rest ? Why.OtherMonth
                    : l.Direction == "debit" && !l.Reversal ? Why.OtherDebit
                    // A reversal the reconciliation has not read yet is no explained difference (found by attack: the bank took
                    // a pupil's money back, the notice stayed paid, and the month said "reconciled").
                    : l.Direction == "debit" ? outcomes.ContainsKey(l.Id) ? Why.Reversed : Why.NotReconciled
                    : ignoredLines.Contains(l.Id) ? Why.Ignored
                    : l.BankRef is { } r && parkedRefs.FirstOrDefault(p => p.AccountId == a.Id && p.BankRef == r) is { } parked ? parked.Returned ? Why.Ignored : Why.Parked
                    : outcomes.GetValueOrDefault(l.Id) switch { null => Why.NotReconciled, "ignored" => Why.Ignored, _ => Why.Waiting };
                notInBook.Add(new LineDifference(ToLine(l.Id), why, Math.Max(rest, 0), Math.Max(-rest, 0),
                    why == Why.OtherMonth ? Local(elsewhere.Max(m => m.ReceivedAt)) : null));
            }
            var notOnStatement = entries.Where(e => e.Entry.OnStatement is null)
                .Select(e => new EntryDifference(e.Entry, e.Entry.Kind == "refund" ? Why.Refund : e.LineId is null ? Why.NoLine : Why.OtherMonth)).ToList();

            // On days the bank's statement API covered, only its balances count: a file's balance there cannot stand
            // against the bank's own (found by attack: a file stating only a month-end balance hid a gap the API showed).
            var (apiSince, apiThrough) = apiFrom.TryGetValue(a.Id, out var s0) && a.StatementsPulledThrough is { } t0 ? (s0, t0) : (DateOnly.MaxValue, DateOnly.MinValue);
            var stated = balances.Where(b => b.AccountId == a.Id && (b.Api || b.Day < apiSince || b.Day > apiThrough)).ToList();
            var booked = lineDays.Where(l => l.AccountId == a.Id).Select(l => l.BookingDate).ToHashSet();
            var conflicts = new List<string>();
            long? Balance(DateOnly day)
            {
                var before = stated.Where(b => b.Day <= day).Select(b => (DateOnly?)b.Day).Max();
                var after = stated.Where(b => b.Day >= day).Select(b => (DateOnly?)b.Day).Min();
                DateOnly? at = before is { } b0 && !booked.Any(d => d > b0 && d <= day) ? b0
                    : after is { } a0 && !booked.Any(d => d > day && d <= a0) ? a0 : null;
                if (at is null) return null;
                // Every balance stated across the quiet days around it (no line booked between) must be the same: one that
                // differs means lines missing from the imports (found by attack: a file's month-end balance stood against
                // the API's balance of the 4th, with no line between them, and hid the gap).
                var values = stated.Where(b => b.Day <= at ? !booked.Any(d => d > b.Day && d <= at) : !booked.Any(d => d > at && d <= b.Day))
                    .Select(b => b.BalanceVnd).Distinct().ToList();
                var said = at.Value.ToString("dd/MM/yyyy", System.Globalization.CultureInfo.InvariantCulture);
                if (values.Count > 1 && !conflicts.Contains(said)) conflicts.Add(said);
                return values.Count == 1 ? values[0] : null;
            }
            var unconfirmed = a.StatementsPulledThrough is { } through && apiFrom.TryGetValue(a.Id, out var since)
                ? own.Where(l => !viaApi.Contains(l.Id) && l.BookingDate >= since && l.BookingDate <= through).Select(l => ToLine(l.Id)).ToList()
                : [];
            books.Add(new Account(a.Id, a.Bank, a.AccountNo, a.AccountName, month, Balance(first.AddDays(-1)), Balance(last), conflicts, own.Count,
                own.Where(l => l.Direction == "credit").Sum(l => l.AmountVnd), own.Where(l => l.Direction == "debit").Sum(l => l.AmountVnd),
                entries.Select(e => e.Entry).ToList(), notInBook, notOnStatement, unconfirmed,
                // No day of the month covered by the bank's statement API: lines and balances are the uploaded files' word alone.
                FilesAlone: apiSince > last || apiThrough < first));
        }
        return books;
    }
}
