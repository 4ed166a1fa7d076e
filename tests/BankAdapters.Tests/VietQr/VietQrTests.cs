using TdmEdu.Fees.BankAdapters.VietQr;

namespace TdmEdu.Fees.BankAdapters.Tests.VietQr;

public sealed class VietQrTests
{
    // NAPAS "Quy định về định dạng mã VietQR" v1.0, section 6.1.
    private const string StaticToCard = "00020101021138600010A00000072701300006970403011697040311012345670208QRIBFTTC53037045802VN63044F52";
    private const string DynamicToCard = "00020101021238600010A00000072701300006970403011697040311012345670208QRIBFTTC530370454061800005802VN62340107NPS68690819thanh toan don hang6304A203";
    private const string DynamicToAccount = "00020101021238570010A00000072701270006970403011300110123456780208QRIBFTTA530370454061800005802VN62340107NPS68690819thanh toan don hang63042E2E";
    private const string WrongCrc = "00020101021138600010A00000072701300006970403011697040311012345670208QRIBFTTC53037045802VN6304A203";
    private const string LengthOverrun = "00020101021138570010A00000072701270006970403011200110123456780208QRIBFTTA53037045802VN6304F4E5";

    [Fact]
    public void Crc16_OfTheCheckString_Is29B1() => Assert.Equal("29B1", Crc16.Hex("123456789"));

    [Fact]
    public void Decode_PublishedStaticExample_ToACard()
    {
        var p = VietQrDecoder.Decode(StaticToCard);

        Assert.Equal(new VietQrPayload(QrInitiation.Static, "970403", "9704031101234567", "QRIBFTTC", null, null, null), p);
    }

    [Fact]
    public void Decode_PublishedDynamicExamples_GiveAmountPurposeAndBill()
    {
        var card = VietQrDecoder.Decode(DynamicToCard);
        var account = VietQrDecoder.Decode(DynamicToAccount);

        Assert.Equal(new VietQrPayload(QrInitiation.Dynamic, "970403", "9704031101234567", "QRIBFTTC", 180_000, "thanh toan don hang", "NPS6869"), card);
        Assert.Equal(new VietQrPayload(QrInitiation.Dynamic, "970403", "0011012345678", "QRIBFTTA", 180_000, "thanh toan don hang", "NPS6869"), account);
    }

    [Fact]
    public void Encode_ThePublishedExamples_GivesTheSameStrings()
    {
        Assert.Equal(StaticToCard, VietQrDecoder.Decode(StaticToCard).Encode());
        Assert.Equal(DynamicToCard, VietQrDecoder.Decode(DynamicToCard).Encode());
        Assert.Equal(DynamicToAccount, VietQrDecoder.Decode(DynamicToAccount).Encode());
    }

    [Fact]
    public void Decode_CrcOfAnotherString_IsRefusedAsABadCrc()
    {
        var e = Assert.Throws<VietQrFormatException>(() => VietQrDecoder.Decode(WrongCrc));

        Assert.Equal("Bad CRC: field 63 says A203 but the payload's CRC is 4F52.", e.Message);
    }

    [Fact]
    public void Decode_NestedLengthThatDoesNotAddUp_IsRefusedAlthoughTheCrcMatches()
    {
        var e = Assert.Throws<VietQrFormatException>(() => VietQrDecoder.Decode(LengthOverrun));

        Assert.Contains("Field 38/01 has 1 stray character(s) at its end", e.Message);
    }

    [Fact]
    public void Decode_LowerCaseCrc_IsAccepted() =>
        Assert.Equal(180_000, VietQrDecoder.Decode(DynamicToAccount[..^4] + "2e2e").AmountVnd);

    [Fact]
    public void Decode_FieldsInAnotherOrder_AreAccepted()
    {
        // 58 before 53, 62 before 54: only 00 first and 63 last are fixed.
        var body = "000201" + "010212" + "38570010A00000072701270006970403011300110123456780208QRIBFTTA" + "5802VN" + "5303704"
                   + "62230819thanh toan don hang" + "5406180000" + "6304";
        var p = VietQrDecoder.Decode(body + Crc16.Hex(body));

        Assert.Equal(("0011012345678", 180_000L, "thanh toan don hang"), (p.Account, p.AmountVnd!.Value, p.Purpose!));
    }

    [Fact]
    public void Decode_VietnameseLettersInTextFields_CountAsCharacters_AndTheCrcRunsOverTheirBytes()
    {
        // As banks' own apps print them: the merchant's name and city with their diacritics (fields 59 and 60).
        static string Code(string name, int nameLength, string amount = "5406180000")
        {
            var body = "000201010212" + "38570010A00000072701270006970403011300110123456780208QRIBFTTA" + "5303704" + amount + "5802VN"
                       + "59" + nameLength.ToString("D2", System.Globalization.CultureInfo.InvariantCulture) + name + "6011Thủ Dầu Một" + "62230819thanh toan don hang" + "6304";
            return body + Crc16.Compute(System.Text.Encoding.UTF8.GetBytes(body)).ToString("X4", System.Globalization.CultureInfo.InvariantCulture);
        }
        const string name = "TRƯỜNG MẦM NON HOA SEN";
        Assert.Equal(22, name.Length);

        var p = VietQrDecoder.Decode(Code(name, name.Length));

        Assert.Equal(("0011012345678", 180_000L, "thanh toan don hang"), (p.Account, p.AmountVnd!.Value, p.Purpose!));
        // The name's length counted in bytes (27), as a careless encoder would: field 59 swallows the start of field 60.
        Assert.Contains("is not a 2-digit field id", Assert.Throws<VietQrFormatException>(() =>
            VietQrDecoder.Decode(Code(name, System.Text.Encoding.UTF8.GetByteCount(name)))).Message, StringComparison.Ordinal);
        // One letter changed after the CRC was taken: a bad CRC, as for any other change.
        var good = Code(name, name.Length);
        Assert.StartsWith("Bad CRC", Assert.Throws<VietQrFormatException>(() => VietQrDecoder.Decode(good.Replace("MẦM", "MẬM", StringComparison.Ordinal))).Message);
        // Still refused: a zero amount, a control character, a broken character; and the encoder writes ASCII only.
        Assert.Contains("must not start with 0", Assert.Throws<VietQrFormatException>(() => VietQrDecoder.Decode(Code(name, name.Length, "54010"))).Message);
        Assert.Contains("control characters", Assert.Throws<VietQrFormatException>(() => VietQrDecoder.Decode(Code("TRUONG\u0007MAM NON", 15))).Message);
        Assert.Contains("broken character", Assert.Throws<VietQrFormatException>(() => VietQrDecoder.Decode(Code("TRUONG \ud800MAM NON", 15))).Message);
        Assert.True(p.Encode().All(c => c is >= ' ' and <= '~'));
    }

    [Theory]
    [InlineData("5406180A00", "Field 54 (amount) must be whole đồng in digits only")]
    [InlineData("5406018000", "Field 54 (amount) must not start with 0")]
    [InlineData("5409500000000", "is not below 500,000,000 đồng")]
    public void Decode_BadAmount_SaysWhatIsWrong(string amountField, string message)
    {
        var body = "00020101021238570010A00000072701270006970403011300110123456780208QRIBFTTA5303704" + amountField + "5802VN6304";

        var e = Assert.Throws<VietQrFormatException>(() => VietQrDecoder.Decode(body + Crc16.Hex(body)));

        Assert.Contains(message, e.Message);
    }

    [Theory]
    [InlineData("00020101021238570010A00000072701270006970403011300110123456780208QRIBFTTA5802VN6304", "Mandatory field 53 (currency) is missing.")]
    [InlineData("00020101021238570010A00000072701270006970403011300110123456780208QRIBFTTX53037045802VN6304", "Unknown service code in field 38/02: \"QRIBFTTX\"")]
    [InlineData("00020101021338570010A00000072701270006970403011300110123456780208QRIBFTTA53037045802VN6304", "Field 01 (initiation method) must be 11 (static) or 12 (dynamic)")]
    [InlineData("00020101021238990010A00000072701270006970403011300110123456780208QRIBFTTA53037045802VN6304", "field 38 declares 99 characters but only")]
    public void Decode_BrokenStructure_NamesTheField(string body, string message)
    {
        var e = Assert.Throws<VietQrFormatException>(() => VietQrDecoder.Decode(body + Crc16.Hex(body)));

        Assert.Contains(message, e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("")]
    [InlineData("hello")]
    [InlineData("0002")]
    [InlineData("000201010212")]
    public void Decode_Garbage_IsRefusedWithAReason(string text) =>
        Assert.False(string.IsNullOrWhiteSpace(Assert.Throws<VietQrFormatException>(() => VietQrDecoder.Decode(text)).Message));

    [Fact]
    public void RoundTrip_RandomPayloads_DecodeToWhatWasEncoded()
    {
        var rng = new Random(5);
        for (var i = 0; i < 2000; i++)
        {
            var p = new VietQrPayload(rng.Next(2) == 0 ? QrInitiation.Static : QrInitiation.Dynamic, $"9704{rng.Next(10, 99)}",
                rng.NextInt64(1_000_000, 9_999_999_999_999).ToString(), rng.Next(2) == 0 ? VietQrPayload.ToAccount : VietQrPayload.ToCard,
                rng.Next(3) == 0 ? null : rng.NextInt64(1, VietQrPayload.MaxAmountVnd + 1),
                rng.Next(3) == 0 ? null : $"HS{rng.Next(10_000_000, 99_999_999)} {rng.Next(202501, 202512)}",
                rng.Next(4) == 0 ? $"B{rng.Next()}" : null);

            Assert.Equal(p, VietQrDecoder.Decode(p.Encode()));
        }
    }

    [Theory]
    [InlineData("Học phí tháng 9 – Nguyễn Văn Đức", "Hoc phi thang 9 Nguyen Van Duc")]
    [InlineData("HS12345671@202509", "HS12345671 202509")]
    public void FoldPurpose_DropsDiacriticsAndOtherCharacters(string text, string expected) =>
        Assert.Equal(expected, VietQrPayload.FoldPurpose(text));

    [Fact]
    public void Png_DecodedBackWithZXing_GivesTheSamePayload()
    {
        var payload = VietQrPayload.ForPayment("970436", "0281000111222", 1_371_800, "HS10000004 202509").Encode();

        var png = VietQrImage.Png(payload);

        Assert.Equal(payload, QrImageReader.Read(png));
    }

    [Fact]
    public void Png_WithVietnameseLettersInUtf8_ReadsBackAsTheSameText()
    {
        var body = "00020101021238570010A00000072701270006970403011300110123456780208QRIBFTTA530370454061800005802VN5922TRƯỜNG MẦM NON HOA SEN6304";
        var payload = body + Crc16.Compute(System.Text.Encoding.UTF8.GetBytes(body)).ToString("X4", System.Globalization.CultureInfo.InvariantCulture);
        using var data = new QRCoder.QRCodeGenerator().CreateQrCode(payload, QRCoder.QRCodeGenerator.ECCLevel.M, forceUtf8: true);

        var read = QrImageReader.Read(new QRCoder.PngByteQRCode(data).GetGraphic(8));

        Assert.Equal(payload, read);
        Assert.Equal(180_000, VietQrDecoder.Decode(read!).AmountVnd);
    }

    [Fact]
    public void Svg_IsAnSvgDocument() =>
        Assert.StartsWith("<svg", VietQrImage.Svg(VietQrPayload.ForPayment("970418", "6521000000", 1000, "HS10000004").Encode()).TrimStart()[..4]);
}
