using TdmEdu.Fees.BankAdapters.Bidv;

namespace TdmEdu.Fees.BankAdapters.Tests.Bidv;

public sealed class BidvFileoutTests
{
    private static readonly string[] Header =
    [
        "STT", "Mã kênh giao dịch", "Mã dịch vụ", "Mã dịch vụ chi tiết", "Mã hóa đơn", "Mã khách hàng tại đối tác", "Số tiền giao dịch",
        "Mã tiền tệ", "Số Trace hệ thống", "Giờ khởi tạo", "Ngày khởi tạo", "Giờ thanh toán", "Ngày thanh toán", "Tài khoản ghi nợ",
        "Tài khoản ghi có", "Số thẻ", "Mã thiết bị", "Kết quả đối soát", "Yêu cầu của đối tác", "Loại giao dịch", "Thông tin bổ sung", "ID giao dịch BIDV",
    ];

    private static (int, IReadOnlyList<string>) Row(int line, string amount = "1.371.800", string date = "20250910", string id = "BIDV250910001") =>
        (line, ["1", "MB", "HOCPHI_TDM", "", "TS02-202509-00001", "HS10000004", amount, "VND", "123456", "093000", date, "093002", date,
            "1234567890", "65210000000001", "", "", "Khớp", "", "01", "", id]);

    [Fact]
    public void Parse_AFileout_ReadsEveryField()
    {
        var rows = BidvFileout.Parse("Fileout_20250910.csv", Header, [Row(2)], refund: false);

        var r = Assert.Single(rows);
        Assert.Equal(("HOCPHI_TDM", "TS02-202509-00001", "HS10000004", 1_371_800L), (r.ServiceId, r.BillId, r.CustomerId, r.AmountVnd));
        Assert.Equal(new DateTime(2025, 9, 10, 9, 30, 0), r.Originated);
        Assert.Equal("HOCPHI_TDM:BIDV250910001", r.PostingKey);
        Assert.False(r.Refund);
    }

    [Fact]
    public void Parse_HeadersWithoutMarks_AreFound()
    {
        var plain = Header.Select(h => TdmEdu.Fees.BankAdapters.VietQr.VietQrPayload.FoldPurpose(h)).ToArray();

        Assert.Single(BidvFileout.Parse("f.csv", plain, [Row(2)], refund: true));
    }

    [Theory]
    [InlineData("12,5x", "line 3, column \"Số tiền giao dịch\": \"12,5x\" is not a whole number")]
    [InlineData("-100", "is not a whole number of đồng above 0")]
    public void Parse_BadAmount_RefusesTheFileNamingLineAndColumn(string amount, string message)
    {
        var e = Assert.Throws<BidvFileoutException>(() => BidvFileout.Parse("f.csv", Header, [Row(2), Row(3, amount, id: "X2")], refund: false));

        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Parse_BadDateOrMissingColumnOrRepeatedTransaction_IsRefused()
    {
        Assert.Contains("line 2, column \"Ngày khởi tạo\"",
            Assert.Throws<BidvFileoutException>(() => BidvFileout.Parse("f.csv", Header, [Row(2, date: "20251340")], false)).Message);
        Assert.Contains("the column \"ID giao dịch BIDV\" is missing",
            Assert.Throws<BidvFileoutException>(() => BidvFileout.Parse("f.csv", Header[..^1], [Row(2)], false)).Message);
        Assert.Contains("line 3: transaction BIDV250910001 is already on line 2",
            Assert.Throws<BidvFileoutException>(() => BidvFileout.Parse("f.csv", Header, [Row(2), Row(3)], false)).Message);
    }
}
