using TdmEdu.Fees.BankAdapters.Statements.Files;

namespace TdmEdu.Fees.BankAdapters.Tests.Statements.Files;

/// <summary>Outside attack on <see cref="ColumnMaps"/> (pure), each a test then a fix.</summary>
public sealed class ColumnMapAttackTests
{
    private static List<(int Line, IReadOnlyList<string> Cells)> Rows(params string[][] rows) =>
        rows.Select((cells, i) => (i + 1, (IReadOnlyList<string>)cells)).ToList();

    private static readonly string[] Header = ["Ngày", "Số tiền", "Nội dung"];
    private static ColumnMap Sign => ColumnMaps.Build("x.csv", 2, Header, 0, 1, ColumnMaps.BySign, null, null, 2, null, false);

    /// <summary>"Tài khoản:" (the existing tests' own fixture label) and "Số tài khoản: …" in one cell name no account to the importer.</summary>
    [Theory]
    [InlineData("Tài khoản:", "9999888877776")]
    [InlineData("Số tài khoản: 9999888877776", "")]
    [InlineData("Account No.:", "9999888877776")]
    [InlineData("STK:", "9999888877776")]
    public void TheAccountTheBlockAboveNames_IsTakenForTheImportersCheck(string label, string number)
    {
        var lines = ColumnMaps.Parse(Rows([label, number, ""], Header, ["10/09/2025", "1.371.800", "TS01 hoc phi"]), "x.csv", Sign);

        Assert.Equal("9999888877776", lines.Single().Account);
    }

    /// <summary>An export of several accounts (a column says whose line it is): every line is taken as the school's account.</summary>
    [Fact]
    public void AnAccountColumnInTheTable_IsNotIgnored()
    {
        string[] header = ["Số tài khoản", "Ngày", "Số tiền", "Nội dung"];
        var map = ColumnMaps.Build("x.csv", 1, header, 1, 2, ColumnMaps.BySign, null, null, 3, null, false);
        var rows = Rows(header, ["0281000111222", "10/09/2025", "1.371.800", "TS01 hoc phi"], ["9999888877776", "10/09/2025", "2.000.000", "TS01 HS 7900000002"]);

        var lines = ColumnMaps.Parse(rows, "x.csv", map);

        // Each line carries its own account, so the importer refuses the other account's line; mapped or not, the column is read.
        Assert.Equal(["0281000111222", "9999888877776"], lines.Select(l => l.Account));
        var mapped = ColumnMaps.Build("x.csv", 1, header, 1, 2, ColumnMaps.BySign, null, null, 3, null, false, account: 0);
        Assert.Equal(["0281000111222", "9999888877776"], ColumnMaps.Parse(rows, "x.csv", mapped).Select(l => l.Account));
    }

    /// <summary>A closing balance or total on the period's last day is read as money in.</summary>
    [Theory]
    [InlineData("Tổng cộng")]
    [InlineData("Số dư cuối kỳ")]
    [InlineData("Closing balance")]
    [InlineData("Cộng phát sinh")]
    public void ATotalOrBalanceWithADate_IsNotMoney(string label)
    {
        var lines = ColumnMaps.Parse(Rows(["Sổ phụ"], Header, ["10/09/2025", "1.371.800", "TS01 hoc phi"], ["30/09/2025", "25.000.000", label]), "x.csv", Sign);

        Assert.Equal(["1371800"], lines.Select(l => l.Amount));
    }

    [Fact]
    public void ADatedRowWithNoAmountWhereTheMapLooks_IsSaid_NotDroppedInSilence()
    {
        var notes = new List<ParseNote>();
        var lines = ColumnMaps.Parse(Rows(["Sổ phụ"], Header, ["10/09/2025", "1.371.800", "TS01 hoc phi"], ["11/09/2025", "", "rut tien"]), "x.csv", Sign, notes);

        Assert.Single(lines);
        Assert.Equal(4, Assert.Single(notes).Line);
        Assert.Contains("không có số tiền ở cột đã ghép", notes[0].Vi);
    }

    [Theory]
    [InlineData("Tên tài khoản:", "TRUONG TIEU HOC 123456789")]
    [InlineData("Loại tài khoản: thanh toán", "")]
    [InlineData("Số tài khoản cũ:", "12345678")]
    public void WhatNamesTheAccountsNameTypeOrOldNumber_IsNoAccount(string label, string value) =>
        Assert.Null(ColumnMaps.AccountNamed([label, value]));

    /// <summary>The same labels above a bank's own layout: a VCB export of another account names it, and the importer can refuse it.</summary>
    [Theory]
    [InlineData("Tài khoản:", "9999888877776")]
    [InlineData("STK: 9999888877776", "")]
    public void ABankLayoutsHeaderBlock_NamesTheAccountByTheseLabelsToo(string label, string number)
    {
        var rows = Rows(["NGÂN HÀNG TMCP NGOẠI THƯƠNG VIỆT NAM - VIETCOMBANK"], [label, number],
            ["Ngày giao dịch", "Số tham chiếu", "Số tiền ghi nợ", "Số tiền ghi có", "Nội dung chi tiết"],
            ["10/09/2025", "VC01", "", "1.371.800", "TS01 hoc phi"]);

        Assert.Equal("9999888877776", Assert.Single(BankExcelLayouts.Parse(rows, "vcb.xlsx", "vcb-xlsx")).Account);
    }
}
