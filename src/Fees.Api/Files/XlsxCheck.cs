using System.IO.Compression;
using System.Xml;

namespace TdmEdu.Fees.Api.Files;

/// <summary>
/// Looks at an XLSX file before MiniExcel reads it. MiniExcel trusts the workbook: it makes every row as wide as
/// the sheet's declared or widest cell, and fills every missing row number with an empty row, so a 1.5 KB file
/// declaring A1:XFD1048576 (or holding one cell there) kept a core busy for minutes. Here the zip's declared
/// sizes are added up (the runtime never unpacks an entry past its declared size, so they bound the work), and
/// each sheet is walked once with a plain XML reader: its &lt;dimension ref&gt;, the row numbers in the order
/// MiniExcel would fill them, and each cell's column. What is over the kind's limits is refused by name.
/// </summary>
public static class XlsxCheck
{
    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreComments = true, IgnoreWhitespace = true,
        IgnoreProcessingInstructions = true,
    };

    /// <summary>Refuses the workbook in <paramref name="file"/> (left open) when it is over <paramref name="limits"/>.</summary>
    public static void Check(Stream file, string name, FileLimits limits, CancellationToken ct)
    {
        using var zip = new ZipArchive(file, ZipArchiveMode.Read, leaveOpen: true);
        if (zip.Entries.Count > FileLimits.XlsxMaxParts) throw FileLimits.TooManyParts(name, zip.Entries.Count);
        long total = 0;
        var largest = zip.Entries.MaxBy(e => e.Length);
        foreach (var entry in zip.Entries)
        {
            // Declared sizes are the attacker's numbers: compared before they are added, so a sum cannot overflow.
            if (entry.Length > limits.XlsxMaxUnpacked - total)
                throw limits.Unpacks(name, Sum(zip), largest!.FullName, largest.Length);
            total += entry.Length;
        }
        // The sheets MiniExcel may read: every part its own look-up would find.
        foreach (var sheet in zip.Entries.Where(e => e.FullName.TrimStart('/').StartsWith("xl/worksheets/sheet", StringComparison.OrdinalIgnoreCase)))
            Walk(sheet, name, limits, ct);
        // The strings the cells share: one of them could be the long value a cell points at.
        foreach (var strings in zip.Entries.Where(e => e.FullName.TrimStart('/').Equals("xl/sharedStrings.xml", StringComparison.OrdinalIgnoreCase)))
        {
            using var stream = strings.Open();
            using var reader = XmlReader.Create(stream, Settings);
            var index = -1;
            long chars = 0;
            while (reader.Read())
            {
                if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "si") { index++; chars = 0; ct.ThrowIfCancellationRequested(); }
                else if (IsText(reader) && TooLong(reader, ref chars)) throw FileLimits.CellTooLong(name, null, $"shared string {index + 1}");
            }
        }
    }

    private static bool IsText(XmlReader reader) => reader.NodeType is XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.SignificantWhitespace;

    /// <summary>
    /// Adds the text node at the reader to <paramref name="chars"/>, the cell's (or shared string's) length so far, read
    /// in chunks and never held whole; whether the cell is now longer than a cell may be. A cell's text may come in many
    /// nodes (rich-text runs, CDATA pieces): they count together.
    /// </summary>
    private static bool TooLong(XmlReader reader, ref long chars)
    {
        var chunk = new char[4096];
        for (int n; (n = reader.ReadValueChunk(chunk, 0, chunk.Length)) > 0;)
            if ((chars += n) > FileLimits.MaxCellChars) return true;
        return false;
    }

    /// <summary>What the parts declare in all, for the refusal (saturating: a hostile zip may declare anything).</summary>
    private static long Sum(ZipArchive zip) =>
        zip.Entries.Aggregate(0L, (s, e) => e.Length > long.MaxValue - s ? long.MaxValue : s + e.Length);

    private static void Walk(ZipArchiveEntry sheet, string name, FileLimits limits, CancellationToken ct)
    {
        using var stream = sheet.Open();
        using var reader = XmlReader.Create(stream, Settings);
        long row = 0, yielded = 0, column = 0;
        var first = true;
        string? at = null;
        long chars = 0;
        while (reader.Read())
        {
            if (IsText(reader) && TooLong(reader, ref chars))
                throw FileLimits.CellTooLong(name, (int)Math.Min(row, int.MaxValue), at ?? TabularFile.ColumnLetter((int)Math.Clamp(column - 1, 0, 20_000)));
            if (reader.NodeType != XmlNodeType.Element) continue;
            switch (reader.LocalName)
            {
                case "dimension" when reader.GetAttribute("ref") is { } reference:
                {
                    var corners = reference.Split(':');
                    if (Cell(corners[0]) is not { } from || Cell(corners[^1]) is not { } to) break;
                    if (to.Row > limits.SheetRows || to.Column > FileLimits.MaxColumns)
                        throw limits.SheetDeclares(name, reference, Math.Abs(to.Row - from.Row) + 1, Math.Abs(to.Column - from.Column) + 1);
                    break;
                }
                case "row":
                {
                    ct.ThrowIfCancellationRequested();
                    // As MiniExcel counts: a row without a number follows the one before; a gap is filled with empty rows.
                    var next = row + 1;
                    row = long.TryParse(reader.GetAttribute("r"), out var r) ? r : next;
                    if (row > limits.SheetRows) throw limits.SheetRow(name, row);
                    var expected = first ? 1 : next;
                    yielded += (row > expected ? row - expected : 0) + 1;
                    if (yielded > limits.SheetRows) throw limits.TooManyRows(name);
                    first = false;
                    column = 0;
                    break;
                }
                case "c":
                {
                    chars = 0;
                    at = reader.GetAttribute("r");
                    column = at is not null && Cell(at) is { } cell ? cell.Column : column + 1;
                    if (column > FileLimits.MaxColumns) throw limits.SheetCell(name, at ?? $"{TabularFile.ColumnLetter((int)Math.Min(column - 1, 20_000))}{row}");
                    break;
                }
            }
        }
    }

    /// <summary>"XFD1048576" or "$B$7" as (column, row), both from 1; a row of 0 when the reference names only a column.</summary>
    private static (long Column, long Row)? Cell(string reference)
    {
        long column = 0, row = 0;
        var i = 0;
        var text = reference.Replace("$", "", StringComparison.Ordinal).Trim();
        for (; i < text.Length && char.IsAsciiLetter(text[i]); i++)
        {
            if (i >= 4) return (long.MaxValue / 2, 0); // past XFD: more than any sheet may have
            column = column * 26 + (char.ToUpperInvariant(text[i]) - 'A' + 1);
        }
        for (; i < text.Length && char.IsAsciiDigit(text[i]); i++)
        {
            if (row > 1_000_000_000) return (column, long.MaxValue / 2);
            row = row * 10 + (text[i] - '0');
        }
        return column == 0 || i != text.Length ? null : (column, row);
    }
}
