using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using TdmEdu.Fees.Api.Application;
using TdmEdu.Fees.BankAdapters.Bidv;
using TdmEdu.Fees.BankAdapters.Statements.Files;

namespace TdmEdu.Fees.Api.Files;

/// <summary>Reads any statement file the service knows into <see cref="ParsedLine"/>s; touches no database.</summary>
public static class StatementFiles
{
    public static readonly string[] Formats = ["auto", "camt053", "mt940", "bidv-fileout", "vcb-xlsx", "bidv-xlsx", "msb-xlsx"];


    public static IReadOnlyList<ParsedLine> Parse(string path, string format = "auto", List<StatementBalance>? balances = null)
    {
        var name = Path.GetFileName(path);
        if (!File.Exists(path)) throw new BadInputException(name, null, null, "the file does not exist.");
        if (!Formats.Contains(format)) throw new BadInputException("--format", null, null, $"\"{format}\" is not one of {string.Join(", ", Formats)}.");
        if (format == "auto") format = Detect(path);
        try
        {
            switch (format)
            {
                case "camt053":
                {
                    using var stream = File.OpenRead(path);
                    return Camt053Parser.Parse(stream, name, balances);
                }
                case "mt940":
                    return Mt940Parser.Parse(File.ReadAllText(path, Encoding.UTF8), name, balances);
                case "bidv-fileout":
                {
                    var data = TabularFile.Read(path);
                    var refund = name.Contains("refund", StringComparison.OrdinalIgnoreCase);
                    return BidvFileout.Parse(name, data.Header, data.Rows.Select(r => (r.Line, r.Cells)), refund)
                        .Select(r => new ParsedLine(r.Line, r.CreditAccount, null, r.BidvTransId, r.BillId, DateOnly.FromDateTime(r.Originated),
                            r.Paid is { } p ? DateOnly.FromDateTime(p) : null, r.Refund ? "debit" : "credit", r.Refund,
                            r.AmountVnd.ToString(System.Globalization.CultureInfo.InvariantCulture), r.Currency, "BIDV-" + (r.TransactionType ?? "01"),
                            $"{r.CustomerId} {r.BillId}", null, r.DebitAccount)).ToList();
                }
                default:
                    return BankExcelStatement.Parse(path, format);
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

    private static string Detect(string path)
    {
        var ext = Path.GetExtension(path).ToLowerInvariant();
        if (ext is ".xlsx" or ".csv")
        {
            var data = TabularFile.Read(path);
            var header = string.Join('|', data.Header.Select(HeaderMap.Fold));
            if (header.Contains("id giao dich bidv", StringComparison.Ordinal)) return "bidv-fileout";
            var all = string.Join('|', TabularFile.ReadAll(path).Take(80).SelectMany(r => r.Cells).Select(HeaderMap.Fold));
            if (all.Contains("ngan hang tmcp dau tu va phat trien", StringComparison.Ordinal) || all.Contains("bao cao chi tiet so du tai khoan", StringComparison.Ordinal)) return "bidv-xlsx";
            if (all.Contains("statement of account", StringComparison.Ordinal) || all.Contains("vietcombank", StringComparison.Ordinal)) return "vcb-xlsx";
            if (all.Contains("so but toan", StringComparison.Ordinal) || all.Contains("msb", StringComparison.Ordinal)) return "msb-xlsx";
            throw new BadInputException(Path.GetFileName(path), null, null, "this spreadsheet is not a statement layout we know (VCB, BIDV, MSB, BIDV Fileout); give --format.");
        }
        var head = ReadHead(path);
        if (head.TrimStart('\uFEFF', ' ', '\n', '\r', '\t').StartsWith('<') && Camt053Parser.LooksLike(head)) return "camt053";
        if (Mt940Parser.LooksLike(head)) return "mt940";
        throw new BadInputException(Path.GetFileName(path), null, null, "this is neither a camt.053 nor an MT940 statement nor a BIDV Fileout; give --format.");
    }

    private static string ReadHead(string path)
    {
        using var reader = new StreamReader(path, Encoding.UTF8);
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
