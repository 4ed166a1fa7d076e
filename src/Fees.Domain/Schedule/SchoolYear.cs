namespace TdmEdu.Fees.Domain.Schedule;

/// <summary>A school year such as 2025-2026, starting in August of its first year.</summary>
public readonly record struct SchoolYear(int StartYear)
{
    public const int FirstMonth = 8;

    public static SchoolYear Containing(BillingMonth month) =>
        new(month.Month >= FirstMonth ? month.Year : month.Year - 1);

    public static bool TryParse(string? text, out SchoolYear year)
    {
        year = default;
        if (text is null) return false;
        var parts = text.Trim().Split('-');
        if (parts.Length != 2
            || !int.TryParse(parts[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var a)
            || !int.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var b)
            || b != a + 1 || a is < 2000 or > 2200)
            return false;
        year = new SchoolYear(a);
        return true;
    }

    /// <summary>The calendar month in which the given month number of this school year falls.</summary>
    public BillingMonth MonthOf(int month) => new(month >= FirstMonth ? StartYear : StartYear + 1, month);

    public override string ToString() => $"{StartYear}-{StartYear + 1}";
}
