using System.Globalization;

namespace TdmEdu.Fees.Api.Files;

/// <summary>Parsers for the values accountants type: amounts with thousands separators, dates in two forms.</summary>
public static class Values
{
    public const long MaxAmountVnd = 999_999_999_999;

    /// <summary>An amount as messages the pages show write it, like the pages themselves: 1.500.000 ₫.</summary>
    public static string Money(long vnd) => Domain.Money.Money.Digits(vnd) + " ₫";

    /// <summary>Whole đồng written 1500000, 1.500.000 or 1,500,000; null (with a reason) otherwise.</summary>
    public static long? ParseAmount(string text, out string? reason)
    {
        reason = null;
        var t = text.Trim().Replace(" ", "", StringComparison.Ordinal);
        if (t.EndsWith("đ", StringComparison.OrdinalIgnoreCase) || t.EndsWith("₫", StringComparison.Ordinal)) t = t[..^1];
        if (t.Length == 0) { reason = "the amount is empty."; return null; }
        if (t.StartsWith('-')) { reason = $"\"{text}\" is negative; amounts are above zero."; return null; }
        foreach (var sep in new[] { '.', ',' })
        {
            if (!t.Contains(sep)) continue;
            var groups = t.Split(sep);
            var other = sep == '.' ? ',' : '.';
            if (t.Contains(other) || groups[0].Length is < 1 or > 3 || groups.Skip(1).Any(g => g.Length != 3))
            {
                reason = $"\"{text}\" is not a whole number of đồng (write 1500000, 1.500.000 or 1,500,000).";
                return null;
            }
            t = string.Concat(groups);
        }
        if (!t.All(char.IsAsciiDigit) || t.Length > 13
            || !long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var v))
        {
            reason = $"\"{text}\" is not a whole number of đồng.";
            return null;
        }
        if (v > MaxAmountVnd) { reason = $"\"{text}\" is more than 999,999,999,999 đồng."; return null; }
        return v;
    }

    private static readonly string[] DateFormats = ["dd/MM/yyyy", "d/M/yyyy", "yyyy-MM-dd"];

    public static DateOnly? ParseDate(string text, out Common.Said? reason)
    {
        reason = null;
        var t = text.Trim();
        if (DateOnly.TryParseExact(t, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return d;
        reason = LooksLikeDate(t)
            ? new($"\"{text}\" is not a real date.", $"\"{text}\" không phải là một ngày có thật.")
            : new($"\"{text}\" is not a date (write dd/MM/yyyy or yyyy-MM-dd).", $"\"{text}\" không phải là ngày (viết dd/MM/yyyy hoặc yyyy-MM-dd).");
        return null;
    }

    private static bool LooksLikeDate(string t) =>
        System.Text.RegularExpressions.Regex.IsMatch(t, @"^(\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2})$");
}
