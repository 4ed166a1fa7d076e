using TdmEdu.Fees.Domain.Money;

namespace TdmEdu.Fees.Domain.Tests.Money;

public sealed class AmountInWordsTests
{
    [Theory]
    [InlineData(0, "Không đồng")]
    [InlineData(4, "Bốn đồng")]
    [InlineData(5, "Năm đồng")]
    [InlineData(6, "Sáu đồng")]
    [InlineData(10, "Mười đồng")]
    [InlineData(11, "Mười một đồng")]
    [InlineData(14, "Mười bốn đồng")]
    [InlineData(15, "Mười lăm đồng")]
    [InlineData(20, "Hai mươi đồng")]
    [InlineData(21, "Hai mươi mốt đồng")]
    [InlineData(24, "Hai mươi tư đồng")]
    [InlineData(25, "Hai mươi lăm đồng")]
    [InlineData(46, "Bốn mươi sáu đồng")]
    [InlineData(1_004, "Một nghìn không trăm linh bốn đồng")]
    [InlineData(105, "Một trăm linh năm đồng")]
    [InlineData(110, "Một trăm mười đồng")]
    [InlineData(1_000_000, "Một triệu đồng")]
    [InlineData(1_371_800, "Một triệu ba trăm bảy mươi mốt nghìn tám trăm đồng")]
    [InlineData(2_005_000, "Hai triệu không trăm linh năm nghìn đồng")]
    [InlineData(2_000_500, "Hai triệu năm trăm đồng")]
    [InlineData(1_500_000_000, "Một tỷ năm trăm triệu đồng")]
    [InlineData(999_999_999_999, "Chín trăm chín mươi chín tỷ chín trăm chín mươi chín triệu chín trăm chín mươi chín nghìn chín trăm chín mươi chín đồng")]
    [InlineData(1_000_000_000_000, "Một nghìn tỷ đồng")]
    [InlineData(2_000_000_000_000_000, "Hai triệu tỷ đồng")]
    [InlineData(3_000_000_000_000_000_000, "Ba tỷ tỷ đồng")]
    [InlineData(-50_000, "Âm năm mươi nghìn đồng")]
    public void Writes_TheAmount_AsAReceiptStatesIt(long amount, string words) => Assert.Equal(words, AmountInWords.Dong(amount));

    [Fact]
    public void Number_TheOneAmountWithoutAPositiveTwin_IsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => AmountInWords.Number(long.MinValue));
}
