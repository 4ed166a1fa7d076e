using System.Text;
using TdmEdu.Fees.Domain.Receipts;

namespace TdmEdu.Fees.Domain.Tests.Receipts;

/// <summary>
/// The e-receipt's XML as contracts/ereceipts.md §5 models it, pinned by a golden file: every element name in one
/// place, optional empty tags left out, no whitespace between tags, the total in words; sizes refused, never cut.
/// </summary>
public sealed class ReceiptXmlWriterTests
{
    public static ReceiptDocument Example(ReplacedReceipt? replaces = null) => new(
        "EBL01", "26T", 123, new DateOnly(2026, 9, 10), Cash: false, "7QK2M9XD4HTB", "https://thu.example.vn/bien-lai",
        new ReceiptCollector("Trường Tiểu học Phú Hòa 2", "3700000000", "Phường Phú Hòa, Thành phố Hồ Chí Minh", BankAccount: "0281000111222", BankName: "Vietcombank"),
        new ReceiptPayer("Nguyễn Thị Lan", PaymentCode: "HS12345671"),
        [new ReceiptItem("Tiền ăn bán trú tháng 9/2026", 900_000), new ReceiptItem("Chăm sóc bán trú tháng 9/2026", 600_000)],
        [new ReceiptNote("Học sinh", "Nguyễn Văn An, lớp 3A"), new ReceiptNote("Thông báo", "PH2-202609-00017")],
        replaces);

    private static string Golden(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Receipts", "golden", name));

    [Fact]
    public void Write_GivesTheModelledLayout_ByteForByte()
    {
        var xml = Encoding.UTF8.GetString(ReceiptXmlWriter.Bytes(ReceiptXmlWriter.Write(Example())));
        Assert.Equal(Golden("receipt.xml").TrimEnd('\n'), xml);
    }

    [Fact]
    public void AReplacement_NamesTheReceiptItReplaces()
    {
        var xml = Encoding.UTF8.GetString(ReceiptXmlWriter.Bytes(ReceiptXmlWriter.Write(
            Example(new ReplacedReceipt("EBL01", "26T", 120, new DateOnly(2026, 9, 9), "Sai tên người nộp")))));
        Assert.Contains("<TTCTLQuan><TCCTu>2</TCCTu><KHMSCTLQuan>EBL01</KHMSCTLQuan><KHCTLQuan>26T</KHCTLQuan><SCTLQuan>120</SCTLQuan>" +
            "<NLCTLQuan>2026-09-09</NLCTLQuan><GChu>Sai tên người nộp</GChu></TTCTLQuan>", xml);
    }

    [Fact]
    public void TheTotal_IsTheItemsSum_InFiguresAndWords_AndCashSaysTM()
    {
        var xml = Encoding.UTF8.GetString(ReceiptXmlWriter.Bytes(ReceiptXmlWriter.Write(Example() with { Cash = true })));
        Assert.Contains("<TToan><TgTien>1500000</TgTien><TgTienBChu>Một triệu năm trăm nghìn đồng</TgTienBChu></TToan>", xml);
        Assert.Contains("<HTTToan>TM</HTTToan>", xml);
        Assert.DoesNotContain("\n", xml);
        Assert.DoesNotContain("<MST />", xml);
    }

    [Fact]
    public void WhatTheLawsDocumentCannotHold_IsRefused_NeverCut()
    {
        var longName = new string('A', 401);
        Assert.Contains("Ten is 401 characters", Assert.Throws<ReceiptContentException>(() =>
            ReceiptXmlWriter.Write(Example() with { Payer = new ReceiptPayer(longName) })).Message);
        Assert.Throws<ReceiptContentException>(() => ReceiptXmlWriter.Write(Example() with { Payer = new ReceiptPayer(" ") }));
        Assert.Throws<ReceiptContentException>(() => ReceiptXmlWriter.Write(Example() with { Items = [] }));
        Assert.Throws<ReceiptContentException>(() => ReceiptXmlWriter.Write(Example() with { Number = 10_000_000 }));
        Assert.Throws<ReceiptContentException>(() => ReceiptXmlWriter.Write(Example() with { Items = [new ReceiptItem("x", 0)] }));
    }

    [Fact]
    public void TextThatLooksLikeMarkup_IsEscaped()
    {
        var xml = Encoding.UTF8.GetString(ReceiptXmlWriter.Bytes(ReceiptXmlWriter.Write(Example() with { Payer = new ReceiptPayer("Lan <b>&</b> \"Hà\"") })));
        Assert.Contains("<Ten>Lan &lt;b&gt;&amp;&lt;/b&gt; \"Hà\"</Ten>", xml);
    }

    [Theory]
    [InlineData(15_000, "Mười lăm nghìn đồng")]
    [InlineData(21_000, "Hai mươi mốt nghìn đồng")]
    [InlineData(24_000, "Hai mươi tư nghìn đồng")]
    [InlineData(105_000, "Một trăm linh năm nghìn đồng")]
    [InlineData(1_004_000, "Một triệu không trăm linh bốn nghìn đồng")]
    [InlineData(1_500_000, "Một triệu năm trăm nghìn đồng")]
    [InlineData(2_000_000_000, "Hai tỷ đồng")]
    public void TheTotalInWords_FollowsTheContractsVectors(long amount, string words) =>
        Assert.Equal(words, TdmEdu.Fees.Domain.Money.AmountInWords.Dong(amount));
}
