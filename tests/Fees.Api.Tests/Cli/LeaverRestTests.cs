using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Cli;

/// <summary>
/// What a leaver's last notice cannot take, and undoing or moving a leave: an earlier month gives back its own days,
/// months never billed wait for nothing, what no notice could carry is refused, a leave recorded by mistake is undone,
/// a transfer clears the leaving day. The world is <see cref="LeaverTests"/>'s.
/// </summary>
public sealed class LeaverRestTests
{
    private static readonly string Schedule = LeaverTests.Schedule;

    private static Task<Support.Fees> OctoberPaidAsync() => LeaverTests.OctoberPaidAsync();

    [Fact]
    public async Task DaysAnEarlierMonthGivesBack_BeyondWhatTheLastNoticeCanTake_AreGivenBackOnThatMonth_AsCredit()
    {
        // Found by review: An missed 20 of October's 22 days and leaves on 4 November; November's lines for two days
        // could not take 600,000 back, and the rest waited for ever for a notice that never comes.
        await using var fees = await OctoberPaidAsync();
        await fees.OkAsync("attendance", "import", fees.File("t10.csv", "student_code,month,absent_with_notice,absent_without_notice\n7900000001,10/2025,20,0\n"));
        fees.Clock.Now = new DateTimeOffset(2025, 11, 1, 3, 0, 0, TimeSpan.Zero);
        await fees.OkAsync("notices", "issue", "--period", "2025-11");
        fees.Clock.Now = new DateTimeOffset(2025, 11, 5, 3, 0, 0, TimeSpan.Zero);

        var said = await fees.OkAsync("students", "leave", "--student", "7900000001", "--on", "04/11/2025", "--reason", "Chuyển nhà");

        Assert.Contains("Withdrawn: TS01-202510-00001, TS01-202511-00001. Billed again as TS01-202510-00005, TS01-202511-00005.", said, StringComparison.Ordinal);
        // November by its two days: half the semi-boarding and two meals, 160,000, takes 60,000 of October's 20 days back;
        // October billed again gives back its other 18 days itself: 200,000 + 660,000 − 60,000 (September) − 540,000.
        Assert.Equal(["TS01-202510-00001 refunded 800000 paid 0", "TS01-202510-00005 paid 260000 paid 260000",
            "TS01-202511-00001 cancelled 200000 paid 0", "TS01-202511-00005 paid 100000 paid 100000"], await fees.Db.ListAsync("""
            SELECT n.notice_no || ' ' || n.status || ' ' || n.amount_due_vnd || ' paid ' || n.amount_paid_vnd FROM notices n JOIN students s ON s.id = n.student_id
            WHERE s.student_code = '7900000001' AND n.period_key > 202509 ORDER BY 1
            """));
        Assert.Equal(["TS01-202510-00005 202509 2 60000", "TS01-202510-00005 202510 18 540000", "TS01-202511-00005 202510 2 60000"], await fees.Db.ListAsync("""
            SELECT n.notice_no || ' ' || r.period_key || ' ' || r.days || ' ' || r.amount_vnd FROM absence_refunds r JOIN notices n ON n.id = r.notice_id
            WHERE n.status NOT IN ('cancelled', 'refunded') AND r.student_id = (SELECT id FROM students WHERE student_code = '7900000001') ORDER BY 1
            """));
        // Of the 800,000 paid for October, 360,000 pays what the family owes; 440,000 is the pupil's credit, and nothing waits.
        Assert.Contains("Held for the pupil: 440.000", said, StringComparison.Ordinal);
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM attendance_months WHERE NOT settled"));
        await fees.OkAsync("audit");
        Assert.DoesNotContain("Withdrawn", await fees.OkAsync("students", "leave", "--student", "7900000001", "--on", "04/11/2025", "--reason", "Chuyển nhà"), StringComparison.Ordinal);

        // A correction of October after the leave, two days fewer: no later notice will come, so November is billed
        // again, and gives nothing back now (October's own notice already gave back 18 days): 160,000.
        var corrected = await fees.OkAsync("attendance", "import", fees.File("t10c.csv", "student_code,month,absent_with_notice,absent_without_notice\n7900000001,10/2025,18,0\n"));
        Assert.Contains("7900000001", corrected, StringComparison.Ordinal);
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM attendance_months WHERE NOT settled"));
        Assert.Equal(540_000, await fees.Db.ScalarAsync("""
            SELECT sum(r.amount_vnd) FROM absence_refunds r JOIN notices n ON n.id = r.notice_id
            WHERE n.status NOT IN ('cancelled', 'refunded') AND r.period_key = 202510
            """));
        Assert.Equal(160_000, await fees.Db.ScalarAsync("""
            SELECT amount_due_vnd FROM notices WHERE period_key = 202511 AND status NOT IN ('cancelled', 'refunded')
               AND student_id = (SELECT id FROM students WHERE student_code = '7900000001')
            """));
        await fees.OkAsync("audit");
    }

    [Fact]
    public async Task WhenTheLastMonthIsBilledAfterTheLeave_TheRunGivesBackTheRestOnTheEarlierMonth()
    {
        await using var fees = await OctoberPaidAsync();
        await fees.OkAsync("attendance", "import", fees.File("t10.csv", "student_code,month,absent_with_notice,absent_without_notice\n7900000001,10/2025,20,0\n"));
        fees.Clock.Now = new DateTimeOffset(2025, 10, 30, 3, 0, 0, TimeSpan.Zero);
        await fees.OkAsync("students", "leave", "--student", "7900000001", "--on", "04/11/2025", "--reason", "Chuyển nhà");
        fees.Clock.Now = new DateTimeOffset(2025, 11, 1, 3, 0, 0, TimeSpan.Zero);

        await fees.OkAsync("notices", "issue", "--period", "2025-11");

        Assert.Equal(["TS01-202510-00001 refunded 800000 paid 0", "TS01-202510-00005 paid 260000 paid 260000", "TS01-202511-00001 paid 100000 paid 100000"],
            await fees.Db.ListAsync("""
            SELECT n.notice_no || ' ' || n.status || ' ' || n.amount_due_vnd || ' paid ' || n.amount_paid_vnd FROM notices n JOIN students s ON s.id = n.student_id
            WHERE s.student_code = '7900000001' AND n.period_key > 202509 ORDER BY 1
            """));
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM attendance_months WHERE NOT settled"));
        await fees.OkAsync("audit");
    }

    [Fact]
    public async Task ALeaveUndone_BillsTheMonthsAsIfThePupilNeverLeft_AndWhatThePupilHeldPaysThem()
    {
        // Found by review: a leave recorded by mistake could only be moved later, never undone.
        await using var fees = await OctoberPaidAsync();
        fees.Clock.Now = new DateTimeOffset(2025, 10, 16, 3, 0, 0, TimeSpan.Zero);
        await fees.OkAsync("students", "leave", "--student", "7900000001", "--on", "10/10/2025", "--reason", "Nhầm học sinh");
        fees.Clock.Now = new DateTimeOffset(2025, 11, 1, 3, 0, 0, TimeSpan.Zero);
        await fees.OkAsync("notices", "issue", "--period", "2025-11");
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM notices WHERE period_key = 202511 AND student_id = (SELECT id FROM students WHERE student_code = '7900000001')"));

        var said = await fees.OkAsync("students", "return", "--student", "7900000001", "--reason", "Ghi nhầm");

        Assert.True(said.Contains("Pupil 7900000001 stays: the leave after 10/10/2025 is undone. Withdrawn: TS01-202510-00005. Billed again as TS01-202510-00006, TS01-202511-00004.", StringComparison.Ordinal), said);
        Assert.Contains("Pupil 7900000001 stays: the leave after 10/10/2025 is undone. Withdrawn: TS01-202510-00005. Billed again as TS01-202510-00006, TS01-202511-00004.", said, StringComparison.Ordinal);
        // October in full again, giving back September's 2 days (800,000); October's 3 days go on November as for any
        // pupil: 200,000 + 20 meals − 90,000. The 800,000 paid for October pays October.
        Assert.Equal(["TS01-202510-00006 paid 800000 paid 800000", "TS01-202511-00004 issued 710000 paid 0"], await fees.Db.ListAsync("""
            SELECT n.notice_no || ' ' || n.status || ' ' || n.amount_due_vnd || ' paid ' || n.amount_paid_vnd FROM notices n JOIN students s ON s.id = n.student_id
            WHERE s.student_code = '7900000001' AND n.period_key > 202509 AND n.status NOT IN ('cancelled', 'refunded') ORDER BY 1
            """));
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM students WHERE left_on IS NOT NULL"));
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM attendance_months WHERE NOT settled"));
        Assert.Contains("Held for the pupil: 0", said, StringComparison.Ordinal);
        await fees.OkAsync("audit");

        // Undone twice: there is nothing to undo, and nothing changes.
        var again = await fees.RunAsync("students", "return", "--student", "7900000001", "--reason", "Ghi nhầm");
        Assert.Equal(3, again.ExitCode);
        Assert.Contains("Pupil 7900000001 has no leaving day recorded; there is nothing to undo.", again.Err, StringComparison.Ordinal);
        Assert.Equal(2, await fees.Db.ScalarAsync("SELECT count(*) FROM notices WHERE status NOT IN ('cancelled', 'refunded') AND period_key > 202509 AND student_id = (SELECT id FROM students WHERE student_code = '7900000001')"));
    }

    [Fact]
    public async Task ALeaverTransferredToAnotherSchool_IsBilledThereFromTheDayAfterTheLastOne()
    {
        // Found by review: a transfer kept the old school's leaving day, so the new school never billed the pupil.
        await using var fees = await OctoberPaidAsync();
        fees.Clock.Now = new DateTimeOffset(2025, 10, 16, 3, 0, 0, TimeSpan.Zero);
        await fees.OkAsync("students", "leave", "--student", "7900000001", "--on", "10/10/2025", "--reason", "Chuyển trường");

        await fees.OkAsync("students", "import", fees.File("ts02.csv", Samples.StudentHeader + "TS02,7900000040,Võ Minh Khoa,01/02/2013,Nam,6,6A1,Võ Văn Lâm,0912000040,,,\n"));
        var moved = await fees.OkAsync("students", "transfer", "--student", "7900000001", "--to", "TS02", "--class", "6A1", "--reason", "Chuyển trường");

        Assert.Equal(["- 2025-10-11"], await fees.Db.ListAsync("SELECT COALESCE(left_on::text, '-') || ' ' || enrolled_on::text FROM students WHERE student_code = '7900000001'"));
        // One notice a month: TS01's October, by the days up to the 10th, stands; the answer says the rest goes unbilled.
        Assert.Contains("The days of 10/2025 after 10/10/2025 are not billed: a pupil holds one notice a month, and TS01's stands; TS02 bills from 11/2025.", moved, StringComparison.Ordinal);
        fees.Clock.Now = new DateTimeOffset(2025, 11, 1, 3, 0, 0, TimeSpan.Zero);
        await fees.OkAsync("notices", "issue", "--period", "2025-11");
        Assert.Equal(["TS02"], await fees.Db.ListAsync("""
            SELECT sc.code FROM notices n JOIN schools sc ON sc.id = n.school_id
            WHERE n.period_key = 202511 AND n.student_id = (SELECT id FROM students WHERE student_code = '7900000001')
            """));
        await fees.OkAsync("audit");
    }

    [Fact]
    public async Task AbsencesOfMonthsNeverBilled_AreSettled_AndALastMonthNotBilledAtAll_GivesBackOnTheMonthBefore()
    {
        // Found by attack: October's absences, recorded by month count before a leave at September's end, waited for ever
        // once October was withdrawn; so did May's for a pupil leaving in June, a month the schedule does not bill.
        await using (var fees = await OctoberPaidAsync())
        {
            await fees.OkAsync("students", "leave", "--student", "7900000001", "--on", "30/09/2025", "--reason", "Chuyển nhà");
            Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM attendance_months WHERE NOT settled"));
            // Undone, October is billed again and its three days wait again, for November's notice.
            await fees.OkAsync("students", "return", "--student", "7900000001", "--reason", "Ghi nhầm");
            Assert.Equal(["202510"], await fees.Db.ListAsync("SELECT period_key::text FROM attendance_months WHERE NOT settled"));
            await fees.OkAsync("audit");
        }

        await using var june = await Support.Fees.StartAsync();
        await june.OkAsync("schools", "import", june.File("schools.csv", Samples.Schools));
        await june.OkAsync("schedule", "import", june.File("schedule.json", Schedule));
        await june.OkAsync("students", "import", june.File("students.csv", Samples.Students, bom: true));
        june.Clock.Now = new DateTimeOffset(2026, 5, 2, 3, 0, 0, TimeSpan.Zero);
        await june.OkAsync("notices", "issue", "--period", "2026-05");
        june.Clock.Now = new DateTimeOffset(2026, 5, 25, 3, 0, 0, TimeSpan.Zero);
        await june.OkAsync("attendance", "import", june.File("t5.csv", "student_code,month,absent_with_notice,absent_without_notice\n7900000001,05/2026,5,0\n"));

        var said = await june.OkAsync("students", "leave", "--student", "7900000001", "--on", "15/06/2026", "--reason", "Chuyển nhà");

        // May billed again with its own five days back: 680,000 − 150,000.
        Assert.Contains("Billed again as TS01-202605-00005.", said, StringComparison.Ordinal);
        Assert.Equal(["TS01-202605-00005 530000 202605 5 150000"], await june.Db.ListAsync("""
            SELECT n.notice_no || ' ' || n.amount_due_vnd || ' ' || r.period_key || ' ' || r.days || ' ' || r.amount_vnd FROM absence_refunds r
            JOIN notices n ON n.id = r.notice_id WHERE n.status NOT IN ('cancelled', 'refunded')
            """));
        Assert.Equal(0, await june.Db.ScalarAsync("SELECT count(*) FROM attendance_months WHERE NOT settled"));
    }

    [Fact]
    public async Task WhatNoNoticeCouldEverTake_IsRefused_NotLeftWaiting_AndAClosedMonthToBillAgainStopsAnUndo()
    {
        // Found by attack: undoing a leave whose withdrawn November was closed since billed October and never November.
        await using (var fees = await OctoberPaidAsync())
        {
            fees.Clock.Now = new DateTimeOffset(2025, 10, 16, 3, 0, 0, TimeSpan.Zero);
            await fees.OkAsync("students", "leave", "--student", "7900000001", "--on", "10/10/2025", "--reason", "Nhầm");
            fees.Clock.Now = new DateTimeOffset(2025, 11, 1, 3, 0, 0, TimeSpan.Zero);
            await fees.OkAsync("notices", "issue", "--period", "2025-11");
            await fees.OkAsync("notices", "close", "--period", "2025-11", "--school", "TS01");
            var undo = await fees.RunAsync("students", "return", "--student", "7900000001", "--reason", "Ghi nhầm");
            Assert.Equal(3, undo.ExitCode);
            Assert.Contains("The 2025-11 period is closed and holds no notice of this pupil, who would now be billed for it.", undo.Err, StringComparison.Ordinal);
            Assert.Equal(["2025-10-10"], await fees.Db.ListAsync("SELECT left_on::text FROM students WHERE student_code = '7900000001'"));
        }

        // Found by attack: a correction of a leaver's May recorded in the next school year was written, then refused
        // as "nothing was written", and waited for ever.
        await using var may = await Support.Fees.StartAsync();
        await may.OkAsync("schools", "import", may.File("schools.csv", Samples.Schools));
        await may.OkAsync("schedule", "import", may.File("schedule.json", Schedule));
        await may.OkAsync("students", "import", may.File("students.csv", Samples.Students, bom: true));
        may.Clock.Now = new DateTimeOffset(2026, 5, 2, 3, 0, 0, TimeSpan.Zero);
        await may.OkAsync("notices", "issue", "--period", "2026-05");
        may.Clock.Now = new DateTimeOffset(2026, 5, 25, 3, 0, 0, TimeSpan.Zero);
        await may.OkAsync("attendance", "import", may.File("t5.csv", "student_code,month,absent_with_notice,absent_without_notice\n7900000001,05/2026,3,0\n"));
        await may.OkAsync("students", "leave", "--student", "7900000001", "--on", "20/05/2026", "--reason", "Chuyển nhà");
        may.Clock.Now = new DateTimeOffset(2026, 9, 10, 3, 0, 0, TimeSpan.Zero);

        var late = await may.RunAsync("attendance", "import", may.File("t5b.csv", "student_code,month,absent_with_notice,absent_without_notice\n7900000001,05/2026,5,0\n"));

        Assert.Equal(2, late.ExitCode);
        Assert.Contains("t5b.csv, line 2, column student_code: pupil 7900000001 left after 20/05/2026; these absences could not be given back on a notice", late.Err, StringComparison.Ordinal);
        Assert.Equal(["3 true"], await may.Db.ListAsync("SELECT absent_with_notice || ' ' || settled FROM attendance_months"));

        await may.OkAsync("audit");
    }

    [Fact]
    public async Task AnImportRacingALeave_IsRefusedWithNothingWritten_AndAnEmptyMonthAfterTheLastDayWaitsForNothing()
    {
        // Found by attack: an import that read the roster before a leave committed wrote October's 5 days after it, and
        // the leave never gave them back. Another writer of absences holds the writers' lock, so the import waits there.
        await using var fees = await OctoberPaidAsync();
        fees.Clock.Now = new DateTimeOffset(2025, 10, 16, 3, 0, 0, TimeSpan.Zero);
        var file = fees.File("t10c.csv", "student_code,month,absent_with_notice,absent_without_notice\n7900000001,10/2025,5,0\n");
        await using var other = new Npgsql.NpgsqlConnection(fees.Db.ConnectionString);
        await other.OpenAsync();
        await using (var l = new Npgsql.NpgsqlCommand("SELECT pg_advisory_lock(7310003, 0)", other)) await l.ExecuteNonQueryAsync();
        var import = Task.Run(() => fees.RunAsync("attendance", "import", file));
        const string waiting = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = 7310003 AND NOT granted";
        for (var i = 0; i < 600 && await fees.Db.ScalarAsync(waiting) == 0 && !import.IsCompleted; i++) await Task.Delay(50);
        Assert.Equal(1, await fees.Db.ScalarAsync(waiting));
        await fees.OkAsync("students", "leave", "--student", "7900000001", "--on", "10/10/2025", "--reason", "Chuyển nhà");
        await using (var u = new Npgsql.NpgsqlCommand("SELECT pg_advisory_unlock(7310003, 0)", other)) await u.ExecuteNonQueryAsync();

        var raced = await import;

        Assert.Equal(3, raced.ExitCode);
        Assert.Contains("Pupil 7900000001's leaving day changed while the absences were being recorded. Nothing was written", raced.Err, StringComparison.Ordinal);
        Assert.Equal(["202509 2", "202510 3"], await fees.Db.ListAsync("SELECT period_key || ' ' || absent_with_notice FROM attendance_months ORDER BY 1"));
        // Recorded again, the days go back on October billed again.
        await fees.OkAsync("attendance", "import", file);
        Assert.Equal(5, await fees.Db.ScalarAsync("""
            SELECT sum(r.days) FROM absence_refunds r JOIN notices n ON n.id = r.notice_id WHERE n.status NOT IN ('cancelled', 'refunded') AND r.period_key = 202510
            """));

        // Bích's November days, recorded before a leave at October's end, are settled by it; November given again with
        // no absences (a class's whole file) has nothing to give back and waits for nothing.
        fees.Clock.Now = new DateTimeOffset(2025, 11, 20, 3, 0, 0, TimeSpan.Zero);
        await fees.OkAsync("attendance", "import", fees.File("t11.csv", "student_code,month,absent_with_notice,absent_without_notice\n7900000002,11/2025,2,0\n"));
        await fees.OkAsync("students", "leave", "--student", "7900000002", "--on", "31/10/2025", "--reason", "Chuyển nhà");
        await fees.OkAsync("attendance", "import", fees.File("t11z.csv", "student_code,month,absent_with_notice,absent_without_notice\n7900000002,11/2025,0,0\n"));
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM attendance_months WHERE NOT settled"));
        await fees.OkAsync("audit");
    }
}
