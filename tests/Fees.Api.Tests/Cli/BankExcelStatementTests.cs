using System.Text.Json;

namespace TdmEdu.Fees.Api.Tests.Cli;

public sealed class BankExcelStatementTests
{
    private static async Task<List<JsonElement>> ParseAsync(string path, params string[] more)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        var code = await new Api.Cli.CommandLine(o, e, TimeProvider.System).RunAsync(["statements", "parse", path, .. more]);
        Assert.True(code == 0, e.ToString());
        return o.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
    }

    private static string Xlsx(string name, IEnumerable<object?[]> rows)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("xls-").FullName, name);
        var width = rows.Max(r => r.Length);
        var sheet = rows.Select(r => Enumerable.Range(0, width).ToDictionary(i => ((char)('A' + i)).ToString(), i => i < r.Length ? r[i] ?? "" : (object)""));
        MiniExcelLibs.MiniExcel.SaveAs(path, sheet, printHeader: false);
        return path;
    }

    [Fact]
    public async Task VcbExport_HeaderBlockBilingualHeadersAndTotals_ReadsTheTransactionsOnly()
    {
        var path = Xlsx("vcb.xlsx",
        [
            ["SAO KÊ TÀI KHOẢN / STATEMENT OF ACCOUNT"],
            ["Số tài khoản/Account number", "0281000111222"],
            ["Số dư đầu kỳ/ Opening balance :", "10.000.000"],
            ["STT/No.", "Ngày GD/ TNX Date\nSố CT/ Doc No", "Ngày hiệu lực/ Effective date", "Số tiền ghi nợ/ Debit", "Số tiền ghi có¹/ Credit", "Số dư/ Balance", "Nội dung chi tiết/ Transactions in detail"],
            ["1", "10/09/2025 09:30:12", "10/09/2025", "", "1.371.800", "11.371.800", "MBVCB.123.456.HS10000004 hoc phi"],
            ["2", "11/09/2025", "11/09/2025", "11.000", "", "11.360.800", "Phi SMS"],
            ["Tổng số/Total", "", "", "11.000", "1.371.800", "", ""],
            ["Số dư cuối kỳ/ Closing balance :", "11.360.800"],
        ]);

        var lines = await ParseAsync(path);

        Assert.Equal(2, lines.Count);
        Assert.Equal(("0281000111222", "2025-09-10", "credit", "1371800"), (lines[0].GetProperty("account").GetString(), lines[0].GetProperty("booking_date").GetString(),
            lines[0].GetProperty("direction").GetString(), lines[0].GetProperty("amount").GetString()));
        Assert.Equal(("debit", "11000"), (lines[1].GetProperty("direction").GetString(), lines[1].GetProperty("amount").GetString()));
    }

    [Fact]
    public async Task BidvExport_IsFoundByItsTitleAndReadByHeaderText()
    {
        var path = Xlsx("bidv.xlsx",
        [
            ["NGÂN HÀNG TMCP ĐẦU TƯ VÀ PHÁT TRIỂN VIỆT NAM"],
            ["BÁO CÁO CHI TIẾT SỐ DƯ TÀI KHOẢN"],
            ["Số tài khoản", "65210000000001"],
            ["Số tài khoản cũ / Old account", "12345"],
            ["Dư đầu", "0"],
            ["Số chứng từ", "Ngày hiệu lực", "Ghi nợ", "Ghi có", "Số dư", "Mô tả"],
            ["FT001", "10/09/2025", "", "1.368.053,00", "1.368.053,00", "HS10000004 hoc phi"],
            ["Dư cuối", "1.368.053,00"],
        ]);

        var lines = await ParseAsync(path);

        var l = Assert.Single(lines);
        Assert.Equal(("65210000000001", "FT001", "1368053"), (l.GetProperty("account").GetString(), l.GetProperty("bank_ref").GetString(), l.GetProperty("amount").GetString()));
    }

    [Fact]
    public async Task MsbExport_AsCsv_WithPayerColumnAndCommaThousands()
    {
        var dir = Directory.CreateTempSubdirectory("msb-").FullName;
        var path = Path.Combine(dir, "msb.csv");
        await File.WriteAllTextAsync(path, """
            MSB - SAO KÊ TÀI KHOẢN
            Số tài khoản,03000000000001
            Số dư đầu kỳ / Opening balance,0
            Ngày giao dịch / Transaction date,Số bút toán / Reference No,Người hưởng/Người chuyển / Payee/Payer,Diễn giải / Transaction description,Nợ / Debit,Có / Credit
            10/09/2025,FT25253001,TRAN THI B,03000000000001-123456-hoc phi,,"1,371,800"
            Tổng phát sinh,,,,0,"1,371,800"
            Số dư cuối kỳ / Closing balance,"1,371,800"
            """);

        var lines = await ParseAsync(path, "--format", "msb-xlsx");

        var l = Assert.Single(lines);
        Assert.Equal(("FT25253001", "TRAN THI B", "1371800", "credit"), (l.GetProperty("bank_ref").GetString(), l.GetProperty("counterparty_name").GetString(),
            l.GetProperty("amount").GetString(), l.GetProperty("direction").GetString()));
    }

    [Fact]
    public async Task AnotherBanksSpreadsheet_IsRefusedClearly()
    {
        var path = Xlsx("other.xlsx", [["Báo cáo"], ["a", "b", "c"]]);
        var o = new StringWriter();
        var e = new StringWriter();

        var code = await new Api.Cli.CommandLine(o, e, TimeProvider.System).RunAsync(["statements", "parse", path, "--format", "vcb-xlsx"]);

        Assert.Equal(2, code);
        Assert.Contains("no table header of the vcb-xlsx layout", e.ToString());
    }

    /// <summary>A workbook as a bank writes it, cells merged for real (the sheet's mergeCells), not only left blank.</summary>
    private static string MergedXlsx(string name, IEnumerable<object?[]> rows, params string[] merges)
    {
        var path = Xlsx(name, rows);
        using var zip = System.IO.Compression.ZipFile.Open(path, System.IO.Compression.ZipArchiveMode.Update);
        var entry = zip.Entries.Single(e => e.FullName.StartsWith("xl/worksheets/sheet", StringComparison.Ordinal));
        string xml;
        using (var r = new StreamReader(entry.Open())) xml = r.ReadToEnd();
        Assert.Contains("</x:sheetData>", xml);
        xml = xml.Replace("</x:sheetData>", $"</x:sheetData><x:mergeCells count=\"{merges.Length}\">{string.Concat(merges.Select(m => $"<x:mergeCell ref=\"{m}\"/>"))}</x:mergeCells>",
            StringComparison.Ordinal);
        entry.Delete();
        using (var w = new StreamWriter(zip.CreateEntry(entry.FullName).Open())) w.Write(xml);
        return path;
    }

    private static async Task<(List<JsonElement> Lines, string Err)> ParseWithNotesAsync(string path, params string[] more)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        var code = await new Api.Cli.CommandLine(o, e, TimeProvider.System).RunAsync(["statements", "parse", path, .. more]);
        Assert.True(code == 0, e.ToString());
        return (o.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList(), e.ToString());
    }

    private static (string Date, string Direction, string Amount, string Text) Row(JsonElement l) =>
        (l.GetProperty("booking_date").GetString()!, l.GetProperty("direction").GetString()!, l.GetProperty("amount").GetString()!, l.GetProperty("content").GetString()!);

    [Fact]
    public async Task VcbExport_AsAccountantsMeetIt_MergedHeaderAndDates_RenamedTotals_PayerNamedTong_CurrencySuffixes_ReadsEveryTransactionOnce()
    {
        var path = MergedXlsx("vcb-merged.xlsx",
        [
            ["NGÂN HÀNG TMCP NGOẠI THƯƠNG VIỆT NAM"],
            ["SAO KÊ TÀI KHOẢN / STATEMENT OF ACCOUNT"],
            ["Từ ngày 01/09/2025 đến ngày 30/09/2025"],
            ["Số tài khoản/Account number", "0281000111222"],
            [],
            ["STT", "Ngày giao dịch", "Số tham chiếu", "Số tiền", "", "Nội dung chi tiết"],
            ["", "", "", "Ghi nợ", "Ghi có", ""],
            ["1", "05-09-2025", "FT1", "", "1.371.800 VND", "HS10000004 hoc phi"],
            ["2", "", "FT2", "", "500,000đ", "HS10000005 TONG VAN AN hoc phi"],
            ["3", "45910", "FT3", "11.000", "", "Phi SMS"],
            ["", "", "", "", "", "(tiếp) thông tin thêm"],
            ["Cộng phát sinh", "", "", "11.000", "1.871.800", ""],
            ["", "", "", "11.000", "1.871.800", ""],
        ], "D6:E6", "A6:A7", "B6:B7", "C6:C7", "F6:F7", "B8:B9");

        var (lines, err) = await ParseWithNotesAsync(path, "--format", "vcb-xlsx");

        Assert.Equal(
        [
            ("2025-09-05", "credit", "1371800", "HS10000004 hoc phi"),
            ("2025-09-05", "credit", "500000", "HS10000005 TONG VAN AN hoc phi"),
            ("2025-09-10", "debit", "11000", "Phi SMS"),
        ], lines.Select(Row));
        Assert.All(lines, l => Assert.Equal("0281000111222", l.GetProperty("account").GetString()));
        Assert.Contains("line 9: no date; the date of line 8 above is used (a merged cell).", err);
        Assert.Contains("line 13: amounts with no date, description or reference (a total); skipped.", err);
    }

    [Fact]
    public async Task BidvExport_WithRenamedColumns_AsCsv_ReadsByTheNewNames()
    {
        var dir = Directory.CreateTempSubdirectory("bidv-").FullName;
        var path = Path.Combine(dir, "bidv.csv");
        await File.WriteAllTextAsync(path, """
            NGÂN HÀNG TMCP ĐẦU TƯ VÀ PHÁT TRIỂN VIỆT NAM
            Số tài khoản,65210000000001
            Ngày hạch toán,Số giao dịch,Phát sinh nợ,Phát sinh có,Diễn giải
            10/09/2025 08:01:02,FT9,,"1.368.053,00",HS10000004 hoc phi
            Cộng phát sinh,,0,"1.368.053,00",
            """);

        var (lines, _) = await ParseWithNotesAsync(path, "--format", "bidv-xlsx");

        var l = Assert.Single(lines);
        Assert.Equal(("2025-09-10", "credit", "1368053", "HS10000004 hoc phi"), Row(l));
        Assert.Equal("FT9", l.GetProperty("bank_ref").GetString());
    }

    [Fact]
    public async Task AnAmountWithNoDate_AndNoDateAbove_IsRefusedByLine_NotDropped()
    {
        var path = Xlsx("vcb-nodate.xlsx",
        [
            ["Số tài khoản/Account number", "0281000111222"],
            ["Ngày giao dịch", "Số tham chiếu", "Số tiền ghi nợ", "Số tiền ghi có", "Nội dung chi tiết"],
            ["", "FT1", "", "1.371.800", "HS10000004 hoc phi"],
        ]);
        var o = new StringWriter();
        var e = new StringWriter();

        var code = await new Api.Cli.CommandLine(o, e, TimeProvider.System).RunAsync(["statements", "parse", path, "--format", "vcb-xlsx"]);

        Assert.Equal(2, code);
        Assert.Contains("vcb-nodate.xlsx, line 3, column booking date: a line with an amount has no date, and the line above gives none.", e.ToString());
        Assert.Equal("", o.ToString());
    }

    [Fact]
    public async Task ANumberCellWithThreeDecimals_IsNeverReadAThousandTimesLarger()
    {
        // 1.234 stored as a number was written "1.234", which the dot-thousands rule read as 1234 đồng.
        var path = Xlsx("vcb-number.xlsx",
        [
            ["Số tài khoản/Account number", "0281000111222"],
            ["Ngày giao dịch", "Số tham chiếu", "Số tiền ghi nợ", "Số tiền ghi có", "Nội dung chi tiết"],
            ["10/09/2025", "FT1", "", 1.234, "HS10000004 hoc phi"],
        ]);

        var l = Assert.Single(await ParseAsync(path, "--format", "vcb-xlsx"));

        Assert.Equal("1.234", l.GetProperty("amount").GetString());
    }
}
