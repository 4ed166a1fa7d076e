using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.BankAdapters.Banks;
using TdmEdu.Fees.BankAdapters.Inbound;
using TdmEdu.Fees.Domain.Notices;
using TdmEdu.Fees.Domain.Students;
using TdmEdu.Fees.Reconciliation.Matching;

namespace TdmEdu.Fees.Api.Application.Matching;

/// <summary>The engine's verdict on a bank call, and the notice the call named when it is the first pupil's at the receiving school.</summary>
public sealed record Identification(MatchDecision Decision, Guid? PreferredNoticeId);

/// <summary>
/// Asks the matching engine (Fees.Reconciliation) whom a bank credit is for, answering its look-ups from the
/// database. What the verdict may do with the money is <see cref="Reconciliation.Credits.CreditPolicy"/>'s to say.
/// </summary>
public sealed class StudentIdentifier(FeesDb db)
{
    /// <summary>The engine's verdict; today is the business date for a call without a value date.</summary>
    public Identification Identify(BankEvent e, SchoolBankAccount account, string prefix, DateOnly today)
    {
        var line = new LineFacts(e.Bank, e.ValueDate ?? today, e.Kind == BankEventKind.Credit, e.Kind == BankEventKind.Reversal,
            e.AmountVnd, e.Description, e.VirtualAccount, e.CustomerId, null, null, null);
        var decision = Matcher.Decide(line, new DbMatchContext(db, account, prefix));
        if (!decision.Apply) return new(decision, null);
        var first = decision.Students[0];
        if (e.BillId is not null)
            return new(decision, db.Notices.AsNoTracking().Where(n => n.NoticeNo == e.BillId && n.StudentId == first.Id && n.SchoolId == account.SchoolId)
                .Select(n => (Guid?)n.Id).FirstOrDefault());
        var period = NamedPeriod(e.Description, first.PaymentCode, prefix);
        if (period is null) return new(decision, null);
        var named = db.Notices.AsNoTracking().Where(n => n.StudentId == first.Id && n.SchoolId == account.SchoolId && n.PeriodKey == period
                && (n.Status == NoticeStatus.Issued || n.Status == NoticeStatus.PartiallyPaid)).Select(n => (Guid?)n.Id).FirstOrDefault();
        return new(decision with { Said = decision.Said + MonthSaid(period.Value, named is not null) }, named);
    }

    /// <summary>The month the text names right after this payment code (yyyyMM), if any.</summary>
    public static int? NamedPeriod(string? text, string paymentCode, string prefix) =>
        PaymentCode.TryParse(paymentCode, prefix) is { } code ? PaymentCodeExtractor.PeriodNamedAfter(text, code, prefix) : null;

    /// <summary>What the reason says of a named month: paid first, or not open so the oldest went first.</summary>
    public static Words MonthSaid(int period, bool open) => open
        ? new($"; the transfer names {period / 100}-{period % 100:D2}: that month first", $"; nội dung ghi tháng {period % 100:D2}/{period / 100}: tháng đó trước")
        : new($"; the transfer names {period / 100}-{period % 100:D2}, which has nothing open: oldest months first",
            $"; nội dung ghi tháng {period % 100:D2}/{period / 100}, tháng đó không còn nợ: tháng cũ nhất trước");

    /// <summary>The engine's reason with its suggestions, as the accountant reads it.</summary>
    public static Words Explain(MatchDecision decision) => decision.Suggestions.Count == 0 ? decision.Said
        : decision.Said + new Words(": ", ": ") + Words.Join("; ", decision.Suggestions.Select(s => new Words($"{s.PaymentCode} (", $"{s.PaymentCode} (") + s.Said + new Words(")", ")")));

    /// <summary>The payment code a virtual account of this school account stands for (the banks' rule: <see cref="VirtualAccounts"/>).</summary>
    public static string? FromVirtualAccount(string va, SchoolBankAccount account, string prefix) => VirtualAccounts.PaymentCodeOf(va, account.VaPrefix, prefix);

    public sealed record FactsRow(Guid Id, Guid SchoolId, string PaymentCode, string FullName, string ClassName, long Open);

    /// <summary>Students as the engine sees them: code, name, class and what their open notices still ask for.</summary>
    public static IQueryable<FactsRow> FactsOf(FeesDb db, IQueryable<Student> students) =>
        from s in students
        join c in db.Classes.AsNoTracking() on s.ClassId equals c.Id
        select new FactsRow(s.Id, s.SchoolId, s.PaymentCode, s.FullName, c.Name,
            db.Notices.Where(n => n.StudentId == s.Id && (n.Status == NoticeStatus.Issued || n.Status == NoticeStatus.PartiallyPaid))
                .Sum(n => (long?)(n.AmountDueVnd - n.AmountPaidVnd)) ?? 0);

    public static StudentFacts ToFacts(FactsRow x) => new(x.Id, x.PaymentCode, x.FullName, x.ClassName, x.Open);

    public sealed record PayerRow(string Payer, Guid StudentId);

    /// <summary>
    /// Students earlier confirmed matches tied to these payer accounts: lines the engine applied by a sure clue,
    /// and lines an accountant confirmed or reassigned (decisions not undone).
    /// </summary>
    public static IQueryable<PayerRow> PayerHistory(FeesDb db, ICollection<string> payers) =>
        (from l in db.StatementLines.AsNoTracking()
         join r in db.LineDecisions.AsNoTracking() on l.Id equals r.StatementLineId
         join p in db.Payments.AsNoTracking() on r.PaymentId equals p.Id
         where l.CounterpartyAccount != null && payers.Contains(l.CounterpartyAccount)
               && (r.Outcome == "matched" || r.Outcome == "partial" || r.Outcome == "overpaid" || r.Outcome == "multi")
         select new { Payer = l.CounterpartyAccount!, p.StudentId })
        .Concat(from l in db.StatementLines.AsNoTracking()
                join d in db.ReviewDecisions.AsNoTracking() on (Guid?)l.Id equals d.StatementLineId
                where l.CounterpartyAccount != null && payers.Contains(l.CounterpartyAccount)
                      && (d.Action == "confirm" || d.Action == "reassign") && d.StudentId != null
                      && !db.ReviewDecisions.Any(u => u.UndoesDecisionId == d.Id)
                select new { Payer = l.CounterpartyAccount!, StudentId = d.StudentId!.Value })
        .Distinct().Select(x => new PayerRow(x.Payer, x.StudentId));

    /// <summary>An amount suggests a notice issued by the end of the line's day and due no more than a month before it.</summary>
    public static (DateTimeOffset IssuedBefore, DateOnly DueFrom) AmountWindow(DateOnly date) =>
        (new DateTimeOffset(date.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(7)).ToUniversalTime(), date.AddDays(-31));

    /// <summary>The engine's look-ups over the database, for one school account.</summary>
    private sealed class DbMatchContext(FeesDb db, SchoolBankAccount account, string prefix) : IMatchContext
    {
        public string Prefix => prefix;

        public StudentFacts? ByPaymentCode(string paymentCode) =>
            FactsOf(db, db.Students.AsNoTracking().Where(s => s.PaymentCode == paymentCode)).AsEnumerable()
                .Select(x => ToFacts(x) with { OtherSchool = x.SchoolId != account.SchoolId }).FirstOrDefault();

        public string? PaymentCodeOfVirtualAccount(string bank, string virtualAccount) =>
            bank == account.Bank ? FromVirtualAccount(virtualAccount, account, prefix) : null;

        public IReadOnlyList<StudentFacts> ByPayerAccount(string payerAccount)
        {
            var ids = PayerHistory(db, [payerAccount]).Select(p => p.StudentId).Distinct().ToList();
            return Facts(db.Students.AsNoTracking().Where(s => ids.Contains(s.Id) && s.SchoolId == account.SchoolId));
        }

        public IReadOnlyList<StudentFacts> ByOpenAmount(long amountVnd, DateOnly date)
        {
            var (issuedBy, dueFrom) = AmountWindow(date);
            var ids = db.Notices.AsNoTracking()
                .Where(n => n.SchoolId == account.SchoolId && (n.Status == NoticeStatus.Issued || n.Status == NoticeStatus.PartiallyPaid)
                            && n.AmountDueVnd - n.AmountPaidVnd == amountVnd && n.IssuedAt < issuedBy && n.DueDate >= dueFrom)
                .Select(n => n.StudentId).Distinct().Take(6).ToList();
            return ids.Count > 5 ? [] : Facts(db.Students.AsNoTracking().Where(s => ids.Contains(s.Id)));
        }

        public IReadOnlyList<(StudentFacts Student, bool ClassToo)> ByName(string text) =>
            (_names ??= new NameIndex(Facts(db.Students.AsNoTracking().Where(s => s.SchoolId == account.SchoolId)))).Find(text);

        public bool Owes(StudentFacts student, long amountVnd) => student.OpenBalanceVnd == amountVnd
            || db.Notices.AsNoTracking().Any(n => n.StudentId == student.Id && n.SchoolId == account.SchoolId
                                                 && (n.Status == NoticeStatus.Issued || n.Status == NoticeStatus.PartiallyPaid) && n.AmountDueVnd - n.AmountPaidVnd == amountVnd);

        private NameIndex? _names;

        private List<StudentFacts> Facts(IQueryable<Student> students) => FactsOf(db, students).AsEnumerable().Select(ToFacts).ToList();
    }
}
