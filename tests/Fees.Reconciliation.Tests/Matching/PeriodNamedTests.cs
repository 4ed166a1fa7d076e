using TdmEdu.Fees.Domain.Students;
using TdmEdu.Fees.Reconciliation.Matching;

namespace TdmEdu.Fees.Reconciliation.Tests.Matching;

/// <summary>The month a transfer names after a pupil's code: it orders that pupil's notices and nothing else.</summary>
public sealed class PeriodNamedTests
{
    private static readonly PaymentCode A = PaymentCode.Create("HS", 1234567); // HS12345671
    private static readonly PaymentCode B = PaymentCode.Create("HS", 1000000);

    [Theory]
    [InlineData("HS12345671 2026-11", 202611)]            // our QR's text
    [InlineData("MBVCB.123.HS12345671 2026-11.CT tu 0123", 202611)]
    [InlineData("hs12345671 t11/2026 hoc phi", 202611)]
    [InlineData("HS12345671 Tháng 11/2026", 202611)]
    [InlineData("HS12345671 thang 9-2026", 202609)]
    [InlineData("HS12345671 202611", 202611)]
    [InlineData("HS12345671-2026.09", 202609)]
    [InlineData("HS 1234567 1 2026 11", 202611)]
    public void PeriodNamedAfter_AMonthRightAfterTheCode_IsRead(string text, int period) =>
        Assert.Equal(period, PaymentCodeExtractor.PeriodNamedAfter(text, A, "HS"));

    [Theory]
    [InlineData("HS12345671 hoc phi")]                    // no month
    [InlineData("HS12345671")]
    [InlineData("2026-11 HS12345671")]                     // a month before the code is not the code's
    [InlineData("HS12345671 2026-13")]                     // no 13th month
    [InlineData("HS12345671 2026-111")]                    // digits run on: not a month
    [InlineData("HS12345671 nop 2026-11")]                 // a word between: not read
    [InlineData("HS12345672 2026-11")]                     // the code fails its check digit
    public void PeriodNamedAfter_NoMonthRightAfterTheCode_IsNull(string text) =>
        Assert.Null(PaymentCodeExtractor.PeriodNamedAfter(text, A, "HS"));

    [Fact]
    public void PeriodNamedAfter_TwoSiblings_EachGetsTheMonthAfterTheirOwnCode()
    {
        var text = $"{A.Value} 2026-10 {B.Value} 2026-11";
        Assert.Equal(202610, PaymentCodeExtractor.PeriodNamedAfter(text, A, "HS"));
        Assert.Equal(202611, PaymentCodeExtractor.PeriodNamedAfter(text, B, "HS"));
    }
}
