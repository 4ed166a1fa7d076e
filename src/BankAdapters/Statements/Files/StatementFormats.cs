using System.Globalization;
using TdmEdu.Fees.BankAdapters.Bidv;

namespace TdmEdu.Fees.BankAdapters.Statements.Files;

/// <summary>
/// The statement formats the service reads, by the names cli.md gives them; how a file's format is told when none
/// is given; and the lines of a spreadsheet format from its rows. A new format is added here (and, for an Excel
/// export, as a layout in <see cref="BankExcelLayouts"/>).
/// </summary>
public static class StatementFormats
{
    public const string Auto = "auto";
    public const string Camt053 = "camt053";
    public const string Mt940 = "mt940";
    public const string BidvFileout = "bidv-fileout";

    /// <summary>A sheet read by the column map an accountant saved for its account (<see cref="ColumnMaps"/>); not a bank's own format.</summary>
    public const string Columns = "columns";

    /// <summary>How much of a text file's start <see cref="Detect(string, string)"/> is given.</summary>
    public const int HeadChars = 4096;

    /// <summary>Every name `--format` takes, in the order cli.md lists them.</summary>
    public static readonly IReadOnlyList<string> All = [Auto, Camt053, Mt940, BidvFileout, .. BankExcelLayouts.All.Select(l => l.Format)];

    // What a bank's export says in its first 80 rows, checked in this order (the first that holds decides).
    private static readonly (string Format, string[] Clues)[] SheetClues =
    [
        ("bidv-xlsx", ["ngan hang tmcp dau tu va phat trien", "bao cao chi tiet so du tai khoan"]),
        ("vcb-xlsx", ["statement of account", "vietcombank"]),
        ("msb-xlsx", ["so but toan", "msb"]),
    ];

    /// <summary>Whether the file is read as a sheet's rows: a spreadsheet format, or an .xlsx or .csv whose format is to be found.</summary>
    public static bool ReadsRows(string format, string fileName) =>
        format is BidvFileout or Columns || BankExcelLayouts.Of(format) is not null
        || format == Auto && Path.GetExtension(fileName).ToLowerInvariant() is ".xlsx" or ".csv";

    /// <summary>The format of a sheet, by what its first rows say.</summary>
    public static string Detect(IReadOnlyList<(int Line, IReadOnlyList<string> Cells)> rows, string name)
    {
        var header = rows.FirstOrDefault(r => r.Cells.Any(c => c.Length > 0)).Cells ?? [];
        if (string.Join('|', header.Select(BankExcelLayouts.Fold)).Contains("id giao dich bidv", StringComparison.Ordinal)) return BidvFileout;
        var all = string.Join('|', rows.Take(80).SelectMany(r => r.Cells).Select(BankExcelLayouts.Fold));
        foreach (var (format, clues) in SheetClues)
            if (clues.Any(c => all.Contains(c, StringComparison.Ordinal))) return format;
        throw new StatementFormatException(name, null, null,
            "this spreadsheet is not a statement layout we know (VCB, BIDV, MSB, BIDV Fileout); give --format, or map its columns once on the statement page.",
            "bảng tính này không theo mẫu sao kê nào đã biết (VCB, BIDV, MSB, BIDV Fileout); hãy chọn định dạng, hoặc ghép cột một lần cho tài khoản.")
        { ColumnsUnknown = true };
    }

    /// <summary>The format of a text file, by its first <see cref="HeadChars"/> characters.</summary>
    public static string Detect(string head, string name)
    {
        if (head.TrimStart('\uFEFF', ' ', '\n', '\r', '\t').StartsWith('<') && Camt053Parser.LooksLike(head)) return Camt053;
        if (Mt940Parser.LooksLike(head)) return Mt940;
        throw new StatementFormatException(name, null, null, "this is neither a camt.053 nor an MT940 statement nor a BIDV Fileout; give --format.",
            "tệp này không phải sao kê camt.053, MT940 hay BIDV Fileout; hãy chọn định dạng.");
    }

    /// <summary>The lines of a sheet in a spreadsheet format: BIDV Fileout (Fileout-Refund when its name says so) or an Excel layout.</summary>
    public static IReadOnlyList<ParsedLine> ReadRows(IReadOnlyList<(int Line, IReadOnlyList<string> Cells)> rows, string name, string format, List<ParseNote>? notes = null)
    {
        if (format != BidvFileout) return BankExcelLayouts.Parse(rows, name, format, notes);
        // The first row that is not blank is the header.
        var nonEmpty = rows.Where(r => r.Cells.Any(c => c.Length > 0)).ToList();
        if (nonEmpty.Count == 0) throw new StatementFormatException(name, null, null, "the file is empty; the first row must be the header.", "tệp trống; dòng đầu phải là dòng tiêu đề.");
        var refund = name.Contains("refund", StringComparison.OrdinalIgnoreCase);
        try
        {
            return Bidv.BidvFileout.Parse(name, nonEmpty[0].Cells, nonEmpty.Skip(1), refund).Select(r => new ParsedLine(r.Line, r.CreditAccount, null, r.BidvTransId,
                r.BillId, DateOnly.FromDateTime(r.Originated), r.Paid is { } p ? DateOnly.FromDateTime(p) : null, r.Refund ? "debit" : "credit", r.Refund,
                r.AmountVnd.ToString(CultureInfo.InvariantCulture), r.Currency, "BIDV-" + (r.TransactionType ?? "01"), $"{r.CustomerId} {r.BillId}", null,
                r.DebitAccount)).ToList();
        }
        catch (BidvFileoutException e)
        {
            throw e.Reason is { } reason ? new StatementFormatException(e.Message, name, e.Line, e.Column, reason, e.ReasonVi) : new StatementFormatException(e.Message);
        }
    }
}
