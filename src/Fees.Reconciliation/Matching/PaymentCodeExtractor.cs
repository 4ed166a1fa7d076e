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

    /// <summary>
    /// The month a transfer names right after this pupil's code, as our QR texts write it ("HS12345671 2026-11") and
    /// as people type it ("HS12345671 T11/2026", "11-2026", "202611"): yyyyMM, or null when none follows the code.
    /// It only orders the pupil's own notices; it never chooses the pupil.
    /// </summary>
    public static int? PeriodNamedAfter(string? description, PaymentCode code, string prefix)
    {
        if (string.IsNullOrWhiteSpace(description)) return null;
        var text = Fold(description);
        var letters = prefix.ToUpperInvariant();
        foreach (Match m in Patterns.GetOrAdd(letters, Pattern).Matches(text))
        {
            var digits = string.Concat(m.Groups[1].Value.Where(char.IsAsciiDigit));
            if (PaymentCode.TryParse(letters + digits, letters) != code) continue;
            var p = PeriodPattern().Match(text, m.Index + m.Length);
            if (!p.Success) return null;
            var (year, month) = p.Groups["y1"].Success
                ? (int.Parse(p.Groups["y1"].Value, CultureInfo.InvariantCulture), int.Parse(p.Groups["m1"].Value, CultureInfo.InvariantCulture))
                : (int.Parse(p.Groups["y2"].Value, CultureInfo.InvariantCulture), int.Parse(p.Groups["m2"].Value, CultureInfo.InvariantCulture));
            return year * 100 + month;
        }
        return null;
    }

    /// <summary>Right at the given position: separators, an optional T or THANG, then 2026-11, 202611, 11/2026 or T11/2026.</summary>
    [GeneratedRegex(@"\G[ .\-_:#/,]*(?:THANG ?|T)?(?:(?<y1>20\d\d)[-./ ]?(?<m1>0[1-9]|1[0-2])|(?<m2>0?[1-9]|1[0-2])[-./ ](?<y2>20\d\d))(?![0-9])",
        RegexOptions.CultureInvariant)]
    private static partial Regex PeriodPattern();

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
