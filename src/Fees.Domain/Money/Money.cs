namespace TdmEdu.Fees.Domain.Money;

/// <summary>
/// An amount of Vietnamese đồng. VND has no minor unit, so the whole value is a <see cref="long"/>;
/// arithmetic is checked (the build turns overflow checking on) so an overflow throws instead of wrapping.
/// </summary>
public readonly record struct Money(long Dong) : IComparable<Money>
{
    public static readonly Money Zero = new(0);

    public bool IsZero => Dong == 0;
    public bool IsPositive => Dong > 0;
    public bool IsNegative => Dong < 0;

    public static Money operator +(Money a, Money b) => new(a.Dong + b.Dong);
    public static Money operator -(Money a, Money b) => new(a.Dong - b.Dong);
    public static Money operator -(Money a) => new(-a.Dong);
    public static Money operator *(Money a, int times) => new(a.Dong * times);
    public static bool operator <(Money a, Money b) => a.Dong < b.Dong;
    public static bool operator >(Money a, Money b) => a.Dong > b.Dong;
    public static bool operator <=(Money a, Money b) => a.Dong <= b.Dong;
    public static bool operator >=(Money a, Money b) => a.Dong >= b.Dong;

    public static Money Min(Money a, Money b) => a <= b ? a : b;
    public static Money Max(Money a, Money b) => a >= b ? a : b;

    public int CompareTo(Money other) => Dong.CompareTo(other.Dong);

    /// <summary>The amount after a percent reduction, rounded down to the đồng: floor(amount × (100 − percent) / 100).</summary>
    public Money AfterReduction(int percent)
    {
        if (percent is < 0 or > 100)
            throw new ArgumentOutOfRangeException(nameof(percent), percent, "A reduction is between 0 and 100 percent.");
        if (Dong < 0)
            throw new InvalidOperationException("Reductions apply to charges, which are never negative.");
        // Integer division of non-negative numbers is floor.
        return new Money(Dong * (100 - percent) / 100);
    }

    /// <summary>Splits the amount into parts proportional to the weights; the parts always add up to the amount.</summary>
    public IReadOnlyList<Money> Split(IReadOnlyList<long> weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (weights.Count == 0) throw new ArgumentException("Splitting needs at least one part.", nameof(weights));
        if (weights.Any(w => w < 0)) throw new ArgumentException("Weights are never negative.", nameof(weights));
        var total = weights.Sum();
        if (total == 0) throw new ArgumentException("At least one weight must be above zero.", nameof(weights));

        var parts = new long[weights.Count];
        long given = 0;
        for (var i = 0; i < weights.Count; i++)
        {
            // Int128 keeps amount × weight exact for any pair of longs.
            parts[i] = (long)((Int128)Dong * weights[i] / total);
            given += parts[i];
        }
        // The đồng lost to rounding go one each to the first parts with a weight, so nothing is lost.
        var left = Dong - given;
        for (var i = 0; left != 0; i = (i + 1) % parts.Length)
        {
            if (weights[i] == 0) continue;
            var step = Math.Sign(left);
            parts[i] += step;
            left -= step;
        }
        return parts.Select(p => new Money(p)).ToArray();
    }

    public override string ToString() => Text(Dong);

    /// <summary>1.500.000: the digits in groups of three with dots, as Vietnamese documents write amounts.
    /// The one formatter of amounts; <see cref="Text"/> adds the unit, and the web pages add their own ₫.</summary>
    public static string Digits(long dong) => dong.ToString("#,0", System.Globalization.CultureInfo.InvariantCulture).Replace(',', '.');

    /// <summary>An amount as messages and documents write it: 1.500.000 đ.</summary>
    public static string Text(long dong) => Digits(dong) + " đ";
}
