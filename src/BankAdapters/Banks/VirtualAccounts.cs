using TdmEdu.Fees.Domain.Students;

namespace TdmEdu.Fees.BankAdapters.Banks;

/// <summary>
/// A school account's virtual accounts: the account's prefix, then the pupil's payment code. BIDV gives a prefix
/// of 4 letters or digits and takes the whole code; MSB gives 6 digits and takes the code's 8 digits (its account
/// numbers are digits only). A parent pays to one, and the bank names it on the credit.
/// </summary>
public static class VirtualAccounts
{
    /// <summary>Whether a prefix is of the form the bank gives; a bank without virtual accounts here has none.</summary>
    public static bool PrefixFits(string bank, string prefix) => bank switch
    {
        BankDirectory.Bidv => prefix.Length == 4 && prefix.All(char.IsAsciiLetterOrDigit),
        BankDirectory.Msb => prefix.Length == 6 && prefix.All(char.IsAsciiDigit),
        _ => false,
    };

    /// <summary>The virtual account a parent pays to for a payment code, under the account's prefix.</summary>
    public static string Of(string bank, string prefix, string paymentCode) =>
        prefix + (bank == BankDirectory.Msb ? paymentCode[^PaymentCode.DigitCount..] : paymentCode);

    /// <summary>
    /// The payment code a virtual account stands for: it starts with the prefix, and the rest is a code of the
    /// authority (or a code's 8 digits) whose check digit holds; null otherwise.
    /// </summary>
    public static string? PaymentCodeOf(string virtualAccount, string? prefix, string authorityPrefix)
    {
        var v = virtualAccount.Trim().ToUpperInvariant();
        if (prefix is { Length: > 0 } p && v.StartsWith(p.ToUpperInvariant(), StringComparison.Ordinal))
        {
            var rest = v[p.Length..];
            if (PaymentCode.TryParse(rest, authorityPrefix) is { } withLetters) return withLetters.Value;
            if (rest.Length == PaymentCode.DigitCount && PaymentCode.TryParse(authorityPrefix + rest, authorityPrefix) is { } digitsOnly) return digitsOnly.Value;
        }
        return null;
    }
}
