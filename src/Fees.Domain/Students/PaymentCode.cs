namespace TdmEdu.Fees.Domain.Students;

/// <summary>
/// A student's payment code: the authority's letter prefix and eight digits, the last a Damm check digit over
/// the first seven. Damm catches every single wrong digit and every swap of two neighbouring digits, so a
/// mangled code fails its check instead of naming another child.
/// </summary>
public sealed record PaymentCode
{
    public const int DigitCount = 8;
    public const int MaxSequence = 9_999_999;

    // Damm's totally anti-symmetric quasigroup of order 10.
    private static readonly byte[,] Table =
    {
        { 0, 3, 1, 7, 5, 9, 8, 6, 4, 2 },
        { 7, 0, 9, 2, 1, 5, 4, 8, 6, 3 },
        { 4, 2, 0, 6, 8, 7, 1, 3, 5, 9 },
        { 1, 7, 5, 0, 9, 8, 3, 4, 2, 6 },
        { 6, 1, 2, 3, 0, 4, 5, 9, 7, 8 },
        { 3, 6, 7, 4, 2, 0, 9, 5, 8, 1 },
        { 5, 8, 6, 9, 7, 2, 0, 1, 3, 4 },
        { 8, 9, 4, 5, 3, 6, 2, 0, 1, 7 },
        { 9, 4, 3, 8, 6, 1, 7, 2, 0, 5 },
        { 2, 5, 8, 1, 4, 3, 6, 7, 9, 0 },
    };

    private PaymentCode(string prefix, string digits)
    {
        Prefix = prefix;
        Digits = digits;
    }

    public string Prefix { get; }
    public string Digits { get; }
    public string Value => Prefix + Digits;

    public override string ToString() => Value;

    /// <summary>The code for the given seven-digit sequence number under the authority's prefix.</summary>
    public static PaymentCode Create(string prefix, int sequence)
    {
        ValidatePrefix(prefix);
        if (sequence is < 0 or > MaxSequence)
            throw new ArgumentOutOfRangeException(nameof(sequence), sequence, "A payment code sequence has seven digits.");
        var body = sequence.ToString("D7", System.Globalization.CultureInfo.InvariantCulture);
        return new PaymentCode(prefix.ToUpperInvariant(), body + CheckDigit(body));
    }

    public static char CheckDigit(string digits)
    {
        var interim = 0;
        foreach (var c in digits)
        {
            if (c is < '0' or > '9') throw new ArgumentException("Only digits carry a check digit.", nameof(digits));
            interim = Table[interim, c - '0'];
        }
        return (char)('0' + interim);
    }

    /// <summary>True when the digits, check digit included, pass Damm's check.</summary>
    public static bool HasValidCheckDigit(string digits) =>
        digits.Length > 1 && digits.All(char.IsAsciiDigit) && CheckDigit(digits) == '0';

    /// <summary>Parses a code case-insensitively; null when it is not a well-formed code with a valid check digit.</summary>
    public static PaymentCode? TryParse(string? text, string expectedPrefix)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var t = text.Trim().ToUpperInvariant();
        var prefix = expectedPrefix.ToUpperInvariant();
        if (!t.StartsWith(prefix, StringComparison.Ordinal)) return null;
        var digits = t[prefix.Length..];
        if (digits.Length != DigitCount || !HasValidCheckDigit(digits)) return null;
        return new PaymentCode(prefix, digits);
    }

    public static void ValidatePrefix(string prefix)
    {
        if (prefix is null || prefix.Length is < 2 or > 3 || !prefix.All(char.IsAsciiLetter)
            || prefix.ToUpperInvariant().IndexOfAny(['O', 'I', 'L']) >= 0)
            throw new ArgumentException(
                $"A payment code prefix is 2 or 3 letters without O, I or L; '{prefix}' is not.", nameof(prefix));
    }
}
