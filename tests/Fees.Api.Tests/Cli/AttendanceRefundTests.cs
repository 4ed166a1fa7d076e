using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Cli;

/// <summary>Meals per school day: days not eaten come back on the next notice, corrections as differences, never edits.</summary>
public sealed class AttendanceRefundTests
{
    internal static string Schedule(string rule) => Samples.Schedule.Replace(
        "\"days\": {\"9\": 18, \"10\": 22, \"11\": 20, \"12\": 22, \"1\": 15, \"2\": 18, \"3\": 21, \"4\": 20, \"5\": 16}, \"reducible\": true}",
        "\"days\": {\"9\": 18, \"10\": 22, \"11\": 20, \"12\": 22, \"1\": 15, \"2\": 18, \"3\": 21, \"4\": 20, \"5\": 16}, \"reducible\": true, \"absence_refund\": " + rule + "}",
        StringComparison.Ordinal);

    internal static async Task<Support.Fees> SchoolAsync(string rule)
    {
        var fees = await Support.Fees.StartAsync();
        await fees.OkAsync("schools", "import", fees.File("schools.csv", Samples.Schools));
        var schedule = Schedule(rule);
        Assert.Contains("absence_refund", schedule, StringComparison.Ordinal);
        await fees.OkAsync("schedule", "import", fees.File("schedule.json", schedule));
        await fees.OkAsync("students", "import", fees.File("students.csv", Samples.Students, bom: true));
        await fees.OkAsync("notices", "issue", "--period", "2025-09");
        fees.Clock.Now = new DateTimeOffset(2025, 10, 3, 3, 0, 0, TimeSpan.Zero);
        return fees;
    }

    private static async Task<Dictionary<string, long>> DueAsync(Support.Fees fees, int period) =>
        (await fees.Db.ListAsync($"SELECT s.student_code || '=' || n.amount_due_vnd FROM notices n JOIN students s ON s.id = n.student_id WHERE n.period_key = {period}"))
        .Select(r => r.Split('=')).ToDictionary(r => r[0], r => long.Parse(r[1], System.Globalization.CultureInfo.InvariantCulture));

    internal static async Task<(long Adjust, int Days)> MealLineAsync(Support.Fees fees, string student, int period)
    {
        var row = (await fees.Db.ListAsync($"""
            SELECT l.adjust_vnd || '/' || l.adjust_days FROM notice_lines l JOIN notices n ON n.id = l.notice_id JOIN students s ON s.id = n.student_id
            WHERE s.student_code = '{student}' AND n.period_key = {period} AND upper(l.item_code) = 'TIEN_AN'
            """)).Single().Split('/');
        return (long.Parse(row[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(row[1], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task DaysAbsentWithNotice_ComeBackOnTheNextNotice_AndACorrectionComesAsTheDifference()
    {
        await using var fees = await SchoolAsync("{\"from_day\": 1}");
        var file = fees.File("diem-danh-09.csv", """
            Mã học sinh,Tháng,Nghỉ có phép,Nghỉ không phép
            7900000001,09/2025,3,1
            7900000002,09/2025,1,0

            """, bom: true);
        Assert.Contains("2 pupil-month(s) added", await fees.OkAsync("attendance", "import", file), StringComparison.Ordinal);
        Assert.Contains("0 changed, 2 unchanged", await fees.OkAsync("attendance", "import", file), StringComparison.Ordinal);

        await fees.OkAsync("notices", "issue", "--period", "2025-10");
        // An: 200,000 + 22 × 30,000 less 3 days with notice (90,000); the day without notice is not given back.
        // Bích (CN 50%): 100,000 + 330,000 less (270,000 − floor(17 × 30,000 × 50%)) = 15,000.
        // Nam (HN, CN) and Mai (enrols in October) were not absent.
        Assert.Equal(new Dictionary<string, long> { ["7900000001"] = 770_000, ["7900000002"] = 415_000, ["7900000003"] = 330_000, ["7900000004"] = 860_000 },
            await DueAsync(fees, 202510));
        Assert.Equal((90_000L, 3), await MealLineAsync(fees, "7900000001", 202510));
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM attendance_months WHERE NOT settled"));

        // After October is billed, September is corrected: An 5 days, Bích none. November carries the differences.
        fees.Clock.Now = new DateTimeOffset(2025, 10, 20, 3, 0, 0, TimeSpan.Zero);
        await fees.OkAsync("attendance", "import", fees.File("sua-09.csv", """
            student_code,month,absent_with_notice,absent_without_notice
            7900000001,09/2025,5,0
            7900000002,2025-09,0,0

            """));
        Assert.Equal(2, await fees.Db.ScalarAsync("SELECT count(*) FROM attendance_months WHERE NOT settled"));
        var octoberBefore = await DueAsync(fees, 202510);
        await fees.OkAsync("notices", "issue", "--period", "2025-11");
        Assert.Equal(octoberBefore, await DueAsync(fees, 202510));
        // An: 200,000 + 20 × 30,000 less 2 more days. Bích: 100,000 + 300,000 plus the 15,000 given back too much.
        Assert.Equal(740_000, (await DueAsync(fees, 202511))["7900000001"]);
        Assert.Equal(415_000, (await DueAsync(fees, 202511))["7900000002"]);
        Assert.Equal((60_000L, 2), await MealLineAsync(fees, "7900000001", 202511));
        Assert.Equal((-15_000L, -1), await MealLineAsync(fees, "7900000002", 202511));
        // Each month's refunds add up to what the corrected absences give back, and nothing is left to settle.
        Assert.Equal(150_000, await fees.Db.ScalarAsync("SELECT sum(amount_vnd) FROM absence_refunds r JOIN students s ON s.id = r.student_id WHERE s.student_code = '7900000001'"));
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT coalesce(sum(amount_vnd), 0) FROM absence_refunds r JOIN students s ON s.id = r.student_id WHERE s.student_code = '7900000002'"));
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM attendance_months WHERE NOT settled"));
    }

    [Fact]
    public async Task ADayFile_CountsDaysPerKind_AndARefundFromTheSecondDay_SkipsTheFirst()
    {
        await using var fees = await SchoolAsync("{\"from_day\": 2}");
        await fees.OkAsync("attendance", "import", fees.File("ngay.csv", """
            Mã học sinh,Ngày,Loại nghỉ
            7900000003,08/09/2025,P
            7900000003,09/09/2025,có phép
            7900000003,10/09/2025,K
            7900000001,11/09/2025,P

            """));
        Assert.Equal("{8,9}", (await fees.Db.ListAsync("SELECT days_with_notice::text FROM attendance_months a JOIN students s ON s.id = a.student_id WHERE s.student_code = '7900000003'")).Single());
        await fees.OkAsync("notices", "issue", "--period", "2025-10");
        // Nam: two days with notice, the first not given back; CN 50%: 270,000 − floor(17 × 30,000 × 50%) = 15,000.
        Assert.Equal((15_000L, 1), await MealLineAsync(fees, "7900000003", 202510));
        // An: one day with notice, which is the first: nothing given back, and the month is settled.
        Assert.Equal((0L, 0), await MealLineAsync(fees, "7900000001", 202510));
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM attendance_months WHERE NOT settled"));
    }

    [Fact]
    public async Task AFileWithBadRows_IsRefusedWhole_NamingLineAndReason_AndASchoolFileTakesOnlyItsPupils()
    {
        await using var fees = await SchoolAsync("{\"from_day\": 1}");
        var bad = await fees.RunAsync("attendance", "import", fees.File("sai.csv", """
            Mã học sinh,Tháng,Nghỉ có phép,Nghỉ không phép
            7900000001,09/2025,2,0
            7900000002,09/2025,19,0
            7900000001,09/2025,1,0
            7900000003,12/2025,1,0
            7900000004,09/2025,abc,0

            """));
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("line 3", bad.Err, StringComparison.Ordinal);
        Assert.Contains("19 days in 2025-09, which has 18 school days", bad.Err, StringComparison.Ordinal);
        Assert.Contains("already has 2025-09 on line 2", bad.Err, StringComparison.Ordinal);
        Assert.Contains("2025-12 has not come yet", bad.Err, StringComparison.Ordinal);
        Assert.Contains("\"abc\" is not a number of days", bad.Err, StringComparison.Ordinal);
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM attendance_months"));

        await fees.OkAsync("students", "import", fees.File("ts02.csv", Samples.StudentHeader + "TS02,7900000040,Võ Minh Khoa,01/02/2013,Nam,7,7A1,Võ Văn Lâm,0912000040,,,\n"));
        var other = await fees.RunAsync("attendance", "import", "--school", "TS01", fees.File("khac.csv", """
            student_code,month,absent_with_notice,absent_without_notice
            7900000040,09/2025,1,0
            7900009999,09/2025,1,0

            """));
        Assert.Equal(2, other.ExitCode);
        // Another school's pupil reads exactly like an unknown code.
        Assert.Contains("school TS01 has no pupil with the code 7900000040", other.Err, StringComparison.Ordinal);
        Assert.Contains("school TS01 has no pupil with the code 7900009999", other.Err, StringComparison.Ordinal);
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM attendance_months"));
    }

    [Fact]
    public async Task AWithdrawnNotice_GivesItsRefundAgain_AndAWithdrawnMonth_TakesItsRefundBack()
    {
        await using var fees = await SchoolAsync("{\"from_day\": 1}");
        await fees.OkAsync("attendance", "import", fees.File("a.csv", "student_code,month,absent_with_notice,absent_without_notice\n7900000001,09/2025,2,0\n7900000002,09/2025,2,0\n"));
        await fees.OkAsync("notices", "issue", "--period", "2025-10");
        Assert.Equal((60_000L, 2), await MealLineAsync(fees, "7900000001", 202510));

        // October's notice of An is withdrawn: November gives the two days back again.
        await fees.OkAsync("notices", "cancel", "--notice", "TS01-202510-00001", "--reason", "lập sai");
        // September's notice of Bích is withdrawn after October gave two of its days back: November takes them back.
        await fees.OkAsync("notices", "cancel", "--notice", "TS01-202509-00002", "--reason", "lập sai");
        await fees.OkAsync("notices", "issue", "--period", "2025-11");
        Assert.Equal((60_000L, 2), await MealLineAsync(fees, "7900000001", 202511));
        Assert.Equal((-30_000L, -2), await MealLineAsync(fees, "7900000002", 202511));
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM attendance_months WHERE NOT settled"));
    }

    [Fact]
    public async Task Audit_NamesALineWhoseRefundDisagreesWithItsRows_AndARefundBeyondTheMonthsCharge()
    {
        await using var fees = await SchoolAsync("{\"from_day\": 1}");
        await fees.OkAsync("attendance", "import", fees.File("a.csv", "student_code,month,absent_with_notice,absent_without_notice\n7900000001,09/2025,2,0\n"));
        await fees.OkAsync("notices", "issue", "--period", "2025-10");
        Assert.Equal(0, (await fees.RunAsync("audit")).ExitCode);
        fees.PlantsBrokenState();

        // A second refund row on the same line, as if billing had written the month twice.
        await fees.Db.ExecAsync("""
            INSERT INTO absence_refunds (id, school_id, student_id, period_key, item_code, days, amount_vnd, notice_id, notice_line_id, from_day, without_notice, at)
            SELECT gen_random_uuid(), school_id, student_id, period_key, item_code, 17, 500000, notice_id, notice_line_id, from_day, without_notice, at FROM absence_refunds
            """);
        var audit = await fees.RunAsync("audit");
        Assert.Equal(3, audit.ExitCode);
        Assert.Contains("FAIL  what a notice line gives back is what the absence refunds on it say: TS01-202510-00001/2: gives back 60000 for 2 day(s), the refunds on it 560000 for 19", audit.Err, StringComparison.Ordinal);
        Assert.Contains("never give back more than its line charged, nor less than nothing: 7900000001/202509/TIEN_AN: gave back 560000 of a line that charged 540000", audit.Err, StringComparison.Ordinal);

        // A line that bills other than its price less its reduction and its refund.
        await fees.Db.ExecAsync("SET session_replication_role = replica; UPDATE notice_lines SET amount_vnd = amount_vnd + 1000 WHERE item_code = 'BAN_TRU' AND notice_id = (SELECT id FROM notices WHERE notice_no = 'TS01-202510-00002')");
        audit = await fees.RunAsync("audit");
        Assert.Contains("FAIL  a notice line bills its gross less its reduction, what the state pays and what earlier months gave back: TS01-202510-00002/1: bills 101000 with 0 given back and 0 paid by the state, but 200000 less 50% is 100000", audit.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheNotice_ItsPdf_AndTheParentPage_NameTheDaysAndTheRule()
    {
        await using var fees = await SchoolAsync("{\"from_day\": 2}");
        await fees.OkAsync("attendance", "import", fees.File("a.csv", "student_code,month,absent_with_notice,absent_without_notice\n7900000001,09/2025,4,0\n"));
        await fees.OkAsync("notices", "issue", "--period", "2025-10");

        await using (var db = fees.Db.Open())
        {
            var notice = await new TdmEdu.Fees.Api.Application.Pupils.PupilFiles(db, new Common.BusinessClock(fees.Clock)).NoticeAsync("TS01", "TS01-202510-00001");
            var meals = notice!.Lines.Single(l => l.Item == "Tiền ăn");
            Assert.Equal((660_000L, 90_000L, 570_000L, 0L), (meals.GrossVnd, meals.AdjustVnd, meals.AmountVnd, meals.ReductionVnd));
            Assert.Equal("Trừ 3 ngày nghỉ tháng 09/2025 (nghỉ có phép được hoàn từ ngày nghỉ thứ 2)", meals.Refunds!.Single().Text(english: false));
            Assert.Equal("Less 3 day(s) absent in 09/2025 (absent with notice, refunded from the 2nd day)", meals.Refunds!.Single().Text(english: true));

            var pupil = await db.Students.AsNoTracking().SingleAsync(x => x.StudentCode == "7900000001");
            var parent = (await new TdmEdu.Fees.Api.Application.Reports.ParentLookup(db, new Common.BusinessClock(fees.Clock)).ViewsAsync([pupil.Id])).Single();
            var line = parent.Notices.Single(n => n.NoticeNo == "TS01-202510-00001").Lines.Single(l => l.Item == "Tiền ăn");
            Assert.Equal(90_000, line.Refunds!.Single().AmountVnd);
        }

        var pdf = Path.Combine(fees.Folder, "t10.pdf");
        await fees.OkAsync("notices", "pdf", "--period", "2025-10", "--school", "TS01", "--out", pdf);
        var text = await Printing.PdfText.ExtractAsync(pdf);
        Assert.Contains("Trừ 3 ngày nghỉ tháng 09/2025 (nghỉ có phép được hoàn từ ngày nghỉ thứ 2)", text, StringComparison.Ordinal);
        Assert.Contains("-90.000 ₫", text.Split("nghỉ thứ 2)")[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMovedPupil_NewSchoolNeverGivesBackWhatTheOldSchoolBilled()
    {
        await using var fees = await SchoolAsync("{\"from_day\": 1}");
        // Recorded by TS01 for September, then the pupil moves to TS02 before October is billed.
        await fees.OkAsync("attendance", "import", "--school", "TS01", fees.File("a.csv", "student_code,month,absent_with_notice,absent_without_notice\n7900000001,09/2025,3,0\n"));
        await fees.OkAsync("students", "import", fees.File("ts02.csv", Samples.StudentHeader + "TS02,7900000040,Võ Minh Khoa,01/02/2013,Nam,6,6A1,Võ Văn Lâm,0912000040,,,\n"));
        // Only TS01's notices give back what TS01 billed: the move waits for TS01's leaving day, which gives the days back
        // (found by attack: moved first, September's days waited for ever).
        var early = await fees.RunAsync("students", "transfer", "--student", "7900000001", "--to", "TS02", "--class", "6A1", "--reason", "Chuyển nhà");
        Assert.Equal(3, early.ExitCode);
        Assert.Contains("the days absent in 09/2025 at TS01 are not given back yet", early.Err, StringComparison.Ordinal);
        await fees.OkAsync("students", "leave", "--student", "7900000001", "--on", "30/09/2025", "--reason", "Chuyển nhà");
        await fees.OkAsync("students", "transfer", "--student", "7900000001", "--to", "TS02", "--class", "6A1", "--reason", "Chuyển nhà");

        // TS02 may not record a month TS01 billed: the pupil came the day after the last one there.
        var refused = await fees.RunAsync("attendance", "import", "--school", "TS02", fees.File("b.csv", "student_code,month,absent_with_notice,absent_without_notice\n7900000001,09/2025,5,0\n"));
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("pupil 7900000001 enrolled on 01/10/2025; no absence before that day is recorded.", refused.Err, StringComparison.Ordinal);

        await fees.OkAsync("notices", "issue", "--period", "2025-10");
        // TS01's September, billed again as the last month there, gave its three days back itself; TS02's October carries none.
        Assert.Equal(["TS01 202509 3"], await fees.Db.ListAsync("""
            SELECT sc.code || ' ' || r.period_key || ' ' || r.days FROM absence_refunds r JOIN notices n ON n.id = r.notice_id JOIN schools sc ON sc.id = n.school_id
            WHERE n.status NOT IN ('cancelled', 'refunded')
            """));
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM attendance_months WHERE NOT settled"));
        Assert.Equal(0, (await fees.RunAsync("audit")).ExitCode);
    }

    [Fact]
    public async Task AnItemCodeReimportedInAnotherCase_StillGivesTheDaysBack()
    {
        await using var fees = await SchoolAsync("{\"from_day\": 1}");
        await fees.OkAsync("attendance", "import", fees.File("a.csv", "student_code,month,absent_with_notice,absent_without_notice\n7900000001,09/2025,3,0\n"));
        await fees.OkAsync("schedule", "import", fees.File("lower.json", Schedule("{\"from_day\": 1}").Replace("\"TIEN_AN\"", "\"Tien_An\"", StringComparison.Ordinal)));
        await fees.OkAsync("notices", "issue", "--period", "2025-10");
        Assert.Equal((90_000L, 3), await MealLineAsync(fees, "7900000001", 202510));
    }

    [Fact]
    public async Task ANoticeCancel_WaitsForABillingRunsRefundStep_SoNoRunSettlesAMonthOnWhatItReadBefore()
    {
        await using var fees = await SchoolAsync("{\"from_day\": 1}");
        await fees.OkAsync("attendance", "import", fees.File("a.csv", "student_code,month,absent_with_notice,absent_without_notice\n7900000001,09/2025,2,0\n"));
        await fees.OkAsync("notices", "issue", "--period", "2025-10");

        // A billing run holding its refund lock, as it does from reading the months to committing.
        await using var run = new Npgsql.NpgsqlConnection(fees.Db.ConnectionString);
        await run.OpenAsync();
        await using var tx = await run.BeginTransactionAsync();
        await using (var take = new Npgsql.NpgsqlCommand("SELECT pg_advisory_xact_lock(7310002, 0)", run, tx)) await take.ExecuteNonQueryAsync();

        var cancel = fees.RunAsync("notices", "cancel", "--notice", "TS01-202510-00001", "--reason", "lập sai");
        // The cancel waits on the lock: seen in pg_locks, not guessed from time.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await fees.Db.ScalarAsync("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND objid = 0 AND classid = 7310002") == 0)
        {
            if (cancel.IsCompleted) Assert.Fail($"the cancel did not wait for the billing run's refund lock: {await cancel}");
            Assert.True(DateTime.UtcNow < deadline, "the cancel neither waited nor finished");
            await Task.Delay(20);
        }
        Assert.False(cancel.IsCompleted);
        await tx.RollbackAsync();
        Assert.Equal(0, (await cancel).ExitCode);
        Assert.Equal(1, await fees.Db.ScalarAsync("SELECT count(*) FROM attendance_months WHERE NOT settled"));
    }
}
