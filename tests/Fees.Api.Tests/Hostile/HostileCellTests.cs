using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Files;
using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Hostile;

/// <summary>
/// One huge cell (attack of 5 December 2026): a 256 KB workbook uploaded on the attendance page unpacked to one
/// 250 MB cell, held 5 GB of the service's memory, and the refusal echoed the cell back. A cell is now refused past
/// 4,000 characters without being held whole, a page's workbook unpacks to at most ten times its upload limit, and
/// no refusal repeats the cell.
/// </summary>
public sealed class HostileCellTests : IDisposable
{
    private const long MB = 1024 * 1024;
    private readonly string _folder = Directory.CreateTempSubdirectory("hostile-cell-").FullName;

    public void Dispose() => Directory.Delete(_folder, true);

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static (BadInputException Refusal, long AllocatedBytes) Refused(string path, FileLimits limits)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var refusal = Assert.Throws<BadInputException>(() => TabularFile.Read(path, limits, CancellationToken.None));
        return (refusal, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void AWorkbookCellOf40MillionLetters_IsRefusedByItsPlace_WithoutHoldingIt_NorRepeatingIt()
    {
        var path = Write("diem-danh.xlsx", HostileFiles.OneLongCell(40 * MB));
        Assert.True(new FileInfo(path).Length < 1 * MB);

        var (refusal, allocated) = Refused(path, FileLimits.AttendanceUpload);

        Assert.Equal("diem-danh.xlsx, line 2, column A2: the cell holds more than 4,000 characters; no value is that long.", refusal.Message);
        Assert.Equal("diem-danh.xlsx, dòng 2, cột A2: ô có hơn 4.000 ký tự; không giá trị nào dài như vậy.", refusal.Problems.Single().Render(vietnamese: true));
        Assert.True(allocated < 4 * MB, $"refusing it allocated {allocated:N0} bytes");
    }

    [Fact]
    public void APagesWorkbook_UnpacksToAtMostTenTimesItsUploadLimit()
    {
        var (refusal, allocated) = Refused(Write("bomb.xlsx", HostileFiles.ZipBomb(60 * MB)), FileLimits.AttendanceUpload);

        Assert.Contains("bomb.xlsx: the workbook unpacks to 60.0 MB (its part xl/worksheets/sheet1.xml to 60 MB); an Excel workbook may unpack to at most 50 MB.", refusal.Message, StringComparison.Ordinal);
        Assert.True(allocated < 4 * MB, $"refusing it allocated {allocated:N0} bytes");
        // The command line's roster keeps its room: the same bomb is only refused at 256 MB there.
        Assert.DoesNotContain("unpacks", Assert.Throws<BadInputException>(() => TabularFile.Read(Path.Combine(_folder, "bomb.xlsx"), FileLimits.Roster, CancellationToken.None)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ACsvCellOf10000Characters_IsRefusedByLineAndColumn_WithoutRepeatingIt()
    {
        var path = Write("diem-danh.csv", System.Text.Encoding.UTF8.GetBytes("student_code,month\n7900000001," + new string('9', 10_000) + "\n"));

        var (refusal, _) = Refused(path, FileLimits.AttendanceUpload);

        Assert.Equal("diem-danh.csv, line 2, column B: the cell holds more than 4,000 characters; no value is that long.", refusal.Message);
        Assert.True(refusal.Message.Length < 200);
    }

    [Fact]
    public void ACellMadeOfManyShortRuns_CountsAsOneCell()
    {
        var run = "<r><t>" + new string('A', 3_000) + "</t></r>";
        var path = Write("runs.xlsx", HostileFiles.Xlsx("<sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>student_code</t></is></c></row>"
            + "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is>" + run + run + run + "</is></c></row></sheetData>"));

        var (refusal, _) = Refused(path, FileLimits.AttendanceUpload);

        Assert.Equal("runs.xlsx, line 2, column A2: the cell holds more than 4,000 characters; no value is that long.", refusal.Message);
    }
}
