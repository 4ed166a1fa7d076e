using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using TdmEdu.Fees.Domain.Students;

namespace TdmEdu.Fees.Reconciliation.Matching;

/// <summary>
/// Finds payment codes in a transfer description as banks deliver it: case changed, diacritics dropped or
/// not, separators lost or added, spaces inside the code, bank wrappers around it. Only codes whose check
/// digit holds are returned, in the order they appear, each once: a mangled code never names another child.
/// This is the first rule of the matching engine; the reconciliation work builds on it.
/// </summary>
public static partial class PaymentCodeExtractor
{
    public static IReadOnlyList<PaymentCode> Extract(string? description, string prefix)
    {
        if (string.IsNullOrWhiteSpace(description)) return [];
        var text = Fold(description);
        var letters = prefix.ToUpperInvariant();
        var found = new List<PaymentCode>();
        foreach (Match m in Patterns.GetOrAdd(letters, Pattern).Matches(text))
        {
            var digits = string.Concat(m.Groups[1].Value.Where(char.IsAsciiDigit));
            if (PaymentCode.TryParse(letters + digits, letters) is { } code && !found.Contains(code)) found.Add(code);
        }
        return found;
    }

    private static readonly ConcurrentDictionary<string, Regex> Patterns = new();

    /// <summary>The prefix letters, then eight digits with at most one separator between any two of them.</summary>
    private static Regex Pattern(string letters) => new(
        $@"(?<![A-Z0-9]){Regex.Escape(letters[0].ToString())}{string.Concat(letters.Skip(1).Select(c => @"[ .\-_]?" + Regex.Escape(c.ToString())))}[ .\-_:#]*((?:\d[ .\-_]?){{7}}\d)(?![0-9])",
        RegexOptions.CultureInvariant | RegexOptions.Compiled);

    /// <summary>Upper case, diacritics dropped, đ → D.</summary>
    public static string Fold(string text)
    {
        var decomposed = text.Replace('đ', 'd').Replace('Đ', 'D').Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark) sb.Append(char.ToUpperInvariant(c));
        return sb.ToString();
    }
}
