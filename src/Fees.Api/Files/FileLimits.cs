using System.Globalization;
using TdmEdu.Fees.Api.Common;

namespace TdmEdu.Fees.Api.Files;

/// <summary>
/// How much of one kind of file the service reads before it refuses it: size, rows, time. A file is untrusted
/// input from the web as much as from the command line; these bounds keep one file from holding a core or the
/// memory of the machine (issue 11, finding 6). Every refusal names the file and the limit, in English and
/// Vietnamese, and comes before anything is written. docs/operations.md has the table and the reasons.
/// </summary>
/// <param name="What">The kind of file as a refusal names it: "a roster uploaded on the page".</param>
/// <param name="WhatVi">The same in Vietnamese.</param>
/// <param name="MaxBytes">The largest file taken (an XLSX file also at most <see cref="XlsxMaxBytes"/>).</param>
/// <param name="MaxRows">Data rows (lines of a statement, items of a schedule) taken.</param>
/// <param name="ReadTime">How long reading and checking the file may take.</param>
public sealed record FileLimits(string What, string WhatVi, long MaxBytes, int MaxRows, TimeSpan ReadTime)
{
    private const long MB = 1024 * 1024;

    /// <summary>One school's roster on its page: a big school is about 3,000 pupils (stored in about 8 s here).</summary>
    public static readonly FileLimits RosterUpload = new("a roster uploaded on the page", "danh sách học sinh tải lên trang", 5 * MB, 5_000, TimeSpan.FromSeconds(30));

    /// <summary>The authority's roster on the command line: the city is 50,877 pupils.</summary>
    public static readonly FileLimits Roster = new("a roster", "danh sách học sinh", 30 * MB, 100_000, TimeSpan.FromSeconds(120));

    /// <summary>Absences of a month: a day file of the city's biggest school is a few thousand rows; the command line takes the city's month.</summary>
    public static readonly FileLimits Attendance = new("an attendance file", "tệp điểm danh", 20 * MB, 300_000, TimeSpan.FromSeconds(60));

    /// <summary>A school's attendance file on its page: a month's days absent of a big school, with room to spare.</summary>
    public static readonly FileLimits AttendanceUpload = new("an attendance file uploaded on the page", "tệp điểm danh tải lên trang", 5 * MB, 50_000, TimeSpan.FromSeconds(30));

    public static readonly FileLimits Schools = new("a list of schools", "danh sách trường", 5 * MB, 10_000, TimeSpan.FromSeconds(30));

    /// <summary>A school year's fee schedule (JSON): rows are its items and its policy groups, each.</summary>
    public static readonly FileLimits Schedule = new("a fee schedule", "biểu phí", 1 * MB, 500, TimeSpan.FromSeconds(10));

    /// <summary>A statement of one account: a month of a big school is a few thousand lines; tests import 200,000.</summary>
    public static readonly FileLimits Statement = new("a statement", "sao kê", 100 * MB, 500_000, TimeSpan.FromSeconds(300));

    /// <summary>
    /// A statement uploaded on the school's page: a month of a big school (about 3,000 lines) with room to spare. The
    /// preview reconciles it in a transaction it rolls back, holding the rows of the pupils it pays meanwhile (the cash
    /// desk and the bank calls for them wait): 100,000 lines held them about 40 s, 20,000 hold them a few seconds.
    /// A bigger file goes through `statements import` on the command line.
    /// </summary>
    public static readonly FileLimits StatementUpload = new("a statement uploaded on the page", "sao kê tải lên trang", 10 * MB, 20_000, TimeSpan.FromSeconds(40));

    /// <summary>Columns of a CSV or XLSX row (A to CV): the widest layout read has 22; MiniExcel makes every row this wide.</summary>
    public const int MaxColumns = 100;

    /// <summary>Rows of a sheet beyond the data rows: headings, a bank's header block (read in its first 80 rows), totals, blanks.</summary>
    public const int HeadingRows = 100;

    /// <summary>An XLSX file is compressed: 20 MB of it is already a sheet of about a million cells.</summary>
    public const long XlsxMaxBytes = 20 * MB;

    /// <summary>What the parts of an XLSX file may unpack to, in all, as the zip declares (the runtime reads no further).</summary>
    public const long XlsxMaxUnpackedBytes = 256 * MB;

    /// <summary>
    /// What this kind's workbook may unpack to: ten times the file it may be, and never more than
    /// <see cref="XlsxMaxUnpackedBytes"/>. A page's 5 MB upload unpacking to 250 MB held 5 GB of memory (attack of
    /// 5 December 2026); a real sheet unpacks to a few times its size.
    /// </summary>
    public long XlsxMaxUnpacked => Math.Min(XlsxMaxUnpackedBytes, 10 * MaxBytes);

    public const int XlsxMaxParts = 1_000;

    /// <summary>Characters one cell may hold: the longest real value (a bank's description, an address) is a few hundred.</summary>
    public const int MaxCellChars = 4_000;

    /// <summary>Rows a sheet or a CSV file may have in all, blank ones included.</summary>
    public int SheetRows => MaxRows + HeadingRows;

    /// <summary>The largest file of this kind with this extension.</summary>
    public long MaxBytesFor(string path) =>
        Path.GetExtension(path).Equals(".xlsx", StringComparison.OrdinalIgnoreCase) ? Math.Min(MaxBytes, XlsxMaxBytes) : MaxBytes;

    /// <summary>Refuses a file larger than its kind takes, from its size alone: nothing of it has been read.</summary>
    public void CheckSize(string path)
    {
        var size = new FileInfo(path).Length;
        if (size > MaxBytesFor(path)) throw TooLarge(Path.GetFileName(path), size, MaxBytesFor(path));
    }

    /// <summary>
    /// Runs a read under <see cref="ReadTime"/> as well as the caller's token (a client that left, Ctrl-C). The read
    /// must look at the token it is given; running out of time is a refusal in words, a cancelled caller is not.
    /// </summary>
    public T Within<T>(string name, CancellationToken ct, Func<CancellationToken, T> read)
    {
        using var time = CancellationTokenSource.CreateLinkedTokenSource(ct);
        time.CancelAfter(ReadTime);
        try
        {
            return read(time.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw TookTooLong(name, ReadTime);
        }
    }

    /// <summary>Too large by its size, or (no size) found larger while reading it.</summary>
    public BadInputException TooLarge(string name, long? size, long max) => new(name, null, null,
        $"the file is {(size is { } b ? Mb(b, false) : "larger than " + Mb(max, false))}; {What} may be at most {Mb(max, false)}.",
        $"tệp {(size is { } v ? "nặng " + Mb(v, true) : "lớn hơn " + Mb(max, true))}; {WhatVi} tối đa {Mb(max, true)}.");

    /// <summary>The file for a reader that takes no token: each read looks at the token and counts toward the size.</summary>
    public CancellableStream Open(string path, CancellationToken ct) =>
        new(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16), ct, MaxBytesFor(path),
            () => TooLarge(Path.GetFileName(path), null, MaxBytesFor(path)));

    public BadInputException TooManyRows(string name) => new(name, null, null,
        $"the file has more than {N(SheetRows, false)} rows; {What} holds at most {N(MaxRows, false)} (and {HeadingRows} rows of headings and notes). Split it into smaller files.",
        $"tệp có hơn {N(SheetRows, true)} dòng; {WhatVi} tối đa {N(MaxRows, true)} dòng (và {HeadingRows} dòng tiêu đề, ghi chú). Hãy chia thành các tệp nhỏ hơn.");

    /// <summary>More entries than a kind takes, counted after parsing (statement lines, schedule items).</summary>
    public BadInputException TooManyEntries(string name, int count, string unit, string unitVi) => new(name, null, null,
        $"the file has {N(count, false)} {unit}; {What} holds at most {N(MaxRows, false)}.",
        $"tệp có {N(count, true)} {unitVi}; {WhatVi} tối đa {N(MaxRows, true)}.");

    public static BadInputException TooManyColumns(string name, int line) => new(name, line, null,
        $"the row has more than {MaxColumns} columns; files are read up to column {TabularFile.ColumnLetter(MaxColumns - 1)}.",
        $"dòng có hơn {MaxColumns} cột; tệp chỉ được đọc đến cột {TabularFile.ColumnLetter(MaxColumns - 1)}.");

    public BadInputException SheetDeclares(string name, string reference, long rows, long columns) => new(name, null, null,
        $"the sheet declares {N(rows, false)} rows × {N(columns, false)} columns ({reference}); {What} is read up to {N(SheetRows, false)} rows and {MaxColumns} columns.",
        $"trang tính khai báo {N(rows, true)} dòng × {N(columns, true)} cột ({reference}); {WhatVi} chỉ được đọc tối đa {N(SheetRows, true)} dòng và {MaxColumns} cột.");

    public BadInputException SheetCell(string name, string reference) => new(name, null, null,
        $"the sheet has a cell at {reference}; {What} is read up to {N(SheetRows, false)} rows and {MaxColumns} columns (A to {TabularFile.ColumnLetter(MaxColumns - 1)}).",
        $"trang tính có ô ở {reference}; {WhatVi} chỉ được đọc tối đa {N(SheetRows, true)} dòng và {MaxColumns} cột (A đến {TabularFile.ColumnLetter(MaxColumns - 1)}).");

    public BadInputException SheetRow(string name, long row) => new(name, null, null,
        $"the sheet has a row numbered {N(row, false)}; {What} is read up to {N(SheetRows, false)} rows.",
        $"trang tính có dòng số {N(row, true)}; {WhatVi} chỉ được đọc tối đa {N(SheetRows, true)} dòng.");

    public BadInputException Unpacks(string name, long total, string part, long partBytes) => new(name, null, null,
        $"the workbook unpacks to {Mb(total, false)} (its part {part} to {Mb(partBytes, false)}); an Excel workbook may unpack to at most {Mb(XlsxMaxUnpacked, false)}.",
        $"sổ tính giải nén ra {Mb(total, true)} (riêng phần {part} là {Mb(partBytes, true)}); một sổ tính Excel chỉ được giải nén tối đa {Mb(XlsxMaxUnpacked, true)}.");

    /// <summary>A cell longer than <see cref="MaxCellChars"/>, by line (or part) and column; its text is never repeated back.</summary>
    public static BadInputException CellTooLong(string name, int? line, string? column) => new(name, line, column,
        $"the cell holds more than {N(MaxCellChars, false)} characters; no value is that long.",
        $"ô có hơn {N(MaxCellChars, true)} ký tự; không giá trị nào dài như vậy.");

    public static BadInputException TooManyParts(string name, int parts) => new(name, null, null,
        $"the workbook holds {N(parts, false)} parts; an Excel workbook is read with at most {N(XlsxMaxParts, false)}.",
        $"sổ tính có {N(parts, true)} phần; một sổ tính Excel chỉ được đọc khi có tối đa {N(XlsxMaxParts, true)} phần.");

    /// <summary>Out of time reading the file, or (<paramref name="storing"/>) reading and storing it on a page.</summary>
    public BadInputException TookTooLong(string name, TimeSpan limit, bool storing = false) => new(name, null, null,
        $"{(storing ? "reading and storing" : "reading")} the file took longer than {Seconds(limit, false)} seconds, the limit for {What}.",
        $"{(storing ? "đọc và lưu" : "đọc")} tệp lâu quá {Seconds(limit, true)} giây, giới hạn cho {WhatVi}.");

    private static string Seconds(TimeSpan t, bool vietnamese)
    {
        var s = t.TotalSeconds.ToString("0.##", CultureInfo.InvariantCulture);
        return vietnamese ? s.Replace('.', ',') : s;
    }

    /// <summary>Whole numbers as each language writes them: 10,000 and 10.000.</summary>
    public static string N(long n, bool vietnamese)
    {
        var s = n.ToString("#,0", CultureInfo.InvariantCulture);
        return vietnamese ? s.Replace(',', '.') : s;
    }

    /// <summary>Sizes in MB (of 1,048,576 bytes), one decimal where it is not whole: 19.3 MB and 19,3 MB.</summary>
    public static string Mb(long bytes, bool vietnamese)
    {
        var s = ((double)bytes / MB).ToString(bytes % MB == 0 ? "#,0" : "#,0.0", CultureInfo.InvariantCulture);
        return (vietnamese ? s.Replace(',', ' ').Replace('.', ',').Replace(' ', '.') : s) + " MB";
    }
}
