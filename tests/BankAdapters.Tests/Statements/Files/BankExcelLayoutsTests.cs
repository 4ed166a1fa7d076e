using TdmEdu.Fees.BankAdapters.Statements.Files;

namespace TdmEdu.Fees.BankAdapters.Tests.Statements.Files;

/// <summary>The Excel/CSV statement layouts, from rows as the host hands them in (no file is read here).</summary>
public sealed class BankExcelLayoutsTests
{
    private static List<(int Line, IReadOnlyList<string> Cells)> Rows(params string[][] rows) =>
        rows.Select((cells, i) => (i + 1, (IReadOnlyList<string>)cells)).ToList();

    private static readonly string[] VcbHeader =
        ["STT/No.", "Ngày GD/ TNX Date\nSố CT/ Doc No", "Ngày hiệu lực/ Effective date", "Số tiền ghi nợ/ Debit", "Số tiền ghi có¹/ Credit", "Nội dung chi tiết/ Transactions in detail"];

    [Fact]
    public void Parse_VcbRows_ReadsTheTableBetweenHeaderBlockAndTotals_InEveryAmountAndDateWriting()
    {
        var rows = Rows(
            ["SAO KÊ TÀI KHOẢN / STATEMENT OF ACCOUNT"],
            ["Số tài khoản/Account number", "0281 000 111 222"],
            ["Số dư đầu kỳ/ Opening balance :", "10.000.000"],
            VcbHeader,
            ["1", "10/09/2025 09:30:12", "10/09/2025", "", "1.371.800", "HS10000004 hoc phi"],
            ["2", "45910", "", "11,000", "0", "Phi SMS"],
            ["", "", "", "", "", "continued description"],
            ["3", "11/09/2025", "", "", "1.368.053,50", "with a fraction"],
            ["Tổng số/Total", "", "", "11.000", "2.739.853,50", ""]);

        var lines = BankExcelLayouts.Parse(rows, "vcb.xlsx", "vcb-xlsx");

        Assert.Equal(
            [(5, "credit", "1371800", "2025-09-10", "2025-09-10"), (6, "debit", "11000", "2025-09-10", "-"), (8, "credit", "1368053.5", "2025-09-11", "-")],
            lines.Select(l => (l.Line, l.Direction, l.Amount, l.BookingDate!.Value.ToString("yyyy-MM-dd"), l.ValueDate?.ToString("yyyy-MM-dd") ?? "-")));
        Assert.All(lines, l => Assert.Equal(("0281000111222", "VND"), (l.Account, l.Currency)));
    }

    [Fact]
    public void Parse_APayerNamedTong_IsATransaction_NotATotal()
    {
        // BIDV's totals row is "Tổng ...", and "tong" once dropped every row that held it anywhere, a payer's name too.
        var rows = Rows(
            ["Số chứng từ", "Ngày hiệu lực", "Ghi nợ", "Ghi có", "Mô tả"],
            ["FT1", "10/09/2025", "", "1.368.053", "HS10000004 TONG THI HOA hoc phi"],
            ["FT2", "", "", "500.000", "Tống Văn An HS10000005"],
            ["Tổng", "", "0", "1.868.053", ""]);

        var lines = BankExcelLayouts.Parse(rows, "bidv.xlsx", "bidv-xlsx");

        Assert.Equal([("FT1", "1368053"), ("FT2", "500000")], lines.Select(l => (l.BankRef!, l.Amount)));
    }

    [Fact]
    public void Parse_MsbRows_KeepReferenceAndPayer()
    {
        var rows = Rows(
            ["MSB - SAO KÊ TÀI KHOẢN"],
            ["Ngày giao dịch / Transaction date", "Số bút toán / Reference No", "Người hưởng/Người chuyển / Payee/Payer", "Diễn giải / Transaction description", "Nợ / Debit", "Có / Credit"],
            ["10/09/2025", "FT25253001", "TRAN THI B", "03000000000001-123456-hoc phi", "", "1,371,800"],
            ["Tổng phát sinh", "", "", "", "0", "1,371,800"]);

        var l = Assert.Single(BankExcelLayouts.Parse(rows, "msb.csv", "msb-xlsx"));

        Assert.Equal(("FT25253001", "TRAN THI B", "03000000000001-123456-hoc phi", "1371800"), (l.BankRef, l.CounterpartyName, l.Content, l.Amount));
    }

    [Fact]
    public void Parse_ABadDate_IsRefusedNamingFileLineAndColumnApart()
    {
        var rows = Rows(VcbHeader, ["1", "31/02/2025", "", "", "100", "x"]);

        var e = Assert.Throws<StatementFormatException>(() => BankExcelLayouts.Parse(rows, "vcb.xlsx", "vcb-xlsx"));

        Assert.Equal(("vcb.xlsx", 2, "booking date", "\"31/02/2025\" is not a date (dd/MM/yyyy)."), (e.File, e.Line, e.Column, e.Reason));
        Assert.Equal("vcb.xlsx, line 2, column booking date: \"31/02/2025\" is not a date (dd/MM/yyyy).", e.Message);
    }

    [Theory]
    [InlineData("5", "100", null, "a line needs an amount in exactly one of the debit and credit columns.")]
    [InlineData("", "", null, "a line needs an amount in exactly one of the debit and credit columns.")]
    [InlineData("", "1.00.0", "credit", "\"1.00.0\" is not an amount.")]
    [InlineData("1,00,0", "", "debit", "\"1,00,0\" is not an amount.")]
    public void Parse_AmountsThatDoNotReadAsOneSide_AreRefused(string debit, string credit, string? column, string reason)
    {
        var rows = Rows(VcbHeader, ["1", "10/09/2025", "", debit, credit, "x"]);

        var e = Assert.Throws<StatementFormatException>(() => BankExcelLayouts.Parse(rows, "vcb.xlsx", "vcb-xlsx"));

        Assert.Equal((2, column, reason), (e.Line, e.Column, e.Reason));
    }

    [Fact]
    public void Parse_TheHeaderIsLookedForInTheFirst80RowsOnly()
    {
        string[][] Block(int blank) => [.. Enumerable.Repeat<string[]>(["."], blank), VcbHeader, ["1", "10/09/2025", "", "", "100", "x"]];

        Assert.Single(BankExcelLayouts.Parse(Rows(Block(79)), "vcb.xlsx", "vcb-xlsx"));
        var e = Assert.Throws<StatementFormatException>(() => BankExcelLayouts.Parse(Rows(Block(80)), "vcb.xlsx", "vcb-xlsx"));
        Assert.Equal(("vcb.xlsx", null), (e.File, e.Line));
        Assert.StartsWith("no table header of the vcb-xlsx layout", e.Reason);
    }

    [Fact]
    public void Parse_AnotherBanksTable_IsNotTakenForTheLayoutAsked()
    {
        var bidv = Rows(["Số chứng từ", "Ngày hiệu lực", "Ghi nợ", "Ghi có", "Số dư", "Mô tả"], ["FT001", "10/09/2025", "", "1.368.053,00", "", "x"]);

        Assert.Single(BankExcelLayouts.Parse(bidv, "b.xlsx", "bidv-xlsx"));
        Assert.Throws<StatementFormatException>(() => BankExcelLayouts.Parse(bidv, "b.xlsx", "vcb-xlsx"));
    }
}
