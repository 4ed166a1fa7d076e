using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Cli;

/// <summary>When a month of absences is done with: settled once given back in full, or once its school closed it unbilled; checked by the audit.</summary>
public sealed class AttendanceSettleTests
{
    private const string Header = "student_code,month,absent_with_notice,absent_without_notice\n";

    [Fact]
    public async Task AMonthTheSchoolClosedWithoutBillingThePupil_IsSettled_NotReadByEveryRunForever()
    {
        await using var fees = await AttendanceRefundTests.SchoolAsync("{\"from_day\": 1}");
        // Mai enrols on 6 October: September was never billed for her. Her September absences were recorded while the
        // roster had no enrolment day for her (absences before enrolling are refused now), and the day came after.
        await fees.Db.ExecAsync("UPDATE students SET enrolled_on = NULL WHERE student_code = '7900000004'");
        await fees.OkAsync("attendance", "import", fees.File("a.csv", Header + "7900000004,09/2025,2,0\n"));
        await fees.Db.ExecAsync("UPDATE students SET enrolled_on = '2025-10-06' WHERE student_code = '7900000004'");
        await fees.OkAsync("notices", "issue", "--period", "2025-10");
        Assert.Equal(1, await fees.Db.ScalarAsync("SELECT count(*) FROM attendance_months WHERE NOT settled"));

        // Once September is closed it is never billed: nothing to give back, and the month is done with.
        await fees.OkAsync("notices", "close", "--period", "2025-09", "--school", "TS01");
        fees.Clock.Now = new DateTimeOffset(2025, 11, 3, 3, 0, 0, TimeSpan.Zero);
        await fees.OkAsync("notices", "issue", "--period", "2025-11");
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM attendance_months WHERE NOT settled"));
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM absence_refunds"));
    }

    [Fact]
    public async Task AMonthRecordedBeforeATransfer_RecordedAgainByTheNewSchool_IsTheNewSchoolsEvenWithTheSameDays()
    {
        await using var fees = await AttendanceRefundTests.SchoolAsync("{\"from_day\": 1}");
        await fees.OkAsync("attendance", "import", "--school", "TS01", fees.File("a.csv", Header + "7900000001,10/2025,2,0\n"));
        await fees.OkAsync("students", "import", fees.File("ts02.csv", Samples.StudentHeader + "TS02,7900000040,Võ Minh Khoa,01/02/2013,Nam,6,6A1,Võ Văn Lâm,0912000040,,,\n"));
        await fees.OkAsync("students", "transfer", "--student", "7900000001", "--to", "TS02", "--class", "6A1", "--reason", "Chuyển nhà");

        Assert.Contains("0 pupil-month(s) added, 1 changed, 0 unchanged", await fees.OkAsync("attendance", "import", "--school", "TS02", fees.File("b.csv", Header + "7900000001,10/2025,2,0\n")), StringComparison.Ordinal);
        Assert.Equal(["TS02"], await fees.Db.ListAsync("SELECT s.code FROM attendance_months a JOIN schools s ON s.id = a.school_id"));
    }

    [Fact]
    public async Task TheDryRun_ShowsDaysGivenBackApartFromReductions()
    {
        await using var fees = await AttendanceRefundTests.SchoolAsync("{\"from_day\": 1}");
        await fees.OkAsync("attendance", "import", fees.File("a.csv", Header + "7900000001,09/2025,3,0\n"));
        var dry = await fees.OkAsync("notices", "issue", "--period", "2025-10", "--dry-run");
        var header = dry.Split('\n')[1];
        Assert.Contains("reductions", header, StringComparison.Ordinal);
        Assert.Contains("refunds", header, StringComparison.Ordinal);
        // An's class 1A1: 3 days of meals (90,000) given back, no reduction in that class.
        var an = dry.Split('\n').Single(l => l.StartsWith("TS01", StringComparison.Ordinal) && l.Contains("1A1", StringComparison.Ordinal));
        Assert.Equal(["0", "90,000", "0"], an.Split(' ', StringSplitOptions.RemoveEmptyEntries)[4..7]);
    }

    [Fact]
    public async Task Audit_NamesASettledMonthThatGotLessBackThanItsDays()
    {
        await using var fees = await AttendanceRefundTests.SchoolAsync("{\"from_day\": 1}");
        await fees.OkAsync("attendance", "import", fees.File("a.csv", Header + "7900000001,09/2025,2,0\n"));
        await fees.OkAsync("notices", "issue", "--period", "2025-10");
        Assert.Equal(0, (await fees.RunAsync("audit")).ExitCode);
        fees.PlantsBrokenState();

        // The month says four days, settled, yet only two were given back.
        await fees.Db.ExecAsync("UPDATE attendance_months SET absent_with_notice = 4");
        var audit = await fees.RunAsync("audit");
        Assert.Equal(3, audit.ExitCode);
        Assert.Contains("FAIL  a settled month whose days were given back got all of them back, shared as its line was paid, by the rule it was first given back by: 7900000001/202509/TIEN_AN: gave back 60000 to the family and 0 off the claim, but the month's line gives back 120000 and 0", audit.Err, StringComparison.Ordinal);
    }
}
