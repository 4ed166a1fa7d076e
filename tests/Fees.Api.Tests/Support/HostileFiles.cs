using System.IO.Compression;
using System.Text;

namespace TdmEdu.Fees.Api.Tests.Support;

/// <summary>
/// Files made to hurt a reader, built here rather than kept as binaries: workbooks that declare or hold a huge
/// sheet, zip bombs honest and lying about their size, CSV files of only separators, files of a given size.
/// </summary>
public static class HostileFiles
{
    private const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

    /// <summary>A workbook of one sheet whose XML is <paramref name="sheetData"/> (inside &lt;worksheet&gt;).</summary>
    public static byte[] Xlsx(string sheetData) => Workbook(sheet => sheet.Write(Encoding.UTF8.GetBytes($"<worksheet xmlns=\"{Main}\">{sheetData}</worksheet>")));

    /// <summary>About 1.5 KB declaring every cell of a sheet (A1:XFD1048576), with a header row and one cell at the far corner.</summary>
    public static byte[] DeclaringWholeSheet() => Xlsx(
        "<dimension ref=\"A1:XFD1048576\"/><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>school_code</t></is></c></row>" +
        "<row r=\"1048576\"><c r=\"XFD1048576\"><v>1</v></c></row></sheetData>");

    /// <summary>A sheet part that unpacks to <paramref name="unpackedBytes"/> of blanks inside well-formed XML, declared honestly.</summary>
    public static byte[] ZipBomb(long unpackedBytes) => Workbook(sheet =>
    {
        var open = Encoding.UTF8.GetBytes($"<worksheet xmlns=\"{Main}\"><sheetData>");
        var close = Encoding.UTF8.GetBytes("</sheetData></worksheet>");
        sheet.Write(open);
        var blanks = new byte[1 << 20];
        Array.Fill(blanks, (byte)' ');
        for (var left = unpackedBytes - open.Length - close.Length; left > 0; left -= blanks.Length)
            sheet.Write(blanks, 0, (int)Math.Min(left, blanks.Length));
        sheet.Write(close);
    });

    /// <summary>A header row and one inline-string cell of <paramref name="chars"/> letters, written a megabyte at a time.</summary>
    public static byte[] OneLongCell(long chars) => Workbook(sheet =>
    {
        sheet.Write(Encoding.UTF8.GetBytes($"<worksheet xmlns=\"{Main}\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>student_code</t></is></c></row>" +
            "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>"));
        var letters = new byte[1 << 20];
        Array.Fill(letters, (byte)'A');
        for (var left = chars; left > 0; left -= letters.Length) sheet.Write(letters, 0, (int)Math.Min(left, letters.Length));
        sheet.Write(Encoding.UTF8.GetBytes("</t></is></c></row></sheetData></worksheet>"));
    });

    /// <summary>The same bomb with its sheet's size in the zip's headers rewritten to <paramref name="declaredBytes"/>.</summary>
    public static byte[] LyingZipBomb(long unpackedBytes, uint declaredBytes)
    {
        var zip = ZipBomb(unpackedBytes);
        const string Part = "xl/worksheets/sheet1.xml";
        // The central directory record names the part and points at its local header; both carry the size.
        for (var i = 0; i + 46 < zip.Length; i++)
        {
            if (BitConverter.ToUInt32(zip, i) != 0x02014b50) continue;
            var nameLength = BitConverter.ToUInt16(zip, i + 28);
            if (Encoding.ASCII.GetString(zip, i + 46, nameLength) != Part) continue;
            BitConverter.TryWriteBytes(zip.AsSpan(i + 24), declaredBytes);
            var local = (int)BitConverter.ToUInt32(zip, i + 42);
            BitConverter.TryWriteBytes(zip.AsSpan(local + 22), declaredBytes);
            return zip;
        }
        throw new InvalidOperationException("the sheet part was not found in the zip");
    }

    /// <summary>A file of <paramref name="bytes"/> whose first bytes are not UTF-8: read, it would be refused for that.</summary>
    public static string OfSize(string path, long bytes)
    {
        using var f = File.Create(path);
        f.Write([0xFF, 0xFE, 0xFD]);
        f.SetLength(bytes); // the rest is a hole in the file: no time, no disk
        return path;
    }

    private static byte[] Workbook(Action<Stream> writeSheet)
    {
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            void Part(string name, string xml)
            {
                using var s = zip.CreateEntry(name, CompressionLevel.Optimal).Open();
                s.Write(Encoding.UTF8.GetBytes(xml));
            }
            Part("[Content_Types].xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">" +
                "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/>" +
                "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>" +
                "<Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/></Types>");
            Part("_rels/.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">" +
                "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>");
            Part("xl/workbook.xml", $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook xmlns=\"{Main}\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">" +
                "<sheets><sheet name=\"Sheet1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>");
            Part("xl/_rels/workbook.xml.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">" +
                "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>");
            using var sheet = zip.CreateEntry("xl/worksheets/sheet1.xml", CompressionLevel.Optimal).Open();
            writeSheet(sheet);
        }
        return ms.ToArray();
    }
}
