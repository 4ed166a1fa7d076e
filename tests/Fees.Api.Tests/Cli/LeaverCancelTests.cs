using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Cli;

/// <summary>
/// A leaver's notice cancelled by the accountant, absences no notice can give back any more, and a move before the old
/// school gave back what it billed: the leave is applied again, what cannot be given back is said, and the move waits. The world is <see cref="LeaverTests"/>'s.
/// </summary>
public sealed class LeaverCancelTests
{
    private const string Notices = """
        SELECT n.notice_no || ' ' || n.status || ' ' || n.amount_due_vnd || ' paid ' || n.amount_paid_vnd FROM notices n JOIN students s ON s.id = n.student_id
        WHERE s.student_code = '7900000001' AND n.status NOT IN ('cancelled', 'refunded') ORDER BY 1
        """;

    private const string Refunds = """
        SELECT n.notice_no || ' ' || r.period_key || ' ' || r.days || ' ' || r.amount_vnd FROM absence_refunds r JOIN notices n ON n.id = r.notice_id
        WHERE n.status NOT IN ('cancelled', 'refunded') AND r.student_id = (SELECT id FROM students WHERE student_code = '7900000001') ORDER BY 1
        """;

    [Fact]
    public async Task ALeaversEarlierNoticeCancelled_TakesBackWhatTheLastNoticeGaveBackForThatMonth()
    {
        // Found by attack: cancelling September after An left in October made September's 1,371,800 credit, while the
        // 60,000 October gave back for September's meals stayed: no later notice would take it back.
        await using var fees = await LeaverTests.OctoberPaidAsync();
        fees.Clock.Now = new DateTimeOffset(2025, 10, 16, 3, 0, 0, TimeSpan.Zero);
        await fees.OkAsync("students", "leave", "--student", "7900000001", "--on", "10/10/2025", "--reason", "Chuyển nhà");
        Assert.Equal(["TS01-202509-00001 paid 1371800 paid 1371800", "TS01-202510-00005 paid 190000 paid 190000"], await fees.Db.ListAsync(Notices));

        var said = await fees.OkAsync("notices", "cancel", "--notice", "TS01-202509-00001", "--reason", "Thu nhầm tháng 9");

        Assert.Contains("The pupil left, so the leave was applied again.", said, StringComparison.Ordinal);
        Assert.Contains("Withdrawn: TS01-202510-00005. Billed again as TS01-202510-00006.", said, StringComparison.Ordinal);
        // October by its 8 days, less its own 3 days only: 100,000 + 240,000 − 90,000. All else paid is held:
        // 1,371,800 + 800,000 − 250,000.
        Assert.Equal(["TS01-202510-00006 paid 250000 paid 250000"], await fees.Db.ListAsync(Notices));
        Assert.Equal(["TS01-202510-00006 202510 3 90000"], await fees.Db.ListAsync(Refunds));
        Assert.Contains("Held for the pupil: 1.921.800", said, StringComparison.Ordinal);
        // September is billed no more: its two days have nothing to give back, and wait for nothing (found by attack).
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM attendance_months WHERE NOT settled"));
        await fees.OkAsync("audit");
    }

    [Fact]
    public async Task ALeaversLastNoticeCancelled_GivesBackWhatItWouldHaveOnTheMonthBefore()
    {
        // Found by attack: the accountant cancelled November, An's last month, and the two days of October it gave back
        // waited for ever: the run bills each pupil once, so no notice would come.
        await using var fees = await LeaverTests.OctoberPaidAsync();
        await fees.OkAsync("attendance", "import", fees.File("t10.csv", "student_code,month,absent_with_notice,absent_without_notice\n7900000001,10/2025,20,0\n"));
        fees.Clock.Now = new DateTimeOffset(2025, 11, 1, 3, 0, 0, TimeSpan.Zero);
        await fees.OkAsync("notices", "issue", "--period", "2025-11");
        fees.Clock.Now = new DateTimeOffset(2025, 11, 5, 3, 0, 0, TimeSpan.Zero);
        await fees.OkAsync("students", "leave", "--student", "7900000001", "--on", "04/11/2025", "--reason", "Chuyển nhà");
        Assert.Contains("TS01-202511-00005 paid 100000 paid 100000", await fees.Db.ListAsync(Notices));

        var said = await fees.OkAsync("notices", "cancel", "--notice", "TS01-202511-00005", "--reason", "Tháng 11 không đi học");

        // October gives back all its 20 days itself: 200,000 + 660,000 − 60,000 (September) − 600,000; November stays cancelled.
        Assert.Contains("Billed again as TS01-202510-00006.", said, StringComparison.Ordinal);
        Assert.Equal(["TS01-202509-00001 paid 1371800 paid 1371800", "TS01-202510-00006 paid 200000 paid 200000"], await fees.Db.ListAsync(Notices));
        Assert.Equal(["TS01-202510-00006 202509 2 60000", "TS01-202510-00006 202510 20 600000"], await fees.Db.ListAsync(Refunds));
        Assert.Contains("Held for the pupil: 600.000", said, StringComparison.Ordinal);
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM attendance_months WHERE NOT settled"));
        await fees.OkAsync("audit");
    }

    [Fact]
    public async Task AbsencesOfAClosedMonth_ThatNoNoticeCanGiveBack_AreSaidByTheRunAndByTheLeave()
    {
        // Found by attack: October was closed before An left on 4 November; November's two days could take back only
        // 60,000 of October's 600,000, and the run and the leave both said nothing of the rest.
        await using var fees = await LeaverTests.OctoberPaidAsync();
        await fees.OkAsync("attendance", "import", fees.File("t10.csv", "student_code,month,absent_with_notice,absent_without_notice\n7900000001,10/2025,20,0\n"));
        fees.Clock.Now = new DateTimeOffset(2025, 11, 1, 3, 0, 0, TimeSpan.Zero);
        await fees.OkAsync("notices", "close", "--period", "2025-10");
        await fees.OkAsync("students", "leave", "--student", "7900000001", "--on", "04/11/2025", "--reason", "Chuyển nhà");

        var run = await fees.OkAsync("notices", "issue", "--period", "2025-11");

        Assert.Contains("Warning: Pupil 7900000001 left: the days absent in 10/2025 are not given back, as that month is closed and no later notice will come.", run, StringComparison.Ordinal);
        Assert.Equal(["TS01-202510-00001 paid 800000 paid 800000"], (await fees.Db.ListAsync(Notices)).Where(n => n.Contains("202510", StringComparison.Ordinal)));
        // Leaving again on the same day says it too.
        var said = await fees.OkAsync("students", "leave", "--student", "7900000001", "--on", "04/11/2025", "--reason", "Chuyển nhà");
        Assert.Contains("Warning: the days absent in 10/2025 are not given back", said, StringComparison.Ordinal);
        await fees.OkAsync("audit");
    }

    [Fact]
    public async Task ACancelThatWouldChangeAClosedLeavingMonth_IsRefused_AndNothingIsCancelled()
    {
        await using var fees = await LeaverTests.OctoberPaidAsync();
        fees.Clock.Now = new DateTimeOffset(2025, 10, 16, 3, 0, 0, TimeSpan.Zero);
        await fees.OkAsync("students", "leave", "--student", "7900000001", "--on", "10/10/2025", "--reason", "Chuyển nhà");
        fees.Clock.Now = new DateTimeOffset(2025, 11, 1, 3, 0, 0, TimeSpan.Zero);
        await fees.OkAsync("notices", "close", "--period", "2025-10");
        var before = await fees.Db.ListAsync(Notices);

        var r = await fees.RunAsync("notices", "cancel", "--notice", "TS01-202509-00001", "--reason", "Thu nhầm tháng 9");

        Assert.Equal(3, r.ExitCode);
        Assert.Contains("Notice TS01-202509-00001 is of a pupil who left after 10/10/2025; cancelling it means applying the leave again, which is refused:", r.Err, StringComparison.Ordinal);
        Assert.Contains("Nothing was cancelled.", r.Err, StringComparison.Ordinal);
        Assert.Equal(before, await fees.Db.ListAsync(Notices));
        await fees.OkAsync("audit");
    }

    [Fact]
    public async Task AMoveThatWouldLeaveMoneyWaitingAtTheOldSchool_IsRefusedUntilTheOldSchoolIsReady()
    {
        // Found by attack: An moved to TS02 with October's three days not given back; only TS01's notices give back what
        // TS01 billed, and TS01 never billed An again. A leaving day before TS01 billed its month lost that month too.
        await using var fees = await LeaverTests.OctoberPaidAsync();
        await fees.OkAsync("students", "import", fees.File("ts02.csv", Samples.StudentHeader + "TS02,7900000040,Võ Minh Khoa,01/02/2013,Nam,1,1A1,Võ Văn Lâm,0912000040,,,\n"));
        fees.Clock.Now = new DateTimeOffset(2025, 10, 30, 3, 0, 0, TimeSpan.Zero);
        const string Where = "SELECT sc.code FROM students s JOIN schools sc ON sc.id = s.school_id WHERE s.student_code = '7900000001'";

        var early = await fees.RunAsync("students", "transfer", "--student", "7900000001", "--to", "TS02", "--class", "1A1", "--reason", "Chuyển trường");
        Assert.Equal(3, early.ExitCode);
        Assert.Contains("Student 7900000001 cannot move to TS02 yet: the days absent in 10/2025 at TS01 are not given back yet; record the pupil's last day there first", early.Err, StringComparison.Ordinal);
        var byFile = await fees.RunAsync("students", "import", fees.File("move.csv", Samples.StudentHeader + "TS02,7900000001,Nguyễn Văn An,12/05/2018,Nam,1,1A1,Nguyễn Văn Bình,0912000001,,,\n"));
        Assert.Equal(2, byFile.ExitCode);
        Assert.Contains("move.csv, line 2, column school_code: pupil 7900000001 cannot move to TS02 yet: the days absent in 10/2025 at TS01", byFile.Err, StringComparison.Ordinal);
        Assert.Equal(["TS01"], await fees.Db.ListAsync(Where));

        await fees.OkAsync("students", "leave", "--student", "7900000001", "--on", "04/11/2025", "--reason", "Chuyển trường");
        var beforeRun = await fees.RunAsync("students", "transfer", "--student", "7900000001", "--to", "TS02", "--class", "1A1", "--reason", "Chuyển trường");
        Assert.Equal(3, beforeRun.ExitCode);
        Assert.Contains("TS01 bills 11/2025 by the days up to the pupil's last day there (04/11/2025) and has not billed that month yet", beforeRun.Err, StringComparison.Ordinal);
        Assert.Equal(["TS01"], await fees.Db.ListAsync(Where));

        fees.Clock.Now = new DateTimeOffset(2025, 11, 1, 3, 0, 0, TimeSpan.Zero);
        await fees.OkAsync("notices", "issue", "--period", "2025-11");
        var moved = await fees.OkAsync("students", "transfer", "--student", "7900000001", "--to", "TS02", "--class", "1A1", "--reason", "Chuyển trường");

        Assert.Contains("moved from TS01 to TS02", moved, StringComparison.Ordinal);
        Assert.Equal(["TS02"], await fees.Db.ListAsync(Where));
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM attendance_months WHERE NOT settled"));
        await fees.OkAsync("audit");
    }

    [Fact]
    public async Task AMovedPupilsOldSchoolNoticeThatGaveDaysBack_IsNotCancelled()
    {
        // Found by attack: An left TS01 on 14 November (November billed again by its 10 days, less October's 3: 410,000)
        // and moved to TS02; cancelling that notice at TS01 made October's 90,000 owed again, and TS01 never bills An again.
        await using var fees = await LeaverTests.OctoberPaidAsync();
        await fees.OkAsync("students", "import", fees.File("ts02.csv", Samples.StudentHeader + "TS02,7900000040,Võ Minh Khoa,01/02/2013,Nam,1,1A1,Võ Văn Lâm,0912000040,,,\n"));
        fees.Clock.Now = new DateTimeOffset(2025, 11, 1, 3, 0, 0, TimeSpan.Zero);
        await fees.OkAsync("notices", "issue", "--period", "2025-11");
        fees.Clock.Now = new DateTimeOffset(2025, 11, 17, 3, 0, 0, TimeSpan.Zero);
        await fees.OkAsync("students", "leave", "--student", "7900000001", "--on", "14/11/2025", "--reason", "Chuyển trường");
        var moved = await fees.OkAsync("students", "transfer", "--student", "7900000001", "--to", "TS02", "--class", "1A1", "--reason", "Chuyển trường");
        Assert.Contains("The days of 11/2025 after 14/11/2025 are not billed", moved, StringComparison.Ordinal);
        var before = await fees.Db.ListAsync(Notices);
        Assert.Contains("TS01-202511-00005 issued 410000 paid 0", before);

        var r = await fees.RunAsync("notices", "cancel", "--notice", "TS01-202511-00005", "--reason", "Thu nhầm");

        Assert.Equal(3, r.ExitCode);
        Assert.Contains("Notice TS01-202511-00005 gave back days absent at the school that issued it, where pupil 7900000001 no longer is", r.Err, StringComparison.Ordinal);
        Assert.Equal(before, await fees.Db.ListAsync(Notices));
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM attendance_months WHERE NOT settled"));
    }

    [Fact]
    public async Task ALeaversCorrectionThatAClosedMonthWouldKeepWaiting_IsRefusedByLine_AndLeavingAgainChangesNothing()
    {
        // Found by attack: October closed, An left on 14 November; October corrected to 20 days (600,000): November's
        // 10 days could take 300,000 and the rest waited silently, and every later leave billed November again.
        await using var fees = await LeaverTests.OctoberPaidAsync();
        fees.Clock.Now = new DateTimeOffset(2025, 11, 1, 3, 0, 0, TimeSpan.Zero);
        await fees.OkAsync("notices", "issue", "--period", "2025-11");
        await fees.OkAsync("notices", "close", "--period", "2025-10");
        fees.Clock.Now = new DateTimeOffset(2025, 11, 17, 3, 0, 0, TimeSpan.Zero);
        await fees.OkAsync("students", "leave", "--student", "7900000001", "--on", "14/11/2025", "--reason", "Chuyển nhà");
        var before = await fees.Db.ListAsync(Notices);

        var r = await fees.RunAsync("attendance", "import", fees.File("t10.csv", "student_code,month,absent_with_notice,absent_without_notice\n7900000001,10/2025,20,0\n"));

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("t10.csv, line 2, column student_code: pupil 7900000001 left after 14/11/2025; these absences could not be given back on a notice: the 10/2025 period is closed", r.Err, StringComparison.Ordinal);
        Assert.Equal(before, await fees.Db.ListAsync(Notices));
        Assert.Equal(["202509 2", "202510 3"], await fees.Db.ListAsync("SELECT period_key || ' ' || absent_with_notice FROM attendance_months ORDER BY 1"));

        var again = await fees.OkAsync("students", "leave", "--student", "7900000001", "--on", "14/11/2025", "--reason", "Chuyển nhà");
        Assert.DoesNotContain("Withdrawn", again, StringComparison.Ordinal);
        Assert.Equal(before, await fees.Db.ListAsync(Notices));
        await fees.OkAsync("audit");
    }

    [Fact]
    public async Task ALeavingMonthClosedUnbilled_GivesBackTheEarlierMonthsDaysOnThatMonth_AndThenThePupilMayMove()
    {
        // Found by attack: An's last day, 4 November, recorded in October; TS01 closed November without billing it, and
        // October's 3 days (90,000) waited for a November notice that would never come; the move was allowed over them.
        await using var fees = await LeaverTests.OctoberPaidAsync();
        await fees.OkAsync("students", "import", fees.File("ts02.csv", Samples.StudentHeader + "TS02,7900000040,Võ Minh Khoa,01/02/2013,Nam,1,1A1,Võ Văn Lâm,0912000040,,,\n"));
        fees.Clock.Now = new DateTimeOffset(2025, 10, 30, 3, 0, 0, TimeSpan.Zero);
        await fees.OkAsync("students", "leave", "--student", "7900000001", "--on", "04/11/2025", "--reason", "Chuyển trường");
        fees.Clock.Now = new DateTimeOffset(2025, 11, 10, 3, 0, 0, TimeSpan.Zero);

        await fees.OkAsync("notices", "close", "--period", "2025-11", "--school", "TS01");

        // October gives back its own 3 days: 800,000 − 90,000; the 90,000 paid beyond is held for An.
        Assert.Equal(["TS01-202509-00001 paid 1371800 paid 1371800", "TS01-202510-00005 paid 710000 paid 710000"], await fees.Db.ListAsync(Notices));
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM attendance_months WHERE NOT settled"));
        var moved = await fees.OkAsync("students", "transfer", "--student", "7900000001", "--to", "TS02", "--class", "1A1", "--reason", "Chuyển trường");
        Assert.DoesNotContain("are not billed", moved, StringComparison.Ordinal);
        await fees.OkAsync("audit");
    }
}
