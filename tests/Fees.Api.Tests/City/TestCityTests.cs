using System.Globalization;

namespace TdmEdu.Fees.Api.Tests.City;

/// <summary>
/// A small city of our own, billed for two months as a school office would by hand: a kindergarten and a lower
/// secondary school in wards, a semi-boarding primary school in a commune; meal days with absences given back, a
/// price change, a joiner and a leaver, the state's lunch support, and a schedule over a ceiling refused. Every
/// notice equals the table below to the đồng; the support claim and the vouchers add up to the ledger.
/// </summary>
public sealed class TestCityTests
{
    private const string Schools = """
        school_code,name,level,ward,bank,account_no,account_name
        MG01,Trường Mẫu giáo Hoa Sen,MG,Phường Phú Cường,VCB,0281000100001,TRUONG MAU GIAO HOA SEN
        TH01,Trường Tiểu học Bạch Đằng,TH,Xã Bạch Đằng,VCB,0281000100002,TRUONG TIEU HOC BACH DANG
        THCS01,Trường THCS Hiệp Thành,THCS,Phường Hiệp Thành,VCB,0281000100003,TRUONG THCS HIEP THANH

        """;

    private const string Ceilings = """
        school_year,code,name,area,level,unit,max_amount,max_rise_percent,legal_basis
        2025-2026,BAN_TRU,Dịch vụ bán trú,ward,,month,250000,15,NQ 18/2025/NQ-HĐND
        2025-2026,BAN_TRU,Dịch vụ bán trú,commune,,month,220000,15,NQ 18/2025/NQ-HĐND
        2025-2026,TIEN_AN,Tiền ăn bán trú,ward,,day,40000,15,NQ 18/2025/NQ-HĐND
        2025-2026,TIEN_AN,Tiền ăn bán trú,commune,,day,35000,15,NQ 18/2025/NQ-HĐND

        """;

    // Meals 30,000 a school day, 32,000 from October; a part month by the days for meals and water, by half for semi-boarding.
    private const string Schedule = """
        {"school_year": "2025-2026", "months": [9, 10, 11, 12, 1, 2, 3, 4, 5], "due_day": 15,
         "items": [
          {"code": "BAN_TRU", "name": "Dịch vụ bán trú", "kind": "service", "unit": "month", "amount": 200000, "levels": ["MG", "TH"],
           "reducible": true, "part_month": "half", "legal_basis": "NQ 18/2025/NQ-HĐND"},
          {"code": "TIEN_AN", "name": "Tiền ăn bán trú", "kind": "service", "unit": "day", "amount": 30000, "levels": ["MG", "TH"],
           "days": {"9": 18, "10": 22, "11": 20, "12": 22, "1": 15, "2": 18, "3": 21, "4": 20, "5": 16}, "reducible": true,
           "part_month": "days", "absence_refund": {"from_day": 1}, "price_changes": [{"from": "2025-10", "amount": 32000}]},
          {"code": "NUOC_UONG", "name": "Nước uống", "kind": "service", "unit": "month", "amount": 15000, "reducible": true, "part_month": "days"},
          {"code": "MAY_LANH", "name": "Dịch vụ máy lạnh", "kind": "service", "unit": "month", "amount": 40000, "levels": ["THCS"], "reducible": true},
          {"code": "BHYT", "name": "Bảo hiểm y tế học sinh", "kind": "pass_through", "unit": "once", "amount": 631800, "months": [9], "reducible": false},
          {"code": "TIENG_ANH", "name": "Tiếng Anh tăng cường", "kind": "voluntary", "unit": "month", "amount": 150000, "levels": ["TH"]}],
         "policies": [
          {"code": "HN", "name": "Con hộ nghèo", "percent": 100, "items": ["BAN_TRU", "TIEN_AN"], "legal_basis": "NĐ 238/2025/NĐ-CP"},
          {"code": "CN", "name": "Con hộ cận nghèo", "percent": 50, "items": ["*"], "legal_basis": "NĐ 238/2025/NĐ-CP"}],
         "support": [
          {"code": "HT_AN", "name": "Hỗ trợ ăn trưa trẻ mẫu giáo", "items": ["TIEN_AN"], "amount": 160000, "max_months": 9, "legal_basis": "NĐ 105/2020/NĐ-CP"}]}
        """;

    private const string Roster = """
        school_code,student_code,full_name,date_of_birth,gender,grade,class_name,guardian_name,guardian_phone,policy_groups,optional_items,enrolled_on,policy_evidence
        MG01,7910000001,Nguyễn Minh Khang,12/03/2020,Nam,0,Lá 1,Nguyễn Văn Hùng,0913000001,,,,
        MG01,7910000002,Trần Ngọc Hân,05/07/2020,Nữ,0,Lá 1,Trần Văn Lộc,0913000002,CN;HT_AN,,,HT_AN=QĐ 15/QĐ-UBND
        MG01,7910000003,Lê Gia Bảo,21/11/2020,Nam,0,Lá 2,Lê Văn Tài,0913000003,,,20/10/2025,
        TH01,7920000001,Phạm Thu Trang,02/02/2018,Nữ,1,1A1,Phạm Văn Đạt,0913000004,,TIENG_ANH,,
        TH01,7920000002,Võ Quốc Huy,14/06/2017,Nam,2,2A1,Võ Văn Sơn,0913000005,HN,,,
        TH01,7920000003,Đặng Thị Mai,30/09/2016,Nữ,3,3A1,Đặng Văn Tâm,0913000006,,,,
        THCS01,7930000001,Bùi Đức Long,09/01/2014,Nam,6,6A1,Bùi Văn Thịnh,0913000007,,,,
        THCS01,7930000002,Hồ Khánh Linh,17/08/2013,Nữ,7,7A1,Hồ Văn Nghĩa,0913000008,CN,,,

        """;

    private static async Task<Dictionary<string, long>> StandingAsync(Support.Fees fees, int period) =>
        (await fees.Db.ListAsync($"""
            SELECT s.student_code || '=' || n.amount_due_vnd FROM notices n JOIN students s ON s.id = n.student_id
            WHERE n.period_key = {period} AND n.status NOT IN ('cancelled', 'refunded')
            """)).Select(r => r.Split('=')).ToDictionary(r => r[0], r => long.Parse(r[1], CultureInfo.InvariantCulture));

    private static async Task<string> NoticeOfAsync(Support.Fees fees, string student, int period) =>
        (await fees.Db.ListAsync($"""
            SELECT n.notice_no FROM notices n JOIN students s ON s.id = n.student_id
            WHERE s.student_code = '{student}' AND n.period_key = {period} AND n.status NOT IN ('cancelled', 'refunded')
            """)).Single();

    private static void At(Support.Fees fees, int month, int day) => fees.Clock.Now = new DateTimeOffset(2025, month, day, 2, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task TwoMonthsOfTheTestCity_EqualTheHandComputedTable_AndTheClaimAndVouchersAddUp()
    {
        await using var fees = await Support.Fees.StartAsync();
        At(fees, 8, 25);
        await fees.OkAsync("schools", "import", fees.File("schools.csv", Schools));
        await fees.OkAsync("ceilings", "import", fees.File("tran.csv", Ceilings));

        // Meals at 36,000 from October are above the commune's ceiling of 35,000 at the primary school: refused whole.
        var over = await fees.RunAsync("schedule", "import", fees.File("over.json", Schedule.Replace("\"amount\": 32000", "\"amount\": 36000", StringComparison.Ordinal)));
        Assert.Equal(2, over.ExitCode);
        Assert.Contains("TIEN_AN", over.Err, StringComparison.Ordinal);
        Assert.Contains("TH01", over.Err, StringComparison.Ordinal);
        Assert.Contains("35", over.Err, StringComparison.Ordinal);
        Assert.Contains("NQ 18/2025/NQ-HĐND", over.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("MG01", over.Err, StringComparison.Ordinal);
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM schedules"));

        await fees.OkAsync("schedule", "import", fees.File("schedule.json", Schedule));
        await fees.OkAsync("students", "import", fees.File("students.csv", Roster, bom: true));
        await fees.OkAsync("vouchers", "accounts", fees.File("tk.csv", "item_code,channel,debit,credit\n*,cash,1111,5118\n*,bank,1121,5118\nBHYT,cash,1111,3383\nBHYT,bank,1121,3383\n_CREDIT,cash,1111,3388\n_CREDIT,bank,1121,3388\n"));

        // September: 18 meal days at 30,000.
        At(fees, 9, 1);
        await fees.OkAsync("notices", "issue", "--period", "2025-09");
        Assert.Equal(new Dictionary<string, long>
        {
            ["7910000001"] = 200_000 + 540_000 + 15_000 + 631_800,                        // 1,386,800
            ["7910000002"] = 100_000 + (270_000 - 160_000) + 7_500 + 631_800,              // CN half, then 160,000 of the meals paid by the state
            ["7920000001"] = 200_000 + 540_000 + 15_000 + 631_800 + 150_000,              // with extra English
            ["7920000002"] = 0 + 0 + 15_000 + 631_800,                                     // HN: semi-boarding and meals free
            ["7920000003"] = 200_000 + 540_000 + 15_000 + 631_800,
            ["7930000001"] = 15_000 + 40_000 + 631_800,
            ["7930000002"] = 7_500 + 20_000 + 631_800,                                     // CN half, insurance whole
        }, await StandingAsync(fees, 202509));
        Assert.Equal(160_000, await fees.Db.ScalarAsync("SELECT sum(support_vnd) FROM notice_lines"));

        At(fees, 9, 10);
        await fees.OkAsync("payments", "cash", "--notice", await NoticeOfAsync(fees, "7920000003", 202509), "--amount", "1386800");
        await fees.OkAsync("payments", "cash", "--notice", await NoticeOfAsync(fees, "7910000002", 202509), "--amount", "849300");

        // September's absences: Khang 3 days with notice, Hân 2, Mai 2, Trang 1 without notice (not given back).
        At(fees, 10, 1);
        await fees.OkAsync("attendance", "import", fees.File("t9.csv", """
            student_code,month,absent_with_notice,absent_without_notice
            7910000001,09/2025,3,0
            7910000002,09/2025,2,0
            7920000003,09/2025,2,0
            7920000001,09/2025,0,1

            """));
        await fees.OkAsync("notices", "issue", "--period", "2025-10");
        // October: 22 meal days at 32,000 (704,000); 23 weekdays. Bảo joins on Monday 20 October: 10 of them.
        Assert.Equal(new Dictionary<string, long>
        {
            ["7910000001"] = 200_000 + (704_000 - 90_000) + 15_000,                       // 3 September days back at 30,000
            // Hân's 2 September days: 270,000 − 240,000 = 30,000, shared as the line was paid: the family's
            // 30,000 × 110,000 / 270,000 = 12,222, the state's 17,778 off September's claim.
            ["7910000002"] = 100_000 + (352_000 - 160_000 - 12_222) + 7_500,
            ["7910000003"] = 100_000 + 10 * 32_000 + 15_000 * 10 / 23,                    // half (10 < 23 / 2), 10 meals, water 6,521
            ["7920000001"] = 200_000 + 704_000 + 15_000 + 150_000,
            ["7920000002"] = 15_000,
            ["7920000003"] = 200_000 + (704_000 - 60_000) + 15_000,
            ["7930000001"] = 15_000 + 40_000,
            ["7930000002"] = 7_500 + 20_000,
        }, await StandingAsync(fees, 202510));

        // Mai's family pays October, she is absent 7 and 8 October, and leaves after Friday 10 October (8 of 23 days).
        At(fees, 10, 3);
        await fees.OkAsync("payments", "cash", "--notice", await NoticeOfAsync(fees, "7920000003", 202510), "--amount", "859000");
        At(fees, 10, 11);
        await fees.OkAsync("attendance", "import", fees.File("t10.csv", "Mã học sinh,Ngày,Loại nghỉ\n7920000003,07/10/2025,P\n7920000003,08/10/2025,P\n"));
        var left = await fees.OkAsync("students", "leave", "--student", "7920000003", "--on", "10/10/2025", "--reason", "Chuyển nhà", "--refund", "cash");
        // Her October again: half the semi-boarding; 8 meals (256,000) less September's 2 days (60,000) and October's 2
        // (64,000); water 15,000 × 8 / 23 = 5,217. The rest of the 859,000 goes back to the family in cash.
        var mai = 100_000 + (256_000 - 60_000 - 64_000) + 15_000 * 8 / 23;
        Assert.Equal(237_217, mai);
        Assert.Equal(mai, (await StandingAsync(fees, 202510))["7920000003"]);
        Assert.Contains($"Paid back in cash: {859_000 - mai:N0}".Replace(",", ".", StringComparison.Ordinal), left, StringComparison.Ordinal);
        Assert.Equal(859_000 - mai, await fees.Db.ScalarAsync("SELECT sum(amount_vnd) FROM refunds"));

        At(fees, 11, 1);
        await fees.OkAsync("audit");

        // The claim for the state's support adds up to the ledger: what the notices say the state paid, less its share of days not eaten.
        var claim = Path.Combine(fees.Folder, "ht.csv");
        await fees.OkAsync("report", "support", "--school", "MG01", "--year", "2025-2026", "--out", claim);
        var row = (await File.ReadAllLinesAsync(claim))[1].Split(',');
        Assert.Equal(["7910000002", "QĐ 15/QĐ-UBND", "17778", "302222"], new[] { row[0], row[5], row[^2], row[^1] });
        Assert.Equal(302_222, await fees.Db.ScalarAsync("SELECT sum(support_vnd) FROM notice_lines") - await fees.Db.ScalarAsync("SELECT sum(state_vnd) FROM absence_refunds"));

        // Each school's vouchers of each month add up to its payments, refunds and allocations.
        foreach (var (school, month) in new[] { ("MG01", "2025-09"), ("TH01", "2025-09"), ("TH01", "2025-10") })
        {
            var csv = Path.Combine(fees.Folder, $"ct-{school}-{month}.csv");
            await fees.OkAsync("vouchers", "export", "--school", school, "--period", month, "--out", csv);
            var lines = (await File.ReadAllLinesAsync(csv)).Skip(1).Select(l => l.Split(',')).ToList();
            long Sum(Func<string[], bool> where) => lines.Where(where).Sum(r => long.Parse(r[5], CultureInfo.InvariantCulture));
            var range = $"p.received_at >= '{month}-01 00:00+07' AND p.received_at < ('{month}-01 00:00+07'::timestamptz + interval '1 month')";
            var paid = await fees.Db.ScalarAsync($"SELECT COALESCE(sum(p.amount_vnd), 0) FROM payments p JOIN schools sc ON sc.id = p.school_id WHERE sc.code = '{school}' AND {range}");
            var refunded = await fees.Db.ScalarAsync($"SELECT COALESCE(sum(r.amount_vnd), 0) FROM refunds r JOIN payments p ON p.id = r.payment_id JOIN schools sc ON sc.id = p.school_id WHERE sc.code = '{school}' AND r.at >= '{month}-01 00:00+07' AND r.at < ('{month}-01 00:00+07'::timestamptz + interval '1 month')");
            Assert.Equal(paid - refunded, Sum(r => r[3] == "1111") - Sum(r => r[4] == "1111"));
            var allocated = await fees.Db.ScalarAsync($"SELECT COALESCE(sum(a.amount_vnd), 0) FROM allocations a JOIN payments p ON p.id = a.payment_id JOIN schools sc ON sc.id = p.school_id WHERE sc.code = '{school}' AND a.at >= '{month}-01 00:00+07' AND a.at < ('{month}-01 00:00+07'::timestamptz + interval '1 month')");
            Assert.Equal(allocated, Sum(r => r[4] is "5118" or "3383") - Sum(r => r[3] is "5118" or "3383"));
        }
    }
}
