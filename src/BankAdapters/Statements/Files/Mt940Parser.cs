using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace TdmEdu.Fees.BankAdapters.Statements.Files;

/// <summary>
/// SWIFT MT940: one or more statements per file (each from :20:), :61: lines with C, D, RC (reversal of a
/// credit, so a debit) and RD (a credit), bank references after //, :86: texts that wrap over several lines
/// (joined without a separator: banks cut at a fixed width, often inside a word or a code). Files as banks send them:
/// a preamble before the first field or text between statements is skipped, a field this reader does not use is
/// skipped with its continuation lines, and day 30 or 31 of a shorter month is read as its last day; each is noted
/// per line (<see cref="ParseNote"/>). Amounts, signs and currencies are never guessed.
/// </summary>
public static partial class Mt940Parser
{
    [GeneratedRegex(@"^(?<vd>\d{6})(?<ed>\d{4})?(?<mark>RC|RD|C|D)(?<funds>[A-Z])?(?<amt>\d+(?:,\d*)?)(?<type>[A-Z][A-Z0-9 ]{3})(?<cref>.*?)(?://(?<bref>.+))?$")]
    private static partial Regex StatementLine();

    [GeneratedRegex(@"^(?<mark>C|D)(?<date>\d{6})(?<ccy>[A-Z]{3})(?<amt>\d+,\d*)$")]
    private static partial Regex Balance();

    /// <summary>
    /// A file is MT940 when a line (after any SWIFT envelope) opens with a field this reader knows; a single field
    /// sent alone (a balance, an account) is MT940 too, holding no lines.
    /// </summary>
    public static bool LooksLike(string head) => FieldAtLineStart().Matches(head).Any(m => Known.Contains(m.Groups["tag"].Value));

    [GeneratedRegex(@"(?:^|\n|\{4:)\s*:(?<tag>[0-9]{2}[A-Z]?|NS):", RegexOptions.Multiline)]
    private static partial Regex FieldAtLineStart();

    /// <summary>The fields this reader knows (read, or passed over on purpose); any other is noted and skipped with its continuation lines.</summary>
    private static readonly HashSet<string> Known = ["20", "25", "28C", "60F", "60M", "62F", "62M", "61", "86", "64", "65", "21", "28", "13D", "34F", "90C", "90D", "NS"];

    /// <summary>
    /// The lines of an MT940 file. <paramref name="maxFields"/> bounds the fields kept in memory (a file of nothing but tiny
    /// fields is refused before it fills the memory), and <paramref name="ct"/> is looked at as the reader goes, so a file
    /// is read within its time or not at all.
    /// </summary>
    public static IReadOnlyList<ParsedLine> Parse(string text, string fileName, List<StatementBalance>? balances = null, List<ParseNote>? notes = null,
        int maxFields = int.MaxValue, CancellationToken ct = default)
    {
        notes ??= [];
        var result = new List<ParsedLine>();
        string? account = null, statementId = null, reference = null, currency = null;
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n');
        // Each field runs from its tag to the next tag (or block end); continuation lines belong to it.
        var fields = new List<(int Line, string Tag, StringBuilder Value, List<string> Parts)>();
        // Outside a statement: before the first field, and after a statement's end (-} or -) until the next field.
        var outside = true;
        var skipping = false;
        for (var i = 0; i < lines.Length; i++)
        {
            if ((i & 4095) == 0) ct.ThrowIfCancellationRequested();
            // ASCII control characters (a transmission's SOH and ETX around a message) are no text.
            var raw = lines[i].Any(Control) ? new string(lines[i].Where(c => !Control(c)).ToArray()) : lines[i];
            var l = raw.TrimEnd();
            // A field this reader knows, indented: still a field. Read as text it would hide a :61: inside a :86:.
            if (l.Length > 0 && char.IsWhiteSpace(l[0]) && l.TrimStart() is var lifted && IndentedTag(lifted) is { } indented)
            {
                notes.Add(new ParseNote(i + 1, $"the field :{indented}: is indented; read as a field.", $"trường :{indented}: bị thụt lề; vẫn đọc là một trường."));
                l = lifted;
            }
            if (l.StartsWith("{1:", StringComparison.Ordinal) || l.StartsWith("{2:", StringComparison.Ordinal) || l.StartsWith("{3:", StringComparison.Ordinal))
            {
                var four = l.IndexOf("{4:", StringComparison.Ordinal);
                if (four < 0) continue;
                l = l[(four + 3)..];
            }
            if (l.StartsWith("{4:", StringComparison.Ordinal)) l = l[3..];
            if (l is "-}" or "-" || l.StartsWith("-}", StringComparison.Ordinal)) { (outside, skipping) = (true, false); continue; }
            if (l.Length == 0) continue;
            if (l.StartsWith(':') && l.IndexOf(':', 1) is var close && close is >= 3 and <= 5 && l[1..close].All(char.IsAsciiLetterOrDigit))
            {
                var tag = l[1..close];
                outside = skipping = false;
                if (fields.Count >= maxFields)
                    throw new StatementFormatException(fileName, i + 1, null, $"the file holds more than {maxFields} fields; split it, or check that it is a statement.",
                        $"tệp có hơn {maxFields} trường; hãy chia nhỏ, hoặc kiểm tra đây có phải sao kê không.");
                fields.Add((i + 1, Known.TryGetValue(tag, out var known) ? known : tag, new StringBuilder(l[(close + 1)..]), [l[(close + 1)..]]));
            }
            else if (outside)
            {
                // A bank's preamble, or its text between two statements: skipped, noted once per stretch.
                if (!skipping)
                    notes.Add(new ParseNote(i + 1, $"\"{Cut(l)}\" is outside any statement (a bank's own heading); skipped.",
                        $"\"{Cut(l)}\" nằm ngoài sao kê (phần đầu riêng của ngân hàng); bỏ qua."));
                skipping = true;
            }
            else if (l.StartsWith(':'))
                throw new StatementFormatException(fileName, i + 1, null, $"\"{Cut(l)}\" is not a field tag like :61:.", $"\"{Cut(l)}\" không phải thẻ trường như :61:.");
            else if (fields.Count > 0 && !Known.Contains(fields[^1].Tag))
                fields[^1].Parts.Add(l);
            else if (fields.Count > 0 && fields[^1].Tag is not ("86" or "61" or "NS"))
                throw new StatementFormatException(fileName, i + 1, null, $"\"{Cut(l)}\" has no field tag, and :{fields[^1].Tag}: does not go on over several lines.",
                    $"\"{Cut(l)}\" không có thẻ trường, và trường :{fields[^1].Tag}: không được viết trên nhiều dòng.");
            else if (fields.Count > 0)
            {
                fields[^1].Value.Append(l);
                fields[^1].Parts.Add(l);
            }
        }
        if (fields.Count == 0) throw new StatementFormatException(fileName, null, null, "no MT940 fields (:20:, :25:, :61:) were found.", "không tìm thấy trường MT940 nào (:20:, :25:, :61:).");

        for (var f = 0; f < fields.Count; f++)
        {
            if ((f & 4095) == 0) ct.ThrowIfCancellationRequested();
            var (line, tag, value, parts) = fields[f];
            switch (tag)
            {
                case "20":
                    reference = value.ToString().Trim();
                    (account, statementId, currency) = (null, reference, null);
                    break;
                case "25":
                    account = value.ToString().Trim();
                    break;
                case "28C" or "28":
                    statementId = string.IsNullOrEmpty(reference) ? value.ToString().Trim() : $"{reference}/{value.ToString().Trim()}";
                    break;
                case "60F" or "60M":
                {
                    var m = Balance().Match(value.ToString().Trim());
                    if (!m.Success) throw new StatementFormatException(fileName, line, null, $"the opening balance :{tag}: \"{Cut(value.ToString())}\" is not C/D, yyMMdd, currency, amount.",
                        $"số dư đầu :{tag}: \"{Cut(value.ToString())}\" không theo dạng C/D, yyMMdd, loại tiền, số tiền.");
                    currency = m.Groups["ccy"].Value;
                    balances?.Add(new StatementBalance(statementId, line, Signed(m), null, BalanceDate(m), OpeningCurrency: m.Groups["ccy"].Value));
                    break;
                }
                case "62F" or "62M":
                {
                    var m = Balance().Match(value.ToString().Trim());
                    if (!m.Success) throw new StatementFormatException(fileName, line, null, $"the closing balance :{tag}: \"{Cut(value.ToString())}\" is not C/D, yyMMdd, currency, amount.",
                        $"số dư cuối :{tag}: \"{Cut(value.ToString())}\" không theo dạng C/D, yyMMdd, loại tiền, số tiền.");
                    if (balances is { Count: > 0 } && balances[^1].Closing is null && balances[^1].StatementId == statementId)
                        balances[^1] = balances[^1] with { Closing = Signed(m), ClosingDate = BalanceDate(m), ClosingCurrency = m.Groups["ccy"].Value };
                    else balances?.Add(new StatementBalance(statementId, line, null, Signed(m), null, BalanceDate(m), ClosingCurrency: m.Groups["ccy"].Value));
                    break;
                }
                case "61":
                {
                    if (account is null) throw new StatementFormatException(fileName, line, null, "a :61: line comes before the account (:25:).", "dòng :61: đứng trước số tài khoản (:25:).");
                    var first = parts[0].Trim();
                    var m = StatementLine().Match(first);
                    if (!m.Success)
                        throw new StatementFormatException(fileName, line, null, $"the :61: line \"{Cut(first)}\" does not read as date, mark (C, D, RC, RD), amount, type and reference.",
                            $"dòng :61: \"{Cut(first)}\" không đọc được theo dạng ngày, dấu (C, D, RC, RD), số tiền, loại và số tham chiếu.");
                    var valueDate = Yymmdd(m.Groups["vd"].Value, fileName, line, notes);
                    var booking = valueDate;
                    if (m.Groups["ed"].Success)
                    {
                        var md = m.Groups["ed"].Value;
                        if (!int.TryParse(md[..2], out var mo) || !int.TryParse(md[2..], out var d) || mo is < 1 or > 12 || d is < 1 or > 31)
                            throw new StatementFormatException(fileName, line, null, $"entry date \"{md}\" is not MMdd.", $"ngày hạch toán \"{md}\" không theo dạng MMdd.");
                        var year = valueDate.Year;
                        // An entry booked in late December for a value date in January belongs to the year before, and the reverse.
                        if (mo == 12 && valueDate.Month == 1) year--;
                        else if (mo == 1 && valueDate.Month == 12) year++;
                        booking = new DateOnly(year, mo, LastDayAtMost(year, mo, d, $"entry date \"{md}\"", $"ngày hạch toán \"{md}\"", line, notes));
                    }
                    var mark = m.Groups["mark"].Value;
                    var amount = StatementAmounts.Normalise(m.Groups["amt"].Value, ',')
                        ?? throw new StatementFormatException(fileName, line, null, $"amount \"{m.Groups["amt"].Value}\" is not a number.", $"số tiền \"{m.Groups["amt"].Value}\" không phải là số.");
                    var cref = m.Groups["cref"].Value.Trim();
                    var bref = m.Groups["bref"].Success ? m.Groups["bref"].Value.Trim() : null;
                    if (!m.Groups["amt"].Value.Contains(','))
                        notes.Add(new ParseNote(line, $"amount \"{m.Groups["amt"].Value}\" has no decimal comma; read as a whole amount.",
                            $"số tiền \"{m.Groups["amt"].Value}\" không có dấu phẩy thập phân; đọc là số tròn."));
                    // Some banks write one :86: field per line of text: every :86: right after the :61: is its text.
                    StringBuilder? said = null;
                    while (f + 1 < fields.Count && fields[f + 1].Tag == "86")
                    {
                        (said ??= new StringBuilder()).Append(fields[f + 1].Value);
                        f++;
                        if ((f & 4095) == 0) ct.ThrowIfCancellationRequested();
                    }
                    var content = said?.ToString().Trim() is { Length: > 0 } c ? c : null;
                    result.Add(new ParsedLine(line, account, statementId, bref ?? NullIfNone(cref), NullIfNone(cref), booking, valueDate,
                        mark is "C" or "RD" ? "credit" : "debit", mark.StartsWith('R'), amount, currency, m.Groups["type"].Value.TrimEnd(),
                        content, null, null));
                    break;
                }
                case var known when Known.Contains(known):
                    // Read with the :61: before it, or not needed (available balances, counts, the bank's own notes).
                    break;
                default:
                    // A field of the bank's own, or of another message type: kept aside with its continuation lines.
                    notes.Add(new ParseNote(line, $"field :{tag}: is not one this reader uses; skipped with its {parts.Count} line(s).",
                        $"trường :{tag}: không được dùng; bỏ qua cùng {parts.Count} dòng của nó."));
                    break;
            }
        }
        return result;
    }

    private static string? Signed(Match m)
    {
        var amount = StatementAmounts.Normalise(m.Groups["amt"].Value, ',');
        return amount is null ? null : m.Groups["mark"].Value == "D" && amount != "0" ? "-" + amount : amount;
    }

    /// <summary>The balance's own date (yyMMdd); null when it is no day of the calendar, as the balance is then only chained, never dated.</summary>
    private static DateOnly? BalanceDate(Match m) =>
        DateOnly.TryParseExact("20" + m.Groups["date"].Value, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    private static string? NullIfNone(string s) => s.Length == 0 || s == "NONREF" ? null : s;

    private static DateOnly Yymmdd(string text, string file, int line, List<ParseNote> notes)
    {
        if (DateOnly.TryParseExact("20" + text, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return d;
        // Some banks write 30 February on purpose (a month's interest booked on its "30th"): the month's last day, noted.
        if (text.Length == 6 && text.All(char.IsAsciiDigit) && int.Parse(text[2..4], CultureInfo.InvariantCulture) is var mo and >= 1 and <= 12
            && int.Parse(text[4..], CultureInfo.InvariantCulture) is var day and >= 29 and <= 31)
        {
            var year = 2000 + int.Parse(text[..2], CultureInfo.InvariantCulture);
            return new DateOnly(year, mo, LastDayAtMost(year, mo, day, $"value date \"{text}\"", $"ngày giá trị \"{text}\"", line, notes));
        }
        throw new StatementFormatException(file, line, null, $"value date \"{text}\" is not yyMMdd.", $"ngày giá trị \"{text}\" không theo dạng yyMMdd.");
    }

    /// <summary>The day, or the month's last when the month is shorter (noted).</summary>
    private static int LastDayAtMost(int year, int month, int day, string what, string whatVi, int line, List<ParseNote> notes)
    {
        var last = DateTime.DaysInMonth(year, month);
        if (day <= last) return day;
        notes.Add(new ParseNote(line, $"{what} is day {day} of a month of {last} days; read as {last:D2}/{month:D2}/{year}, the month's last day.",
            $"{whatVi} là ngày {day} của tháng chỉ có {last} ngày; đọc là {last:D2}/{month:D2}/{year}, ngày cuối tháng."));
        return last;
    }

    /// <summary>The tag of a known field that opens <paramref name="line"/>, or null.</summary>
    private static string? IndentedTag(string line) =>
        line.StartsWith(':') && line.IndexOf(':', 1) is var close and >= 3 and <= 5 && Known.Contains(line[1..close]) ? line[1..close] : null;

    private static bool Control(char c) => c is < ' ' and not '\t' or '\x7f';

    private static string Cut(string s) => s.Length > 40 ? s[..40] + "…" : s;
}
