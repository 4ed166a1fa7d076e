using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Cli;

/// <summary>The city's ceilings: a schedule above one, or risen more than allowed, is refused naming item, school, ceiling and document.</summary>
public sealed class CeilingTests
{
    private const string TwoAreas = """
        school_code,name,level,ward,bank,account_no,account_name
        TS01,Trường Tiểu học Thử Nghiệm,TH,Phú Cường,VCB,0281000111222,TRUONG TIEU HOC THU NGHIEM
        TS03,Trường Tiểu học Bạch Đằng,TH,Xã Bạch Đằng,VCB,0281000333444,TRUONG TIEU HOC BACH DANG

        """;

    private const string CeilingFile = """
        Năm học,Mã khoản,Tên khoản,Địa bàn,Cấp học,Đơn vị tính,Mức trần,Mức tăng tối đa,Văn bản
        2025-2026,BAN_TRU,Dịch vụ bán trú,phường,TH,tháng,200.000,15,NQ 18/2025/NQ-HĐND
        2025-2026,BAN_TRU,Dịch vụ bán trú,xã,TH,tháng,160.000,15,NQ 18/2025/NQ-HĐND

        """;

    private static string Schedule(string year, string items) =>
        $$"""{"school_year": "{{year}}", "months": [9, 10, 11, 12, 1, 2, 3, 4, 5], "due_day": 15, "items": [{{items}}]}""";

    private const string Meals = """{"code": "BAN_TRU", "name": "Dịch vụ bán trú", "kind": "service", "unit": "month", "amount": 200000, "legal_basis": "NQ 18/2025/NQ-HĐND"}""";

    [Fact]
    public async Task AScheduleAboveTheCommunesCeiling_IsRefused_AndOnePricedPerArea_IsStored_WithItsBasisOnTheNotice()
    {
        await using var fees = await Support.Fees.StartAsync();
        await fees.OkAsync("schools", "import", fees.File("schools.csv", TwoAreas));
        Assert.Contains("2 ceiling(s) for 2025-2026", await fees.OkAsync("ceilings", "import", fees.File("tran.csv", CeilingFile, bom: true)));

        var over = await fees.RunAsync("schedule", "import", fees.File("s.json", Schedule("2025-2026", Meals)));
        Assert.Equal(2, over.ExitCode);
        Assert.Contains("item BAN_TRU: at school TS03 (commune) it is 200.000 ₫, above the ceiling of 160.000 ₫ for Dịch vụ bán trú set by NQ 18/2025/NQ-HĐND", over.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("TS01", over.Err, StringComparison.Ordinal);
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM fee_items"));

        // Priced per area: the commune school's item names the same ceiling.
        await fees.OkAsync("schedule", "import", fees.File("ok.json", Schedule("2025-2026",
            Meals.Replace("\"legal_basis\"", "\"schools\": [\"TS01\"], \"legal_basis\"", StringComparison.Ordinal) + ", " +
            """{"code": "BAN_TRU_XA", "name": "Dịch vụ bán trú", "kind": "service", "unit": "month", "amount": 160000, "schools": ["TS03"], "ceiling": "BAN_TRU", "legal_basis": "NQ 18/2025/NQ-HĐND"}""")));
        await fees.OkAsync("students", "import", fees.File("st.csv", Samples.StudentHeader + "TS03,7900000301,Lý Thị Hoa,01/01/2018,Nữ,2,2A,Lý Văn Tư,0912000301,,,\n"));
        await fees.OkAsync("notices", "issue", "--period", "2025-09");
        Assert.Equal(["160000|NQ 18/2025/NQ-HĐND"], await fees.Db.ListAsync("SELECT amount_vnd || '|' || legal_basis FROM notice_lines"));
    }

    [Fact]
    public async Task ARiseOverLastYearBeyondTheAllowedPercent_IsRefused_NamingLastYearsPriceAndTheMost()
    {
        await using var fees = await Support.Fees.StartAsync();
        await fees.OkAsync("schools", "import", fees.File("schools.csv", TwoAreas.Replace("Xã Bạch Đằng", "Phường Bạch Đằng", StringComparison.Ordinal)));
        await fees.OkAsync("ceilings", "import", fees.File("tran.csv", CeilingFile));
        await fees.OkAsync("schedule", "import", fees.File("old.json", Schedule("2024-2025", Meals.Replace("200000", "150000", StringComparison.Ordinal))));

        var risen = await fees.RunAsync("schedule", "import", fees.File("new.json", Schedule("2025-2026", Meals.Replace("200000", "180000", StringComparison.Ordinal))));
        Assert.Equal(2, risen.ExitCode);
        Assert.Contains("at school TS01 (ward) it is 180.000 ₫, more than 15% over last year's 150.000 ₫ (at most 172.500 ₫), the rise NQ 18/2025/NQ-HĐND allows", risen.Err, StringComparison.Ordinal);
        await fees.OkAsync("schedule", "import", fees.File("new.json", Schedule("2025-2026", Meals.Replace("200000", "172500", StringComparison.Ordinal))));
    }

    [Fact]
    public async Task ACeilingFileWithABadRow_IsRefusedWhole_NamingLineAndColumn()
    {
        await using var fees = await Support.Fees.StartAsync();
        var bad = await fees.RunAsync("ceilings", "import", fees.File("bad.csv", CeilingFile + "2025-2026,AN,Tiền ăn,thị trấn,MN,ngày,40.000,,\n"));
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("line 4", bad.Err, StringComparison.Ordinal);
        Assert.Contains("\"thị trấn\" is not ward or commune", bad.Err, StringComparison.Ordinal);
        Assert.Contains("every ceiling names the document that sets it", bad.Err, StringComparison.Ordinal);
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM fee_ceilings"));
    }

    [Fact]
    public async Task NamingAnUnknownOrALooserCeiling_OrAnotherUnit_EscapesNothing()
    {
        await using var fees = await Support.Fees.StartAsync();
        await fees.OkAsync("schools", "import", fees.File("schools.csv", TwoAreas));
        await fees.OkAsync("ceilings", "import", fees.File("tran.csv", CeilingFile + "2025-2026,HOC_PHI,Học phí,xã,,tháng,5.000.000,,NQ 19/2025\n"));

        var unknown = await fees.RunAsync("schedule", "import", fees.File("u.json", Schedule("2025-2026", Meals.Replace("\"legal_basis\"", "\"ceiling\": \"NOPE\", \"legal_basis\"", StringComparison.Ordinal))));
        Assert.Contains("names the ceiling NOPE, which the city has not set for 2025-2026", unknown.Err, StringComparison.Ordinal);

        var looser = await fees.RunAsync("schedule", "import", fees.File("l.json", Schedule("2025-2026", Meals.Replace("\"legal_basis\"", "\"ceiling\": \"HOC_PHI\", \"legal_basis\"", StringComparison.Ordinal))));
        Assert.Contains("at school TS03 (commune) it is 200.000 ₫, above the ceiling of 160.000 ₫", looser.Err, StringComparison.Ordinal);

        var perDay = await fees.RunAsync("schedule", "import", fees.File("d.json", Schedule("2025-2026",
            Meals.Replace("\"unit\": \"month\"", "\"unit\": \"day\", \"days\": {\"9\": 18, \"10\": 22, \"11\": 20, \"12\": 22, \"1\": 15, \"2\": 18, \"3\": 21, \"4\": 20, \"5\": 16}", StringComparison.Ordinal))));
        Assert.Contains("is priced per day, but the ceiling of Dịch vụ bán trú (NQ 18/2025/NQ-HĐND) is per month", perDay.Err, StringComparison.Ordinal);
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM fee_items"));

        var commas = await fees.RunAsync("ceilings", "import", fees.File("c.csv", CeilingFile.Replace(",phường,TH,", ",phường,\"MN, MG\",", StringComparison.Ordinal)));
        Assert.Equal(2, commas.ExitCode);
        Assert.Contains("\"MN, MG\" is not a school level", commas.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACeilingSetLowerAfterTheSchedule_StopsTheBillingRun_ForTheSchoolsAboveIt()
    {
        await using var fees = await Support.Fees.StartAsync();
        // A special zone (Côn Đảo) is priced with the communes.
        await fees.OkAsync("schools", "import", fees.File("schools.csv", TwoAreas.Replace("Xã Bạch Đằng", "Đặc khu Côn Đảo", StringComparison.Ordinal)));
        await fees.OkAsync("schedule", "import", fees.File("s.json", Schedule("2025-2026", Meals)));
        await fees.OkAsync("students", "import", fees.File("st.csv", Samples.StudentHeader
            + "TS01,7900000101,Lê Văn Tâm,01/01/2018,Nam,2,2A,Lê Văn Tư,0912000101,,,\n"
            + "TS03,7900000301,Lý Thị Hoa,01/01/2018,Nữ,2,2A,Lý Văn Tư,0912000301,,,\n"));
        await fees.OkAsync("ceilings", "import", fees.File("tran.csv", CeilingFile, bom: true));

        var run = await fees.RunAsync("notices", "issue", "--period", "2025-09");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("item BAN_TRU: at school TS03 (commune) it is 200.000 ₫, above the ceiling of 160.000 ₫ for Dịch vụ bán trú set by NQ 18/2025/NQ-HĐND", run.Err, StringComparison.Ordinal);
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM notices"));

        // The ward school within its ceiling bills.
        await fees.OkAsync("notices", "issue", "--period", "2025-09", "--school", "TS01");
        Assert.Equal(["TS01"], await fees.Db.ListAsync("SELECT s.code FROM notices n JOIN schools s ON s.id = n.school_id"));
    }
}
