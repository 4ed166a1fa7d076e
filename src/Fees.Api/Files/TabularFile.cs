using System.Globalization;
using System.Text;
using MiniExcelLibs;
using TdmEdu.Fees.Api.Common;
using MiniExcel = MiniExcelLibs.MiniExcel;

namespace TdmEdu.Fees.Api.Files;

/// <summary>A data row of a CSV or XLSX file with the line (or sheet row) it came from.</summary>
public sealed record TabularRow(int Line, IReadOnlyList<string> Cells);

/// <summary>A header row and its data rows, text normalised to NFC, trailing blank rows dropped.</summary>
public sealed record TabularData(string SourceName, int HeaderLine, IReadOnlyList<string> Header, IReadOnlyList<TabularRow> Rows);

/// <summary>
/// Reads CSV (UTF-8, with or without BOM, RFC 4180 quoting) and XLSX (first sheet) alike, within the limits of the
/// file's kind (<see cref="FileLimits"/>): its size is checked before a byte is read, CSV is read as a stream and
/// XLSX is checked by <see cref="XlsxCheck"/> before MiniExcel opens it; rows and columns are counted as they come.
/// </summary>
public static class TabularFile
{
    public static TabularData Read(string path, FileLimits limits, CancellationToken ct) =>
        ToData(Path.GetFileName(path), ReadAll(path, limits, ct));

    /// <summary>The header row (the first that is not blank) and the rows after it.</summary>
    public static TabularData ToData(string name, IReadOnlyList<TabularRow> all)
    {
        var nonEmpty = all.Where(r => r.Cells.Any(c => c.Length > 0)).ToList();
        if (nonEmpty.Count == 0) throw new BadInputException(name, null, null, "the file is empty; the first row must be the header.", "tệp trống; dòng đầu tiên phải là dòng tiêu đề.");
        var header = nonEmpty[0];
        return new TabularData(name, header.Line, header.Cells, nonEmpty.Skip(1).ToList());
    }

    /// <summary>Every row of the file, the header block of a bank statement included.</summary>
    public static IReadOnlyList<TabularRow> ReadAll(string path, FileLimits limits, CancellationToken ct)
    {
        var name = Path.GetFileName(path);
        if (!File.Exists(path)) throw new BadInputException(name, null, null, "the file does not exist.", "không có tệp này.");
        var ext = Path.GetExtension(path).ToLowerInvariant();
        if (ext is not (".xlsx" or ".csv" or ".txt" or ""))
            throw new BadInputException(name, null, null, $"'{ext}' files are not read; give a .csv or .xlsx file.", $"không đọc được tệp '{ext}'; hãy dùng tệp .csv hoặc .xlsx.");
        limits.CheckSize(path);
        return limits.Within(name, ct, token =>
        {
            var rows = ext == ".xlsx" ? ReadXlsx(path, name, limits, token) : ReadCsv(path, name, limits, token);
            RefuseControlCharacters(rows, name);
            return rows;
        });
    }

    /// <summary>
    /// A control character (a NUL byte, a bell, ...) is never part of a name, a code or an amount, and PostgreSQL
    /// refuses a NUL in text: found by fuzzing, it failed the whole import at the database instead of in words.
    /// </summary>
    private static void RefuseControlCharacters(IReadOnlyList<TabularRow> rows, string name)
    {
        var problems = new List<InputProblem>();
        foreach (var row in rows)
            for (var i = 0; i < row.Cells.Count && problems.Count < 50; i++)
            {
                if (Common.TextRules.FirstRefused(row.Cells[i], multiLine: true) is { } bad)
                    problems.Add(new InputProblem(name, row.Line, ColumnLetter(i), $"the cell holds a control character (code {(int)bad}), which no value may contain.",
                        $"ô có ký tự điều khiển (mã {(int)bad}), giá trị không được chứa ký tự này."));
            }
        if (problems.Count > 0) throw new BadInputException(problems);
    }

    private static List<TabularRow> ReadCsv(string path, string name, FileLimits limits, CancellationToken ct)
    {
        using var reader = new StreamReader(limits.Open(path, ct), new UTF8Encoding(false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: false, 1 << 16);
        try
        {
            return ReadCsv(reader, name, limits, ct);
        }
        catch (DecoderFallbackException)
        {
            throw new BadInputException(name, null, null, "the file is not UTF-8 text; save it from Excel as \"CSV UTF-8\".", "tệp không phải văn bản UTF-8; trong Excel hãy lưu dạng \"CSV UTF-8\".");
        }
    }

    /// <summary>RFC 4180 from a reader, a row at a time: a file of only line breaks or only commas stops at the limit, not at the end.</summary>
    public static List<TabularRow> ReadCsv(TextReader reader, string name, FileLimits limits, CancellationToken ct)
    {
        var buffer = new char[1 << 16];
        int length = 0, at = 0;
        int Peek()
        {
            if (at < length) return buffer[at];
            length = reader.Read(buffer, 0, buffer.Length);
            at = 0;
            return length == 0 ? -1 : buffer[0];
        }

        var rows = new List<TabularRow>();
        var cells = new List<string>();
        var cell = new StringBuilder();
        var line = 1;
        var rowLine = 1;
        var quoted = false;
        void EndCell()
        {
            if (cells.Count == FileLimits.MaxColumns) throw FileLimits.TooManyColumns(name, rowLine);
            cells.Add(Clean(cell));
            cell.Clear();
        }
        void Append(char c)
        {
            if (cell.Length == FileLimits.MaxCellChars) throw FileLimits.CellTooLong(name, rowLine, ColumnLetter(cells.Count));
            cell.Append(c);
        }
        void EndRow()
        {
            ct.ThrowIfCancellationRequested();
            if (rows.Count == limits.SheetRows) throw limits.TooManyRows(name);
            rows.Add(new TabularRow(rowLine, cells.ToArray()));
            cells.Clear();
        }

        if (Peek() == '\uFEFF') at++;
        for (var c = Peek(); c >= 0; c = Peek())
        {
            at++;
            if (quoted)
            {
                if (c == '"')
                {
                    if (Peek() == '"') { Append('"'); at++; continue; }
                    quoted = false;
                    continue;
                }
                if (c == '\n') line++;
                Append((char)c);
                continue;
            }
            switch (c)
            {
                case '"' when cell.Length == 0:
                    quoted = true; break;
                case ',':
                    EndCell(); break;
                case '\r':
                    break;
                case '\n':
                    EndCell();
                    EndRow();
                    line++; rowLine = line; break;
                default:
                    Append((char)c); break;
            }
        }
        if (quoted) throw new BadInputException(name, rowLine, null, "a quoted cell is never closed (a \" is missing).", "một ô mở dấu ngoặc kép nhưng không đóng (thiếu dấu \").");
        if (cell.Length > 0 || cells.Count > 0)
        {
            EndCell();
            EndRow();
        }
        return rows;
    }

    private static List<TabularRow> ReadXlsx(string path, string name, FileLimits limits, CancellationToken ct)
    {
        using var file = new CancellableStream(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16), ct);
        try
        {
            XlsxCheck.Check(file, name, limits, ct);
            file.Position = 0;
            var rows = new List<TabularRow>();
            var n = 0;
            foreach (IDictionary<string, object?> row in MiniExcel.Query(file, useHeaderRow: false, excelType: ExcelType.XLSX))
            {
                ct.ThrowIfCancellationRequested();
                if (++n > limits.SheetRows) throw limits.TooManyRows(name);
                if (row.Count > FileLimits.MaxColumns) throw FileLimits.TooManyColumns(name, n);
                var cells = row.Values.Select(v => v switch
                {
                    null => "",
                    DateTime d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    double dbl => Number(dbl),
                    IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                    _ => v.ToString() ?? "",
                }).Select(s => NormalForm(s.Trim())).ToArray();
                rows.Add(new TabularRow(n, cells));
            }
            return rows;
        }
        // The workbook is untrusted and the reader is a library: on a damaged file it has thrown XML, zip and I/O
        // errors and, found by fuzzing, a NullReferenceException from deep inside. Whatever it throws while
        // reading, the answer to the accountant is the same, and nothing has been written yet. A refusal by the
        // limits and a stop (time, a client that left) keep their own meaning.
        catch (Exception e) when (e is not (OperationCanceledException or OutOfMemoryException or BadInputException))
        {
            throw new BadInputException(name, null, null, "the file is not a readable Excel workbook (.xlsx).", "tệp không phải là sổ tính Excel (.xlsx) đọc được.");
        }
    }

    /// <summary>
    /// A number cell as text. A fraction of exactly three digits gets a fourth (1.234 is written "1.2340"), so that a
    /// reader of Vietnamese amounts, where "1.234" means one thousand two hundred and thirty-four, cannot read it 1,000
    /// times too large.
    /// </summary>
    private static string Number(double value)
    {
        var text = value.ToString("0.################", CultureInfo.InvariantCulture);
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        return dot >= 0 && text.Length - dot - 1 == 3 ? text + "0" : text;
    }

    private static string Clean(StringBuilder cell) => NormalForm(cell.ToString().Trim());

    // A cell holding a character no value may contain is kept as it is (Normalize would throw on it), to be refused by
    // line and column with the rest (RefuseControlCharacters).
    private static string NormalForm(string cell) => Common.TextRules.FirstRefused(cell, multiLine: true) is null ? cell.Normalize(NormalizationForm.FormC) : cell;

    /// <summary>Excel-style column letter for a zero-based index (0 → A).</summary>
    public static string ColumnLetter(int index)
    {
        var s = "";
        for (var n = index + 1; n > 0; n = (n - 1) / 26) s = (char)('A' + (n - 1) % 26) + s;
        return s;
    }
}
