namespace TdmEdu.Fees.BankAdapters.Statements.Files;

/// <summary>What the words of an export say to a column map: directions, account labels and columns, a first guess of the columns, column letters.</summary>
public static partial class ColumnMaps
{
    // What a direction cell says, folded. "Có"/"Nợ" fold to "co"/"no".
    private static readonly HashSet<string> In = ["c", "cr", "credit", "co", "ghi co", "tien vao", "vao", "nhan", "thu", "in", "incoming", "receipt"];
    private static readonly HashSet<string> Out = ["d", "dr", "debit", "no", "ghi no", "tien ra", "ra", "chi", "out", "outgoing", "payment"];

    // A table column that holds each line's own account number, folded.
    private static readonly HashSet<string> AccountColumns = ["so tai khoan", "so tk", "stk", "tai khoan", "account number", "account no", "account"];

    // What names an account in a block above a table, folded; and what names something else about it.
    private static readonly string[] AccountLabels = ["so tai khoan", "tai khoan", "so tk", "stk", "tk", "account number", "account no", "account", "acc no", "a c no", "a c"];
    private static readonly HashSet<string> NotTheAccount = ["ten", "chu", "loai", "cu", "name", "type", "old", "holder", "currency"];

    /// <summary>
    /// The account number a row of a header block names: a cell saying "Số tài khoản", "Tài khoản", "STK", "Account
    /// No." and so on (not its name, type or an old number), with the number (6 digits or more) in the same cell or
    /// the next cells. Null when the row names none.
    /// </summary>
    public static string? AccountNamed(IReadOnlyList<string> cells)
    {
        for (var c = 0; c < cells.Count; c++)
        {
            var words = BankExcelLayouts.Fold(cells[c]).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var folded = string.Join(' ', words.TakeWhile(w => !w.Any(char.IsAsciiDigit)));
            if (folded.Length == 0 || words.Any(NotTheAccount.Contains)
                || !AccountLabels.Any(l => folded == l || folded.StartsWith(l + " ", StringComparison.Ordinal))) continue;
            foreach (var text in cells.Skip(c))
                if (System.Text.RegularExpressions.Regex.Match(text, @"\d{6,}") is { Success: true } m) return m.Value;
        }
        return null;
    }

    /// <summary>"credit" or "debit" by what a direction cell says; null when it says neither.</summary>
    public static string? DirectionOf(string text)
    {
        var t = text.Trim();
        if (t == "+") return "credit";
        if (t is "-" or "\u2212") return "debit";
        var f = BankExcelLayouts.Fold(t);
        return In.Contains(f) ? "credit" : Out.Contains(f) ? "debit" : null;
    }

    /// <summary>
    /// A first guess for a sheet never mapped: the header row (the first of the first rows with the most named cells) and
    /// the columns whose names say date, amount, description, reference; the accountant checks and changes it.
    /// </summary>
    public static (int Index, int? Date, int? Amount, int? Debit, int? Description, int? Reference, int? Account) Guess(IReadOnlyList<(int Line, IReadOnlyList<string> Cells)> rows)
    {
        var best = -1;
        var most = 0;
        for (var i = 0; i < Math.Min(rows.Count, 30); i++)
        {
            var named = rows[i].Cells.Count(c => c.Trim().Length > 0 && !c.Any(char.IsAsciiDigit));
            if (named > most) (best, most) = (i, named);
        }
        if (best < 0) return (-1, null, null, null, null, null, null);
        var folded = rows[best].Cells.Select(BankExcelLayouts.HeaderFold).ToList();
        int? First(params string[] words)
        {
            for (var c = 0; c < folded.Count; c++)
                if (words.Any(w => folded[c] == w || folded[c].StartsWith(w + " ", StringComparison.Ordinal) || folded[c].Contains(" " + w, StringComparison.Ordinal)))
                    return c;
            return null;
        }
        return (best, First("ngay", "date", "thoi gian"), First("ghi co", "so tien co", "credit", "tien vao", "so tien", "amount"),
            First("ghi no", "so tien no", "debit", "tien ra"), First("noi dung", "dien giai", "mo ta", "description", "narrative", "details"),
            First("so tham chieu", "ma giao dich", "ma gd", "so ct", "so chung tu", "reference", "ref", "transaction id"),
            First("so tai khoan", "account number", "account no"));
    }

    /// <summary>A column's letter as a spreadsheet names it: 0 → A, 26 → AA.</summary>
    public static string Letter(int index)
    {
        if (index < 0) return "?";
        var s = "";
        // In long: a forged index of int.MaxValue is named, not an overflow (found by attack: the page answered 500).
        for (var n = index + 1L; n > 0; n = (n - 1) / 26) s = (char)('A' + (n - 1) % 26) + s;
        return s;
    }
}
