using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.BankAdapters.Statements.Files;

namespace TdmEdu.Fees.Api.Files;

/// <summary>
/// Reads any statement file the service knows into <see cref="ParsedLine"/>s; touches no database. This is the
/// host's part: the file, its limits and its cells; the formats themselves are in <see cref="StatementFormats"/>.
/// </summary>
public static class StatementFiles
{
    /// <summary>The names `--format` takes, for the command line's usage (<see cref="StatementFormats.All"/>).</summary>
    public static IReadOnlyList<string> Formats => StatementFormats.All;

    /// <summary>
    /// The lines of a statement file, within <see cref="FileLimits.Statement"/>: its size before it is opened, its
    /// rows as they are read (spreadsheets) or its lines once parsed (camt.053, MT940), all within its time.
    /// <paramref name="columns"/> is the account's column map: format "columns" reads by it; "auto" reads a sheet by a
    /// bank's layout whose table is there, else by the map where it fits. <paramref name="readAs"/> is told the format read.
    /// </summary>
    public static IReadOnlyList<ParsedLine> Parse(string path, string format = StatementFormats.Auto, List<StatementBalance>? balances = null, CancellationToken ct = default,
        FileLimits? limits = null, List<ParseNote>? notes = null, ColumnMap? columns = null, Action<string>? readAs = null)
    {
        var name = Path.GetFileName(path);
        if (!File.Exists(path)) throw new BadInputException(name, null, null, "the file does not exist.");
        if (format == StatementFormats.Columns && columns is null)
            throw new BadInputException("--format", null, null, "this account has no column map yet; map the file's columns once on the statement page (Tải sao kê).",
                "tài khoản này chưa có cách ghép cột; hãy ghép cột của tệp một lần trên trang Tải sao kê.") { ColumnsUnknown = true };
        if (!StatementFormats.All.Contains(format) && format != StatementFormats.Columns)
            throw new BadInputException("--format", null, null, $"\"{format}\" is not one of {string.Join(", ", StatementFormats.All)}.",
                $"\"{format}\" không phải một trong các định dạng {string.Join(", ", StatementFormats.All)}.");
        limits ??= FileLimits.Statement;
        limits.CheckSize(path);
        var lines = limits.Within(name, ct, token => Read(path, name, format, balances, limits, token, notes, columns, readAs ?? (_ => { })));
        if (lines.Count > limits.MaxRows) throw limits.TooManyEntries(name, lines.Count, "statement lines", "dòng sao kê");
        return lines;
    }

    private static IReadOnlyList<ParsedLine> Read(string path, string name, string format, List<StatementBalance>? balances, FileLimits limits, CancellationToken ct,
        List<ParseNote>? notes, ColumnMap? columns, Action<string> readAs)
    {
        try
        {
            // A spreadsheet is read once, for the layout and for the lines.
            if (StatementFormats.ReadsRows(format, name))
            {
                var rows = TabularFile.ReadAll(path, limits, ct).Select(r => (r.Line, r.Cells)).ToList();
                if (format == StatementFormats.Auto)
                {
                    // A bank's layout whose table is there first; then the account's column map where it fits; then the
                    // layout the sheet's words name, to be refused in its terms (found by attack: a map tried first read
                    // a full VCB export by its credits only, its debits gone).
                    string? detected;
                    try
                    {
                        detected = StatementFormats.Detect(rows, name);
                    }
                    catch (StatementFormatException) when (columns is not null && ColumnMaps.Locate(rows, columns).Index >= 0)
                    {
                        detected = null;
                    }
                    var layoutFits = detected is not null && (detected == StatementFormats.BidvFileout || BankExcelLayouts.HasHeader(rows, detected));
                    format = layoutFits || columns is null || ColumnMaps.Locate(rows, columns).Index < 0 ? detected! : StatementFormats.Columns;
                }
                if (format == StatementFormats.Columns)
                {
                    readAs(StatementFormats.Columns);
                    return ColumnMaps.Parse(rows, name, columns!, notes);
                }
                readAs(format);
                return StatementFormats.ReadRows(rows, name, format, notes);
            }
            if (format == StatementFormats.Auto) format = StatementFormats.Detect(ReadHead(path, limits, ct), name);
            readAs(format);
            if (format == StatementFormats.Camt053)
            {
                using var stream = limits.Open(path, ct);
                return Camt053Parser.Parse(stream, name, balances, notes);
            }
            // A statement line takes a :61: and most often a :86:; a few more fields per statement. Eight per line allowed is ample.
            return Mt940Parser.Parse(Text(path, limits, ct, notes), name, balances, notes, maxFields: (int)Math.Min(int.MaxValue, 8L * limits.MaxRows), ct);
        }
        catch (StatementFormatException e)
        {
            throw new BadInputException([e.Reason is { } reason ? new InputProblem(e.File!, e.Line, e.Column, reason, e.ReasonVi) : InputProblem.Whole(e.Message)])
            {
                ColumnsUnknown = e.ColumnsUnknown,
            };
        }
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// A text file's characters: UTF-8 (what Vietnamese banks send), or, when its bytes are not UTF-8, Latin-1 (older
    /// European systems), said as a note at the first line that is not UTF-8. Latin-1 reads every byte, so no file is refused for it.
    /// </summary>
    private static string Text(string path, FileLimits limits, CancellationToken ct, List<ParseNote>? notes)
    {
        using var stream = limits.Open(path, ct);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var bytes = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
        try
        {
            return StrictUtf8.GetString(bytes).TrimStart('\uFEFF');
        }
        catch (DecoderFallbackException e)
        {
            var line = 1 + bytes[..Math.Clamp(e.Index, 0, bytes.Length)].Count((byte)'\n');
            notes?.Add(new ParseNote(line, "the file is not UTF-8 (from this line); read as Latin-1.", "tệp không mã hoá UTF-8 (từ dòng này); đọc theo Latin-1."));
            return Encoding.Latin1.GetString(bytes);
        }
    }

    /// <summary>The first characters, through a stream that looks at the token (time, Ctrl-C) and counts the file's size.</summary>
    private static string ReadHead(string path, FileLimits limits, CancellationToken ct)
    {
        using var reader = new StreamReader(limits.Open(path, ct), Encoding.UTF8);
        var buffer = new char[StatementFormats.HeadChars];
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
