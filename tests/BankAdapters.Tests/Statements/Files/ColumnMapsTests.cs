using TdmEdu.Fees.BankAdapters.Statements.Files;

namespace TdmEdu.Fees.BankAdapters.Tests.Statements.Files;

/// <summary>
/// An export no bank layout knows, read by the columns an accountant mapped: each way of telling the direction, the
/// header found again when columns move, two columns of one name kept apart, totals skipped, and every line that
/// cannot be money refused by line and column. A wrong direction or amount is never guessed.
/// </summary>
public sealed class ColumnMapsTests
{
    private static List<(int Line, IReadOnlyList<string> Cells)> Rows(params string[][] rows) =>
        rows.Select((cells, i) => (i + 1, (IReadOnlyList<string>)cells)).ToList();

    // A credit union's export: a title block, the header on line 4, in and out in two columns, a total at the end.
    private static readonly string[] Header = ["STT", "Thời gian", "Mã GD", "Tiền vào", "Tiền ra", "Diễn giải chi tiết", "Số dư"];

    private static List<(int Line, IReadOnlyList<string> Cells)> Split() => Rows(
        ["QUỸ TÍN DỤNG NHÂN DÂN PHÚ CƯỜNG"],
        ["Lịch sử giao dịch", "", "Số tài khoản:", "1122334455"],
        [],
        Header,
        ["1", "05/09/2025 08:15", "QT0001", "1.371.800", "", "TS01 HS 7900000001 hoc phi", "1.371.800"],
        ["2", "06/09/2025", "QT0002", "", "50.000", "Phi quan ly tai khoan", "1.321.800"],
        ["", "", "", "", "", "(tiep) noi dung dai", ""],
        ["", "Tổng cộng", "", "1.371.800", "50.000", "", ""]);

    private static ColumnMap SplitMap() => ColumnMaps.Build("qtd.xlsx", 4, Header, date: 1, amount: 3, ColumnMaps.BySplit, null, debit: 4, description: 5, reference: 2,
        monthFirst: false);

    [Fact]
    public void TwoAmountColumns_ReadAsCreditAndDebit_TheTotalSkippedWithANote_AndTheAccountTakenFromTheBlockAbove()
    {
        var notes = new List<ParseNote>();
        var lines = ColumnMaps.Parse(Split(), "qtd.xlsx", SplitMap(), notes);

        Assert.Equal(2, lines.Count);
        Assert.Equal((5, "credit", "1371800", "QT0001", new DateOnly(2025, 9, 5), "TS01 HS 7900000001 hoc phi", "1122334455"),
            (lines[0].Line, lines[0].Direction, lines[0].Amount, lines[0].BankRef, lines[0].BookingDate, lines[0].Content, lines[0].Account));
        Assert.Equal((6, "debit", "50000"), (lines[1].Line, lines[1].Direction, lines[1].Amount));
        Assert.All(lines, l => Assert.Equal("VND", l.Currency));
        Assert.Equal([8], notes.Select(n => n.Line));
        Assert.Contains("tong cong", notes[0].Vi);
    }

    [Fact]
    public void TheMap_KeepsHeaderWordsNotPlaces_SoAnExportWithMovedColumnsIsReadTheSame()
    {
        var map = SplitMap();
        Assert.Equal(new HeaderRef("tien vao", 0), map.Amount);
        Assert.Equal(new HeaderRef("dien giai chi tiet", 0), map.Description);
        // Next month's export: two more title lines, a new first column, description before the amounts.
        var moved = Rows(["x"], ["y"], ["z"], ["a"], ["b"],
            ["Chi nhánh", "STT", "THỜI GIAN", "Diễn giải chi tiết", "Mã GD", "Tiền ra", "Tiền vào"],
            ["PC", "1", "07/09/2025", "HS 7900000002", "QT0009", "", "500.000"]);

        var line = Assert.Single(ColumnMaps.Parse(moved, "thang10.xlsx", map));
        Assert.Equal(("credit", "500000", "QT0009", "HS 7900000002"), (line.Direction, line.Amount, line.BankRef, line.Content));
    }

    [Fact]
    public void AnExportWithoutTheMappedColumns_IsRefusedAsColumnsUnknown_NotReadByGuess()
    {
        var other = Rows(["Ngày", "Số tiền", "Nội dung"], ["05/09/2025", "100.000", "x"]);
        var e = Assert.Throws<StatementFormatException>(() => ColumnMaps.Parse(other, "khac.csv", SplitMap()));
        Assert.True(e.ColumnsUnknown);
        Assert.Contains("ghép lại cột", e.ReasonVi);
    }

    [Fact]
    public void TwoColumnsOfOneName_AreKeptApartByWhichOneTheyAre()
    {
        string[] header = ["Ngày", "Số tiền", "Số tiền", "Nội dung"];
        var map = ColumnMaps.Build("f.csv", 1, header, 0, amount: 2, ColumnMaps.BySign, null, null, 3, null, false);
        Assert.Equal(new HeaderRef("so tien", 1), map.Amount);
        var line = Assert.Single(ColumnMaps.Parse(Rows(header, ["01/10/2025", "999", "200.000", "hp"]), "f.csv", map));
        Assert.Equal("200000", line.Amount);
    }

    [Theory]
    [InlineData("-200.000", "debit")]
    [InlineData("(200.000)", "debit")]
    [InlineData("200.000-", "debit")]
    [InlineData("\u2212200.000", "debit")]
    [InlineData("+200.000", "credit")]
    [InlineData("200,000", "credit")]
    public void ASignedAmount_SaysTheDirectionBySign(string amount, string direction)
    {
        string[] header = ["Date", "Amount", "Narrative"];
        var map = ColumnMaps.Build("f.csv", 1, header, 0, 1, ColumnMaps.BySign, null, null, 2, null, false);
        var line = Assert.Single(ColumnMaps.Parse(Rows(header, ["2025-10-01", amount, "x"]), "f.csv", map));
        Assert.Equal((direction, "200000"), (line.Direction, line.Amount));
    }

    [Theory]
    [InlineData("C", "credit")]
    [InlineData("Có", "credit")]
    [InlineData("GHI CÓ", "credit")]
    [InlineData("+", "credit")]
    [InlineData("D", "debit")]
    [InlineData("Nợ", "debit")]
    [InlineData("Debit", "debit")]
    [InlineData("-", "debit")]
    public void ADirectionColumn_SaysInOrOut(string said, string direction)
    {
        string[] header = ["Ngày", "Số tiền", "Loại", "Nội dung"];
        var map = ColumnMaps.Build("f.csv", 1, header, 0, 1, ColumnMaps.ByColumn, directionColumn: 2, null, 3, null, false);
        var line = Assert.Single(ColumnMaps.Parse(Rows(header, ["01/10/2025", "300.000", said, "x"]), "f.csv", map));
        Assert.Equal(direction, line.Direction);
    }

    [Fact]
    public void ADirectionCellThatSaysNeither_OrANegativeAmountSaidToBeMoneyIn_IsRefusedByLineAndColumn()
    {
        string[] header = ["Ngày", "Số tiền", "Loại", "Nội dung"];
        var map = ColumnMaps.Build("f.csv", 1, header, 0, 1, ColumnMaps.ByColumn, 2, null, 3, null, false);

        var e = Assert.Throws<StatementFormatException>(() => ColumnMaps.Parse(Rows(header, ["01/10/2025", "300.000", "X", "x"]), "f.csv", map));
        Assert.Equal((2, "Loại"), (e.Line, e.Column));
        Assert.Contains("không cho biết tiền vào hay tiền ra", e.ReasonVi);

        e = Assert.Throws<StatementFormatException>(() => ColumnMaps.Parse(Rows(header, ["01/10/2025", "-300.000", "C", "x"]), "f.csv", map));
        Assert.Equal((2, "Số tiền"), (e.Line, e.Column));
        // A negative amount said to be money out is money out.
        Assert.Equal("debit", Assert.Single(ColumnMaps.Parse(Rows(header, ["01/10/2025", "-300.000", "D", "x"]), "f.csv", map)).Direction);
    }

    [Fact]
    public void TwoAmountColumns_BothFilled_OrMoneyInNegative_AreRefused()
    {
        var rows = Split();
        rows[4] = (5, ["1", "05/09/2025", "QT0001", "1.000", "2.000", "x", ""]);
        var e = Assert.Throws<StatementFormatException>(() => ColumnMaps.Parse(rows, "qtd.xlsx", SplitMap()));
        Assert.Equal(5, e.Line);
        Assert.Contains("đúng một trong hai cột", e.ReasonVi);

        rows[4] = (5, ["1", "05/09/2025", "QT0001", "-1.000", "", "x", ""]);
        e = Assert.Throws<StatementFormatException>(() => ColumnMaps.Parse(rows, "qtd.xlsx", SplitMap()));
        Assert.Equal((5, "Tiền vào"), (e.Line, e.Column));
    }

    [Fact]
    public void AnAmountWithoutADate_ThatIsNoTotal_IsRefused_AndAnAmountThatIsNoNumberToo()
    {
        var rows = Split();
        rows[5] = (6, ["2", "", "QT0002", "", "50.000", "Phi", ""]);
        var e = Assert.Throws<StatementFormatException>(() => ColumnMaps.Parse(rows, "qtd.xlsx", SplitMap()));
        Assert.Equal((6, "Thời gian"), (e.Line, e.Column));
        Assert.Contains("không có ngày", e.ReasonVi);

        rows = Split();
        rows[4] = (5, ["1", "05/09/2025", "QT0001", "một triệu", "", "x", ""]);
        e = Assert.Throws<StatementFormatException>(() => ColumnMaps.Parse(rows, "qtd.xlsx", SplitMap()));
        Assert.Equal((5, "Tiền vào"), (e.Line, e.Column));
    }

    [Fact]
    public void DatesAreDayFirst_UnlessTheMapSaysMonthFirst()
    {
        string[] header = ["Date", "Amount", "Details"];
        var rows = Rows(header, ["03/04/2026", "1000", "x"]);
        var dayFirst = ColumnMaps.Build("f.csv", 1, header, 0, 1, ColumnMaps.BySign, null, null, 2, null, monthFirst: false);
        var monthFirst = dayFirst with { MonthFirst = true };
        Assert.Equal(new DateOnly(2026, 4, 3), ColumnMaps.Parse(rows, "f.csv", dayFirst)[0].BookingDate);
        Assert.Equal(new DateOnly(2026, 3, 4), ColumnMaps.Parse(rows, "f.csv", monthFirst)[0].BookingDate);
        // 13 cannot be a month: refused, not read the other way round.
        Assert.Throws<StatementFormatException>(() => ColumnMaps.Parse(Rows(header, ["13/04/2026", "1000", "x"]), "f.csv", monthFirst));
    }

    [Fact]
    public void AMapThatCannotBe_IsRefusedInWords()
    {
        // A column without a name, one column for two fields, a missing money-out column, an unknown way.
        var e = Assert.Throws<StatementFormatException>(() => ColumnMaps.Build("f.csv", 4, Header, 1, 3, ColumnMaps.BySplit, null, 4, 9, null, false));
        Assert.Contains("cột J", e.ReasonVi);
        e = Assert.Throws<StatementFormatException>(() => ColumnMaps.Build("f.csv", 4, Header, 1, 3, ColumnMaps.BySplit, null, 3, 5, null, false));
        Assert.Contains("hai lần", e.ReasonVi);
        e = Assert.Throws<StatementFormatException>(() => ColumnMaps.Build("f.csv", 4, Header, 1, 3, ColumnMaps.BySplit, null, null, 5, null, false));
        Assert.Contains("cột tiền ra", e.ReasonVi);
        e = Assert.Throws<StatementFormatException>(() => ColumnMaps.Build("f.csv", 4, Header, 1, 3, "guess", null, null, 5, null, false));
        Assert.Contains("guess", e.Reason);
    }

    [Fact]
    public void AMap_IsStoredAsJson_AndWhatIsNoMapIsNotReadAsOne()
    {
        var map = SplitMap();
        Assert.Equal(map, ColumnMap.FromJson(map.ToJson()));
        Assert.Contains("\"description\":{\"header\":\"dien giai chi tiet\",\"occurrence\":0}", map.ToJson());
        Assert.Null(ColumnMap.FromJson("{\"date\":{\"header\":\"ngay\",\"occurrence\":0}}"));
        Assert.Null(ColumnMap.FromJson("not json"));
        Assert.Null(ColumnMap.FromJson((map with { Direction = ColumnMaps.ByColumn }).ToJson()));
    }

    [Fact]
    public void Guess_FindsTheHeaderRowAndTheColumnsItsWordsName()
    {
        var guess = ColumnMaps.Guess(Split());
        Assert.Equal((3, 1, 3, 4, 5), (guess.Index, guess.Date, guess.Amount, guess.Debit, guess.Description));
    }

    [Theory]
    [InlineData(0, "A")]
    [InlineData(25, "Z")]
    [InlineData(26, "AA")]
    [InlineData(701, "ZZ")]
    public void Letter_NamesAColumnAsASpreadsheetDoes(int index, string letter) => Assert.Equal(letter, ColumnMaps.Letter(index));
}
