using System.Globalization;

namespace TdmEdu.Fees.Domain.Schedule;

/// <summary>A billing period: one calendar month, written yyyy-MM.</summary>
public readonly record struct BillingMonth(int Year, int Month) : IComparable<BillingMonth>
{
    public static bool TryParse(string? text, out BillingMonth month)
    {
        month = default;
        if (text is null || text.Length != 7 || text[4] != '-') return false;
        if (!int.TryParse(text.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var y)) return false;
        if (!int.TryParse(text.AsSpan(5, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var m)) return false;
        if (m is < 1 or > 12 || y is < 2000 or > 2200) return false;
        month = new BillingMonth(y, m);
        return true;
    }

    public static BillingMonth Of(DateOnly date) => new(date.Year, date.Month);

    public DateOnly FirstDay => new(Year, Month, 1);
    public DateOnly LastDay => FirstDay.AddMonths(1).AddDays(-1);

    /// <summary>The key stored in the database: yyyyMM as a number, which sorts like the months.</summary>
    public int Key => Year * 100 + Month;

    public static BillingMonth FromKey(int key) => new(key / 100, key % 100);

    /// <summary>The due date: the due day of this month, or its last day when the month is shorter.</summary>
    public DateOnly DueDate(int dueDay) => new(Year, Month, Math.Min(dueDay, DateTime.DaysInMonth(Year, Month)));

    public BillingMonth Next() => Month == 12 ? new(Year + 1, 1) : new(Year, Month + 1);

    public int CompareTo(BillingMonth other) => Key.CompareTo(other.Key);
    public static bool operator <(BillingMonth a, BillingMonth b) => a.Key < b.Key;
    public static bool operator >(BillingMonth a, BillingMonth b) => a.Key > b.Key;
    public static bool operator <=(BillingMonth a, BillingMonth b) => a.Key <= b.Key;
    public static bool operator >=(BillingMonth a, BillingMonth b) => a.Key >= b.Key;

    public override string ToString() => $"{Year:D4}-{Month:D2}";
}
