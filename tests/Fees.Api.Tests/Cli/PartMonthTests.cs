using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Cli;

/// <summary>A month a pupil joins, leaves or changes class in, billed by the rule each item sets (part_month).</summary>
public sealed class PartMonthTests
{
    private static readonly string Schedule = Samples.Schedule
        .Replace("\"amount\": 200000, \"reducible\": true}", "\"amount\": 200000, \"reducible\": true, \"part_month\": \"half\"}", StringComparison.Ordinal)
        .Replace("\"5\": 16}, \"reducible\": true}", "\"5\": 16}, \"reducible\": true, \"part_month\": \"days\"}", StringComparison.Ordinal);

    private static async Task<Dictionary<string, long>> DueAsync(Support.Fees fees, int period) =>
        (await fees.Db.ListAsync($"SELECT s.student_code || '=' || n.amount_due_vnd FROM notices n JOIN students s ON s.id = n.student_id WHERE n.period_key = {period}"))
        .Select(r => r.Split('=')).ToDictionary(r => r[0], r => long.Parse(r[1], System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public async Task AJoinerALeaverAndAClassChange_AreBilledByEachItemsRule_AndTheAuditHoldsThem()
    {
        await using var fees = await Support.Fees.StartAsync();
        Assert.Contains("part_month", Schedule, StringComparison.Ordinal);
        await fees.OkAsync("schools", "import", fees.File("schools.csv", Samples.Schools));
        await fees.OkAsync("schedule", "import", fees.File("schedule.json", Schedule));
        await fees.OkAsync("students", "import", fees.File("students.csv", Samples.Students, bom: true));
        fees.Clock.Now = new DateTimeOffset(2025, 9, 3, 3, 0, 0, TimeSpan.Zero);
        await fees.OkAsync("notices", "issue", "--period", "2025-09");

        // An's last day is Friday 10 October; Bích moves to 2A2 from the 15th.
        fees.Clock.Now = new DateTimeOffset(2025, 10, 1, 3, 0, 0, TimeSpan.Zero);
        var roster = Samples.Students.Replace(",Ngày nhập học", ",Ngày nhập học,Ngày nghỉ học,Ngày chuyển lớp", StringComparison.Ordinal)
            .Replace("0912000001,,,", "0912000001,,,,10/10/2025,", StringComparison.Ordinal)
            .Replace("2,2A1,Trần Văn Cường,0912000002,CN,,", "2,2A2,Trần Văn Cường,0912000002,CN,,,,15/10/2025", StringComparison.Ordinal)
            .Replace("0912000003,HN;CN,,", "0912000003,HN;CN,,,,", StringComparison.Ordinal)
            .Replace("06/10/2025", "06/10/2025,,", StringComparison.Ordinal);
        Assert.Contains("2 changed", await fees.OkAsync("students", "import", fees.File("students-10.csv", roster, bom: true)), StringComparison.Ordinal);
        Assert.Equal(["2A1>2A2 from 2025-10-15"], await fees.Db.ListAsync("SELECT from_class || '>' || to_class || ' from ' || \"on\" FROM student_class_moves"));

        await fees.OkAsync("notices", "issue", "--period", "2025-10");
        // October 2025 has 23 weekdays. An: 8 of them, less than half: half the semi-boarding and 8 meals.
        // Mai joins on Monday 6 October: 20 of 23, the whole semi-boarding and 20 meals of the 22.
        // Bích changed class but every item is the school's: her whole month, half of it (CN 50%).
        Assert.Equal(new Dictionary<string, long> { ["7900000001"] = 100_000 + 8 * 30_000, ["7900000002"] = 430_000, ["7900000003"] = 330_000, ["7900000004"] = 200_000 + 20 * 30_000 },
            await DueAsync(fees, 202510));
        Assert.Equal(["7900000001 BAN_TRU half 8/23", "7900000001 TIEN_AN days 8/23", "7900000004 BAN_TRU half 20/23", "7900000004 TIEN_AN days 20/23"], await fees.Db.ListAsync("""
            SELECT s.student_code || ' ' || l.item_code || ' ' || l.part_month || ' ' || l.days_in || '/' || l.days_of
            FROM notice_lines l JOIN notices n ON n.id = l.notice_id JOIN students s ON s.id = n.student_id
            WHERE n.period_key = 202510 AND l.part_month IS NOT NULL ORDER BY 1
            """));

        var pdf = Path.Combine(fees.Folder, "t10.pdf");
        await fees.OkAsync("notices", "pdf", "--period", "2025-10", "--school", "TS01", "--class", "1A1", "--out", pdf);
        var text = await Printing.PdfText.ExtractAsync(pdf);
        Assert.Contains("Tính nửa tháng: học 8/23 ngày trong tháng", text, StringComparison.Ordinal);
        Assert.Contains("Tính theo 8/23 ngày học trong tháng", text, StringComparison.Ordinal);

        fees.Clock.Now = new DateTimeOffset(2025, 11, 1, 3, 0, 0, TimeSpan.Zero);
        Assert.Contains("1 student(s) who left before 2025-11 are not billed.", await fees.OkAsync("notices", "issue", "--period", "2025-11"), StringComparison.Ordinal);
        Assert.DoesNotContain("7900000001", (await DueAsync(fees, 202511)).Keys);
        await fees.OkAsync("audit");

        // A part month billed whole, added up right on its line, is named.
        fees.PlantsBrokenState();
        await fees.Db.ExecAsync("""
            SET session_replication_role = replica;
            UPDATE notice_lines l SET gross_vnd = 200000, amount_vnd = 200000 FROM notices n JOIN students s ON s.id = n.student_id
            WHERE l.notice_id = n.id AND s.student_code = '7900000001' AND n.period_key = 202510 AND l.item_code = 'BAN_TRU';
            UPDATE notices n SET amount_due_vnd = amount_due_vnd + 100000 FROM students s WHERE s.id = n.student_id AND s.student_code = '7900000001' AND n.period_key = 202510;
            """);
        var audit = await fees.RunAsync("audit");
        Assert.Equal(3, audit.ExitCode);
        Assert.Contains("FAIL  a line billed for part of a month bills what its rule gives for the school days the pupil was in, of the month's school days", audit.Err, StringComparison.Ordinal);
        Assert.Contains("bills 1 × 200000 = 200000 for 8 of 23 school days by rule half", audit.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("notice amount due equals its lines", audit.Err, StringComparison.Ordinal);

        // A part month counted out of more school days than October has (23 weekdays), its amount made to agree.
        await fees.Db.ExecAsync("""
            SET session_replication_role = replica;
            UPDATE notice_lines l SET gross_vnd = 100000, amount_vnd = 100000 FROM notices n JOIN students s ON s.id = n.student_id
            WHERE l.notice_id = n.id AND s.student_code = '7900000001' AND n.period_key = 202510 AND l.item_code = 'BAN_TRU';
            UPDATE notices n SET amount_due_vnd = amount_due_vnd - 100000 FROM students s WHERE s.id = n.student_id AND s.student_code = '7900000001' AND n.period_key = 202510;
            """);
        await fees.OkAsync("audit");
        await fees.Db.ExecAsync("""
            SET session_replication_role = replica;
            UPDATE notice_lines l SET days_of = 24 FROM notices n JOIN students s ON s.id = n.student_id
            WHERE l.notice_id = n.id AND s.student_code = '7900000001' AND n.period_key = 202510 AND l.item_code = 'BAN_TRU';
            """);
        audit = await fees.RunAsync("audit");
        Assert.Equal(3, audit.ExitCode);
        Assert.Contains("bills 1 × 200000 = 100000 for 8 of 24 school days by rule half", audit.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALeavingDayBeforeEnrolment_OrAPartMonthRuleNotKnown_IsRefusedByPlace()
    {
        await using var fees = await Support.Fees.StartAsync();
        await fees.OkAsync("schools", "import", fees.File("schools.csv", Samples.Schools));
        var bad = await fees.RunAsync("schedule", "import", fees.File("s.json", Schedule.Replace("\"part_month\": \"half\"", "\"part_month\": \"quarter\"", StringComparison.Ordinal)));
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("column items[0] (BAN_TRU).part_month: \"quarter\" is not \"full\", \"days\" or \"half\".", bad.Err, StringComparison.Ordinal);
        await fees.OkAsync("schedule", "import", fees.File("schedule.json", Schedule));
        var early = await fees.RunAsync("students", "import", fees.File("st.csv", Samples.StudentHeader.TrimEnd() + ",left_on\n"
            + "TS01,7900000001,Nguyễn Văn An,12/05/2018,Nam,1,1A1,Nguyễn Văn Bình,0912000001,,,06/10/2025,30/09/2025\n"));
        Assert.Equal(2, early.ExitCode);
        Assert.Contains("line 2", early.Err, StringComparison.Ordinal);
        Assert.Contains("30/09/2025 is before the pupil enrolled (06/10/2025).", early.Err, StringComparison.Ordinal);
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM students"));
    }
}
