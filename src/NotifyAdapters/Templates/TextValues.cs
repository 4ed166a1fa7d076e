using System.Globalization;

namespace TdmEdu.Fees.NotifyAdapters.Templates;

/// <summary>How each placeholder of §5 is written, and how long it may be.</summary>
public static class TextValues
{
    // The placeholder lengths follow ZNS parameter types (§5); every channel cuts to them so the three say the same.
    public const int SchoolMax = 30;
    public const int FirstNameMax = 30;
    public const int PeriodMax = 20;
    public const int AmountMax = 20;
    public const int DueDateMax = 10;
    public const int PaymentCodeMax = 30;
    public const int ReceiptMax = 30;
    public const int LinkMax = 100;

    // Grouping written out rather than taken from the vi-VN culture, so the text does not depend on ICU data.
    private static readonly NumberFormatInfo Dots = new() { NumberGroupSeparator = ".", NumberGroupSizes = [3], NegativeSign = "-" };

    /// <summary>The pupil's given name: the last word of the full name (Vietnamese names end with it).</summary>
    public static string FirstName(string fullName)
    {
        var words = fullName.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return words.Length == 0 ? "" : words[^1];
    }

    /// <summary>Whole đồng with vi-VN grouping: 1500000 → "1.500.000".</summary>
    public static string Digits(long amountVnd) => amountVnd.ToString("#,##0", Dots);

    /// <summary>An amount as the e-mail and SMS texts write it: "1.500.000 đ" (SMS folds đ to d).</summary>
    public static string Amount(long amountVnd) => Digits(amountVnd) + " đ";

    /// <summary>"tháng 9/2026"; SMS writes the short "T9/2026".</summary>
    public static string Period(int month, int year, bool shortForm = false) =>
        (shortForm ? "T" : "tháng ") + month.ToString(CultureInfo.InvariantCulture) + "/" + year.ToString(CultureInfo.InvariantCulture);

    public static string Date(DateOnly date) => date.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);

    /// <summary>
    /// A value longer than <paramref name="max"/> cut at the last word boundary that fits (a single long word is cut
    /// where it must), never inside a surrogate pair.
    /// </summary>
    public static string Cut(string value, int max)
    {
        value = value.Trim();
        if (value.Length <= max) return value;
        var cut = value[..max];
        if (!char.IsWhiteSpace(value[max]))
        {
            var space = cut.LastIndexOf(' ');
            if (space > 0) cut = cut[..space];
        }
        if (cut.Length > 0 && char.IsHighSurrogate(cut[^1])) cut = cut[..^1];
        return cut.TrimEnd();
    }
}
