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
    [InlineData("H")]
    [InlineData("HSOL")]
    [InlineData("HO")]
    [InlineData("LI")]
    [InlineData("H1")]
    public void Create_WithABadPrefix_Throws(string prefix) =>
        Assert.Throws<ArgumentException>(() => PaymentCode.Create(prefix, 1));
}
