namespace TdmEdu.Fees.Domain.Students;

/// <summary>How a typed code differs from a valid one: the four slips a hand makes when copying eight digits.</summary>
public enum CodeEdit
{
    /// <summary>One digit typed as another.</summary>
    WrongDigit,
    /// <summary>One digit left out (seven typed).</summary>
    MissingDigit,
    /// <summary>One digit too many (nine typed).</summary>
    ExtraDigit,
    /// <summary>Two neighbouring digits typed in the wrong order.</summary>
    Swapped,
}

/// <summary>A valid code's eight digits one slip away from what was typed, and which slip.</summary>
public sealed record NearCode(string Digits, CodeEdit Edit);

/// <summary>
/// The valid payment codes one slip away from digits that fail the check: the candidates a person would look at
/// when a transfer names a code that names nobody. Damm's check digit refuses every single slip, so the code that
/// was meant is always among these; so are a few others, and which of them is a pupil is for the caller to find out.
/// Nothing here chooses: a candidate is a suggestion, never a match.
/// </summary>
public static class PaymentCodeTypos
{
    /// <summary>
    /// The valid eight-digit codes reachable from <paramref name="typed"/> (seven to nine digits) by one wrong digit,
    /// one missing digit, one extra digit or one swap of neighbours, each once, in the order of the digit changed.
    /// Digits that already form a valid code, or that are not seven to nine digits, have none.
    /// </summary>
    public static IReadOnlyList<NearCode> OneSlipAway(string typed)
    {
        if (typed.Length is < PaymentCode.DigitCount - 1 or > PaymentCode.DigitCount + 1 || !typed.All(char.IsAsciiDigit)) return [];
        if (typed.Length == PaymentCode.DigitCount && PaymentCode.HasValidCheckDigit(typed)) return [];
        var found = new List<NearCode>();
        void Take(string digits, CodeEdit edit)
        {
            if (PaymentCode.HasValidCheckDigit(digits) && found.TrueForAll(f => f.Digits != digits)) found.Add(new NearCode(digits, edit));
        }

        switch (typed.Length - PaymentCode.DigitCount)
        {
            case 0:
                for (var i = 0; i < typed.Length; i++)
                {
                    for (var d = '0'; d <= '9'; d++)
                        if (d != typed[i]) Take(typed[..i] + d + typed[(i + 1)..], CodeEdit.WrongDigit);
                    if (i + 1 < typed.Length && typed[i] != typed[i + 1])
                        Take(typed[..i] + typed[i + 1] + typed[i] + typed[(i + 2)..], CodeEdit.Swapped);
                }
                break;
            case -1:
                for (var i = 0; i <= typed.Length; i++)
                    for (var d = '0'; d <= '9'; d++)
                        Take(typed[..i] + d + typed[i..], CodeEdit.MissingDigit);
                break;
            default:
                for (var i = 0; i < typed.Length; i++)
                    Take(typed[..i] + typed[(i + 1)..], CodeEdit.ExtraDigit);
                break;
        }
        return found;
    }
}
