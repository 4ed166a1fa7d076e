namespace TdmEdu.Fees.Reconciliation.Matching;

/// <summary>
/// A reason as the rule that decided writes it, in English (the command line, the export, the logs of decisions)
/// and in Vietnamese (the pages), ADR 13: the sentence carries numbers and codes only the rule knows, so it is
/// written twice where it is made, never translated afterwards.
/// </summary>
public readonly record struct Words(string En, string Vi)
{
    /// <summary>Nothing to add, in either language.</summary>
    public static readonly Words None = new("", "");

    public static Words operator +(Words a, Words b) => new(a.En + b.En, a.Vi + b.Vi);

    /// <summary>The parts joined by the same separator in each language.</summary>
    public static Words Join(string separator, IEnumerable<Words> parts)
    {
        var list = parts.ToList();
        return new(string.Join(separator, list.Select(p => p.En)), string.Join(separator, list.Select(p => p.Vi)));
    }

    /// <summary>An amount as the English reasons write it (1371800) and as the Vietnamese ones do (1.371.800 ₫).</summary>
    public static Words Amount(long vnd) =>
        new(vnd.ToString(System.Globalization.CultureInfo.InvariantCulture), Domain.Money.Money.Digits(vnd) + " ₫");

    public override string ToString() => En;
}
