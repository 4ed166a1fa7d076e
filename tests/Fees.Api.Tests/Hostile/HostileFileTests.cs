using System.Text;
using TdmEdu.Fees.Api.Application.Roster;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Files;
using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Hostile;

/// <summary>
/// Files made to exhaust the reader (issue 11, finding 6: a 1.5 KB XLSX kept a core busy for minutes, a 19 MB CSV
/// drove memory past 3 GB), read as the command line reads them: each is refused at once, in words naming the file
/// and the limit, with exit 2 and nothing written. Where it says "at once", the bytes the reading allocated bound it.
/// </summary>
public sealed class HostileFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("hostile-").FullName;

    public void Dispose() => Directory.Delete(_folder, true);

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Reads as `students import` does, on this thread, and returns the refusal and the bytes allocated meanwhile.</summary>
    private static (BadInputException Refusal, long AllocatedBytes) Refused(string path, FileLimits? limits = null)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var refusal = Assert.Throws<BadInputException>(() => TabularFile.Read(path, limits ?? FileLimits.Roster, CancellationToken.None));
        return (refusal, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private const long MB = 1024 * 1024;

    [Fact]
    public void Read_ATinyXlsxDeclaringAWholeSheet_IsRefusedNamingTheDeclaredSize_BeforeMiniExcelReadsIt()
    {
        var bytes = HostileFiles.DeclaringWholeSheet();
        Assert.True(bytes.Length < 2048, $"the hostile file is {bytes.Length} bytes");

        var (refusal, allocated) = Refused(Write("roster.xlsx", bytes));

        Assert.Equal("roster.xlsx: the sheet declares 1,048,576 rows × 16,384 columns (A1:XFD1048576); a roster is read up to 100,100 rows and 100 columns.",
            refusal.Message);
        Assert.Equal("roster.xlsx: trang tính khai báo 1.048.576 dòng × 16.384 cột (A1:XFD1048576); danh sách học sinh chỉ được đọc tối đa 100.100 dòng và 100 cột.",
            refusal.Problems.Single().Render(vietnamese: true));
        Assert.True(allocated < 4 * MB, $"refusing it allocated {allocated:N0} bytes");
    }

    [Theory]
    [InlineData("<sheetData><row r=\"1\"><c r=\"A1\"><v>1</v></c></row><row r=\"1048576\"><c r=\"A1048576\"><v>1</v></c></row></sheetData>",
        "the sheet has a row numbered 1,048,576; a roster is read up to 100,100 rows.")]
    [InlineData("<sheetData><row r=\"1\"><c r=\"XFD1\"><v>1</v></c></row></sheetData>", "the sheet has a cell at XFD1; a roster is read up to")]
    [InlineData("<dimension ref=\"A1:B2\"/><sheetData><row r=\"1\"><c r=\"A1\"><v>1</v></c><c r=\"CW1\"><v>1</v></c></row></sheetData>", "the sheet has a cell at CW1;")]
    // Rows numbered back and forth: MiniExcel fills every gap with empty rows, so 100,000 rows come out of four.
    [InlineData("<sheetData><row r=\"50000\"/><row r=\"1\"/><row r=\"50000\"/><row r=\"1\"/><row r=\"50000\"/></sheetData>",
        "the file has more than 100,100 rows; a roster holds at most 100,000")]
    public void Read_AnXlsxWhoseCellsOrRowsAreOutsideTheLimits_IsRefusedWithoutADimensionToTrust(string sheet, string expected)
    {
        var (refusal, allocated) = Refused(Write("roster.xlsx", HostileFiles.Xlsx(sheet)));

        Assert.Contains("roster.xlsx: " + expected, refusal.Message);
        Assert.True(allocated < 4 * MB, $"refusing it allocated {allocated:N0} bytes");
    }

    [Fact]
    public void Read_AZipBombDeclaringItsSize_IsRefusedByTheDeclaredSize_WithoutUnpackingIt()
    {
        var bytes = HostileFiles.ZipBomb(300 * MB);
        Assert.True(bytes.Length < 2 * MB, $"the bomb is {bytes.Length:N0} bytes");

        var (refusal, allocated) = Refused(Write("bomb.xlsx", bytes));

        Assert.Contains("bomb.xlsx: the workbook unpacks to 300.0 MB (its part xl/worksheets/sheet1.xml to 300 MB); an Excel workbook may unpack to at most 256 MB.", refusal.Message);
        Assert.True(allocated < 4 * MB, $"refusing it allocated {allocated:N0} bytes");
    }

    [Fact]
    public void Read_AZipBombLyingAboutItsSize_IsUnpackedOnlyAsFarAsItDeclares_AndRefused()
    {
        var bytes = HostileFiles.LyingZipBomb(300 * MB, declaredBytes: 4096);

        var (refusal, allocated) = Refused(Write("liar.xlsx", bytes));

        Assert.Equal("liar.xlsx: the file is not a readable Excel workbook (.xlsx).", refusal.Message);
        Assert.True(allocated < 4 * MB, $"refusing it allocated {allocated:N0} bytes: the sheet was unpacked past its declared size");
    }

    [Theory]
    [InlineData('\n', "the file has more than 100,100 rows; a roster holds at most 100,000")]
    [InlineData(',', "line 1: the row has more than 100 columns; files are read up to column CV.")]
    public void Read_A19MbCsvOfOnlySeparators_IsRefusedAtTheLimit_InBoundedMemory(char separator, string expected)
    {
        var bytes = new byte[19 * MB];
        Array.Fill(bytes, (byte)separator);

        var (refusal, allocated) = Refused(Write("roster.csv", bytes));

        Assert.Contains("roster.csv" + (expected.StartsWith("line", StringComparison.Ordinal) ? ", " : ": ") + expected, refusal.Message);
        // Before, these two files took more than 3 GB; what is left is the rows up to the limit.
        Assert.True(allocated < 64 * MB, $"refusing it allocated {allocated:N0} bytes");
    }

    [Fact]
    public void Read_AFileWhoseSizeSaysNothing_IsCutAtTheSizeLimitWhileReading()
    {
        // A device has no length: the size checked before opening passes, the bytes read are counted instead. Its
        // endless zeros are one cell, refused at 4,000 characters: a limit below that shows the count of bytes.
        var (refusal, allocated) = Refused("/dev/zero", FileLimits.Schools with { MaxBytes = 2048 });

        Assert.StartsWith("zero: the file is larger than ", refusal.Message, StringComparison.Ordinal);
        Assert.Equal("zero, line 1, column A: the cell holds more than 4,000 characters; no value is that long.", Refused("/dev/zero", FileLimits.Schools).Refusal.Message);
        Assert.True(allocated < 64 * MB, $"refusing it allocated {allocated:N0} bytes");
    }

    [Fact]
    public void Read_WithTheCallerGone_StopsAtTheFirstRow_OfCsvAndXlsxAlike()
    {
        using var gone = new CancellationTokenSource();
        gone.Cancel();
        var csv = Write("roster.csv", Encoding.UTF8.GetBytes(Samples.Students));
        var xlsx = Write("roster.xlsx", HostileFiles.Xlsx("<sheetData><row r=\"1\"><c r=\"A1\"><v>1</v></c></row></sheetData>"));

        Assert.ThrowsAny<OperationCanceledException>(() => TabularFile.Read(csv, FileLimits.Roster, gone.Token));
        Assert.ThrowsAny<OperationCanceledException>(() => TabularFile.Read(xlsx, FileLimits.Roster, gone.Token));
    }

    [Fact]
    public void Within_WhenTheReadOutlastsItsTime_IsRefusedNamingTheLimit_ButACallerWhoLeftIsNotARefusal()
    {
        var limits = FileLimits.Roster with { ReadTime = TimeSpan.FromMilliseconds(50) };
        // The read waits for its token: only the time limit can end it.
        static int Forever(CancellationToken token)
        {
            token.WaitHandle.WaitOne();
            token.ThrowIfCancellationRequested();
            return 0;
        }

        var refusal = Assert.Throws<BadInputException>(() => limits.Within("roster.csv", CancellationToken.None, Forever));
        using var gone = new CancellationTokenSource();
        gone.Cancel();

        Assert.Equal("roster.csv: reading the file took longer than 0.05 seconds, the limit for a roster.", refusal.Message);
        Assert.ThrowsAny<OperationCanceledException>(() => limits.Within("roster.csv", gone.Token, Forever));
    }

    [Fact]
    public async Task Import_FilesOverTheirSize_AreRefusedBeforeParsing_WithExit2_AndNothingWritten()
    {
        await using var fees = await Support.Fees.StartAsync();
        await fees.SetUpExampleSchoolAsync();
        var students = await fees.Db.ScalarAsync("SELECT count(*) FROM students");

        // Each file begins with bytes that are not UTF-8 and holds NUL bytes after: parsed, it would be refused for that.
        var roster = await fees.RunAsync("students", "import", HostileFiles.OfSize(Path.Combine(_folder, "roster.csv"), 31 * MB));
        var schools = await fees.RunAsync("schools", "import", HostileFiles.OfSize(Path.Combine(_folder, "schools.xlsx"), 6 * MB));
        var schedule = await fees.RunAsync("schedule", "import", HostileFiles.OfSize(Path.Combine(_folder, "schedule.json"), 2 * MB));
        var statement = await fees.RunAsync("statements", "import", HostileFiles.OfSize(Path.Combine(_folder, "vcb.sta"), 101 * MB), "--bank", "VCB", "--account", "0281000111222");
        var parse = await Support.Cli.RunAsync("statements", "parse", HostileFiles.OfSize(Path.Combine(_folder, "vcb.xlsx"), 21 * MB));

        Assert.Equal((2, "roster.csv: the file is 31 MB; a roster may be at most 30 MB.\nNothing was written.\n"), (roster.ExitCode, roster.Err));
        Assert.Equal((2, "schools.xlsx: the file is 6 MB; a list of schools may be at most 5 MB.\nNothing was written.\n"), (schools.ExitCode, schools.Err));
        Assert.Equal((2, "schedule.json: the file is 2 MB; a fee schedule may be at most 1 MB.\nNothing was written.\n"), (schedule.ExitCode, schedule.Err));
        Assert.Equal((2, "vcb.sta: the file is 101 MB; a statement may be at most 100 MB.\nNothing was written.\n"), (statement.ExitCode, statement.Err));
        Assert.Equal((2, "vcb.xlsx: the file is 21 MB; a statement may be at most 20 MB.\nNothing was written.\n"), (parse.ExitCode, parse.Err));
        Assert.Equal(students, await fees.Db.ScalarAsync("SELECT count(*) FROM students"));
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM statement_lines"));
    }

    [Fact]
    public async Task Import_HostileWorkbooks_AreRefusedWithExit2_NamingTheLimit()
    {
        await using var fees = await Support.Fees.StartAsync();
        await fees.SetUpExampleSchoolAsync();
        var students = await fees.Db.ScalarAsync("SELECT count(*) FROM students");

        var whole = await fees.RunAsync("students", "import", Write("whole.xlsx", HostileFiles.DeclaringWholeSheet()));
        var bomb = await fees.RunAsync("students", "import", Write("bomb.xlsx", HostileFiles.ZipBomb(300 * MB)));
        var statement = await fees.RunAsync("statements", "import", Write("vcb.xlsx", HostileFiles.DeclaringWholeSheet()), "--bank", "VCB", "--account", "0281000111222");

        Assert.Equal(2, whole.ExitCode);
        Assert.StartsWith("whole.xlsx: the sheet declares 1,048,576 rows × 16,384 columns (A1:XFD1048576)", whole.Err);
        Assert.Equal(2, bomb.ExitCode);
        Assert.StartsWith("bomb.xlsx: the workbook unpacks to 300.0 MB", bomb.Err);
        Assert.Equal(2, statement.ExitCode);
        Assert.StartsWith("vcb.xlsx: the sheet declares 1,048,576 rows × 16,384 columns (A1:XFD1048576); a statement is read up to 500,100 rows", statement.Err);
        Assert.Equal(students, await fees.Db.ScalarAsync("SELECT count(*) FROM students"));
    }

    [Fact]
    public async Task Import_TooManyRows_IsRefusedAtTheLimit_WithExit2()
    {
        await using var fees = await Support.Fees.StartAsync();
        var schools = new StringBuilder("school_code,name,level,ward,bank,account_no,account_name\n");
        for (var i = 0; i < 10_100; i++) schools.Append(FormattableString.Invariant($"S{i:D5},Trường {i},TH,Phú Cường,VCB,02810{i:D8},TRUONG {i}\n"));

        var r = await fees.RunAsync("schools", "import", fees.File("schools.csv", schools.ToString()));

        Assert.Equal(2, r.ExitCode);
        Assert.Equal("schools.csv: the file has more than 10,100 rows; a list of schools holds at most 10,000 (and 100 rows of headings and notes). Split it into smaller files.\n" +
            "Nothing was written.\n", r.Err);
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM schools"));
    }

    [Fact]
    public void ScheduleParse_MoreItemsThanAScheduleHolds_IsRefusedBeforeTheyAreRead()
    {
        var items = string.Join(",", Enumerable.Range(0, 501).Select(i => $"{{\"code\":\"I{i}\",\"name\":\"x\",\"unit\":\"month\",\"amount\":1}}"));
        var json = Encoding.UTF8.GetBytes($"{{\"school_year\":\"2025-2026\",\"months\":[9],\"items\":[{items}]}}");

        var refusal = Assert.Throws<BadInputException>(() => ScheduleImport.Parse(json, "schedule.json"));

        Assert.Equal("schedule.json: the file has 501 fee items; a fee schedule holds at most 500.", refusal.Message);
        Assert.Equal("schedule.json: tệp có 501 khoản thu; biểu phí tối đa 500.", refusal.Problems.Single().Render(vietnamese: true));
    }

    [Fact]
    public async Task StudentsImport_AThousandBadRows_ReportsTheFirst200AndCountsTheRest()
    {
        await using var fees = await Support.Fees.StartAsync();
        await fees.SetUpExampleSchoolAsync();
        var roster = new StringBuilder(Samples.StudentHeader);
        for (var i = 0; i < 1_000; i++) roster.Append(FormattableString.Invariant($"TS01,79100{i:D5},Học Sinh {i},31/02/2018,Nam,1,1A1,,,,,\n"));

        var r = await fees.RunAsync("students", "import", fees.File("roster.csv", roster.ToString()));

        var lines = r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, r.ExitCode);
        Assert.Equal(202, lines.Length);
        Assert.All(lines[..200], l => Assert.Contains("is not a real date", l));
        Assert.Equal("... and 800 more problems, not listed (the first 200 are).", lines[200]);
        Assert.Equal("Nothing was written.", lines[201]);
    }
}
