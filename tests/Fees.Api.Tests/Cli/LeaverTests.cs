using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Cli;

/// <summary>A pupil who leaves: the last month billed again by its days with every absence still waiting given back, the rest held or paid back.</summary>
public sealed class LeaverTests
{
    internal static readonly string Schedule = AttendanceRefundTests.Schedule("{\"from_day\": 1}")
        .Replace("\"amount\": 200000, \"reducible\": true}", "\"amount\": 200000, \"reducible\": true, \"part_month\": \"half\"}", StringComparison.Ordinal)
        .Replace("\"reducible\": true, \"absence_refund\"", "\"reducible\": true, \"part_month\": \"days\", \"absence_refund\"", StringComparison.Ordinal);

    internal static async Task<Support.Fees> OctoberPaidAsync()
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
    public async Task ALeaverInArrears_HasTheWithdrawnMonthsMoneyPutOnTheUnpaidMonthFirst_AndOnlyTheRestPaidBack()
    {
        // Found by attack: Bích paid October but not September; leaving at September's end paid October's money back in cash.
        await using var fees = await OctoberPaidAsync();
        var september = await fees.Db.ScalarAsync("SELECT amount_due_vnd FROM notices WHERE notice_no = 'TS01-202509-00002'");
        var october = await fees.Db.ScalarAsync("SELECT amount_due_vnd FROM notices WHERE notice_no = 'TS01-202510-00002'");
        await fees.OkAsync("payments", "cash", "--notice", "TS01-202510-00002", "--amount", october.ToString(System.Globalization.CultureInfo.InvariantCulture));

        await fees.OkAsync("students", "leave", "--student", "7900000002", "--on", "30/09/2025", "--reason", "Chuyển trường", "--refund", "cash");

        Assert.Equal(Math.Min(september, october), await fees.Db.ScalarAsync("SELECT amount_paid_vnd FROM notices WHERE notice_no = 'TS01-202509-00002'"));
        Assert.Equal(Math.Max(0, october - september), await fees.Db.ScalarAsync("SELECT COALESCE(sum(amount_vnd), 0) FROM refunds"));
        await fees.OkAsync("audit");
    }

    [Fact]
    public async Task DaysAbsentRecordedBeforeTheLeave_ForDaysAfterTheLastOne_AreNotGivenBack()
    {
        // Review: An's days 8 and 13 October were recorded before the leave; the leave ends on the 10th, so the 13th was
        // never billed (the meals are billed by the days) and giving it back would pay it twice.
        await using var fees = await OctoberPaidAsync();
        await fees.OkAsync("attendance", "import", fees.File("d10.csv", "student_code,date,absence\n7900000001,08/10/2025,P\n7900000001,13/10/2025,P\n"));
        fees.Clock.Now = new DateTimeOffset(2025, 10, 16, 3, 0, 0, TimeSpan.Zero);

        await fees.OkAsync("students", "leave", "--student", "7900000001", "--on", "10/10/2025", "--reason", "Chuyển nhà");

        Assert.Equal(["202509 2 60000", "202510 1 30000"], await fees.Db.ListAsync("""
            SELECT r.period_key || ' ' || r.days || ' ' || r.amount_vnd FROM absence_refunds r JOIN notices n ON n.id = r.notice_id
            WHERE n.status NOT IN ('cancelled', 'refunded') AND n.period_key = 202510 ORDER BY 1
            """));
        await fees.OkAsync("audit");
    }

    [Fact]
    public async Task ALeaversLastMonth_IsBilledAgainByItsDaysWithEveryAbsenceBack_AndTheRestIsPaidBackInCash()
    {
        await using var fees = await OctoberPaidAsync();
        fees.Clock.Now = new DateTimeOffset(2025, 10, 16, 3, 0, 0, TimeSpan.Zero);
        var said = await fees.OkAsync("students", "leave", "--student", "7900000001", "--on", "10/10/2025", "--reason", "Chuyển nhà", "--refund", "cash");
        Assert.Contains("Withdrawn: TS01-202510-00001. Billed again as TS01-202510-00005.", said, StringComparison.Ordinal);
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
        // Billed again on 16 October, after October's due date (the 15th): due a week later, not overdue the day it is billed.
        Assert.Equal(["2025-10-23"], await fees.Db.ListAsync("SELECT due_date::text FROM notices WHERE notice_no = 'TS01-202510-00005'"));
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM attendance_months WHERE NOT settled"));
        await fees.OkAsync("audit");

        // A day absent recorded after the leave, in the leaving month: no later notice will come, so October is billed
        // again and the day is given back as credit (found by attack: it waited for ever).
        var late = await fees.OkAsync("attendance", "import", fees.File("t10b.csv", "student_code,month,absent_with_notice,absent_without_notice\n7900000001,10/2025,4,0\n"));
        Assert.Contains("their last month billed again with the absences given back: 7900000001.", late, StringComparison.Ordinal);
        Assert.Equal(["202509 2", "202510 4"], await fees.Db.ListAsync("""
            SELECT r.period_key || ' ' || r.days FROM absence_refunds r JOIN notices n ON n.id = r.notice_id
            WHERE n.status <> 'refunded' AND n.status <> 'cancelled' AND n.period_key = 202510 ORDER BY 1
            """));
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

    [Fact]
    public async Task ALeavingDayMovedLater_BillsAgainTheMonthsThePupilNowAttended()
    {
        await using var fees = await OctoberPaidAsync();
        fees.Clock.Now = new DateTimeOffset(2025, 11, 1, 3, 0, 0, TimeSpan.Zero);
        await fees.OkAsync("notices", "issue", "--period", "2025-11");
        // Friday 19 September first: 15 of September's 22 weekdays.
        Assert.Contains("Withdrawn: TS01-202509-00001, TS01-202510-00001, TS01-202511-00001.",
            await fees.OkAsync("students", "leave", "--student", "7900000001", "--on", "19/09/2025", "--reason", "Chuyển nhà"), StringComparison.Ordinal);
        // Then the family says Friday 31 October: September whole again, October again with its 3 days absent back; November stays withdrawn.
        var later = await fees.OkAsync("students", "leave", "--student", "7900000001", "--on", "31/10/2025", "--reason", "Gia đình báo lại ngày");
        Assert.Contains("Held for the pupil: 90.000", later, StringComparison.Ordinal);
        Assert.Equal(["202509 1371800 paid", "202510 710000 paid"], await fees.Db.ListAsync("""
            SELECT n.period_key || ' ' || n.amount_due_vnd || ' ' || n.status FROM notices n JOIN students s ON s.id = n.student_id
            WHERE s.student_code = '7900000001' AND n.status NOT IN ('cancelled', 'refunded') ORDER BY 1
            """));
        await fees.OkAsync("audit");

        // Absences after the last day are not recorded, by file or grid.
        fees.Clock.Now = new DateTimeOffset(2025, 11, 10, 3, 0, 0, TimeSpan.Zero);
        var after = await fees.RunAsync("attendance", "import", fees.File("t11.csv", "Mã học sinh,Ngày,Loại nghỉ\n7900000001,03/11/2025,P\n"));
        Assert.Equal(2, after.ExitCode);
        Assert.Contains("pupil 7900000001 left after 31/10/2025; no absence after that day is recorded.", after.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALeavingDayInOrBeforeAClosedMonth_OrBeforeTheSchoolYear_OrWithAnEndlessReason_IsRefused_AndNothingChanges()
    {
        await using var fees = await OctoberPaidAsync();
        await fees.OkAsync("notices", "close", "--period", "2025-10", "--school", "TS01");
        var before = await fees.RunAsync("students", "leave", "--student", "7900000001", "--on", "30/09/2025", "--reason", "Chuyển nhà");
        Assert.Equal(3, before.ExitCode);
        Assert.Contains("The 2025-10 period is closed", before.Err, StringComparison.Ordinal);
        var inIt = await fees.RunAsync("students", "leave", "--student", "7900000001", "--on", "10/10/2025", "--reason", "Chuyển nhà");
        Assert.Contains("The 2025-10 period is closed", inIt.Err, StringComparison.Ordinal);
        var old = await fees.RunAsync("students", "leave", "--student", "7900000001", "--on", "31/07/2024", "--reason", "Chuyển nhà");
        Assert.Contains("31/07/2024 is before this school year (from 01/08/2025).", old.Err, StringComparison.Ordinal);
        var endless = await fees.RunAsync("students", "leave", "--student", "7900000002", "--on", "10/11/2025", "--reason", new string('x', 501));
        Assert.Contains("the reason is longer than 500 characters.", endless.Err, StringComparison.Ordinal);
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM students WHERE left_on IS NOT NULL"));
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM notices WHERE status IN ('cancelled', 'refunded')"));
    }

    [Fact]
    public async Task TheRoster_NeverMovesALeavingDayNorSetsOneBeforeNoticesAlreadyIssued_NorDatesAMoveBeforeTheLast()
    {
        await using var fees = await OctoberPaidAsync();
        var header = Samples.StudentHeader.TrimEnd() + ",left_on,class_since\n";
        const string an = "TS01,7900000001,Nguyễn Văn An,12/05/2018,Nam,1,1A1,Nguyễn Văn Bình,0912000001,,,";
        var early = await fees.RunAsync("students", "import", fees.File("a.csv", header + an + ",30/09/2025,\n"));
        Assert.Equal(2, early.ExitCode);
        Assert.Contains("pupil 7900000001 has notices for months after 30/09/2025; record the leaving on the pupil's leaving page", early.Err, StringComparison.Ordinal);
        var far = await fees.RunAsync("students", "import", fees.File("b.csv", header + an + ",31/12/9999,\n"));
        Assert.Contains("31/12/9999 is not within two years before and three months after today.", far.Err, StringComparison.Ordinal);

        await fees.OkAsync("students", "leave", "--student", "7900000001", "--on", "10/10/2025", "--reason", "Chuyển nhà");
        var moved = await fees.RunAsync("students", "import", fees.File("c.csv", header + an + ",,\n"));
        Assert.Contains("pupil 7900000001 already left after 10/10/2025; change that on the pupil's leaving page", moved.Err, StringComparison.Ordinal);

        const string bich = "TS01,7900000002,Trần Thị Bích,2017-03-01,Nữ,2,{0},Trần Văn Cường,0912000002,CN,,";
        await fees.OkAsync("students", "import", fees.File("d.csv", header + string.Format(System.Globalization.CultureInfo.InvariantCulture, bich, "2A2") + ",,10/10/2025\n"));
        var back = await fees.RunAsync("students", "import", fees.File("e.csv", header + string.Format(System.Globalization.CultureInfo.InvariantCulture, bich, "2A1") + ",,01/10/2025\n"));
        Assert.Contains("pupil 7900000002 last changed class on 10/10/2025; a later move cannot start before it.", back.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LeavingAtAMonthsEnd_GivesBackWhatTheWithdrawnNextNoticeHadCarried()
    {
        await using var fees = await OctoberPaidAsync();
        // September is whole either way, but October's notice had carried September's 2 days (60,000): withdrawn,
        // they are owed again, and September is billed again to give them back.
        var said = await fees.OkAsync("students", "leave", "--student", "7900000001", "--on", "30/09/2025", "--reason", "Chuyển nhà");
        Assert.Contains("Withdrawn: TS01-202509-00001, TS01-202510-00001.", said, StringComparison.Ordinal);
        Assert.Equal(["202509 1311800"], await fees.Db.ListAsync("""
            SELECT n.period_key || ' ' || n.amount_due_vnd FROM notices n JOIN students s ON s.id = n.student_id
            WHERE s.student_code = '7900000001' AND n.status NOT IN ('cancelled', 'refunded') ORDER BY 1
            """));
        Assert.Contains("Held for the pupil: 860.000", said, StringComparison.Ordinal);
        await fees.OkAsync("audit");
    }

    [Fact]
    public async Task ALeavingDayMovedIntoAMonthTheRunLeftOut_BillsThatMonth()
    {
        await using var fees = await OctoberPaidAsync();
        await fees.OkAsync("students", "leave", "--student", "7900000001", "--on", "10/10/2025", "--reason", "Chuyển nhà");
        fees.Clock.Now = new DateTimeOffset(2025, 11, 1, 3, 0, 0, TimeSpan.Zero);
        Assert.Contains("1 student(s) who left before 2025-11 are not billed.", await fees.OkAsync("notices", "issue", "--period", "2025-11"), StringComparison.Ordinal);
        await fees.OkAsync("students", "leave", "--student", "7900000001", "--on", "28/11/2025", "--reason", "Gia đình báo lại ngày");
        Assert.Equal(["202509", "202510", "202511"], await fees.Db.ListAsync("""
            SELECT n.period_key::text FROM notices n JOIN students s ON s.id = n.student_id
            WHERE s.student_code = '7900000001' AND n.status NOT IN ('cancelled', 'refunded') ORDER BY 1
            """));
        // October whole again, its own 3 days now waiting for November's notice, which gives them back.
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM notice_lines l JOIN notices n ON n.id = l.notice_id JOIN students s ON s.id = n.student_id WHERE s.student_code = '7900000001' AND n.period_key = 202510 AND n.status NOT IN ('cancelled', 'refunded') AND l.part_month IS NOT NULL"));
        await fees.OkAsync("audit");
    }
}
