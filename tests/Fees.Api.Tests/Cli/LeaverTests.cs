using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Cli;

/// <summary>A pupil who leaves: the last month billed again by its days with every absence still waiting given back, the rest held or paid back.</summary>
public sealed class LeaverTests
{
    private static readonly string Schedule = AttendanceRefundTests.Schedule("{\"from_day\": 1}")
        .Replace("\"amount\": 200000, \"reducible\": true}", "\"amount\": 200000, \"reducible\": true, \"part_month\": \"half\"}", StringComparison.Ordinal)
        .Replace("\"reducible\": true, \"absence_refund\"", "\"reducible\": true, \"part_month\": \"days\", \"absence_refund\"", StringComparison.Ordinal);

    private static async Task<Support.Fees> OctoberPaidAsync()
    {
        var fees = await Support.Fees.StartAsync();
        Assert.Contains("\"part_month\": \"days\"", Schedule, StringComparison.Ordinal);
        await fees.OkAsync("schools", "import", fees.File("schools.csv", Samples.Schools));
        await fees.OkAsync("schedule", "import", fees.File("schedule.json", Schedule));
        await fees.OkAsync("students", "import", fees.File("students.csv", Samples.Students, bom: true));
        fees.Clock.Now = new DateTimeOffset(2025, 9, 3, 3, 0, 0, TimeSpan.Zero);
        await fees.OkAsync("notices", "issue", "--period", "2025-09");
        await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00001", "--amount", "1371800");
        fees.Clock.Now = new DateTimeOffset(2025, 10, 1, 3, 0, 0, TimeSpan.Zero);
        await fees.OkAsync("attendance", "import", fees.File("t9.csv", "student_code,month,absent_with_notice,absent_without_notice\n7900000001,09/2025,2,0\n"));
        await fees.OkAsync("notices", "issue", "--period", "2025-10");
        // An: 200,000 + 22 meals less September's 2 days.
        Assert.Equal(800_000, await fees.Db.ScalarAsync("SELECT amount_due_vnd FROM notices WHERE notice_no = 'TS01-202510-00001'"));
        await fees.OkAsync("payments", "cash", "--notice", "TS01-202510-00001", "--amount", "800000");
        fees.Clock.Now = new DateTimeOffset(2025, 10, 13, 3, 0, 0, TimeSpan.Zero);
        await fees.OkAsync("attendance", "import", fees.File("t10.csv", "student_code,month,absent_with_notice,absent_without_notice\n7900000001,10/2025,3,0\n"));
        return fees;
    }

    [Fact]
    public async Task ALeaversLastMonth_IsBilledAgainByItsDaysWithEveryAbsenceBack_AndTheRestIsPaidBackInCash()
    {
        await using var fees = await OctoberPaidAsync();
        var said = await fees.OkAsync("students", "leave", "--student", "7900000001", "--on", "10/10/2025", "--reason", "Chuyển nhà", "--refund", "cash");
        Assert.Contains("Withdrawn: TS01-202510-00001. Last month billed again as TS01-202510-00005.", said, StringComparison.Ordinal);
        Assert.Contains("Paid back in cash: 610.000", said, StringComparison.Ordinal);

        // Friday 10 October is An's last day: 8 school days of 23, half the semi-boarding and 8 meals, less September's
        // 2 days and October's 3: 100,000 + 240,000 − 60,000 − 90,000. Paid from the 800,000; 610,000 back in cash.
        Assert.Equal(["TS01-202510-00001 refunded 800000", "TS01-202510-00005 paid 190000"], await fees.Db.ListAsync("""
            SELECT notice_no || ' ' || status || ' ' || amount_due_vnd FROM notices n JOIN students s ON s.id = n.student_id
            WHERE s.student_code = '7900000001' AND n.period_key = 202510 ORDER BY 1
            """));
        Assert.Equal(["202509 2 60000", "202510 3 90000"], await fees.Db.ListAsync("""
            SELECT r.period_key || ' ' || r.days || ' ' || r.amount_vnd FROM absence_refunds r JOIN notices n ON n.id = r.notice_id
            WHERE n.notice_no = 'TS01-202510-00005' ORDER BY 1
            """));
        Assert.Equal(610_000, await fees.Db.ScalarAsync("SELECT sum(amount_vnd) FROM refunds"));
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM attendance_months WHERE NOT settled"));
        await fees.OkAsync("audit");

        // Again, with nothing new: nothing changes.
        Assert.DoesNotContain("Withdrawn", await fees.OkAsync("students", "leave", "--student", "7900000001", "--on", "10/10/2025", "--reason", "Chuyển nhà"), StringComparison.Ordinal);
        fees.Clock.Now = new DateTimeOffset(2025, 11, 1, 3, 0, 0, TimeSpan.Zero);
        Assert.Contains("1 student(s) who left before 2025-11 are not billed.", await fees.OkAsync("notices", "issue", "--period", "2025-11"), StringComparison.Ordinal);
        await fees.OkAsync("audit");
    }

    [Fact]
    public async Task ALeaverByDefault_KeepsWhatWasPaidBeyondAsCredit_AndLaterNoticesAreWithdrawn()
    {
        await using var fees = await OctoberPaidAsync();
        fees.Clock.Now = new DateTimeOffset(2025, 11, 1, 3, 0, 0, TimeSpan.Zero);
        await fees.OkAsync("notices", "issue", "--period", "2025-11");
        var said = await fees.OkAsync("students", "leave", "--student", "7900000001", "--on", "2025-10-10", "--reason", "Chuyển nhà");
        Assert.Contains("Withdrawn: TS01-202510-00001, TS01-202511-00001.", said, StringComparison.Ordinal);
        Assert.Contains("Held for the pupil: 610.000", said, StringComparison.Ordinal);
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM refunds"));
        Assert.Equal(["cancelled"], await fees.Db.ListAsync("SELECT status FROM notices WHERE notice_no = 'TS01-202511-00001'"));
        await fees.OkAsync("audit");
        // The leaving day may not come before enrolment, and another school's page cannot act on the pupil.
        var early = await fees.RunAsync("students", "leave", "--student", "7900000004", "--on", "01/10/2025", "--reason", "x");
        Assert.Equal(2, early.ExitCode);
        Assert.Contains("01/10/2025 is before the pupil enrolled (06/10/2025).", early.Err, StringComparison.Ordinal);
    }
}
