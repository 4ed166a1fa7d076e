using TdmEdu.Fees.Domain.Students;

namespace TdmEdu.Fees.Domain.Tests.Students;

/// <summary>The candidates for a code that fails its check: the meant code always among them, every one valid and one slip away.</summary>
public sealed class PaymentCodeTyposTests
{
    private const string Code = "12345671"; // HS12345671, the banks.md example

    [Fact]
    public void OneSlipAway_OneWrongDigit_HasTheMeantCodeAsAWrongDigit()
    {
        var near = PaymentCodeTypos.OneSlipAway("12395671");

        Assert.Contains(new NearCode(Code, CodeEdit.WrongDigit), near);
    }

    [Fact]
    public void OneSlipAway_OneDigitMissing_HasTheMeantCodeAsAMissingDigit()
    {
        var near = PaymentCodeTypos.OneSlipAway("1234671");

        Assert.Contains(new NearCode(Code, CodeEdit.MissingDigit), near);
    }

    [Fact]
    public void OneSlipAway_OneDigitTooMany_HasTheMeantCodeAsAnExtraDigit()
    {
        var near = PaymentCodeTypos.OneSlipAway("123456771");

        Assert.Contains(new NearCode(Code, CodeEdit.ExtraDigit), near);
    }

    [Fact]
    public void OneSlipAway_TwoNeighboursSwapped_HasTheMeantCodeAsASwap()
    {
        var near = PaymentCodeTypos.OneSlipAway("12354671");

        Assert.Contains(new NearCode(Code, CodeEdit.Swapped), near);
    }

    [Fact]
    public void OneSlipAway_ACodeThatPassesItsCheck_HasNoCandidates() => Assert.Empty(PaymentCodeTypos.OneSlipAway(Code));

    [Theory]
    [InlineData("123456")]
    [InlineData("1234567890")]
    [InlineData("1234A671")]
    [InlineData("")]
    public void OneSlipAway_NotSevenToNineDigits_HasNoCandidates(string typed) => Assert.Empty(PaymentCodeTypos.OneSlipAway(typed));

    [Fact]
    public void OneSlipAway_ManyRandomSlips_AlwaysHoldTheMeantCode_AndOnlyValidCodesOneSlipAway()
    {
        var rng = new Random(26);
        for (var n = 0; n < 3000; n++)
        {
            var code = PaymentCode.Create("HS", rng.Next(0, PaymentCode.MaxSequence + 1)).Digits;
            var (typed, edit) = Slip(code, (CodeEdit)(n % 4), rng);
            if (typed == code) continue; // a swap of two equal digits changes nothing

            var near = PaymentCodeTypos.OneSlipAway(typed);

            Assert.Contains(new NearCode(code, edit), near);
            Assert.All(near, c => Assert.True(PaymentCode.HasValidCheckDigit(c.Digits) && c.Digits.Length == PaymentCode.DigitCount, c.Digits));
            Assert.All(near, c => Assert.True(OneSlip(typed, c.Digits), $"{c.Digits} is not one slip from {typed}"));
            Assert.Equal(near.Count, near.Select(c => c.Digits).Distinct().Count());
        }
    }

    [Fact]
    public void OneSlipAway_AnEightDigitSlip_GivesOneCodePerPositionForAWrongDigit()
    {
        // Damm's table is a quasigroup: for each position exactly one other digit makes the check hold again.
        var near = PaymentCodeTypos.OneSlipAway("12395671");

        Assert.Equal(8, near.Count(c => c.Edit == CodeEdit.WrongDigit));
    }

    private static (string Typed, CodeEdit Edit) Slip(string code, CodeEdit edit, Random rng)
    {
        var i = rng.Next(code.Length);
        return edit switch
        {
            CodeEdit.WrongDigit => (code[..i] + (char)('0' + (code[i] - '0' + rng.Next(1, 10)) % 10) + code[(i + 1)..], edit),
            CodeEdit.MissingDigit => (code[..i] + code[(i + 1)..], edit),
            CodeEdit.ExtraDigit => (code[..i] + (char)('0' + rng.Next(10)) + code[i..], edit),
            _ => i + 1 < code.Length ? (code[..i] + code[i + 1] + code[i] + code[(i + 2)..], edit) : (code[..(i - 1)] + code[i] + code[i - 1], edit),
        };
    }

    /// <summary>One substitution, insertion, deletion or neighbour swap turns a into b (and not zero).</summary>
    private static bool OneSlip(string a, string b)
    {
        if (a == b) return false;
        if (a.Length == b.Length)
        {
            var diff = Enumerable.Range(0, a.Length).Where(i => a[i] != b[i]).ToList();
            return diff.Count == 1 || diff.Count == 2 && diff[1] == diff[0] + 1 && a[diff[0]] == b[diff[1]] && a[diff[1]] == b[diff[0]];
        }
        var (longer, shorter) = a.Length > b.Length ? (a, b) : (b, a);
        if (longer.Length != shorter.Length + 1) return false;
        return Enumerable.Range(0, longer.Length).Any(i => longer[..i] + longer[(i + 1)..] == shorter);
    }
}
