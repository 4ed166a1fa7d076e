using TdmEdu.Fees.Domain.Money;

namespace TdmEdu.Fees.Domain.Tests.Money;

public sealed class AmountInWordsTests
{
    [Theory]
    [InlineData(0, "Không đồng")]
    [InlineData(5, "Năm đồng")]
    [InlineData(10, "Mười đồng")]
    [InlineData(15, "Mười lăm đồng")]
    [InlineData(21, "Hai mươi mốt đồng")]
    [InlineData(24, "Hai mươi tư đồng")]
    [InlineData(105, "Một trăm linh năm đồng")]
    [InlineData(110, "Một trăm mười đồng")]
    [InlineData(1_000_000, "Một triệu đồng")]
    [InlineData(1_371_800, "Một triệu ba trăm bảy mươi mốt nghìn tám trăm đồng")]
    [InlineData(2_005_000, "Hai triệu không trăm linh năm nghìn đồng")]
    [InlineData(2_000_500, "Hai triệu năm trăm đồng")]
    [InlineData(1_500_000_000, "Một tỷ năm trăm triệu đồng")]
    [InlineData(999_999_999_999, "Chín trăm chín mươi chín tỷ chín trăm chín mươi chín triệu chín trăm chín mươi chín nghìn chín trăm chín mươi chín đồng")]
    public void Writes_TheAmount_AsAReceiptStatesIt(long amount, string words) => Assert.Equal(words, AmountInWords.Dong(amount));
}
