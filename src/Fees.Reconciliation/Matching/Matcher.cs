using TdmEdu.Fees.Domain.Students;

namespace TdmEdu.Fees.Reconciliation.Matching;

/// <summary>What a bank line says, in our terms: the input of the matching engine.</summary>
public sealed record LineFacts(
    string Bank,
    DateOnly BookingDate,
    bool Credit,
    bool Reversal,
    long AmountVnd,
    string Content,
    string? VirtualAccount,
    string? CustomerId,
    string? PayerAccount,
    string? PayerName,
    string? Type);

/// <summary>
/// A student the engine may name, with what is still open for them; OtherSchool when the pupil is not of the
/// school whose account received the money.
/// </summary>
public sealed record StudentFacts(Guid Id, string PaymentCode, string Name, string ClassName, long OpenBalanceVnd, bool OtherSchool = false);

/// <summary>What the engine may look up; the persistence layer answers.</summary>
public interface IMatchContext
{
    string Prefix { get; }
    StudentFacts? ByPaymentCode(string paymentCode);
    /// <summary>The payment code a virtual account of this bank stands for, if it is one of ours.</summary>
    string? PaymentCodeOfVirtualAccount(string bank, string virtualAccount);
    /// <summary>Students an earlier confirmed match tied to this payer account.</summary>
    IReadOnlyList<StudentFacts> ByPayerAccount(string payerAccount);
    /// <summary>Students with an open notice of exactly this balance, issued by this date and due no more than a month before it.</summary>
    IReadOnlyList<StudentFacts> ByOpenAmount(long amountVnd, DateOnly date);
    /// <summary>Students of this school whose full name is written in the text.</summary>
    IReadOnlyList<(StudentFacts Student, bool ClassToo)> ByName(string text);
    /// <summary>Whether an open notice of the student at this school, or all the student owes, is exactly this amount.</summary>
    bool Owes(StudentFacts student, long amountVnd) => student.OpenBalanceVnd == amountVnd;
}

public enum MatchOutcome { Matched, Partial, Overpaid, Multi, Suggested, Unmatched, Ignored }

/// <summary>A pupil the engine proposes to a person, with why; Best when the engine has a clear first choice (never applied by itself).</summary>
public sealed record Suggestion(Guid StudentId, string PaymentCode, Words Said, bool Best = false)
{
    public string Why => Said.En;
}

/// <summary>
/// The engine's verdict: whom to pay (only when sure), or what to suggest, always with the reason in words (both languages).
/// Basis is, for a decision that pays, the clue it rests on without what the money did.
/// </summary>
public sealed record MatchDecision(MatchOutcome Outcome, IReadOnlyList<StudentFacts> Students, IReadOnlyList<Suggestion> Suggestions, Words Said, Words? Basis = null)
{
    public bool Apply => Outcome is MatchOutcome.Matched or MatchOutcome.Partial or MatchOutcome.Overpaid or MatchOutcome.Multi;

    /// <summary>The reason in English, as the command line and the export write it.</summary>
    public string Reason => Said.En;
}

/// <summary>
/// The matching engine: rules in order, the first that holds decides. Virtual account → structured ids (BIDV
/// customer code) → payment codes in the description, check digit verified. Everything weaker (the payer's
/// account from an earlier match, a name and class, an amount equal to a balance of the period) is only ever a suggestion: a wrong
/// automatic match is the worst failure this service can have.
/// </summary>
public static class Matcher
{
    // How banks word interest and their own charges; "học phí dịch vụ" is a fee payment and must not look like one.
    private static readonly string[] NotFees = ["TRA LAI TIEN GUI", "LAI TIEN GUI", "TIEN LAI", "INTEREST", "PHI QUAN LY TAI KHOAN", "PHI SMS", "SERVICE CHARGE"];

    public static MatchDecision Decide(LineFacts line, IMatchContext ctx)
    {
        if (!line.Credit)
            return Ignore(line.Reversal ? new("a reversal of an earlier credit; undone where that credit was applied", "giao dịch đảo một khoản đã nhận; khoản đó được hoàn tác nếu đã ghi nhận")
                : new("a debit, not a fee payment", "tiền ra khỏi tài khoản, không phải khoản nộp"));
        var folded = PaymentCodeExtractor.Fold(line.Content);
        if (line.Type is "INT" or "CHG" or "NINT" or "NCHG" || NotFees.Any(w => folded.Contains(w, StringComparison.Ordinal)) && PaymentCodeExtractor.Extract(line.Content, ctx.Prefix).Count == 0)
            return Ignore(new("interest or a bank fee, not a fee payment", "tiền lãi hoặc phí ngân hàng, không phải khoản nộp"));

        if (line.VirtualAccount is { Length: > 0 } va && ctx.PaymentCodeOfVirtualAccount(line.Bank, va) is { } vaCode && ctx.ByPaymentCode(vaCode) is { } vaStudent)
            return Pay(line, [vaStudent], new($"virtual account of {vaStudent.PaymentCode}", $"tài khoản định danh của {vaStudent.PaymentCode}"));

        if (line.CustomerId is { Length: > 0 } cid && PaymentCode.TryParse(cid, ctx.Prefix) is { } c && ctx.ByPaymentCode(c.Value) is { } customer)
            return Pay(line, [customer], new($"BIDV customer code {customer.PaymentCode}", $"mã khách hàng BIDV {customer.PaymentCode}"));

        var students = PaymentCodeExtractor.Extract(line.Content, ctx.Prefix)
            .Select(code => ctx.ByPaymentCode(code.Value)).OfType<StudentFacts>().DistinctBy(s => s.Id).ToList();
        if (students.Count == 1) return Pay(line, students, new($"code {students[0].PaymentCode} in description", $"nội dung ghi mã {students[0].PaymentCode}"));
        var codes = string.Join(", ", students.Select(s => s.PaymentCode));
        if (students.Count > 1 && students.Any(s => s.OtherSchool)) return Pay(line, students, new($"codes {codes} in description", $"nội dung ghi các mã {codes}"));
        if (students.Count > 1)
            return new MatchDecision(MatchOutcome.Multi, students, [],
                new($"codes {codes} in description; paid in that order, the rest is credit of {students[0].PaymentCode}",
                    $"nội dung ghi các mã {codes}; nộp lần lượt theo thứ tự đó, phần thừa là tiền dư của {students[0].PaymentCode}"));

        var suggestions = Suggest(line, ctx);
        var looksLike = NearMiss.Described(line.Content, ctx.Prefix);
        if (suggestions.Count > 0)
            return new MatchDecision(MatchOutcome.Suggested, [], suggestions,
                (looksLike ?? new("no valid payment code", "không có mã thanh toán hợp lệ"))
                + new Words($"; {suggestions.Count} suggestion(s) for review", $"; {suggestions.Count} gợi ý chờ người xác nhận"));
        return new MatchDecision(MatchOutcome.Unmatched, [], [],
            looksLike is { } l ? l + new Words("; not matched to anyone", "; không khớp với học sinh nào")
                : new("no virtual account, customer code or payment code in the description", "nội dung không có tài khoản định danh, mã khách hàng hay mã thanh toán"));
    }

    /// <summary>
    /// Whom a person might mean, at most five: pupils one slip from a code-like token of the description (the receiving
    /// school's only), pupils the payer's account paid for before, pupils named in the text, pupils owing exactly the
    /// amount. With a near miss they are ranked by <see cref="NearMiss.Rank"/>; without, strongest clue first as found.
    /// </summary>
    private static List<Suggestion> Suggest(LineFacts line, IMatchContext ctx)
    {
        var near = NearMiss.Codes(line.Content, ctx.Prefix)
            .Select(n => (Near: n, Student: ctx.ByPaymentCode(n.PaymentCode))).Where(x => x.Student is { OtherSchool: false })
            .DistinctBy(x => x.Student!.Id).ToList();
        var paidBefore = line.PayerAccount is { Length: > 0 } payer ? ctx.ByPayerAccount(payer) : [];
        var named = ctx.ByName(line.Content);
        var byAmount = ctx.ByOpenAmount(line.AmountVnd, line.BookingDate);
        var found = new List<(StudentFacts Student, Words Why)>();
        void Add(StudentFacts s, Words why)
        {
            if (found.TrueForAll(x => x.Student.Id != s.Id)) found.Add((s, why));
        }
        foreach (var s in paidBefore) Add(s, new("this payer's account paid for this student before", "tài khoản này đã từng nộp cho học sinh"));
        foreach (var (s, classToo) in named.Take(5))
            Add(s, classToo ? new("the description names this student and the class", "nội dung ghi tên và lớp của học sinh") : new("the description names this student", "nội dung ghi tên học sinh"));
        foreach (var s in byAmount.Take(5)) Add(s, new("the amount equals an open notice of this period", "số tiền bằng một thông báo chưa nộp của kỳ này"));
        if (near.Count == 0) return found.Take(5).Select(f => new Suggestion(f.Student.Id, f.Student.PaymentCode, f.Why)).ToList();

        Clues CluesOf(StudentFacts s, bool nearMiss)
        {
            var name = named.FirstOrDefault(n => n.Student.Id == s.Id);
            return new Clues(nearMiss, name.Student is not null, name.ClassToo, byAmount.Any(a => a.Id == s.Id) || ctx.Owes(s, line.AmountVnd),
                paidBefore.Any(p => p.Id == s.Id));
        }
        var ranked = near.Select(x => (Near: x.Near, Student: x.Student!, Clues: CluesOf(x.Student!, true)))
            .Select(x => (new Suggestion(x.Student.Id, x.Student.PaymentCode, NearMiss.Why(x.Near, x.Clues)), x.Clues))
            .Concat(found.Where(f => near.TrueForAll(n => n.Student!.Id != f.Student.Id))
                .Select(f => (new Suggestion(f.Student.Id, f.Student.PaymentCode, f.Why), CluesOf(f.Student, false))))
            .ToList();
        return NearMiss.Rank(ranked).Take(5).ToList();
    }

    private static MatchDecision Pay(LineFacts line, IReadOnlyList<StudentFacts> students, Words why)
    {
        // A school's account pays its own pupils: money for a pupil of another school is a person's decision.
        if (students.Any(s => s.OtherSchool))
            return new MatchDecision(MatchOutcome.Suggested, [], students.Select(s => new Suggestion(s.Id, s.PaymentCode,
                    s.OtherSchool ? new Words("a pupil of another school", "học sinh trường khác") : new Words("named beside a pupil of another school", "được ghi cùng một học sinh trường khác"))).ToList(),
                why + new Words(", but the money came to another school's account; not moved between schools automatically",
                    ", nhưng tiền vào tài khoản của trường khác; không tự chuyển giữa các trường"));
        return Settle(new MatchDecision(MatchOutcome.Matched, students, [], why, why), line.AmountVnd, students.Sum(s => s.OpenBalanceVnd));
    }

    /// <summary>
    /// Words what the money of a paying decision does against what its student owes at the moment it is applied
    /// (a batch applies many lines; an earlier line may have paid the same student).
    /// </summary>
    public static MatchDecision Settle(MatchDecision decision, long amountVnd, long owedVnd)
    {
        if (!decision.Apply || decision.Outcome == MatchOutcome.Multi || decision.Basis is not { } basis) return decision;
        var (outcome, money) = amountVnd == owedVnd ? (MatchOutcome.Matched, new Words("amount equals balance", "số tiền bằng số còn phải nộp"))
            : amountVnd < owedVnd ? (MatchOutcome.Partial, new Words($"pays {amountVnd} of {owedVnd} owed", $"nộp {Words.Amount(amountVnd).Vi} trên {Words.Amount(owedVnd).Vi} phải nộp"))
            : (MatchOutcome.Overpaid, owedVnd == 0 ? new Words("nothing is owed; all of it becomes credit", "không còn nợ; toàn bộ thành tiền dư")
                : new Words($"{amountVnd - owedVnd} more than owed becomes credit", $"{Words.Amount(amountVnd - owedVnd).Vi} nộp thừa thành tiền dư"));
        return decision with { Outcome = outcome, Said = basis + new Words(", ", ", ") + money };
    }

    private static MatchDecision Ignore(Words why) => new(MatchOutcome.Ignored, [], [], why);
}
