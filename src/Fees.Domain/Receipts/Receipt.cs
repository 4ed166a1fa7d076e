namespace TdmEdu.Fees.Domain.Receipts;

public enum ReceiptStatus { Issued, Cancelled }

/// <summary>
/// A receipt (biên lai) numbered without gaps within its series. A cancelled receipt keeps its number and
/// points at the receipt that replaces it, if any; numbers are never reused.
/// </summary>
public sealed class Receipt
{
    public const int NumberDigits = 7;

    public Receipt(string template, string series, long number, long amountVnd)
    {
        if (number < 1) throw new ArgumentOutOfRangeException(nameof(number), number, "Receipt numbers start at 1.");
        if (amountVnd <= 0) throw new ArgumentOutOfRangeException(nameof(amountVnd), amountVnd, "A receipt is for money received.");
        Template = template;
        Series = series;
        Number = number;
        AmountVnd = amountVnd;
    }

    public string Template { get; }
    public string Series { get; }
    public long Number { get; }
    public long AmountVnd { get; }
    public ReceiptStatus Status { get; private set; } = ReceiptStatus.Issued;
    public long? ReplacedByNumber { get; private set; }

    public string Display => Format(Template, Series, Number);

    public static string Format(string template, string series, long number) =>
        $"{template}/{series}/{number.ToString("D" + NumberDigits, System.Globalization.CultureInfo.InvariantCulture)}";

    public void Cancel(long? replacementNumber)
    {
        if (Status == ReceiptStatus.Cancelled)
            throw new InvalidOperationException($"Receipt {Display} is already cancelled.");
        if (replacementNumber is { } r && r <= Number)
            throw new InvalidOperationException($"A replacement receipt takes a later number than {Display}.");
        Status = ReceiptStatus.Cancelled;
        ReplacedByNumber = replacementNumber;
    }

    /// <summary>Numbers 1..n with none missing or repeated; returns the missing and repeated numbers.</summary>
    public static (IReadOnlyList<long> Missing, IReadOnlyList<long> Repeated) FindGaps(IEnumerable<long> numbers)
    {
        var sorted = numbers.OrderBy(n => n).ToList();
        var repeated = sorted.GroupBy(n => n).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        var present = sorted.ToHashSet();
        var max = sorted.Count == 0 ? 0 : sorted[^1];
        var missing = new List<long>();
        for (long n = 1; n <= max && missing.Count < 100; n++)
            if (!present.Contains(n)) missing.Add(n);
        return (missing, repeated);
    }
}
