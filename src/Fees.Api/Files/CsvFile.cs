using System.Text;

namespace TdmEdu.Fees.Api.Files;

/// <summary>The CSV files the service writes: header row, quoting, formula-safe cells, UTF-8 with a BOM for spreadsheets.</summary>
public static class CsvFile
{
    public static Task WriteAsync(string path, IReadOnlyList<string> columns, IEnumerable<IEnumerable<string>> rows, CancellationToken ct) =>
        File.WriteAllTextAsync(path, Text(columns, rows), new UTF8Encoding(true), ct);

    /// <summary>The same CSV as text, for answers over HTTP.</summary>
    public static string Text(IReadOnlyList<string> columns, IEnumerable<IEnumerable<string>> rows)
    {
        var sb = new StringBuilder(string.Join(',', columns)).Append('\n');
        foreach (var row in rows) sb.Append(string.Join(',', row.Select(Cell))).Append('\n');
        return sb.ToString();
    }

    /// <summary>Quotes when needed, and defuses text that a spreadsheet would run as a formula.</summary>
    public static string Cell(string value)
    {
        if (value.Length > 0 && "=+-@\t\r".Contains(value[0]) && !long.TryParse(value, out _)) value = "'" + value;
        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
