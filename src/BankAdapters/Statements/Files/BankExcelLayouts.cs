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
        new("vcb-xlsx", ["ngay giao dich", "ngay gd", "ngay hach toan"], ["ngay hieu luc", "effective date"], ["so tham chieu", "so ct", "doc no", "ma giao dich"],
            ["so tien ghi no", "debit", "phat sinh no", "so tien no"], ["so tien ghi co", "credit", "phat sinh co", "so tien co"],
            ["noi dung chi tiet", "transactions in detail", "mo ta", "noi dung", "dien giai"], [],
            ["so du dau ky", "so du cuoi ky", "tong so", "opening balance", "closing balance", "total", "tong cong", "cong phat sinh"]),
        new("bidv-xlsx", ["ngay giao dich", "ngay hieu luc", "ngay hach toan"], ["ngay hieu luc"], ["so chung tu", "so tham chieu", "so giao dich"],
            ["ghi no", "phat sinh no", "so tien no"], ["ghi co", "phat sinh co", "so tien co"], ["mo ta", "dien giai", "noi dung"], [],
            ["du dau", "du cuoi", "so tai khoan cu", "old account", "tong", "tong cong", "cong phat sinh"]),
        new("msb-xlsx", ["ngay giao dich", "transaction date", "ngay hach toan"], [], ["so but toan", "reference no", "so giao dich"],
            ["no", "debit", "phat sinh no"], ["co", "credit", "phat sinh co"], ["dien giai", "transaction description", "noi dung"], ["nguoi huong nguoi chuyen", "payee payer"],
            ["so du dau ky", "tong phat sinh", "so du cuoi ky", "thong tin nay duoc in", "printed on", "tong cong", "cong phat sinh"]),
    ];

    /// <summary>Whether the sheet has the table header of that layout in its first 80 rows.</summary>
    public static bool HasHeader(IReadOnlyList<(int Line, IReadOnlyList<string> Cells)> rows, string format) =>
        Of(format) is { } layout && FindHeader(rows, layout).Index >= 0;

    /// <summary>The layout of that format name, if it is one of the Excel layouts.</summary>
    public static ExcelLayout? Of(string format) => All.FirstOrDefault(l => l.Format == format);

    /// <summary>The statement lines of a sheet's rows, in the given layout; a refusal names file, line and column.</summary>
    public static IReadOnlyList<ParsedLine> Parse(IReadOnlyList<(int Line, IReadOnlyList<string> Cells)> rows, string name, string format, List<ParseNote>? notes = null)
    {
        notes ??= [];
        var layout = All.Single(l => l.Format == format);
        var (headerIndex, account, cols) = FindHeader(rows, layout);
        if (headerIndex < 0)
            throw new StatementFormatException(name, null, null, $"no table header of the {format} layout (date, debit, credit, description) in the first 80 rows; is this a statement of that bank?",
                $"không thấy dòng tiêu đề của mẫu {format} (ngày, ghi nợ, ghi có, nội dung) trong 80 dòng đầu; đây có phải sao kê của ngân hàng đó không?");

        var result = new List<ParsedLine>();
        // A header of two rows (a merged "Số tiền" over "Ghi nợ | Ghi có") ends one row later.
        var first = headerIndex + (cols.Remove(StackedKey) ? 2 : 1);
        DateOnly? above = null;
        var aboveLine = 0;
        for (var i = first; i < rows.Count; i++)
        {
            var (line, cells) = rows[i];
            string Cell(string key) => cols.TryGetValue(key, out var c) && c < cells.Count ? cells[c].Trim() : "";
            if (cells.All(string.IsNullOrWhiteSpace)) continue;
            var dateText = Cell("booking");
            // Balances, totals and the bank's footer, by a label in one of their cells: the whole cell, or its first words when
            // the label has several ("Tổng số/Total"). Never a row with a date. A one-word label is a whole cell only, so a payer
            // "Tống Văn An" (wherever the columns put the name) is no total "Tổng".
            if (Date(dateText) is null && cells.Select(HeaderFold).FirstOrDefault(f => layout.DropRows.Any(d => Label(f, d))) is { } label)
            {
                if (!string.IsNullOrWhiteSpace(Cell("debit")) || !string.IsNullOrWhiteSpace(Cell("credit")))
                    notes.Add(new ParseNote(line, $"a total or balance (\"{label}\"); skipped.", $"dòng tổng hoặc số dư (\"{label}\"); bỏ qua."));
                continue;
            }
            var debit = Amount(Cell("debit"), name, line, "debit");
            var credit = Amount(Cell("credit"), name, line, "credit");
            DateOnly booking;
            if (dateText.Length > 0)
            {
                booking = Date(dateText) ?? throw new StatementFormatException(name, line, "booking date", $"\"{dateText}\" is not a date (dd/MM/yyyy).", $"\"{dateText}\" không phải ngày (dd/MM/yyyy).");
                (above, aboveLine) = (booking, line);
            }
            else if (debit is null && credit is null) continue; // a description that runs on, or a footer without amounts
            else if (Cell("desc").Length == 0 && Cell("ref").Length == 0)
            {
                // Amounts with no date, text or reference: a total under a name we do not know. Never read as money.
                notes.Add(new ParseNote(line, "amounts with no date, description or reference (a total); skipped.", "có số tiền nhưng không có ngày, nội dung hay số tham chiếu (dòng tổng); bỏ qua."));
                continue;
            }
            else if (above is { } day && aboveLine == PreviousLine(rows, i))
            {
                // A date cell merged down over the day's transactions: only its first row holds the date.
                booking = day;
                notes.Add(new ParseNote(line, $"no date; the date of line {aboveLine} above is used (a merged cell).", $"không có ngày; dùng ngày của dòng {aboveLine} ngay trên (ô gộp)."));
                aboveLine = line;
            }
            else
                throw new StatementFormatException(name, line, "booking date", "a line with an amount has no date, and the line above gives none.",
                    "dòng có số tiền nhưng không có ngày, và dòng ngay trên cũng không có.");
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

    /// <summary>The line of the row before row i that is not blank (0 if none).</summary>
    private static int PreviousLine(IReadOnlyList<(int Line, IReadOnlyList<string> Cells)> rows, int i)
    {
        for (var j = i - 1; j >= 0; j--)
            if (rows[j].Cells.Any(c => c.Trim().Length > 0)) return rows[j].Line;
        return 0;
    }

    /// <summary>Marks, among the columns found, a header of two rows.</summary>
    private const string StackedKey = "(stacked)";

    /// <summary>
    /// A header of two rows read as one: each column's upper and lower text together, and an upper cell merged across
    /// several columns (its text in the first only) carried over the columns under it: "Số tiền" over "Ghi nợ | Ghi có"
    /// reads "số tiền ghi nợ | số tiền ghi có".
    /// </summary>
    private static List<string> Stacked(IReadOnlyList<string> upper, IReadOnlyList<string> lower)
    {
        var width = Math.Max(upper.Count, lower.Count);
        var result = new List<string>(width);
        var carried = "";
        for (var c = 0; c < width; c++)
        {
            var u = c < upper.Count ? upper[c].Trim() : "";
            var l = c < lower.Count ? lower[c].Trim() : "";
            if (u.Length > 0) carried = u;
            else if (l.Length == 0) carried = "";
            result.Add($"{(u.Length > 0 ? u : l.Length > 0 ? carried : "")} {l}".Trim());
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
            if (Columns(raw.Select(HeaderFold).ToList(), layout) is { } single) return (i, account ?? AccountIn(raw), single);
            // The labels the column map knows too ("Tài khoản:", "STK:", "Account No.:", the number in the label's cell):
            // an export of another account named so was taken as the chosen account's (found by attack on the column map).
            account ??= AccountIn(raw) ?? ColumnMaps.AccountNamed(raw);
            if (i + 1 < Math.Min(rows.Count, 80) && Columns(Stacked(raw, rows[i + 1].Cells).Select(HeaderFold).ToList(), layout) is { } stacked)
            {
                stacked[StackedKey] = -1;
                return (i, account, stacked);
            }
        }
        return (-1, account, []);
    }

    internal static string? AccountIn(IReadOnlyList<string> raw)
    {
        var cells = raw.Select(HeaderFold).ToList();
        var acc = cells.FindIndex(c => c.StartsWith("so tai khoan", StringComparison.Ordinal) || c == "account number" || c.StartsWith("so tk", StringComparison.Ordinal));
        return acc >= 0 && !cells[acc].Contains("cu", StringComparison.Ordinal)
            ? raw.Skip(acc + 1).Select(c => c.Trim()).FirstOrDefault(c => c.Any(char.IsAsciiDigit))?.Replace(" ", "", StringComparison.Ordinal)
            : null;
    }

    /// <summary>The layout's columns in one header row's folded cells, or null when date, debit, credit or description is missing.</summary>
    private static Dictionary<string, int>? Columns(List<string> cells, ExcelLayout layout)
    {
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
        return found.ContainsKey("booking") && found.ContainsKey("credit") && found.ContainsKey("debit") && found.ContainsKey("desc") ? found : null;
    }

    internal static bool Label(string cell, string label) =>
        cell == label || label.Contains(' ', StringComparison.Ordinal) && cell.StartsWith(label + " ", StringComparison.Ordinal);

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
    internal static string HeaderFold(string text) =>
        string.Join(' ', Fold(text).Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(w => !w.All(char.IsDigit)));

    private static readonly string[] DateFormats = ["dd/MM/yyyy", "d/M/yyyy", "dd/MM/yyyy HH:mm:ss", "dd/MM/yyyy HH:mm", "d/M/yyyy HH:mm:ss", "yyyy-MM-dd",
        "dd-MM-yyyy", "dd-MM-yyyy HH:mm:ss", "dd.MM.yyyy", "yyyy-MM-dd HH:mm:ss"];

    // The same written month first, for an export that says so (a column map's choice).
    private static readonly string[] MonthFirstFormats = ["MM/dd/yyyy", "M/d/yyyy", "MM/dd/yyyy HH:mm:ss", "MM/dd/yyyy HH:mm", "M/d/yyyy HH:mm:ss", "yyyy-MM-dd",
        "MM-dd-yyyy", "MM-dd-yyyy HH:mm:ss", "yyyy-MM-dd HH:mm:ss"];

    internal static DateOnly? Date(string text, bool monthFirst = false)
    {
        var t = text.Trim();
        if (t.Length == 0) return null;
        if (DateTime.TryParseExact(t, monthFirst ? MonthFirstFormats : DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return DateOnly.FromDateTime(d);
        // Excel serial day numbers (1900 system).
        if (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var serial) && serial is > 30000 and < 80000)
            return DateOnly.FromDateTime(DateTime.FromOADate(serial));
        return null;
    }

    /// <summary>"1.000.000", "1,000,000", "1.368.053,00", "1000000"; blank or 0 means no amount on that side.</summary>
    internal static string? Amount(string text, string file, int line, string side)
    {
        // "1.000.000 VND", "1.000.000đ": the currency written after the amount is the account's own (VND).
        var t = Currency().Replace(text.Replace(" ", "", StringComparison.Ordinal).Replace("\u00a0", "", StringComparison.Ordinal), "");
        if (t.Length == 0 || t is "0" or "-") return null;
        string? normal = null;
        if (DotThousands().IsMatch(t)) normal = StatementAmounts.Normalise(t.Replace(".", "", StringComparison.Ordinal), ',');
        else if (CommaThousands().IsMatch(t)) normal = StatementAmounts.Normalise(t.Replace(",", "", StringComparison.Ordinal), '.');
        else if (Plain().IsMatch(t)) normal = StatementAmounts.Normalise(t.Replace(',', '.'), '.');
        if (normal is null) throw new StatementFormatException(file, line, side, $"\"{text}\" is not an amount.", $"\"{text}\" không phải số tiền.");
        return normal == "0" ? null : normal;
    }

    [GeneratedRegex(@"(?i)(vnd|vnđ|đ)$")]
    private static partial Regex Currency();

    [GeneratedRegex(@"^\d{1,3}(\.\d{3})+(,\d+)?$")]
    private static partial Regex DotThousands();

    [GeneratedRegex(@"^\d{1,3}(,\d{3})+(\.\d+)?$")]
    private static partial Regex CommaThousands();

    [GeneratedRegex(@"^\d+([.,]\d+)?$")]
    private static partial Regex Plain();
}
