namespace TdmEdu.Fees.BankAdapters.Statements.Files;

/// <summary>
/// Reads a sheet's rows by a <see cref="ColumnMap"/>: the header row is the first of the first 80 rows that has every
/// mapped column; the lines are the rows under it with an amount. A row with an amount and no date is a total or
/// balance when one of its cells says so (skipped, with a note), else refused naming the line and the column; a
/// direction cell that says neither in nor out is refused. Nothing is guessed about money.
/// </summary>
public static partial class ColumnMaps
{
    public const string BySign = "sign";
    public const string ByColumn = "column";
    public const string BySplit = "split";

    /// <summary>The ways a direction is told, in the order the page offers them.</summary>
    public static readonly IReadOnlyList<string> Directions = [BySplit, BySign, ByColumn];

    /// <summary>How many of a sheet's first rows are searched for its header (as the bank layouts are).</summary>
    public const int HeaderRows = 80;

    // A row's label that makes it a total or a balance: every bank layout's, and the plain words.
    private static readonly string[] Totals = BankExcelLayouts.All.SelectMany(l => l.DropRows)
        .Concat(["so du", "balance", "tong", "tong cong", "total", "subtotal", "cong"]).Distinct().ToArray();

    /// <summary>Why a map cannot be used (English, Vietnamese), or null when it can.</summary>
    public static (string En, string Vi)? Check(ColumnMap map)
    {
        var used = new List<HeaderRef?> { map.Date, map.Amount, map.Description, map.Reference, map.AccountColumn };
        if (map.Direction == ByColumn)
        {
            if (map.DirectionColumn is null) return ("the direction is said by a column: choose that column.", "chiều giao dịch ghi ở một cột: hãy chọn cột đó.");
            used.Add(map.DirectionColumn);
        }
        else if (map.Direction == BySplit)
        {
            if (map.Debit is null) return ("money in and money out are in two columns: choose the money-out column too.", "tiền vào và tiền ra ở hai cột: hãy chọn cả cột tiền ra.");
            used.Add(map.Debit);
        }
        else if (map.Direction != BySign) return ($"\"{map.Direction}\" is not a way of telling the direction.", $"\"{map.Direction}\" không phải cách ghi chiều giao dịch.");
        var given = used.OfType<HeaderRef>().ToList();
        if (given.Any(r => string.IsNullOrWhiteSpace(r.Header) || r.Occurrence < 0))
            return ("a chosen column has no header text; choose the row of column names as the header row.", "có cột được chọn không có tên cột; hãy chọn dòng tên cột làm dòng tiêu đề.");
        if (given.Distinct().Count() != given.Count) return ("each field needs a column of its own; one column was chosen twice.", "mỗi mục cần một cột riêng; có cột được chọn hai lần.");
        return null;
    }

    /// <summary>
    /// A map from a header row's cells and the chosen column indexes (0-based); refused in words when a column is out of
    /// the row, has no header text, or serves two fields.
    /// </summary>
    public static ColumnMap Build(string file, int headerLine, IReadOnlyList<string> header, int date, int amount, string direction, int? directionColumn, int? debit,
        int description, int? reference, bool monthFirst, int? account = null)
    {
        var folded = header.Select(BankExcelLayouts.HeaderFold).ToList();
        HeaderRef Ref(int index, string field, string fieldVi)
        {
            // The field is named in the reason, in each language, not as a column of the file (found by attack: "cột date" on a Vietnamese page).
            if (index < 0 || index >= folded.Count || folded[index].Length == 0)
                throw new StatementFormatException(file, headerLine, null, $"column {Letter(index)}, chosen for the {field}, has no name in the header row; choose a column that has one.",
                    $"cột {Letter(index)}, chọn cho {fieldVi}, không có tên ở dòng tiêu đề; hãy chọn cột có tên.");
            return new HeaderRef(folded[index], folded.Take(index).Count(f => f == folded[index]));
        }
        HeaderRef? Optional(int? index, string field, string fieldVi) => index is { } i ? Ref(i, field, fieldVi) : null;
        var map = new ColumnMap(Ref(date, "date", "ngày giao dịch"), Ref(amount, "amount", "số tiền"), direction,
            direction == ByColumn ? Optional(directionColumn, "direction", "chiều giao dịch") : null, direction == BySplit ? Optional(debit, "money out", "tiền ra") : null,
            Ref(description, "description", "nội dung"), Optional(reference, "reference", "số tham chiếu"), monthFirst, Optional(account, "account", "số tài khoản"));
        if (Check(map) is { } why) throw new StatementFormatException(file, headerLine, null, why.En, why.Vi);
        return map;
    }

    /// <summary>The header row (index into rows, -1 if none) and each mapped field's column index.</summary>
    public static (int Index, Dictionary<string, int> Columns) Locate(IReadOnlyList<(int Line, IReadOnlyList<string> Cells)> rows, ColumnMap map)
    {
        for (var i = 0; i < Math.Min(rows.Count, HeaderRows); i++)
        {
            var folded = rows[i].Cells.Select(BankExcelLayouts.HeaderFold).ToList();
            int Find(HeaderRef r)
            {
                var seen = 0;
                for (var c = 0; c < folded.Count; c++)
                    if (folded[c] == r.Header && seen++ == r.Occurrence) return c;
                return -1;
            }
            var found = new Dictionary<string, int>();
            foreach (var (key, r) in Fields(map))
                if (Find(r) is var c && c >= 0) found[key] = c;
            if (found.Count == Fields(map).Count()) return (i, found);
        }
        return (-1, []);
    }

    private static IEnumerable<(string Key, HeaderRef Ref)> Fields(ColumnMap map)
    {
        yield return ("date", map.Date);
        yield return ("amount", map.Amount);
        yield return ("desc", map.Description);
        if (map.Reference is { } r) yield return ("ref", r);
        if (map.Direction == ByColumn && map.DirectionColumn is { } d) yield return ("dir", d);
        if (map.Direction == BySplit && map.Debit is { } o) yield return ("debit", o);
        if (map.AccountColumn is { } a) yield return ("acct", a);
    }

    /// <summary>The statement lines of a sheet read by the map; a refusal names the file, the line and the column.</summary>
    public static IReadOnlyList<ParsedLine> Parse(IReadOnlyList<(int Line, IReadOnlyList<string> Cells)> rows, string name, ColumnMap map, List<ParseNote>? notes = null)
    {
        notes ??= [];
        if (Check(map) is { } why) throw new StatementFormatException(name, null, null, why.En, why.Vi);
        var (index, cols) = Locate(rows, map);
        if (index < 0)
            throw new StatementFormatException(name, null, null,
                $"the columns saved for this account ({string.Join(", ", Fields(map).Select(f => f.Ref.Header))}) are not in the first {HeaderRows} rows; map this file's columns again.",
                $"các cột đã lưu cho tài khoản này ({string.Join(", ", Fields(map).Select(f => f.Ref.Header))}) không có trong {HeaderRows} dòng đầu; hãy ghép lại cột cho tệp này.")
            { ColumnsUnknown = true };
        // The block above the header may name the account, in any of the ways exports write it; the importer refuses a
        // file of another account (found by attack: "Tài khoản:", "STK:", "Account No.:" named none, and another
        // account's money paid a notice).
        string? account = null;
        for (var i = 0; i < index && account is null; i++) account = AccountNamed(rows[i].Cells);
        var header = rows[index].Cells;
        string Named(string key) => header[cols[key]].Trim();
        // A column of account numbers is read as one even when the map leaves it out: an export of several accounts
        // is never taken whole as the chosen account's (found by attack).
        if (!cols.ContainsKey("acct") && header.Select(BankExcelLayouts.HeaderFold).ToList().FindIndex(f => AccountColumns.Contains(f)) is var a && a >= 0
            && !cols.ContainsValue(a))
            cols["acct"] = a;

        var result = new List<ParsedLine>();
        for (var i = index + 1; i < rows.Count; i++)
        {
            var (line, cells) = rows[i];
            if (cells.All(string.IsNullOrWhiteSpace)) continue;
            string Cell(string key) => cols.TryGetValue(key, out var c) && c < cells.Count ? cells[c].Trim() : "";
            var (amount, outgoing) = Money(Cell("amount"), name, line, Named("amount"));
            string? debit = null;
            if (map.Direction == BySplit) (debit, _) = Money(Cell("debit"), name, line, Named("debit"));
            var dateText = Cell("date");
            var dated = BankExcelLayouts.Date(dateText, map.MonthFirst);
            if (amount is null && debit is null)
            {
                // A description running on, a note, a footer; but a dated row with no amount where the map looks may be
                // money the map does not see (a debit column not mapped): said, never dropped in silence (found by attack).
                if (dated is not null)
                    notes.Add(new ParseNote(line, $"a dated row with no amount in the mapped column(s) (\"{Named("amount")}\"); skipped.",
                        $"dòng có ngày nhưng không có số tiền ở cột đã ghép (\"{Named("amount")}\"); bỏ qua."));
                continue;
            }
            // A total or balance written on a dated row (a closing balance on the last day): a cell that is exactly its label.
            if (dated is not null && cells.Select(BankExcelLayouts.HeaderFold).FirstOrDefault(f => Totals.Contains(f)) is { } stated)
            {
                notes.Add(new ParseNote(line, $"a total or balance (\"{stated}\"); skipped.", $"dòng tổng hoặc số dư (\"{stated}\"); bỏ qua."));
                continue;
            }
            if (dated is not { } booking)
            {
                if (cells.Select(BankExcelLayouts.HeaderFold).FirstOrDefault(f => Totals.Any(t => BankExcelLayouts.Label(f, t))) is { } label)
                {
                    notes.Add(new ParseNote(line, $"a total or balance (\"{label}\"); skipped.", $"dòng tổng hoặc số dư (\"{label}\"); bỏ qua."));
                    continue;
                }
                var form = map.MonthFirst ? "MM/dd/yyyy" : "dd/MM/yyyy";
                throw new StatementFormatException(name, line, Named("date"),
                    dateText.Length == 0 ? "a line with an amount has no date." : $"\"{dateText}\" is not a date ({form}).",
                    dateText.Length == 0 ? "dòng có số tiền nhưng không có ngày." : $"\"{dateText}\" không phải ngày ({form}).");
            }
            string direction;
            switch (map.Direction)
            {
                case BySplit:
                    if ((amount is null) == (debit is null))
                        throw new StatementFormatException(name, line, null, $"a line needs an amount in exactly one of \"{Named("amount")}\" and \"{Named("debit")}\".",
                            $"mỗi dòng cần số tiền ở đúng một trong hai cột \"{Named("amount")}\" và \"{Named("debit")}\".");
                    if (amount is not null && outgoing)
                        throw new StatementFormatException(name, line, Named("amount"), "money in cannot be negative.", "tiền vào không thể là số âm.");
                    direction = amount is null ? "debit" : "credit";
                    amount ??= debit;
                    break;
                case ByColumn:
                    var said = Cell("dir");
                    direction = DirectionOf(said) ?? throw new StatementFormatException(name, line, Named("dir"),
                        $"\"{said}\" says neither money in nor money out (C/D, Có/Nợ, Credit/Debit, +/-).",
                        $"\"{said}\" không cho biết tiền vào hay tiền ra (C/D, Có/Nợ, Credit/Debit, +/-).");
                    if (outgoing && direction == "credit")
                        throw new StatementFormatException(name, line, Named("amount"), "the amount is negative but the direction says money in.",
                            "số tiền âm nhưng cột chiều ghi là tiền vào.");
                    break;
                default:
                    direction = outgoing ? "debit" : "credit";
                    break;
            }
            var reference = Cell("ref");
            var content = Cell("desc");
            var lineAccount = Cell("acct").Replace(" ", "", StringComparison.Ordinal).Replace(".", "", StringComparison.Ordinal);
            result.Add(new ParsedLine(line, lineAccount.Length > 0 ? lineAccount : account, null, reference.Length == 0 ? null : reference, null, booking, null, direction, false, amount!, "VND", null,
                content, null, null));
        }
        return result;
    }

    /// <summary>An amount without its sign, and whether it was negative: "-1.000.000", "(1.000.000)", "1.000.000-", "+500.000".</summary>
    private static (string? Amount, bool Negative) Money(string text, string file, int line, string column)
    {
        var t = text.Replace(" ", "", StringComparison.Ordinal).Replace("\u00a0", "", StringComparison.Ordinal);
        var negative = false;
        if (t.Length > 1 && t[0] == '(' && t[^1] == ')') (t, negative) = (t[1..^1], true);
        else if (t.Length > 1 && t[0] is '-' or '\u2212') (t, negative) = (t[1..], true);
        else if (t.Length > 1 && t[^1] == '-') (t, negative) = (t[..^1], true);
        else if (t.Length > 1 && t[0] == '+') t = t[1..];
        return (BankExcelLayouts.Amount(t, file, line, column), negative);
    }
}
