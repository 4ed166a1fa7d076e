using TdmEdu.Fees.Domain.Students;

namespace TdmEdu.Fees.Domain.Tests.Students;

public sealed class PaymentCodeTests
{
    [Fact]
    public void Create_WithTheBanksMdExample_GivesHS12345671()
    {
        Assert.Equal("HS12345671", PaymentCode.Create("HS", 1234567).Value);
        Assert.NotNull(PaymentCode.TryParse("hs12345671", "HS"));
    }

    [Fact]
    public void TryParse_AnySingleWrongDigit_IsRefused()
    {
        var rng = new Random(11);
        for (var n = 0; n < 2000; n++)
        {
            var code = PaymentCode.Create("HS", rng.Next(0, PaymentCode.MaxSequence + 1)).Digits;
            for (var pos = 0; pos < code.Length; pos++)
                for (var d = '0'; d <= '9'; d++)
                {
                    if (d == code[pos]) continue;
                    var mangled = code[..pos] + d + code[(pos + 1)..];
                    Assert.Null(PaymentCode.TryParse("HS" + mangled, "HS"));
                }
        }
    }

    [Fact]
    public void TryParse_AnySwapOfNeighbouringDigits_IsRefused()
    {
        var rng = new Random(12);
        for (var n = 0; n < 5000; n++)
        {
            var code = PaymentCode.Create("HS", rng.Next(0, PaymentCode.MaxSequence + 1)).Digits;
            for (var pos = 0; pos + 1 < code.Length; pos++)
            {
                if (code[pos] == code[pos + 1]) continue;
                var swapped = code[..pos] + code[pos + 1] + code[pos] + code[(pos + 2)..];
                Assert.Null(PaymentCode.TryParse("HS" + swapped, "HS"));
            }
        }
    }

    [Theory]
    [InlineData("HS1234567")]
    [InlineData("HS123456710")]
    [InlineData("XX12345671")]
    [InlineData("HS1234567A")]
    [InlineData("")]
    public void TryParse_MalformedCode_IsRefused(string text) => Assert.Null(PaymentCode.TryParse(text, "HS"));

    [Theory]
    [InlineData(0, "HS00000000")]
    [InlineData(1, "HS00000013")]
    [InlineData(PaymentCode.MaxSequence, "HS99999992")]
    public void Create_EverySevenDigitSequence_GivesEightDigitsWithTheCheckDigitLast(int sequence, string code)
    {
        var created = PaymentCode.Create("hs", sequence);

        Assert.Equal(code, created.Value);
        Assert.Equal(("HS", code[2..]), (created.Prefix, created.Digits));
        Assert.Equal(code, created.ToString());
        Assert.Equal(created, PaymentCode.TryParse($" {code.ToLowerInvariant()} ", "hs"));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(PaymentCode.MaxSequence + 1)]
    public void Create_ASequenceOutsideSevenDigits_IsRefused(int sequence)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => PaymentCode.Create("HS", sequence));

        Assert.Equal("sequence", e.ParamName);
        Assert.StartsWith("A payment code sequence has seven digits.", e.Message);
    }

    [Fact]
    public void CheckDigit_OfSomethingThatIsNotDigits_IsRefused() =>
        Assert.StartsWith("Only digits carry a check digit.", Assert.Throws<ArgumentException>(() => PaymentCode.CheckDigit("12a4")).Message);

    [Theory]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("00000000")]
    [InlineData("1234567A")]
    public void HasValidCheckDigit_IsTrueOnlyForDigitsFollowedByTheirCheckDigit(string digits) =>
        Assert.Equal(digits == "00000000", PaymentCode.HasValidCheckDigit(digits));

    [Theory]
    [InlineData("AB")]
    [InlineData("xyz")]
    public void Create_APrefixOfTwoOrThreeLetters_IsAccepted(string prefix) =>
        Assert.Equal(prefix.ToUpperInvariant() + "00000000", PaymentCode.Create(prefix, 0).Value);

    [Fact]
    public void Create_WithABadPrefix_SaysWhatAPrefixIs() =>
        Assert.StartsWith("A payment code prefix is 2 or 3 letters without O, I or L; 'HSX1' is not.",
            Assert.Throws<ArgumentException>(() => PaymentCode.Create("HSX1", 1)).Message);

    [Theory]
    [InlineData("H")]
    [InlineData("HSOL")]
    [InlineData("HO")]
    [InlineData("LI")]
    [InlineData("H1")]
    public void Create_WithABadPrefix_Throws(string prefix) =>
        Assert.Throws<ArgumentException>(() => PaymentCode.Create(prefix, 1));
}
