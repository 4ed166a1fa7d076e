using System.Security.Cryptography;

namespace TdmEdu.Fees.Domain.Receipts;

/// <summary>
/// A receipt's look-up code (contracts/ereceipts.md §7): 12 characters of Crockford base32 (60 random bits), shown
/// in three groups of four ("7QK2-M9XD-4HTB") and stored without the dashes. Read back forgivingly, as people type
/// it: lower case, dashes and spaces, I and L for 1, O for 0.
/// </summary>
public static class LookupCode
{
    public const int Length = 12;
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    /// <summary>A new code from 60 random bits.</summary>
    public static string New()
    {
        Span<byte> bytes = stackalloc byte[8];
        RandomNumberGenerator.Fill(bytes);
        var bits = BitConverter.ToUInt64(bytes) & ((1UL << 60) - 1);
        var chars = new char[Length];
        for (var i = Length - 1; i >= 0; i--, bits >>= 5) chars[i] = Alphabet[(int)(bits & 31)];
        return new string(chars);
    }

    /// <summary>The code in groups of four, as printed.</summary>
    public static string Display(string code) => code.Length == Length ? $"{code[..4]}-{code[4..8]}-{code[8..]}" : code;

    /// <summary>The stored form of what a person typed, or null when it cannot be a code.</summary>
    public static string? Normalise(string? typed)
    {
        if (typed is null || typed.Length > 40) return null;
        var chars = new List<char>(Length);
        foreach (var c in typed.ToUpperInvariant())
        {
            if (c is '-' or ' ') continue;
            var d = c switch { 'I' or 'L' => '1', 'O' => '0', _ => c };
            if (!Alphabet.Contains(d, StringComparison.Ordinal)) return null;
            chars.Add(d);
        }
        return chars.Count == Length ? new string([.. chars]) : null;
    }
}
