using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Cli;

public sealed class BillingRunTests
{
    private static async Task<Dictionary<string, Dictionary<string, string>>> ExportAsync(Support.Fees fees, string period, string? school = null)
    {
        var path = Path.Combine(fees.Folder, $"export-{period}-{Guid.NewGuid():N}.csv");
        var args = new List<string> { "notices", "export", "--period", period, "--out", path };
        if (school is not null) args.AddRange(["--school", school]);
        await fees.OkAsync([.. args]);
        var lines = File.ReadAllLines(path);
        var header = lines[0].TrimStart('\uFEFF').Split(',');
        return lines.Skip(1).Select(l => header.Zip(l.Split(',')).ToDictionary(x => x.First, x => x.Second))
            .ToDictionary(r => r["student_code"]);
    }

    [Fact]
    public async Task NoticesIssue_OnTheWorkedExample_BillsWhatCliMdComputes()
    {
        await using var fees = await Support.Fees.StartAsync();
        await fees.SetUpExampleSchoolAsync();

        await fees.OkAsync("notices", "issue", "--period", "2025-09");
        var rows = await ExportAsync(fees, "2025-09");

        // An: 200000 + 18×30000 + 631800. Bích (CN 50% on every reducible line): 100000 + 270000 + 631800.
        // Nam (HN 100% on BAN_TRU beats CN; CN 50% on TIEN_AN; BHYT not reducible). Mai enrols in October.
        Assert.Equal(new Dictionary<string, long> { ["7900000001"] = 1_371_800, ["7900000002"] = 1_001_800, ["7900000003"] = 901_800 },
            rows.ToDictionary(r => r.Key, r => long.Parse(r.Value["amount_due"])));
        var an = rows["7900000001"];
        Assert.Equal("issued", an["status"]);
        Assert.Equal("0", an["amount_paid"]);
        Assert.Equal("1371800", an["balance"]);
        Assert.Equal("2025-09-15", an["due_date"]);
        Assert.Equal("970436", an["bank_bin"]);
        Assert.Equal("0281000111222", an["account_no"]);
        Assert.Equal("no", an["overdue"]);
        Assert.Matches("^HS[0-9]{8}$", an["payment_code"]);
        var qr = TdmEdu.Fees.BankAdapters.VietQr.VietQrDecoder.Decode(an["vietqr"]);
        Assert.Equal(("970436", "0281000111222", 1_371_800L, $"{an["payment_code"]} 202509"), (qr.BankBin, qr.Account, qr.AmountVnd!.Value, qr.Purpose!));

        // Overdue is derived from the due date (Asia/Ho_Chi_Minh) and the balance, not stored.
        fees.Clock.Now = new DateTimeOffset(2025, 9, 15, 17, 30, 0, TimeSpan.Zero); // 16/09 00:30 in Hồ Chí Minh City
        Assert.Equal("yes", (await ExportAsync(fees, "2025-09"))["7900000001"]["overdue"]);
    }

    [Fact]
    public async Task NoticesExport_Header_IsExactlyTheDocumentedColumns()
    {
        await using var fees = await Support.Fees.StartAsync();
        await fees.SetUpExampleSchoolAsync();
        await fees.OkAsync("notices", "issue", "--period", "2025-09");
        var path = Path.Combine(fees.Folder, "n.csv");
        await fees.OkAsync("notices", "export", "--period", "2025-09", "--out", path);

        Assert.Equal(
            "notice_no,school_code,class_name,student_code,student_name,payment_code,period,amount_due,amount_paid,balance,status,overdue,due_date,bank_bin,account_no,vietqr",
            File.ReadLines(path).First().TrimStart('\uFEFF'));
    }

    [Fact]
    public async Task NoticesIssue_RunTwice_AddsNothingTheSecondTime()
    {
        await using var fees = await Support.Fees.StartAsync();
        await fees.SetUpExampleSchoolAsync();
        await fees.OkAsync("notices", "issue", "--period", "2025-09");
        var notices = await fees.Db.ScalarAsync("SELECT count(*) FROM notices");
        var lines = await fees.Db.ScalarAsync("SELECT count(*) FROM notice_lines");

        var second = await fees.OkAsync("notices", "issue", "--period", "2025-09");

        Assert.Contains("Issued 0 notice(s)", second);
        Assert.Contains("3 student(s) already had one", second);
        Assert.Equal(notices, await fees.Db.ScalarAsync("SELECT count(*) FROM notices"));
        Assert.Equal(lines, await fees.Db.ScalarAsync("SELECT count(*) FROM notice_lines"));
    }

    [Fact]
    public async Task NoticesIssue_DryRun_PrintsTotalsPerClassAndWritesNothing()
    {
        await using var fees = await Support.Fees.StartAsync();
        await fees.SetUpExampleSchoolAsync();
        var audit = await fees.Db.ScalarAsync("SELECT count(*) FROM audit_log");

        var output = await fees.OkAsync("notices", "issue", "--period", "2025-09", "--dry-run");

        Assert.Contains("nothing was written", output);
        Assert.Matches(@"TS01\s+2A1\s+1\s+1,371,800\s+370,000\s+0\s+0\s+1,001,800", output);
        Assert.Matches(@"all\s+\(total\)\s+3\s+4,115,400\s+840,000\s+0\s+0\s+3,275,400", output);
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM notices"));
        Assert.Equal(audit, await fees.Db.ScalarAsync("SELECT count(*) FROM audit_log"));
    }

    [Fact]
    public async Task NoticesIssue_StudentEnrolledInOctober_IsBilledFromOctober()
    {
        await using var fees = await Support.Fees.StartAsync();
        await fees.SetUpExampleSchoolAsync();
        await fees.OkAsync("notices", "issue", "--period", "2025-09");
        await fees.OkAsync("notices", "issue", "--period", "2025-10");

        Assert.DoesNotContain("7900000004", (await ExportAsync(fees, "2025-09")).Keys);
        // October: 200000 + 22 × 30000; BHYT is billed in September only.
        Assert.Equal("860000", (await ExportAsync(fees, "2025-10"))["7900000004"]["amount_due"]);
    }

    [Fact]
    public async Task NoticesIssue_ClosedPeriod_IsRefusedWithExit3()
    {
        await using var fees = await Support.Fees.StartAsync();
        await fees.SetUpExampleSchoolAsync();
        await fees.OkAsync("notices", "close", "--period", "2025-09", "--school", "TS01");

        var r = await fees.RunAsync("notices", "issue", "--period", "2025-09", "--school", "TS01");

        Assert.Equal(3, r.ExitCode);
        Assert.Contains("closed", r.Err);
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM notices"));
    }

    [Fact]
    public async Task PaymentsCash_InAClosedPeriod_StillApplies()
    {
        await using var fees = await Support.Fees.StartAsync();
        await fees.SetUpExampleSchoolAsync();
        await fees.OkAsync("notices", "issue", "--period", "2025-09");
        await fees.OkAsync("notices", "close", "--period", "2025-09");

        var output = await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00001", "--amount", "1371800");

        Assert.Contains("paid", output);
    }

    [Fact]
    public async Task NoticesIssue_MonthOutsideTheSchoolYear_IsRefused()
    {
        await using var fees = await Support.Fees.StartAsync();
        await fees.SetUpExampleSchoolAsync();

        var july = await fees.RunAsync("notices", "issue", "--period", "2026-07");
        var noSchedule = await fees.RunAsync("notices", "issue", "--period", "2026-09");

        Assert.Equal(3, july.ExitCode);
        Assert.Contains("not a billing month", july.Err);
        Assert.Equal(3, noSchedule.ExitCode);
        Assert.Contains("no fee schedule for school year 2026-2027", noSchedule.Err);
    }

    [Fact]
    public async Task NoticesIssue_VoluntaryItem_OnlyForFamiliesWhoChoseIt()
    {
        await using var fees = await Support.Fees.StartAsync();
        await fees.SetUpExampleSchoolAsync();
        await fees.OkAsync("students", "import", fees.File("more.csv", Samples.StudentHeader +
            "TS01,7900000010,Đỗ Minh Khang,02/02/2018,Nam,1,1A1,Đỗ Văn Tài,0912000010,,TIENG_ANH,\n" +
            "TS01,7900000011,Võ Thị Lan,03/03/2018,Nữ,1,1A1,Võ Văn Kha,0912000011,,,\n"));

        await fees.OkAsync("notices", "issue", "--period", "2025-10");
        var rows = await ExportAsync(fees, "2025-10");

        Assert.Equal("1010000", rows["7900000010"]["amount_due"]); // 200000 + 660000 + 150000
        Assert.Equal("860000", rows["7900000011"]["amount_due"]);
    }

    [Fact]
    public async Task NoticesIssue_ExpiredPolicyEvidence_GivesNoReductionAndSaysSo()
    {
        await using var fees = await Support.Fees.StartAsync();
        await fees.SetUpExampleSchoolAsync();
        await fees.OkAsync("students", "import", fees.File("cn.csv", Samples.StudentHeader +
            "TS01,7900000012,Hồ Thị Yến,04/04/2018,Nữ,1,1A1,Hồ Văn Lộc,0912000012,CN@2025-09-30,,\n"));

        await fees.OkAsync("notices", "issue", "--period", "2025-09");
        var october = await fees.OkAsync("notices", "issue", "--period", "2025-10");

        Assert.Equal("1001800", (await ExportAsync(fees, "2025-09"))["7900000012"]["amount_due"]);
        Assert.Equal("860000", (await ExportAsync(fees, "2025-10"))["7900000012"]["amount_due"]);
        Assert.Contains("evidence expired", october);
    }

    [Fact]
    public async Task StudentsImport_TransferToAnotherSchool_KeepsPaymentCodeAndHistory()
    {
        await using var fees = await Support.Fees.StartAsync();
        await fees.SetUpExampleSchoolAsync();
        await fees.OkAsync("notices", "issue", "--period", "2025-09");
        var before = (await ExportAsync(fees, "2025-09"))["7900000001"];

        var output = await fees.OkAsync("students", "import", fees.File("moved.csv", Samples.StudentHeader +
            "TS02,7900000001,Nguyễn Văn An,12/05/2018,Nam,6,6A1,Nguyễn Văn Bình,0912000001,,,\n"));
        await fees.OkAsync("notices", "issue", "--period", "2025-10");

        Assert.Contains("1 transferred", output);
        var september = (await ExportAsync(fees, "2025-09"))["7900000001"];
        var october = (await ExportAsync(fees, "2025-10"))["7900000001"];
        Assert.Equal("TS01", september["school_code"]);
        Assert.Equal("TS02", october["school_code"]);
        Assert.Equal(before["payment_code"], october["payment_code"]);
        Assert.Equal(1, await fees.Db.ScalarAsync("SELECT count(*) FROM student_transfers"));
    }

    [Fact]
    public async Task NoticesIssue_NothingToPayAfterReductions_IsPaidOnIssue()
    {
        await using var fees = await Support.Fees.StartAsync();
        await fees.OkAsync("schools", "import", fees.File("s.csv", Samples.Schools));
        await fees.OkAsync("schedule", "import", fees.File("free.json", """
            {"school_year": "2025-2026", "months": [9, 10], "due_day": 10,
             "items": [{"code": "BAN_TRU", "name": "Bán trú", "kind": "service", "unit": "month", "amount": 200000, "reducible": true}],
             "policies": [{"code": "KT", "name": "Khuyết tật", "percent": 100, "items": ["*"]}]}
            """));
        await fees.OkAsync("students", "import", fees.File("kt.csv", Samples.StudentHeader +
            "TS01,7900000020,Lý Gia Huy,05/05/2018,Nam,1,1A1,Lý Văn Sơn,0912000020,KT,,\n"));

        await fees.OkAsync("notices", "issue", "--period", "2025-09");
        var row = (await ExportAsync(fees, "2025-09"))["7900000020"];

        Assert.Equal("0", row["amount_due"]);
        Assert.Equal("paid", row["status"]);
        Assert.Equal("", row["vietqr"]);
    }

    [Fact]
    public async Task NoticesExport_ToXlsx_WritesTheSameColumns()
    {
        await using var fees = await Support.Fees.StartAsync();
        await fees.SetUpExampleSchoolAsync();
        await fees.OkAsync("notices", "issue", "--period", "2025-09");
        var path = Path.Combine(fees.Folder, "n.xlsx");

        await fees.OkAsync("notices", "export", "--period", "2025-09", "--out", path);

        var rows = MiniExcelLibs.MiniExcel.Query(path, useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(3, rows.Count);
        Assert.Equal(TdmEdu.Fees.Api.Application.Billing.NoticeExport.Columns, rows[0].Keys.ToArray());
    }
}
