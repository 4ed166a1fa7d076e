using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using TdmEdu.Fees.Domain.Students;

namespace TdmEdu.Fees.Reconciliation.Matching;

/// <summary>Something in a description written like a payment code that is not one: the prefix and seven to nine digits.</summary>
/// <param name="Text">As it stands in the description (upper case, diacritics dropped).</param>
/// <param name="Digits">The digits read from it, one way of reading them.</param>
public sealed record CodeLike(string Text, string Digits);

/// <summary>A valid payment code one slip away from a code-like token of the description.</summary>
public sealed record NearCodeIn(string PaymentCode, CodeEdit Edit, CodeLike Token);

/// <summary>What speaks for one suggested pupil; <see cref="Score"/> orders them.</summary>
/// <param name="NearMiss">The pupil's code is one slip from a code-like token of the description.</param>
/// <param name="Named">The description writes the pupil's full name.</param>
/// <param name="ClassToo">And the pupil's class.</param>
/// <param name="Owes">An open notice of the pupil, or all the pupil owes, is exactly the amount.</param>
/// <param name="PaidBefore">The payer's account paid for this pupil before.</param>
public sealed record Clues(bool NearMiss, bool Named, bool ClassToo, bool Owes, bool PaidBefore)
{
    /// <summary>
    /// The weight of the evidence. A name written out is the strongest (names rarely repeat in a school); a code one
    /// slip away next (codes are given in the order pupils were imported, so a slip often lands on a classmate, but a
    /// slip from a code of nobody in this school is rare); an exact amount and an earlier payment from the same account
    /// are shared by classmates on the same fees and by siblings, so each counts less.
    /// </summary>
    public int Score => (Named ? 4 : 0) + (ClassToo ? 1 : 0) + (NearMiss ? 3 : 0) + (Owes ? 2 : 0) + (PaidBefore ? 2 : 0);
}

/// <summary>
/// Near-miss suggestions: a transfer whose description holds a code that fails its check digit (or has a digit too few or
/// too many) is shown to a person with the pupils of the receiving school whose code is one slip away, ranked by what
/// else speaks for each. Pure; the look-ups are the matcher's. Never a match: the matcher only ever suggests these.
/// </summary>
public static class NearMiss
{
    private static readonly ConcurrentDictionary<string, Regex> Patterns = new();

    /// <summary>The prefix (its letters may be split as the extractor allows), then seven to nine digits with at most one separator between two.</summary>
    private static Regex Pattern(string letters) => new(
        $@"(?<![A-Z0-9]){Regex.Escape(letters[0].ToString())}{string.Concat(letters.Skip(1).Select(c => @"[ .\-_]?" + Regex.Escape(c.ToString())))}[ .\-_:#]*((?:\d[ .\-_]?){{6,8}}\d)(?![0-9])",
        RegexOptions.CultureInvariant | RegexOptions.Compiled);

    /// <summary>
    /// The code-like tokens of a description that are not valid codes, each way of reading its digits once: a run of
    /// digits followed by a month ("HS1234567 9/2025") is read both up to the separator and with the next digit.
    /// </summary>
    /// <summary>
    /// Code-like readings taken from one description at most: a parent types one code, sometimes two; a text crafted
    /// with dozens would otherwise cost the worker a search per slip of each (found by attacking the inbox).
    /// </summary>
    public const int MaxTokens = 4;

    /// <remarks>Only the first <see cref="MaxTokens"/> readings are returned.</remarks>
    public static IReadOnlyList<CodeLike> Tokens(string? description, string prefix)
    {
        if (string.IsNullOrWhiteSpace(description)) return [];
        var text = PaymentCodeExtractor.Fold(description);
        var letters = prefix.ToUpperInvariant();
        var found = new List<CodeLike>();
        foreach (Match m in Patterns.GetOrAdd(letters, Pattern).Matches(text))
        {
            var run = m.Groups[1].Value;
            var digits = string.Concat(run.Where(char.IsAsciiDigit));
            for (var n = PaymentCode.DigitCount - 1; n <= digits.Length; n++)
            {
                // Read n digits only where the n-th is the last of the run or a separator follows it.
                var end = IndexAfterDigit(run, n);
                if (end < run.Length && char.IsAsciiDigit(run[end])) continue;
                var read = digits[..n];
                if (n == PaymentCode.DigitCount && PaymentCode.HasValidCheckDigit(read)) continue;
                var shown = m.Value[..(m.Value.Length - run.Length + end)].Trim();
                if (found.TrueForAll(f => f.Digits != read)) found.Add(new CodeLike(shown, read));
                if (found.Count == MaxTokens) return found;
            }
        }
        return found;
    }

    private static int IndexAfterDigit(string run, int n)
    {
        var seen = 0;
        for (var i = 0; i < run.Length; i++)
            if (char.IsAsciiDigit(run[i]) && ++seen == n) return i + 1;
        return run.Length;
    }

    /// <summary>Every valid code one slip from a code-like token of the description, each once (the first token that reaches it).</summary>
    public static IReadOnlyList<NearCodeIn> Codes(string? description, string prefix)
    {
        var letters = prefix.ToUpperInvariant();
        var codes = new List<NearCodeIn>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var token in Tokens(description, prefix))
            foreach (var near in PaymentCodeTypos.OneSlipAway(token.Digits))
                if (seen.Add(letters + near.Digits)) codes.Add(new NearCodeIn(letters + near.Digits, near.Edit, token));
        return codes;
    }

    /// <summary>A token as the reason names it: the first one, or none.</summary>
    public static Words? Described(string? description, string prefix)
    {
        var token = Tokens(description, prefix).FirstOrDefault();
        if (token is null) return null;
        return token.Digits.Length == PaymentCode.DigitCount
            ? new Words($"\"{token.Text}\" looks like a payment code but fails its check digit", $"\"{token.Text}\" giống mã thanh toán nhưng sai chữ số kiểm tra")
            : new Words($"\"{token.Text}\" looks like a payment code but has {token.Digits.Length} digits, not {PaymentCode.DigitCount}",
                $"\"{token.Text}\" giống mã thanh toán nhưng có {token.Digits.Length} chữ số, không phải {PaymentCode.DigitCount}");
    }

    /// <summary>Why a near-miss pupil is suggested: the slip, then the other clues.</summary>
    public static Words Why(NearCodeIn near, Clues clues)
    {
        var slip = near.Edit switch
        {
            CodeEdit.WrongDigit => new Words("one digit wrong", "sai một chữ số"),
            CodeEdit.MissingDigit => new Words("one digit missing", "thiếu một chữ số"),
            CodeEdit.ExtraDigit => new Words("one digit too many", "thừa một chữ số"),
            _ => new Words("two digits swapped", "đảo hai chữ số liền nhau"),
        };
        var why = new Words($"one slip from \"{near.Token.Text}\" (", $"gần đúng mã \"{near.Token.Text}\" (") + slip + new Words(")", ")");
        if (clues.Named) why += clues.ClassToo ? new Words("; the description names this pupil and the class", "; nội dung ghi tên và lớp của học sinh")
            : new Words("; the description names this pupil", "; nội dung ghi tên học sinh");
        if (clues.Owes) why += new Words("; owes exactly this amount", "; đang nợ đúng số tiền này");
        if (clues.PaidBefore) why += new Words("; this payer's account paid for this pupil before", "; tài khoản này đã từng nộp cho học sinh");
        return why;
    }

    /// <summary>
    /// The suggestions best first: by <see cref="Clues.Score"/>, ties in the order given. The first is marked
    /// <see cref="Suggestion.Best"/> only when it rests on a near miss or a written name and no other pupil has as much
    /// for them; otherwise the person sees several, none put first.
    /// </summary>
    public static List<Suggestion> Rank(IReadOnlyList<(Suggestion Suggestion, Clues Clues)> pupils)
    {
        var ordered = pupils.Select((p, i) => (p, i)).OrderByDescending(x => x.p.Clues.Score).ThenBy(x => x.i).Select(x => x.p).ToList();
        var result = ordered.Select(p => p.Suggestion with { Best = false }).ToList();
        if (ordered.Count > 0 && (ordered[0].Clues.NearMiss || ordered[0].Clues.Named)
                              && (ordered.Count == 1 || ordered[0].Clues.Score > ordered[1].Clues.Score))
            result[0] = result[0] with { Best = true };
        return result;
    }
}
