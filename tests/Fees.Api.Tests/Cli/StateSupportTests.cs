using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Cli;

/// <summary>
/// What the state pays in the family's place: computed after the reduction, shown on the notice as paid by the state,
/// capped at its months a school year, and claimed back per pupil, kind and month in a report that adds up to the ledger.
/// </summary>
public sealed class StateSupportTests
{
    internal const string SupportJson = """
        , "support": [
          {"code": "HT_CPHT", "name": "Hỗ trợ chi phí học tập", "items": ["*"], "amount": 150000, "max_months": 2, "legal_basis": "NĐ 238/2025/NĐ-CP"},
          {"code": "HT_AN", "name": "Hỗ trợ tiền ăn trưa", "items": ["TIEN_AN"], "percent": 50, "legal_basis": "NQ 05/2025/NQ-HĐND"}]}
        """;

    internal static string Schedule => Samples.Schedule.TrimEnd()[..^1] + SupportJson;

    private const string Roster = """
        school_code,student_code,full_name,date_of_birth,gender,grade,class_name,guardian_name,guardian_phone,policy_groups,optional_items,enrolled_on,policy_evidence
        TS01,7900000001,Nguyễn Văn An,12/05/2018,Nam,1,1A1,Nguyễn Văn Bình,0912000001,HT_CPHT,,,HT_CPHT=GCN 12/2025
        TS01,7900000002,Trần Thị Bích,2017-03-01,Nữ,2,2A1,Trần Văn Cường,0912000002,CN,,,
        TS01,7900000003,Lê Hoàng Nam,01/01/2016,Nam,3,3A1,Lê Văn Dũng,0912000003,HN;CN;HT_AN,,,"HN=GCN hộ nghèo 88/2025, xã Tân An; HT_AN=QĐ 7/2025"

        """;

    internal static async Task<Support.Fees> BilledAsync(params string[] months)
    {
        var fees = await Support.Fees.StartAsync();
        await fees.OkAsync("schools", "import", fees.File("schools.csv", Samples.Schools));
        await fees.OkAsync("schedule", "import", fees.File("schedule.json", Schedule));
        await fees.OkAsync("students", "import", fees.File("students.csv", Roster));
        foreach (var m in months)
        {
            fees.Clock.Now = new DateTimeOffset(int.Parse(m[..4], System.Globalization.CultureInfo.InvariantCulture), int.Parse(m[5..], System.Globalization.CultureInfo.InvariantCulture), 3, 3, 0, 0, TimeSpan.Zero);
            await fees.OkAsync("notices", "issue", "--period", m);
        }
        return fees;
    }

    private static Task<List<string>> LinesAsync(Support.Fees fees, int period) => fees.Db.ListAsync($"""
        SELECT s.student_code || ' ' || l.item_code || ' ' || l.amount_vnd || ' ' || l.support_vnd || ' ' || COALESCE(l.support_code, '-')
        FROM notice_lines l JOIN notices n ON n.id = l.notice_id JOIN students s ON s.id = n.student_id
        WHERE n.period_key = {period} ORDER BY s.student_code, l.line_no
        """);

    [Fact]
    public async Task SupportIsPaidAfterTheReduction_AtMostItsMonths_AndTheNoticeBillsTheRest()
    {
        await using var fees = await BilledAsync("2025-09", "2025-10", "2025-11");

        // September, by hand. An: 150,000 a month of study-cost support, spent on the first line it covers (bán trú),
        // never on the insurance the school only passes on. Nam: bán trú free (HN 100%), meals 540,000 less 50% (CN)
        // is 270,000, of which the state pays half (135,000).
        Assert.Equal([
            "7900000001 BAN_TRU 50000 150000 HT_CPHT", "7900000001 TIEN_AN 540000 0 -", "7900000001 BHYT 631800 0 -",
            "7900000002 BAN_TRU 100000 0 -", "7900000002 TIEN_AN 270000 0 -", "7900000002 BHYT 631800 0 -",
            "7900000003 BAN_TRU 0 0 -", "7900000003 TIEN_AN 135000 135000 HT_AN", "7900000003 BHYT 631800 0 -"], await LinesAsync(fees, 202509));
        Assert.Equal(["7900000001 1221800", "7900000003 766800"], await fees.Db.ListAsync(
            "SELECT s.student_code || ' ' || n.amount_due_vnd FROM notices n JOIN students s ON s.id = n.student_id WHERE n.period_key = 202509 AND s.student_code IN ('7900000001', '7900000003') ORDER BY 1"));
        // October is An's second and last month of the support; November bills him in full. Nam's meals support has no cap.
        Assert.Contains("7900000001 BAN_TRU 50000 150000 HT_CPHT", await LinesAsync(fees, 202510));
        Assert.Contains("7900000001 BAN_TRU 200000 0 -", await LinesAsync(fees, 202511));
        Assert.Contains("7900000003 TIEN_AN 150000 150000 HT_AN", await LinesAsync(fees, 202511));
        Assert.Equal(0, (await fees.RunAsync("audit")).ExitCode);
    }

    [Fact]
    public async Task TheClaim_NamesPupilKindEvidenceMonthsAndAmount_AndAddsUpToTheLedger()
    {
        await using var fees = await BilledAsync("2025-09", "2025-10", "2025-11");
        var csv = Path.Combine(fees.Folder, "ho-tro.csv");
        Assert.Contains("Wrote 2 pupil row(s) of state support for TS01 2025-2026, 750,000 VND in all", await fees.OkAsync("report", "support", "--school", "TS01", "--year", "2025-2026", "--out", csv), StringComparison.Ordinal);
        var lines = (await File.ReadAllLinesAsync(csv)).ToList();
        Assert.Equal("student_code,full_name,class_name,support_code,support_name,evidence,legal_basis,months,month_count,returned,amount", lines[0].TrimStart('\uFEFF'));
        Assert.Equal("7900000003,Lê Hoàng Nam,3A1,HT_AN,Hỗ trợ tiền ăn trưa,QĐ 7/2025,NQ 05/2025/NQ-HĐND,09/2025 10/2025 11/2025,3,0,450000", lines[1]);
        Assert.Equal("7900000001,Nguyễn Văn An,1A1,HT_CPHT,Hỗ trợ chi phí học tập,GCN 12/2025,NĐ 238/2025/NĐ-CP,09/2025 10/2025,2,0,300000", lines[2]);
        Assert.Equal(750_000, await fees.Db.ScalarAsync("SELECT sum(support_vnd) FROM notice_lines"));

        // The workbook: the same rows, and the totals per kind and month.
        var xlsx = Path.Combine(fees.Folder, "ho-tro.xlsx");
        await fees.OkAsync("report", "support", "--school", "TS01", "--period", "2025-10", "--out", xlsx);
        var totals = MiniExcelLibs.MiniExcel.Query(xlsx, useHeaderRow: true, sheetName: "Tổng hợp").Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(["HT_AN 10/2025 1 165000", "HT_CPHT 10/2025 1 150000", "Tổng cộng  2 315000"],
            totals.Select(t => $"{t["Mã hỗ trợ"]} {t["Tháng"]} {t["Số học sinh"]} {t["Số tiền"]}").ToList());
    }

    [Fact]
    public async Task TheNoticeAndItsPdf_ShowWhatTheStatePays_AndTheReductionsPercentNotItsGround()
    {
        await using var fees = await BilledAsync("2025-09");
        var pdf = Path.Combine(fees.Folder, "t9.pdf");
        await fees.OkAsync("notices", "pdf", "--period", "2025-09", "--school", "TS01", "--out", pdf);
        var text = await Printing.PdfText.ExtractAsync(pdf);
        Assert.Contains("Nhà nước hỗ trợ theo NĐ 238/2025/NĐ-CP", text, StringComparison.Ordinal);
        Assert.Contains("-150.000 ₫", text, StringComparison.Ordinal);
        Assert.DoesNotContain("(HN)", text, StringComparison.Ordinal);
        Assert.DoesNotContain("(CN)", text, StringComparison.Ordinal);
        Assert.DoesNotContain("hộ nghèo", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Audit_NamesASupportPaidBeyondItsMonths_AndALineThatDoesNotAddUp()
    {
        await using var fees = await BilledAsync("2025-09", "2025-10", "2025-11");
        fees.PlantsBrokenState();
        // A third month of a two-month support, added up right on its line.
        await fees.Db.ExecAsync("""
            SET session_replication_role = replica;
            UPDATE notice_lines l SET amount_vnd = 50000, support_vnd = 150000, support_code = 'HT_CPHT'
            FROM notices n JOIN students s ON s.id = n.student_id
            WHERE l.notice_id = n.id AND s.student_code = '7900000001' AND n.period_key = 202511 AND l.item_code = 'BAN_TRU'
            """);
        var audit = await fees.RunAsync("audit");
        Assert.Equal(3, audit.ExitCode);
        Assert.Contains("FAIL  a pupil's state support is paid for at most its months a school year, and never more a month than it gives: 7900000001/HT_CPHT/2025: 3 month(s) paid, at most 2", audit.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("what the state pays and what earlier months gave back:", audit.Err, StringComparison.Ordinal);

        await fees.Db.ExecAsync("SET session_replication_role = replica; UPDATE notice_lines SET support_vnd = support_vnd + 1 WHERE support_code = 'HT_AN'");
        Assert.Contains("what the state pays and what earlier months gave back:", (await fees.RunAsync("audit")).Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Audit_HoldsALineToTheSupportTermsItWasBilledWith_NotToTodaysSchedule()
    {
        await using var fees = await BilledAsync("2025-09", "2025-10");
        Assert.Equal(["HT_AN 50% - a month, - months, QĐ 7/2025", "HT_CPHT 0% 150000 a month, 2 months, GCN 12/2025"], await fees.Db.ListAsync("""
            SELECT DISTINCT support_code || ' ' || support_percent || '% ' || COALESCE(support_month_vnd::text, '-') || ' a month, '
                   || COALESCE(support_max_months::text, '-') || ' months, ' || support_evidence
            FROM notice_lines WHERE support_vnd > 0 ORDER BY 1
            """));
        // The schedule lowers the support later: months billed before keep their terms and the audit passes.
        await fees.Db.ExecAsync("UPDATE policy_groups SET support_vnd = 1000, max_months = 1, percent = 1 WHERE kind = 'support'");
        await fees.OkAsync("audit");

        // A line whose support was raised afterwards, while its terms stayed, is named.
        fees.PlantsBrokenState();
        await fees.Db.ExecAsync("SET session_replication_role = replica; UPDATE notice_lines SET support_percent = support_percent + 10 WHERE support_code = 'HT_AN'");
        var audit = await fees.RunAsync("audit");
        Assert.Equal(3, audit.ExitCode);
        Assert.Contains("FAIL  a line the state pays keeps the terms it was billed with", audit.Err, StringComparison.Ordinal);
        Assert.Contains("under HT_AN, but ", audit.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASupportWithBothAnAmountAndAPercent_OrEvidenceForACodeNotHeld_IsRefusedByPlace()
    {
        await using var fees = await Support.Fees.StartAsync();
        await fees.OkAsync("schools", "import", fees.File("schools.csv", Samples.Schools));
        var both = await fees.RunAsync("schedule", "import", fees.File("s.json", Schedule.Replace("\"amount\": 150000,", "\"amount\": 150000, \"percent\": 10,", StringComparison.Ordinal)));
        Assert.Equal(2, both.ExitCode);
        Assert.Contains("support HT_CPHT: give either amount (đồng a month) or percent, one of them.", both.Err, StringComparison.Ordinal);

        await fees.OkAsync("schedule", "import", fees.File("schedule.json", Schedule));
        var stray = await fees.RunAsync("students", "import", fees.File("st.csv", Roster.Replace("HT_CPHT=GCN 12/2025", "HN=GCN 12/2025", StringComparison.Ordinal)));
        Assert.Equal(2, stray.ExitCode);
        Assert.Contains("HN has a document but is not in policy_groups.", stray.Err, StringComparison.Ordinal);
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM students"));
    }

    [Fact]
    public async Task TheParentSeesPercentsAndDocuments_NeverTheGroundOfAReduction()
    {
        await using var fees = await BilledAsync("2025-09");
        await using var db = fees.Db.Open();
        var nam = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.Students, x => x.StudentCode == "7900000003");
        var view = (await new TdmEdu.Fees.Api.Application.Reports.ParentLookup(db, new Common.BusinessClock(fees.Clock)).ViewsAsync([nam.Id])).Single();
        var json = System.Text.Json.JsonSerializer.Serialize(view, new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        Assert.Contains("Tiền ăn", json, StringComparison.Ordinal);
        // Nam holds HN (poor household) and CN (near-poor): the family sees 100% and 50%, and what the state pays.
        var meals = view.Notices.Single().Lines.Single(l => l.Item == "Tiền ăn");
        Assert.Equal((50, 135_000L, "NQ 05/2025/NQ-HĐND"), (meals.ReductionPercent, meals.SupportVnd, meals.SupportBasis));
        Assert.DoesNotContain("\"HN\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"CN\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("nghèo", json, StringComparison.Ordinal);
        Assert.DoesNotContain("GCN", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DaysNotEatenOnALineTheStatePaidHalfOf_GiveTheFamilyItsHalf_AndComeOffTheClaim()
    {
        await using var fees = await Support.Fees.StartAsync();
        await fees.OkAsync("schools", "import", fees.File("schools.csv", Samples.Schools));
        var schedule = Schedule.Replace("\"5\": 16}, \"reducible\": true}", "\"5\": 16}, \"reducible\": true, \"absence_refund\": {\"from_day\": 1}}", StringComparison.Ordinal);
        Assert.Contains("absence_refund", schedule, StringComparison.Ordinal);
        await fees.OkAsync("schedule", "import", fees.File("schedule.json", schedule));
        await fees.OkAsync("students", "import", fees.File("students.csv", Roster));
        await fees.OkAsync("notices", "issue", "--period", "2025-09");
        fees.Clock.Now = new DateTimeOffset(2025, 10, 3, 3, 0, 0, TimeSpan.Zero);
        await fees.OkAsync("attendance", "import", fees.File("a.csv", "student_code,month,absent_with_notice,absent_without_notice\n7900000003,09/2025,10,0\n"));
        await fees.OkAsync("notices", "issue", "--period", "2025-10");

        // Nam's September meals: 18 days, 540,000 less 50% (CN) is 270,000, of which the state paid 135,000. Ten days not
        // eaten are 150,000 of it (270,000 less 8 days' 120,000): the family gets back its half, 75,000, and the state's
        // 75,000 comes off September's claim. October: 660,000 less 50% is 330,000, the state pays 165,000, less 75,000.
        Assert.Contains("7900000003 TIEN_AN 90000 165000 HT_AN", await LinesAsync(fees, 202510));
        Assert.Equal(["75000/75000"], await fees.Db.ListAsync("SELECT amount_vnd || '/' || state_vnd FROM absence_refunds"));
        var csv = Path.Combine(fees.Folder, "t9.csv");
        await fees.OkAsync("report", "support", "--school", "TS01", "--period", "2025-09", "--out", csv);
        Assert.Contains("7900000003,Lê Hoàng Nam,3A1,HT_AN,Hỗ trợ tiền ăn trưa,QĐ 7/2025,NQ 05/2025/NQ-HĐND,09/2025,1,75000,60000", await File.ReadAllLinesAsync(csv));
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM attendance_months WHERE NOT settled"));
        Assert.Equal(0, (await fees.RunAsync("audit")).ExitCode);
    }

    [Fact]
    public async Task AMonthBilledLate_CountsTheMonthsBilledAfterIt_TowardsTheCap()
    {
        // September and November are billed before October: An's two months of study-cost support are used up.
        await using var fees = await BilledAsync("2025-09", "2025-11", "2025-10");
        Assert.Contains("7900000001 BAN_TRU 50000 150000 HT_CPHT", await LinesAsync(fees, 202511));
        Assert.Contains("7900000001 BAN_TRU 200000 0 -", await LinesAsync(fees, 202510));
        Assert.Equal(0, (await fees.RunAsync("audit")).ExitCode);
    }
}
