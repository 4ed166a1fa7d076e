using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.BankAdapters.Bidv;
using TdmEdu.Fees.BankAdapters.Statements.Files;

namespace TdmEdu.Fees.Api.Files;

/// <summary>Reads any statement file the service knows into <see cref="ParsedLine"/>s; touches no database.</summary>
public static class StatementFiles
{
    public static readonly string[] Formats = ["auto", "camt053", "mt940", "bidv-fileout", "vcb-xlsx", "bidv-xlsx", "msb-xlsx"];


    /// <summary>
    /// The lines of a statement file, within <see cref="FileLimits.Statement"/>: its size before it is opened, its
    /// rows as they are read (spreadsheets) or its lines once parsed (camt.053, MT940), all within its time.
    /// </summary>
    public static IReadOnlyList<ParsedLine> Parse(string path, string format = "auto", List<StatementBalance>? balances = null, CancellationToken ct = default)
    {
        var name = Path.GetFileName(path);
        if (!File.Exists(path)) throw new BadInputException(name, null, null, "the file does not exist.");
        if (!Formats.Contains(format)) throw new BadInputException("--format", null, null, $"\"{format}\" is not one of {string.Join(", ", Formats)}.");
        var limits = FileLimits.Statement;
        limits.CheckSize(path);
        var lines = limits.Within(name, ct, token => Read(path, name, format, balances, token));
        if (lines.Count > limits.MaxRows) throw limits.TooManyEntries(name, lines.Count, "statement lines", "dòng sao kê");
        return lines;
    }

    private static IReadOnlyList<ParsedLine> Read(string path, string name, string format, List<StatementBalance>? balances, CancellationToken ct)
    {
        var ext = Path.GetExtension(path).ToLowerInvariant();
        // A spreadsheet is read once, for the layout and for the lines.
        var rows = format is "bidv-fileout" or "vcb-xlsx" or "bidv-xlsx" or "msb-xlsx" || format == "auto" && ext is ".xlsx" or ".csv"
            ? TabularFile.ReadAll(path, FileLimits.Statement, ct)
            : null;
        if (format == "auto") format = rows is null ? Detect(path, ct) : Detect(rows, name);
        try
        {
            switch (format)
            {
                case "camt053":
                {
                    using var stream = Open(path, ct);
                    return Camt053Parser.Parse(stream, name, balances);
                }
                case "mt940":
                {
                    using var reader = new StreamReader(Open(path, ct), Encoding.UTF8);
                    return Mt940Parser.Parse(reader.ReadToEnd(), name, balances);
                }
                case "bidv-fileout":
                {
                    var data = TabularFile.ToData(name, rows!);
                    var refund = name.Contains("refund", StringComparison.OrdinalIgnoreCase);
                    return BidvFileout.Parse(name, data.Header, data.Rows.Select(r => (r.Line, r.Cells)), refund)
                        .Select(r => new ParsedLine(r.Line, r.CreditAccount, null, r.BidvTransId, r.BillId, DateOnly.FromDateTime(r.Originated),
                            r.Paid is { } p ? DateOnly.FromDateTime(p) : null, r.Refund ? "debit" : "credit", r.Refund,
                            r.AmountVnd.ToString(System.Globalization.CultureInfo.InvariantCulture), r.Currency, "BIDV-" + (r.TransactionType ?? "01"),
                            $"{r.CustomerId} {r.BillId}", null, r.DebitAccount)).ToList();
                }
                default:
                    return BankExcelStatement.Parse(rows!, name, format);
            }
        }
        catch (StatementFormatException e)
        {
            throw new BadInputException([InputProblem.Whole(e.Message)]);
        }
        catch (BidvFileoutException e)
        {
            throw new BadInputException([InputProblem.Whole(e.Message)]);
        }
    }

    /// <summary>The file for a parser that takes no token: each read of it looks at the token (time, Ctrl-C) and counts its size.</summary>
    private static CancellableStream Open(string path, CancellationToken ct) => FileLimits.Statement.Open(path, ct);

    private static string Detect(IReadOnlyList<TabularRow> rows, string name)
    {
        var header = rows.FirstOrDefault(r => r.Cells.Any(c => c.Length > 0))?.Cells ?? [];
        if (string.Join('|', header.Select(HeaderMap.Fold)).Contains("id giao dich bidv", StringComparison.Ordinal)) return "bidv-fileout";
        var all = string.Join('|', rows.Take(80).SelectMany(r => r.Cells).Select(HeaderMap.Fold));
        if (all.Contains("ngan hang tmcp dau tu va phat trien", StringComparison.Ordinal) || all.Contains("bao cao chi tiet so du tai khoan", StringComparison.Ordinal)) return "bidv-xlsx";
        if (all.Contains("statement of account", StringComparison.Ordinal) || all.Contains("vietcombank", StringComparison.Ordinal)) return "vcb-xlsx";
        if (all.Contains("so but toan", StringComparison.Ordinal) || all.Contains("msb", StringComparison.Ordinal)) return "msb-xlsx";
        throw new BadInputException(name, null, null, "this spreadsheet is not a statement layout we know (VCB, BIDV, MSB, BIDV Fileout); give --format.");
    }

    private static string Detect(string path, CancellationToken ct)
    {
        var head = ReadHead(path, ct);
        if (head.TrimStart('\uFEFF', ' ', '\n', '\r', '\t').StartsWith('<') && Camt053Parser.LooksLike(head)) return "camt053";
        if (Mt940Parser.LooksLike(head)) return "mt940";
        throw new BadInputException(Path.GetFileName(path), null, null, "this is neither a camt.053 nor an MT940 statement nor a BIDV Fileout; give --format.");
    }

    private static string ReadHead(string path, CancellationToken ct)
    {
        using var reader = new StreamReader(Open(path, ct), Encoding.UTF8);
        var buffer = new char[4096];
        var n = reader.Read(buffer, 0, buffer.Length);
        return new string(buffer, 0, n);
    }

    /// <summary>One JSON object per line, keys as cli.md names them, null for what the file does not say.</summary>
    public static string ToJson(ParsedLine l) => JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["account"] = l.Account,
        ["statement_id"] = l.StatementId,
        ["bank_ref"] = l.BankRef,
        ["customer_ref"] = l.CustomerRef,
        ["booking_date"] = l.BookingDate?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        ["value_date"] = l.ValueDate?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        ["direction"] = l.Direction,
        ["reversal"] = l.Reversal,
        ["amount"] = l.Amount,
        ["currency"] = l.Currency,
        ["type"] = l.Type,
        ["content"] = l.Content,
        ["counterparty_name"] = l.CounterpartyName,
        ["counterparty_account"] = l.CounterpartyAccount,
    }, JsonOptions);

    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
