using TdmEdu.Fees.BankAdapters.Statements.Files;

namespace TdmEdu.Fees.BankAdapters.Tests.Statements.Files;

/// <summary>Format names and "looks like" detection, for sheets (rows) and text files (their first characters).</summary>
public sealed class StatementFormatsTests
{
    private static List<(int Line, IReadOnlyList<string> Cells)> Rows(params string[][] rows) =>
        rows.Select((cells, i) => (i + 1, (IReadOnlyList<string>)cells)).ToList();

    private static readonly string[] FileoutHeader =
    [
        "STT", "Mã kênh giao dịch", "Mã dịch vụ", "Mã dịch vụ chi tiết", "Mã hóa đơn", "Mã khách hàng tại đối tác", "Số tiền giao dịch",
        "Mã tiền tệ", "Số Trace hệ thống", "Giờ khởi tạo", "Ngày khởi tạo", "Giờ thanh toán", "Ngày thanh toán", "Tài khoản ghi nợ",
        "Tài khoản ghi có", "Số thẻ", "Mã thiết bị", "Kết quả đối soát", "Yêu cầu của đối tác", "Loại giao dịch", "Thông tin bổ sung", "ID giao dịch BIDV",
    ];

    private static readonly string[] FileoutRow =
    [
        "1", "MB", "HOCPHI_TDM", "", "TS02-202509-00001", "HS10000004", "1371800", "VND", "123456", "093000", "20250910", "093002", "20250910",
        "1234567890", "65210000000001", "", "", "Khớp", "", "01", "", "BIDV250910001",
    ];

    [Fact]
    public void All_NamesEveryFormatInTheOrderCliMdGives() =>
        Assert.Equal(["auto", "camt053", "mt940", "bidv-fileout", "vcb-xlsx", "bidv-xlsx", "msb-xlsx"], StatementFormats.All);

    [Theory]
    [InlineData("auto", "s.XLSX", true)]
    [InlineData("auto", "s.csv", true)]
    [InlineData("auto", "s.sta", false)]
    [InlineData("msb-xlsx", "s.txt", true)]
    [InlineData("bidv-fileout", "Fileout", true)]
    [InlineData("camt053", "s.xlsx", false)]
    [InlineData("mt940", "s.csv", false)]
    public void ReadsRows_SpreadsheetFormatsAndSheetsToDetect(string format, string file, bool rows) =>
        Assert.Equal(rows, StatementFormats.ReadsRows(format, file));

    [Theory]
    [InlineData("bidv-xlsx", "NGÂN HÀNG TMCP ĐẦU TƯ VÀ PHÁT TRIỂN VIỆT NAM")]
    [InlineData("bidv-xlsx", "Báo cáo chi tiết số dư tài khoản")]
    [InlineData("vcb-xlsx", "SAO KÊ TÀI KHOẢN / STATEMENT OF ACCOUNT")]
    [InlineData("vcb-xlsx", "Ngân hàng TMCP Ngoại thương (Vietcombank)")]
    [InlineData("msb-xlsx", "Số bút toán")]
    [InlineData("msb-xlsx", "MSB - SAO KÊ")]
    public void Detect_ASheet_ByWhatItsFirstRowsSay(string format, string title) =>
        Assert.Equal(format, StatementFormats.Detect(Rows([""], [title], ["a", "b"]), "s.xlsx"));

    [Fact]
    public void Detect_ASheetWithCluesOfTwoBanks_TakesBidvBeforeVcbBeforeMsb()
    {
        Assert.Equal("bidv-xlsx", StatementFormats.Detect(Rows(["Vietcombank", "MSB"], ["Báo cáo chi tiết số dư tài khoản"]), "s.xlsx"));
        Assert.Equal("vcb-xlsx", StatementFormats.Detect(Rows(["chuyen tu MSB"], ["Vietcombank"]), "s.xlsx"));
    }

    [Fact]
    public void Detect_AFileoutHeader_InTheFirstRowThatIsNotBlank()
    {
        Assert.Equal("bidv-fileout", StatementFormats.Detect(Rows(["", ""], FileoutHeader, FileoutRow), "Fileout.csv"));
        // Further down it is only a BIDV-looking sheet, not a Fileout.
        Assert.Throws<StatementFormatException>(() => StatementFormats.Detect(Rows(["Danh sách"], FileoutHeader), "Fileout.csv"));
    }

    [Fact]
    public void Detect_AnUnknownSheet_AsksForTheFormat()
    {
        var e = Assert.Throws<StatementFormatException>(() => StatementFormats.Detect(Rows(["Báo cáo"], ["a", "b", "c"]), "other.xlsx"));

        Assert.Equal(("other.xlsx", null, null), (e.File, e.Line, e.Column));
        Assert.Equal("this spreadsheet is not a statement layout we know (VCB, BIDV, MSB, BIDV Fileout); give --format, or map its columns once on the statement page.", e.Reason);
    }

    [Theory]
    [InlineData("camt053", "\uFEFF\n  <?xml version=\"1.0\"?><Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\">")]
    [InlineData("mt940", ":20:S1\n:25:65210000000001\n")]
    [InlineData("mt940", "{1:F01}{4:\n:61:2509100910C1,NTRF\n")]
    public void Detect_ATextFile_ByItsHead(string format, string head) =>
        Assert.Equal(format, StatementFormats.Detect(head, "s.sta"));

    [Theory]
    [InlineData("hello")]
    [InlineData("camt.053 mentioned in a note, not XML")]
    public void Detect_UnknownText_AsksForTheFormat(string head)
    {
        var e = Assert.Throws<StatementFormatException>(() => StatementFormats.Detect(head, "notes.txt"));

        Assert.Equal("notes.txt: this is neither a camt.053 nor an MT940 statement nor a BIDV Fileout; give --format.", e.Message);
    }

    [Fact]
    public void ReadRows_AFileoutRefund_IsADebitReversalNamedByTheFile()
    {
        var l = Assert.Single(StatementFormats.ReadRows(Rows(FileoutHeader, FileoutRow), "Fileout-Refund_20250910.csv", "bidv-fileout"));

        Assert.Equal(("debit", true, "BIDV250910001", "TS02-202509-00001", "1371800", "BIDV-01", "HS10000004 TS02-202509-00001", "1234567890", "65210000000001"),
            (l.Direction, l.Reversal, l.BankRef, l.CustomerRef, l.Amount, l.Type, l.Content, l.CounterpartyAccount, l.Account));
        Assert.Equal("credit", Assert.Single(StatementFormats.ReadRows(Rows(FileoutHeader, FileoutRow), "Fileout_20250910.csv", "bidv-fileout")).Direction);
    }

    [Fact]
    public void ReadRows_ABrokenOrEmptyFileout_IsAStatementFormatException()
    {
        var broken = Assert.Throws<StatementFormatException>(() => StatementFormats.ReadRows(Rows(FileoutHeader[..^1], FileoutRow), "f.csv", "bidv-fileout"));
        Assert.StartsWith("f.csv, header: the column \"ID giao dịch BIDV\" is missing", broken.Message);
        // Where and why are kept apart too, in both languages, for a page's list of problems.
        Assert.Equal(("f.csv", null), (broken.File, broken.Line));
        Assert.StartsWith("the header has no column \"ID giao dịch BIDV\"", broken.Reason);
        Assert.StartsWith("dòng tiêu đề thiếu cột \"ID giao dịch BIDV\"", broken.ReasonVi);

        var empty = Assert.Throws<StatementFormatException>(() => StatementFormats.ReadRows(Rows(["", ""]), "f.csv", "bidv-fileout"));
        Assert.Equal(("f.csv", "the file is empty; the first row must be the header."), (empty.File, empty.Reason));
    }
}
