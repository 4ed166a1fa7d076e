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
}

public enum MatchOutcome { Matched, Partial, Overpaid, Multi, Suggested, Unmatched, Ignored }

public sealed record Suggestion(Guid StudentId, string PaymentCode, string Why);

/// <summary>
/// The engine's verdict: whom to pay (only when sure), or what to suggest, always with the reason in words.
/// Basis is, for a decision that pays, the clue it rests on without what the money did.
/// </summary>
public sealed record MatchDecision(MatchOutcome Outcome, IReadOnlyList<StudentFacts> Students, IReadOnlyList<Suggestion> Suggestions, string Reason, string? Basis = null)
{
    public bool Apply => Outcome is MatchOutcome.Matched or MatchOutcome.Partial or MatchOutcome.Overpaid or MatchOutcome.Multi;
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

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, System.Text.RegularExpressions.Regex> MangledPatterns = new();

    public static MatchDecision Decide(LineFacts line, IMatchContext ctx)
    {
        if (!line.Credit)
            return Ignore(line.Reversal ? "a reversal of an earlier credit; undone where that credit was applied" : "a debit, not a fee payment");
        var folded = PaymentCodeExtractor.Fold(line.Content);
        if (line.Type is "INT" or "CHG" or "NINT" or "NCHG" || NotFees.Any(w => folded.Contains(w, StringComparison.Ordinal)) && PaymentCodeExtractor.Extract(line.Content, ctx.Prefix).Count == 0)
            return Ignore("interest or a bank fee, not a fee payment");

        if (line.VirtualAccount is { Length: > 0 } va && ctx.PaymentCodeOfVirtualAccount(line.Bank, va) is { } vaCode && ctx.ByPaymentCode(vaCode) is { } vaStudent)
            return Pay(line, [vaStudent], $"virtual account of {vaStudent.PaymentCode}");

        if (line.CustomerId is { Length: > 0 } cid && PaymentCode.TryParse(cid, ctx.Prefix) is { } c && ctx.ByPaymentCode(c.Value) is { } customer)
            return Pay(line, [customer], $"BIDV customer code {customer.PaymentCode}");

        var students = PaymentCodeExtractor.Extract(line.Content, ctx.Prefix)
            .Select(code => ctx.ByPaymentCode(code.Value)).OfType<StudentFacts>().DistinctBy(s => s.Id).ToList();
        if (students.Count == 1) return Pay(line, students, $"code {students[0].PaymentCode} in description");
        if (students.Count > 1 && students.Any(s => s.OtherSchool)) return Pay(line, students, $"codes {string.Join(", ", students.Select(s => s.PaymentCode))} in description");
        if (students.Count > 1)
            return new MatchDecision(MatchOutcome.Multi, students, [],
                $"codes {string.Join(", ", students.Select(s => s.PaymentCode))} in description; paid in that order, the rest is credit of {students[0].PaymentCode}");

        var suggestions = new List<Suggestion>();
        if (line.PayerAccount is { Length: > 0 } payer)
            foreach (var s in ctx.ByPayerAccount(payer))
                suggestions.Add(new Suggestion(s.Id, s.PaymentCode, "this payer's account paid for this student before"));
        foreach (var (s, classToo) in ctx.ByName(line.Content).Take(5))
            if (suggestions.All(x => x.StudentId != s.Id))
                suggestions.Add(new Suggestion(s.Id, s.PaymentCode, classToo ? "the description names this student and the class" : "the description names this student"));
        foreach (var s in ctx.ByOpenAmount(line.AmountVnd, line.BookingDate).Take(5))
            if (suggestions.All(x => x.StudentId != s.Id))
                suggestions.Add(new Suggestion(s.Id, s.PaymentCode, "the amount equals an open notice of this period"));
        if (suggestions.Count > 5) suggestions = suggestions.Take(5).ToList();
        var mangled = Mangled(line.Content, ctx.Prefix);
        if (suggestions.Count > 0)
            return new MatchDecision(MatchOutcome.Suggested, [], suggestions,
                (mangled is null ? "no valid payment code" : $"\"{mangled}\" looks like a payment code but fails its check digit") + $"; {suggestions.Count} suggestion(s) for review");
        return new MatchDecision(MatchOutcome.Unmatched, [], [],
            mangled is null ? "no virtual account, customer code or payment code in the description"
                : $"\"{mangled}\" looks like a payment code but fails its check digit; not matched to anyone");
    }

    private static MatchDecision Pay(LineFacts line, IReadOnlyList<StudentFacts> students, string why)
    {
        // A school's account pays its own pupils: money for a pupil of another school is a person's decision.
        if (students.Any(s => s.OtherSchool))
            return new MatchDecision(MatchOutcome.Suggested, [], students.Select(s => new Suggestion(s.Id, s.PaymentCode,
                    s.OtherSchool ? "a pupil of another school" : "named beside a pupil of another school")).ToList(),
                $"{why}, but the money came to another school's account; not moved between schools automatically");
        return Settle(new MatchDecision(MatchOutcome.Matched, students, [], why, why), line.AmountVnd, students.Sum(s => s.OpenBalanceVnd));
    }

    /// <summary>
    /// Words what the money of a paying decision does against what its student owes at the moment it is applied
    /// (a batch applies many lines; an earlier line may have paid the same student).
    /// </summary>
    public static MatchDecision Settle(MatchDecision decision, long amountVnd, long owedVnd)
    {
        if (!decision.Apply || decision.Outcome == MatchOutcome.Multi || decision.Basis is null) return decision;
        var (outcome, money) = amountVnd == owedVnd ? (MatchOutcome.Matched, "amount equals balance")
            : amountVnd < owedVnd ? (MatchOutcome.Partial, $"pays {amountVnd} of {owedVnd} owed")
            : (MatchOutcome.Overpaid, owedVnd == 0 ? "nothing is owed; all of it becomes credit" : $"{amountVnd - owedVnd} more than owed becomes credit");
        return decision with { Outcome = outcome, Reason = $"{decision.Basis}, {money}" };
    }

    private static MatchDecision Ignore(string why) => new(MatchOutcome.Ignored, [], [], why);

    /// <summary>A prefix and eight digits that fail the check: worth telling the accountant, never worth matching.</summary>
    private static string? Mangled(string content, string prefix)
    {
        var m = MangledPatterns.GetOrAdd(prefix, p => new System.Text.RegularExpressions.Regex(
            $@"(?<![A-Z0-9]){System.Text.RegularExpressions.Regex.Escape(p)}[ .\-_]?((?:\d[ .\-_]?){{7}}\d)(?![0-9])",
            System.Text.RegularExpressions.RegexOptions.CultureInvariant | System.Text.RegularExpressions.RegexOptions.Compiled)).Match(PaymentCodeExtractor.Fold(content));
        return m.Success ? m.Value.Trim() : null;
    }
}
