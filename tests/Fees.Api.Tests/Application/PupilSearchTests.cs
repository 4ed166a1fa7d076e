using System.Text;
using TdmEdu.Fees.Api.Application.Pupils;
using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Application;

/// <summary>
/// The staff's pupil search on PostgreSQL: names with or without marks (đ as d), the order of the results, codes, notice
/// numbers and classes, the bounds, and the wall between schools (another school's pupil never appears).
/// </summary>
public sealed class PupilSearchTests
{
    /// <summary>
    /// The example school's four pupils, four more whose names test the order, and at TS02 a namesake of An and two
    /// more; September billed.
    /// </summary>
    internal static async Task<Support.Fees> StartAsync()
    {
        var fees = await Support.Fees.StartAsync();
        await fees.SetUpExampleSchoolAsync();
        await fees.OkAsync("students", "import", fees.File("more.csv", Samples.StudentHeader +
            "TS01,7900000010,Trần Thị Ân,01/02/2018,Nữ,1,1A1,Trần Văn Tư,0912000010,,,\n" +
            "TS01,7900000011,Lê Văn Anh,02/02/2017,Nam,2,2A1,Lê Văn Sáu,0912000011,,,\n" +
            "TS01,7900000012,Nguyễn Thị Lan,03/03/2016,Nữ,3,3A2,Nguyễn Văn Bảy,0912000012,,,\n" +
            "TS01,7900000013,Đặng Minh Đức,04/04/2016,Nam,3,3A1,Đặng Văn Tám,0912000013,,,\n" +
            "TS02,7900000040,Đặng Quốc Bảo,07/07/2013,Nam,6,6A1,Đặng Văn Hùng,0912000040,,,\n" +
            "TS02,7900000041,Đặng Thị Thu,08/08/2014,Nữ,6,6A1,Đặng Văn Hùng,0912000040,,,\n" +
            "TS02,7900000050,Nguyễn Văn An,03/03/2013,Nam,6,6A2,Nguyễn Văn Chín,0912000050,,,\n"));
        await fees.OkAsync("notices", "issue", "--period", "2025-09");
        return fees;
    }

    private static async Task<SearchAnswer> FindAsync(Support.Fees fees, string school, string text)
    {
        await using var db = fees.Db.Open();
        return await new PupilSearch(db).FindAsync(school, text);
    }

    private static async Task<string[]> NamesAsync(Support.Fees fees, string school, string text) =>
        (await FindAsync(fees, school, text)).Pupils.Select(p => p.FullName).ToArray();

    [Fact]
    public async Task Find_ANameTypedWithOrWithoutMarks_FindsTheSamePupilFirst()
    {
        await using var fees = await StartAsync();

        foreach (var typed in new[] { "nguyen van an", "Nguyễn Văn An", "NGUYEN VAN AN", "  nguyễn   văn an ", "Nguyễn Văn An".Normalize(NormalizationForm.FormD) })
            Assert.Equal(["7900000001"], (await FindAsync(fees, "TS01", typed)).Pupils.Select(p => p.StudentCode));
        Assert.Equal("7900000001", (await FindAsync(fees, "TS01", "an")).Pupils[0].StudentCode);
        // đ and Đ are d, typed either way.
        Assert.Equal(["Đặng Minh Đức"], await NamesAsync(fees, "TS01", "dang minh duc"));
        Assert.Equal("Đặng Minh Đức", (await NamesAsync(fees, "TS01", "Đức"))[0]);
        // The words in any order.
        Assert.Equal(["Nguyễn Văn An", "Nguyễn Thị Lan"], await NamesAsync(fees, "TS01", "an nguyen"));
    }

    [Fact]
    public async Task Find_OrdersTheGivenNameFirst_ThenAWordThatStartsSo_ThenAnyContaining_WithTheTypedMarksBreakingTies()
    {
        await using var fees = await StartAsync();

        // "an": the given name An (then Ân, whose marks differ), a word starting with it (Anh), then names containing it.
        Assert.Equal(["Nguyễn Văn An", "Trần Thị Ân", "Lê Văn Anh", "Nguyễn Thị Lan", "Trần Thị Bích", "Đặng Minh Đức", "Lê Hoàng Nam"],
            await NamesAsync(fees, "TS01", "an"));
        // Typed with the mark, the pupil whose name has it comes first.
        Assert.Equal(["Trần Thị Ân", "Nguyễn Văn An", "Lê Văn Anh"], (await NamesAsync(fees, "TS01", "Ân"))[..3]);
        // The whole name before the same words inside a longer one.
        Assert.Equal(["Nguyễn Văn An", "Lê Văn Anh"], await NamesAsync(fees, "TS01", "van an"));
        var reasons = (await FindAsync(fees, "TS01", "an")).Pupils.Select(p => p.Reason).ToArray();
        Assert.Equal([HitReason.GivenName, HitReason.GivenName, HitReason.WordStart, HitReason.Contains], reasons[..4]);
    }

    [Fact]
    public async Task Find_ByPaymentCodeStudentCodeNoticeNumberOrClass_FindsTheSchoolsPupil()
    {
        await using var fees = await StartAsync();
        var bich = (await fees.Db.ListAsync("SELECT payment_code FROM students WHERE student_code = '7900000002'")).Single();
        var notice = (await fees.Db.ListAsync("SELECT n.notice_no FROM notices n JOIN students s ON s.id = n.student_id WHERE s.student_code = '7900000002'")).Single();

        Assert.Equal(["Trần Thị Bích"], await NamesAsync(fees, "TS01", bich.ToLowerInvariant()));
        var byStart = await FindAsync(fees, "TS01", bich[..^1]);
        Assert.Equal(("Trần Thị Bích", HitReason.CodeStart), (byStart.Pupils[0].FullName, byStart.Pupils[0].Reason));
        Assert.Equal(["Lê Hoàng Nam"], await NamesAsync(fees, "TS01", "7900000003"));
        Assert.Equal(["Trần Thị Bích"], await NamesAsync(fees, "TS01", notice.ToLowerInvariant()));
        // A class: its pupils, given names in order; and the classes whose name starts with what was typed, in age order.
        var klass = await FindAsync(fees, "TS01", "3A1");
        Assert.Equal(["Đặng Minh Đức", "Lê Hoàng Nam"], klass.Pupils.Select(p => p.FullName));
        Assert.All(klass.Pupils, p => Assert.Equal(HitReason.Class, p.Reason));
        var lop = await FindAsync(fees, "TS01", "lớp 3a");
        Assert.Equal(["3A1", "3A2"], lop.Classes.Select(c => c.Name));
        Assert.Equal("2025-09", lop.ClassMonth?.ToString());
        // One letter never matches every code that starts with it.
        Assert.DoesNotContain((await FindAsync(fees, "TS01", "h")).Pupils, p => p.Reason == HitReason.CodeStart);
    }

    [Fact]
    public async Task Find_NeverShowsAnotherSchoolsPupil_ByNameOrByCode()
    {
        await using var fees = await StartAsync();
        var ts02 = await fees.Db.ListAsync("SELECT payment_code FROM students s JOIN schools sc ON sc.id = s.school_id WHERE sc.code = 'TS02'");
        var ts02Notices = await fees.Db.ListAsync("SELECT notice_no FROM notices n JOIN schools sc ON sc.id = n.school_id WHERE sc.code = 'TS02'");
        Assert.Equal(3, ts02.Count);

        foreach (var text in new[] { "bao", "Đặng Quốc Bảo", "thu", "Đặng Thị Thu", "7900000040", "7900000050", "79000000", "6A1", "lớp 6" }
                     .Concat(ts02).Concat(ts02.Select(c => c[..^1])).Concat(ts02Notices))
        {
            var answer = await FindAsync(fees, "TS01", text);
            Assert.True(answer.Pupils.All(p => p.StudentCode is not ("7900000040" or "7900000041" or "7900000050")), $"TS01 searching \"{text}\" saw a TS02 pupil");
            Assert.DoesNotContain(answer.Classes, c => c.Name.StartsWith('6'));
        }
        // Namesakes at two schools: each school finds its own.
        Assert.Equal(["7900000001"], (await FindAsync(fees, "TS01", "nguyen van an")).Pupils.Select(p => p.StudentCode));
        Assert.Equal(["7900000050"], (await FindAsync(fees, "TS02", "nguyen van an")).Pupils.Select(p => p.StudentCode));
        Assert.Empty((await FindAsync(fees, "TS99", "an")).Pupils);
    }

    [Fact]
    public async Task Find_IsBounded_TooLongTextRefused_WildcardsAreNotWildcards_AtMostTwentyPupils()
    {
        await using var fees = await StartAsync();
        await fees.OkAsync("students", "import", fees.File("khoa.csv", Samples.StudentHeader + string.Concat(Enumerable.Range(1, 25).Select(i =>
            $"TS01,79000001{i:D2},Võ Minh Khoa,05/05/2017,Nam,2,2A1,,,,,\n"))));

        var tooLong = await FindAsync(fees, "TS01", new string('a', PupilSearch.MaxQueryLength + 1));
        var longest = await FindAsync(fees, "TS01", new string('a', PupilSearch.MaxQueryLength));
        var many = await FindAsync(fees, "TS01", "vo minh khoa");
        var fewer = await FindAsync(fees, "TS01", "7900000125");

        Assert.True(tooLong.TooLong);
        Assert.Empty(tooLong.Pupils);
        Assert.False(longest.TooLong);
        Assert.Empty((await FindAsync(fees, "TS01", "%%")).Pupils);
        Assert.Empty((await FindAsync(fees, "TS01", "_")).Pupils);
        Assert.Empty((await FindAsync(fees, "TS01", "'; DROP TABLE students; --")).Pupils);
        Assert.Equal(PupilSearch.MaxResults, many.Pupils.Count);
        Assert.True(many.More);
        Assert.False(fewer.More);
    }

    [Fact]
    public void ClassOrder_ListsKindergartenGroupsByAge_ThenGrades_NumbersAsNumbers()
    {
        ClassChoice[] classes =
        [
            new("Lớp 12B", 12), new("Lá 1", 0), new("1A10", 1), new("Mầm 3 tuổi", 0), new("2A1", 2), new("1A2", 1), new("Chồi 2", 0),
            new("Nhà trẻ 1", 0), new("Lớp 1A", 1), new("Chồi 10", 0), new("6A1", 6),
        ];

        Assert.Equal(["Nhà trẻ 1", "Mầm 3 tuổi", "Chồi 2", "Chồi 10", "Lá 1", "1A2", "1A10", "Lớp 1A", "2A1", "6A1", "Lớp 12B"],
            ClassOrder.Sort(classes).Select(c => c.Name));
    }
}
