using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace TdmEdu.Fees.BankAdapters.Statements.Files;

/// <summary>A bank's Excel/CSV statement layout, kept as data: what its header cells may say, and which rows to drop.</summary>
public sealed record ExcelLayout(
    string Format,
    string[] Booking,
    string[] Value,
    string[] Reference,
    string[] Debit,
    string[] Credit,
    string[] Description,
    string[] Payer,
    string[] DropRows);

/// <summary>
/// Reads the statement exports (sao kê) of VCB, BIDV and MSB from a sheet's rows (the host reads the cells, within
/// its limits): a header block, a table whose header row is found by its text (with or without marks, bilingual,
/// line breaks and footnote digits inside cells), totals after it. Amounts as 1.000.000, 1,000,000 or
/// 1.368.053,00; dates dd/MM/yyyy, with a time, or Excel serials.
/// </summary>
public static partial class BankExcelLayouts
{
    public static readonly IReadOnlyList<ExcelLayout> All =
    [
        new("vcb-xlsx", ["ngay giao dich", "ngay gd"], ["ngay hieu luc", "effective date"], ["so tham chieu", "so ct", "doc no"],
            ["so tien ghi no", "debit"], ["so tien ghi co", "credit"], ["noi dung chi tiet", "transactions in detail", "mo ta"], [],
            ["so du dau ky", "so du cuoi ky", "tong so", "opening balance", "closing balance", "total"]),
        new("bidv-xlsx", ["ngay giao dich", "ngay hieu luc"], ["ngay hieu luc"], ["so chung tu", "so tham chieu"],
            ["ghi no", "phat sinh no"], ["ghi co", "phat sinh co"], ["mo ta", "dien giai"], [],
            ["du dau", "du cuoi", "so tai khoan cu", "old account", "tong"]),
        new("msb-xlsx", ["ngay giao dich", "transaction date"], [], ["so but toan", "reference no"],
            ["no", "debit"], ["co", "credit"], ["dien giai", "transaction description"], ["nguoi huong nguoi chuyen", "payee payer"],
            ["so du dau ky", "tong phat sinh", "so du cuoi ky", "thong tin nay duoc in", "printed on"]),
    ];

    /// <summary>The layout of that format name, if it is one of the Excel layouts.</summary>
    public static ExcelLayout? Of(string format) => All.FirstOrDefault(l => l.Format == format);

    /// <summary>The statement lines of a sheet's rows, in the given layout; a refusal names file, line and column.</summary>
    public static IReadOnlyList<ParsedLine> Parse(IReadOnlyList<(int Line, IReadOnlyList<string> Cells)> rows, string name, string format)
    {
        var layout = All.Single(l => l.Format == format);
        var (headerIndex, account, cols) = FindHeader(rows, layout);
        if (headerIndex < 0)
            throw new StatementFormatException(name, null, null, $"no table header of the {format} layout (date, debit, credit, description) in the first 80 rows; is this a statement of that bank?",
                $"không thấy dòng tiêu đề của mẫu {format} (ngày, ghi nợ, ghi có, nội dung) trong 80 dòng đầu; đây có phải sao kê của ngân hàng đó không?");

        var result = new List<ParsedLine>();
        for (var i = headerIndex + 1; i < rows.Count; i++)
        {
            var (line, cells) = rows[i];
            string Cell(string key) => cols.TryGetValue(key, out var c) && c < cells.Count ? cells[c].Trim() : "";
            var folded = string.Join(' ', cells.Select(HeaderFold));
            if (cells.All(string.IsNullOrWhiteSpace) || layout.DropRows.Any(d => folded.Contains(d, StringComparison.Ordinal))) continue;
            var dateText = Cell("booking");
            if (dateText.Length == 0) continue; // continuation or footer rows carry no date
            var booking = Date(dateText) ?? throw new StatementFormatException(name, line, "booking date", $"\"{dateText}\" is not a date (dd/MM/yyyy).", $"\"{dateText}\" không phải ngày (dd/MM/yyyy).");
            var debit = Amount(Cell("debit"), name, line, "debit");
            var credit = Amount(Cell("credit"), name, line, "credit");
            if ((debit is null) == (credit is null))
                throw new StatementFormatException(name, line, null, "a line needs an amount in exactly one of the debit and credit columns.",
                    "mỗi dòng cần số tiền ở đúng một trong hai cột ghi nợ và ghi có.");
            var reference = Cell("ref");
            result.Add(new ParsedLine(line, account, null, reference.Length == 0 ? null : reference, null, booking,
                Date(Cell("value")), credit is not null ? "credit" : "debit", false, (credit ?? debit)!, "VND", null,
                Cell("desc"), Cell("payer") is { Length: > 0 } p ? p : null, null));
        }
        return result;
    }

    /// <summary>The table's header row in the first 80 rows (-1 if none), the account number the block above it names, and the columns.</summary>
    private static (int Index, string? Account, Dictionary<string, int> Columns) FindHeader(IReadOnlyList<(int Line, IReadOnlyList<string> Cells)> rows, ExcelLayout layout)
    {
        string? account = null;
        for (var i = 0; i < Math.Min(rows.Count, 80); i++)
        {
            var raw = rows[i].Cells;
            var cells = raw.Select(HeaderFold).ToList();
            var acc = cells.FindIndex(c => c.StartsWith("so tai khoan", StringComparison.Ordinal) || c == "account number" || c.StartsWith("so tk", StringComparison.Ordinal));
            if (acc >= 0 && !cells[acc].Contains("cu", StringComparison.Ordinal))
                account ??= raw.Skip(acc + 1).Select(c => c.Trim()).FirstOrDefault(c => c.Any(char.IsAsciiDigit))?.Replace(" ", "", StringComparison.Ordinal);
            var found = new Dictionary<string, int>();
            void Find(string key, string[] aliases)
            {
                for (var c = 0; c < cells.Count; c++)
                    if (aliases.Any(a => Matches(cells[c], a)) && !found.ContainsValue(c)) { found[key] = c; return; }
            }
            Find("booking", layout.Booking);
            Find("value", layout.Value);
            Find("ref", layout.Reference);
            Find("debit", layout.Debit);
            Find("credit", layout.Credit);
            Find("desc", layout.Description);
            Find("payer", layout.Payer);
            if (found.ContainsKey("booking") && found.ContainsKey("credit") && found.ContainsKey("debit") && found.ContainsKey("desc"))
                return (i, account, found);
        }
        return (-1, account, []);
    }

    private static bool Matches(string cell, string alias) =>
        cell == alias || cell.StartsWith(alias + " ", StringComparison.Ordinal) || cell.EndsWith(" " + alias, StringComparison.Ordinal)
        || cell.Contains(" " + alias + " ", StringComparison.Ordinal);

    /// <summary>
    /// Lower case, marks and đ folded, every run of other characters one space: "Mã Trường" → "ma truong" (the
    /// host's header matching folds the same way, so a layout reads as it did when the host held it).
    /// </summary>
    internal static string Fold(string text)
    {
        var decomposed = text.Trim().ToLowerInvariant().Replace('đ', 'd').Normalize(NormalizationForm.FormD);
        var kept = decomposed.Where(c => CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            .Select(c => char.IsLetterOrDigit(c) ? c : ' ').ToArray();
        return string.Join(' ', new string(kept).Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>Folded header text without footnote digits: "Số tiền ghi có¹/ Credit" → "so tien ghi co credit".</summary>
    private static string HeaderFold(string text) =>
        string.Join(' ', Fold(text).Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(w => !w.All(char.IsDigit)));

    private static readonly string[] DateFormats = ["dd/MM/yyyy", "d/M/yyyy", "dd/MM/yyyy HH:mm:ss", "dd/MM/yyyy HH:mm", "yyyy-MM-dd"];

    private static DateOnly? Date(string text)
    {
        var t = text.Trim();
        if (t.Length == 0) return null;
        if (DateTime.TryParseExact(t, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return DateOnly.FromDateTime(d);
        // Excel serial day numbers (1900 system).
        if (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var serial) && serial is > 30000 and < 80000)
            return DateOnly.FromDateTime(DateTime.FromOADate(serial));
        return null;
    }

    /// <summary>"1.000.000", "1,000,000", "1.368.053,00", "1000000"; blank or 0 means no amount on that side.</summary>
    private static string? Amount(string text, string file, int line, string side)
    {
        var t = text.Replace(" ", "", StringComparison.Ordinal);
        if (t.Length == 0 || t is "0" or "-") return null;
        string? normal = null;
        if (DotThousands().IsMatch(t)) normal = StatementAmounts.Normalise(t.Replace(".", "", StringComparison.Ordinal), ',');
        else if (CommaThousands().IsMatch(t)) normal = StatementAmounts.Normalise(t.Replace(",", "", StringComparison.Ordinal), '.');
        else if (Plain().IsMatch(t)) normal = StatementAmounts.Normalise(t.Replace(',', '.'), '.');
        if (normal is null) throw new StatementFormatException(file, line, side, $"\"{text}\" is not an amount.", $"\"{text}\" không phải số tiền.");
        return normal == "0" ? null : normal;
    }

    [GeneratedRegex(@"^\d{1,3}(\.\d{3})+(,\d+)?$")]
    private static partial Regex DotThousands();

    [GeneratedRegex(@"^\d{1,3}(,\d{3})+(\.\d+)?$")]
    private static partial Regex CommaThousands();

    [GeneratedRegex(@"^\d+([.,]\d+)?$")]
    private static partial Regex Plain();
}
