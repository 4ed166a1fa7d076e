using TdmEdu.Fees.Api.Application.Attendance;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Domain.Schedule;
using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Cli;

/// <summary>Absences only where meals were billed (found by attack, 5 December 2026): school days of a school year with a schedule, one row per pupil and month.</summary>
public sealed class AttendanceInputTests
{
    private const string Daily = "Mã học sinh,Ngày,Loại nghỉ\n";

    [Fact]
    public async Task AbsencesOnAWeekend_AreRefusedByLine_AndGiveNothingBack()
    {
        await using var fees = await AttendanceRefundTests.SchoolAsync("{\"from_day\": 1}");
        // 20 and 21 September 2025 are a Saturday and a Sunday; September counts 18 school days, fewer than its 22 weekdays.
        var refused = await fees.RunAsync("attendance", "import", fees.File("t9.csv", Daily + "7900000001,19/09/2025,P\n7900000001,20/09/2025,P\n7900000001,21/09/2025,K\n"));
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("t9.csv, line 3, column B \"Ngày\" (date): 20/09/2025 is a Saturday, not a school day: no meal was billed for it.", refused.Err, StringComparison.Ordinal);
        Assert.Contains("t9.csv, line 4, column B \"Ngày\" (date): 21/09/2025 is a Sunday, not a school day", refused.Err, StringComparison.Ordinal);
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM attendance_months"));
    }

    [Fact]
    public async Task ASaturday_IsASchoolDay_OnlyAtASchoolWhoseOwnItemsCountIt()
    {
        await using var fees = await Support.Fees.StartAsync();
        await fees.OkAsync("schools", "import", fees.File("schools.csv", Samples.Schools));
        // Only TS01 bills a Saturday breakfast: 26 days in September, more than its 22 weekdays.
        var schedule = AttendanceRefundTests.Schedule("{\"from_day\": 1}").Replace("{\"code\": \"BAN_TRU\"", """
            {"code": "AN_SANG", "name": "Ăn sáng", "kind": "service", "unit": "day", "amount": 10000, "schools": ["TS01"],
              "days": {"9": 26, "10": 27, "11": 25, "12": 27, "1": 20, "2": 22, "3": 26, "4": 25, "5": 21}, "reducible": false},
            {"code": "BAN_TRU"
            """, StringComparison.Ordinal);
        await fees.OkAsync("schedule", "import", fees.File("schedule.json", schedule));
        await fees.OkAsync("students", "import", fees.File("students.csv", Samples.StudentHeader
            + "TS01,7900000001,Nguyễn Văn An,12/05/2018,Nam,1,1A1,Nguyễn Văn Bình,0912000001,,,\n"
            + "TS02,7900000009,Lý Thị Hoa,12/05/2013,Nữ,6,6A1,Lý Văn Hùng,0912000009,,,\n"));
        fees.Clock.Now = new DateTimeOffset(2025, 10, 3, 3, 0, 0, TimeSpan.Zero);

        var refused = await fees.RunAsync("attendance", "import", fees.File("t9.csv", Daily + "7900000001,20/09/2025,P\n7900000009,20/09/2025,P\n"));
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("t9.csv, line 3, column B \"Ngày\" (date): 20/09/2025 is a Saturday, not a school day", refused.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("line 2", refused.Err, StringComparison.Ordinal);

        await fees.OkAsync("attendance", "import", fees.File("t9b.csv", Daily + "7900000001,20/09/2025,P\n"));
        Assert.Equal(1, await fees.Db.ScalarAsync("SELECT count(*) FROM attendance_months"));
        await using var db = fees.Db.Open();
        var days = await new AttendanceStore(db, new BusinessClock(fees.Clock), new Actor("kt@ts01.vn")).SchoolDaysAsync(CancellationToken.None);
        Assert.Equal(26, days(new BillingMonth(2025, 9), "TS01"));
        Assert.Equal(18, days(new BillingMonth(2025, 9), "TS02"));
    }

    [Fact]
    public async Task AbsencesBeforeAPupilEnrolled_AreRefusedByLine()
    {
        await using var fees = await AttendanceRefundTests.SchoolAsync("{\"from_day\": 1}");
        // Mai enrols on Monday 6 October.
        var refused = await fees.RunAsync("attendance", "import", fees.File("t.csv", Daily + "7900000004,03/10/2025,P\n"));
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("t.csv, line 2, column date: pupil 7900000004 enrolled on 06/10/2025; no absence before that day is recorded.", refused.Err, StringComparison.Ordinal);
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM attendance_months"));
    }

    [Fact]
    public void ASaturday_IsASchoolDayOnlyInAMonthCountingMoreDaysThanItsWeekdays()
    {
        var saturday = new DateOnly(2025, 9, 20);
        Assert.Equal(22, SchoolDays.Weekdays(new BillingMonth(2025, 9)));
        Assert.False(SchoolDays.IsSchoolDay(saturday, 22));
        Assert.True(SchoolDays.IsSchoolDay(saturday, 26));
        Assert.False(SchoolDays.IsSchoolDay(saturday.AddDays(1), 30));
        Assert.True(SchoolDays.IsSchoolDay(saturday.AddDays(2), 18));
    }

    [Fact]
    public async Task AMonthOfASchoolYearWithoutSchedule_IsRefused_NotKeptForeverUnsettled()
    {
        await using var fees = await AttendanceRefundTests.SchoolAsync("{\"from_day\": 1}");
        var refused = await fees.RunAsync("attendance", "import", fees.File("old.csv", "student_code,month,absent_with_notice,absent_without_notice\n7900000001,01/0001,1,0\n7900000001,05/2024,1,0\n"));
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("line 2, column B (month): school year 0-1 has no fee schedule, so 0001-01 billed no meals to give back.", refused.Err, StringComparison.Ordinal);
        Assert.Contains("line 3, column B (month): school year 2023-2024 has no fee schedule", refused.Err, StringComparison.Ordinal);
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM attendance_months"));
    }

    [Fact]
    public async Task APupilGivenTwiceForAMonth_IsRefusedByItsLine_NotByTheDatabase()
    {
        await using var fees = await AttendanceRefundTests.SchoolAsync("{\"from_day\": 1}");
        await using var db = fees.Db.Open();
        var store = new AttendanceStore(db, new BusinessClock(fees.Clock), new Actor("kt@ts01.vn"));
        var september = new BillingMonth(2025, 9);
        var e = await Assert.ThrowsAsync<BadInputException>(() => store.StoreAsync(
            [new AbsenceMonth("7900000001", september, 1, 0, [8], [], 1), new AbsenceMonth("7900000001", september, 1, 0, [9], [], 2)], "TS01", "grid 1A1"));
        Assert.Equal("grid 1A1, line 2, column student_code: pupil 7900000001 is given twice for 2025-09.", e.Message);
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM attendance_months"));
    }
}
