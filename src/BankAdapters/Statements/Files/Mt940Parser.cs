using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace TdmEdu.Fees.BankAdapters.Statements.Files;

/// <summary>
/// SWIFT MT940: one or more statements per file (each from :20:), :61: lines with C, D, RC (reversal of a
/// credit, so a debit) and RD (a credit), bank references after //, :86: texts that wrap over several lines
/// (joined without a separator: banks cut at a fixed width, often inside a word or a code).
/// </summary>
public static partial class Mt940Parser
{
    [GeneratedRegex(@"^(?<vd>\d{6})(?<ed>\d{4})?(?<mark>RC|RD|C|D)(?<funds>[A-Z])?(?<amt>\d[\d]*,\d*)(?<type>[A-Z][A-Z0-9]{3})(?<cref>.*?)(?://(?<bref>.+))?$")]
    private static partial Regex StatementLine();

    [GeneratedRegex(@"^(?<mark>C|D)(?<date>\d{6})(?<ccy>[A-Z]{3})(?<amt>\d+,\d*)$")]
    private static partial Regex Balance();

    public static bool LooksLike(string head) => head.Contains(":20:", StringComparison.Ordinal) && head.Contains(":25:", StringComparison.Ordinal)
                                               || head.Contains(":61:", StringComparison.Ordinal);

    public static IReadOnlyList<ParsedLine> Parse(string text, string fileName, List<StatementBalance>? balances = null)
    {
        var result = new List<ParsedLine>();
        string? account = null, statementId = null, reference = null, currency = null;
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n');
        // Each field runs from its tag to the next tag (or block end); continuation lines belong to it.
        var fields = new List<(int Line, string Tag, StringBuilder Value, List<string> Parts)>();
        for (var i = 0; i < lines.Length; i++)
        {
            var raw = lines[i];
            var l = raw.TrimEnd();
            if (l.StartsWith("{1:", StringComparison.Ordinal) || l.StartsWith("{2:", StringComparison.Ordinal) || l.StartsWith("{3:", StringComparison.Ordinal))
            {
                var four = l.IndexOf("{4:", StringComparison.Ordinal);
                if (four < 0) continue;
                l = l[(four + 3)..];
            }
            if (l.StartsWith("{4:", StringComparison.Ordinal)) l = l[3..];
            if (l is "-}" or "-" || l.StartsWith("-}", StringComparison.Ordinal)) continue;
            if (l.Length == 0) continue;
            if (l.StartsWith(':'))
            {
                var close = l.IndexOf(':', 1);
                if (close < 3 || close > 5 || !l[1..close].All(char.IsAsciiLetterOrDigit))
                    throw new StatementFormatException(fileName, i + 1, null, $"\"{Cut(l)}\" is not a field tag like :61:.", $"\"{Cut(l)}\" không phải thẻ trường như :61:.");
                var tag = l[1..close];
                fields.Add((i + 1, tag, new StringBuilder(l[(close + 1)..]), [l[(close + 1)..]]));
            }
            else if (fields.Count > 0 && fields[^1].Tag is not ("86" or "61"))
                throw new StatementFormatException(fileName, i + 1, null, $"\"{Cut(l)}\" has no field tag, and :{fields[^1].Tag}: does not go on over several lines.",
                    $"\"{Cut(l)}\" không có thẻ trường, và trường :{fields[^1].Tag}: không được viết trên nhiều dòng.");
            else if (fields.Count > 0)
            {
                fields[^1].Value.Append(l);
                fields[^1].Parts.Add(l);
            }
            else throw new StatementFormatException(fileName, i + 1, null, "text before the first field tag.", "có chữ trước thẻ trường đầu tiên.");
        }
        if (fields.Count == 0) throw new StatementFormatException(fileName, null, null, "no MT940 fields (:20:, :25:, :61:) were found.", "không tìm thấy trường MT940 nào (:20:, :25:, :61:).");

        for (var f = 0; f < fields.Count; f++)
        {
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
                case "28C":
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
                    var valueDate = Yymmdd(m.Groups["vd"].Value, fileName, line);
                    var booking = valueDate;
                    if (m.Groups["ed"].Success)
                    {
                        var md = m.Groups["ed"].Value;
                        if (!int.TryParse(md[..2], out var mo) || !int.TryParse(md[2..], out var d) || mo is < 1 or > 12 || d < 1 || d > DateTime.DaysInMonth(valueDate.Year, mo))
                            throw new StatementFormatException(fileName, line, null, $"entry date \"{md}\" is not MMdd.", $"ngày hạch toán \"{md}\" không theo dạng MMdd.");
                        var year = valueDate.Year;
                        // An entry booked in late December for a value date in January belongs to the year before, and the reverse.
                        if (mo == 12 && valueDate.Month == 1) year--;
                        else if (mo == 1 && valueDate.Month == 12) year++;
                        booking = new DateOnly(year, mo, d);
                    }
                    var mark = m.Groups["mark"].Value;
                    var amount = StatementAmounts.Normalise(m.Groups["amt"].Value, ',')
                        ?? throw new StatementFormatException(fileName, line, null, $"amount \"{m.Groups["amt"].Value}\" is not a number.", $"số tiền \"{m.Groups["amt"].Value}\" không phải là số.");
                    var cref = m.Groups["cref"].Value.Trim();
                    var bref = m.Groups["bref"].Success ? m.Groups["bref"].Value.Trim() : null;
                    string? content = null;
                    if (f + 1 < fields.Count && fields[f + 1].Tag == "86")
                    {
                        content = fields[f + 1].Value.ToString();
                        f++;
                    }
                    result.Add(new ParsedLine(line, account, statementId, bref ?? NullIfNone(cref), NullIfNone(cref), booking, valueDate,
                        mark is "C" or "RD" ? "credit" : "debit", mark.StartsWith('R'), amount, currency, m.Groups["type"].Value,
                        content, null, null));
                    break;
                }
                case "86" or "64" or "65" or "21" or "28" or "13D" or "34F" or "90C" or "90D" or "NS":
                    break;
                default:
                    throw new StatementFormatException(fileName, line, null, $":{tag}: is not an MT940 field.", $":{tag}: không phải trường của MT940.");
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

    private static DateOnly Yymmdd(string text, string file, int line) =>
        DateOnly.TryParseExact("20" + text, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d : throw new StatementFormatException(file, line, null, $"value date \"{text}\" is not yyMMdd.", $"ngày giá trị \"{text}\" không theo dạng yyMMdd.");

    private static string Cut(string s) => s.Length > 40 ? s[..40] + "…" : s;
}
