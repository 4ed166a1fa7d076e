using TdmEdu.Fees.Domain.Students;
using TdmEdu.Fees.Reconciliation.Matching;

namespace TdmEdu.Fees.Reconciliation.Tests.Matching;

public sealed class PaymentCodeExtractorTests
{
    private static readonly string A = PaymentCode.Create("HS", 1234567).Value; // HS12345671
    private static readonly string B = PaymentCode.Create("HS", 1000000).Value;

    private static IEnumerable<string> Codes(string text) => PaymentCodeExtractor.Extract(text, "HS").Select(c => c.Value);

    [Theory]
    [InlineData("HS12345671")]
    [InlineData("hs12345671 hoc phi")]
    [InlineData("HS 1234 5671")]
    [InlineData("H S-1234-5671")]
    [InlineData("HS.12345671.")]
    [InlineData("MBVCB.3456789.012345.hs12345671 nop hoc phi.CT tu 0123456789 NGUYEN VAN A toi 0281000111222 TRUONG TH")]
    [InlineData("TKThe :0123456789, tai VCB. HS12345671 hoc phi -CTLNHIDI000012345678-1/1-CRE-002")]
    [InlineData("0281000111222-FT25253123456-HS12345671 Học phí")]
    [InlineData("QR - HS12345671")]
    [InlineData("HỌC PHÍ HS12345671- Ma GD ACSP/ ab1234")]
    public void Extract_BankWrappedAndMangledText_FindsTheCode(string text) => Assert.Equal([A], Codes(text));

    [Theory]
    [InlineData("HS12345672")]   // wrong check digit
    [InlineData("HS12345617")]   // neighbours swapped
    [InlineData("HS123456710")]  // longer number
    [InlineData("XHS12345671")]  // prefix glued to other letters
    [InlineData("12345671")]     // no prefix
    [InlineData("")]
    [InlineData("tien lai thang 9")]
    public void Extract_NoValidCode_FindsNothing(string text) => Assert.Empty(Codes(text));

    [Fact]
    public void Extract_Siblings_InTheOrderTheyAppearAndEachOnce() =>
        Assert.Equal([B, A], Codes($"{B.ToLowerInvariant()} va {A} hoc phi 2 chau, {B}"));

    [Theory]
    [InlineData("{0}")]
    [InlineData("hoc phi {1}")]
    [InlineData("{2} {3}.{4} {5}-{6}")]
    [InlineData("MBVCB.123.{2}_{3}{4}:#{5}{6} hoc phi")]
    public void Extract_UnderAThreeLetterPrefix_FindsCodesWrittenTheWaysBanksWriteThem(string shape)
    {
        // Under a prefix of this run's own (MatchContext.FreshPrefix): every authority's prefix reads the same way.
        var prefix = MatchContext.FreshPrefix();
        var code = PaymentCode.Create(prefix, 1234567).Value;
        var text = string.Format(System.Globalization.CultureInfo.InvariantCulture, shape,
            code, code.ToLowerInvariant(), code[0], code[1], code[2], code[3..7], code[7..]);

        Assert.Equal([code], PaymentCodeExtractor.Extract(text, prefix.ToLowerInvariant()).Select(c => c.Value));
    }

    [Fact]
    public void Extract_AnotherAuthoritysPrefix_FindsNothing()
    {
        var prefix = MatchContext.FreshPrefix();

        Assert.Empty(PaymentCodeExtractor.Extract($"hoc phi {A} {prefix[..2]}{A[2..]}", prefix));
    }

    [Fact]
    public void Fold_DropsDiacriticsAndReadsDAsD() =>
        Assert.Equal("HOC PHI DICH VU BAN TRU DANG QUOC BAO", PaymentCodeExtractor.Fold("Học phí dịch vụ bán trú Đặng Quốc Bảo"));

    [Fact]
    public void Extract_EverySingleDigitTypo_IsNeverReadAsAnotherValidCode()
    {
        var rng = new Random(7);
        for (var i = 0; i < 500; i++)
        {
            var code = PaymentCode.Create("HS", rng.Next(0, PaymentCode.MaxSequence + 1)).Value;
            for (var pos = 2; pos < code.Length; pos++)
                for (var d = '0'; d <= '9'; d++)
                {
                    if (code[pos] == d) continue;
                    Assert.Empty(Codes($"hoc phi {code[..pos]}{d}{code[(pos + 1)..]}"));
                }
        }
    }
}
