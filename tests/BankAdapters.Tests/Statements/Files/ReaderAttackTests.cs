using TdmEdu.Fees.BankAdapters.Statements.Files;

namespace TdmEdu.Fees.BankAdapters.Tests.Statements.Files;

/// <summary>An outsider's attack on the readers (issue 16): each made money wrong without a word, before its fix.</summary>
public sealed class ReaderAttackTests
{
    private static List<(int Line, IReadOnlyList<string> Cells)> Rows(params string[][] rows) =>
        rows.Select((cells, i) => (i + 1, (IReadOnlyList<string>)cells)).ToList();

    [Fact]
    public void Mt940_AnIndentedStatementLineAfterA86_IsReadAsALine_NotSwallowedIntoTheText()
    {
        // A :61: indented by one space after a :86: was appended to the :86: text: the 999 credit vanished, no note, no refusal.
        var text = ":20:S1\n:25:111\n:60F:C240101VND0,\n:61:2401010101C100,NTRFREF//B1\n:86:hoc phi\n :61:2401010101C999,NTRFREF//B2\n:86:second\n:62F:C240101VND1099,\n";
        var notes = new List<ParseNote>();

        var lines = Mt940Parser.Parse(text, "a.sta", null, notes);

        Assert.Equal([("100", "hoc phi"), ("999", "second")], lines.Select(l => (l.Amount, l.Content!)));
        Assert.Contains(notes, n => n.Line == 6 && n.En == "the field :61: is indented; read as a field.");
    }

    [Fact]
    public void Mt940_AnIndentedStatementLineAfterA61_IsReadAsALine_NotDropped()
    {
        var text = ":20:S1\n:25:111\n:60F:C240101VND0,\n:61:2401010101C100,NTRFREF//B1\n\t:61:2401010101C999,NTRFREF//B2\n:62F:C240101VND1099,\n";

        var lines = Mt940Parser.Parse(text, "a.sta", null, []);

        Assert.Equal(["100", "999"], lines.Select(l => l.Amount));
    }

    [Fact]
    public void Mt940_ReadsWithinItsTime_AndRefusesMoreFieldsThanItsBound()
    {
        // 200,000 :86: after one :61: took minutes (the text was joined by +=, and the reader never looked at the time).
        var text = ":20:S1\n:25:111\n:60F:C240101VND0,\n:61:2401010101C100,NTRFREF//B1\n" + string.Concat(Enumerable.Repeat(":86:xxxxxxxxxx\n", 200_000));
        using var stopped = new CancellationTokenSource();
        stopped.Cancel();

        var line = Assert.Single(Mt940Parser.Parse(text, "a.sta", null, []));
        Assert.Equal(2_000_000, line.Content!.Length);
        Assert.Throws<OperationCanceledException>(() => Mt940Parser.Parse(text, "a.sta", null, [], ct: stopped.Token));
        var e = Assert.Throws<StatementFormatException>(() => Mt940Parser.Parse(text, "a.sta", null, [], maxFields: 1000));
        Assert.Contains("line 1001: the file holds more than 1000 fields", e.Message);
    }

    [Fact]
    public void Excel_ATotalWhoseLabelIsInTheDescriptionColumn_IsNeverACredit()
    {
        // Columns in another order (description first): "Tổng cộng" sits in the description column, which is never read
        // as a label, so the total took the date above (merged-cell rule) and became a 1,500,000 credit.
        var rows = Rows(
            ["Diễn giải", "Ngày giao dịch", "Số tiền ghi nợ", "Số tiền ghi có"],
            ["HS1 hoc phi", "10/09/2025", "", "1.000.000"],
            ["HS2 hoc phi", "10/09/2025", "", "500.000"],
            ["Tổng cộng", "", "0", "1.500.000"]);

        var lines = BankExcelLayouts.Parse(rows, "vcb.csv", "vcb-xlsx");

        Assert.Equal(["1000000", "500000"], lines.Select(l => l.Amount));
    }

    [Fact]
    public void Excel_APayerNamedTongInAColumnTheLayoutDoesNotMap_IsNeverDroppedAsATotal()
    {
        // BIDV's layout maps no payer column, so "Tống Văn An" in one is read as the label "tong" on a row under a merged
        // date: the 500,000 credit was dropped with no note.
        var rows = Rows(
            ["Số chứng từ", "Ngày hiệu lực", "Ghi nợ", "Ghi có", "Mô tả", "Người chuyển"],
            ["FT1", "10/09/2025", "", "1.000.000", "HS1 hoc phi", "NGUYEN VAN A"],
            ["FT2", "", "", "500.000", "HS2 hoc phi", "Tống Văn An"]);

        var lines = BankExcelLayouts.Parse(rows, "bidv.csv", "bidv-xlsx");

        Assert.Equal([("FT1", "1000000"), ("FT2", "500000")], lines.Select(l => (l.BankRef!, l.Amount)));
    }
}
