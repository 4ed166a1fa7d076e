namespace TdmEdu.Fees.Api.Tests.Cli;

public sealed class ReviewQueueTests
{
    private static string IdOf(string listing, string content) =>
        listing.Split('\n').First(l => l.Contains(content)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];

    [Fact]
    public async Task Review_ConfirmIgnoreUndoAndReassign_EachAuditedAndTheMoneyWhole()
    {
        await using var fees = await Support.Fees.StartAsync();
        await fees.SetUpExampleSchoolAsync();
        await fees.OkAsync("notices", "issue", "--period", "2025-09");
        var code = await PaymentCode(fees, "7900000002");
        var an = await PaymentCode(fees, "7900000001");
        var mangled = code[..^2] + code[^1] + code[^2];
        var statement = ":20:S1\n:25:0281000111222\n:60F:C250909VND0,\n" +
            $":61:2509100910C1001800,NTRFNONREF//FT1\n:86:hoc phi be Bich {mangled}\n" +
            ":61:2509100910C7000,NTRFNONREF//FT2\n:86:ung ho quy lop\n" +
            $":61:2509100910C1371800,NTRFNONREF//FT3\n:86:{an}\n:62F:C250910VND0,\n";
        await fees.OkAsync("statements", "import", fees.File("vcb.sta", statement), "--bank", "VCB", "--account", "0281000111222");
        await fees.OkAsync("reconcile");

        var listing = await fees.OkAsync("review", "list");
        Assert.Contains("2 item(s) wait for review", listing);
        var bich = IdOf(listing, "hoc phi be Bich");
        var gift = IdOf(listing, "ung ho quy lop");

        Assert.Contains("paid for student 7900000002", await fees.OkAsync("review", "confirm", bich, "--student", "7900000002", "--reason", "Phụ huynh gọi điện xác nhận"));
        Assert.Contains("not a fee payment", await fees.OkAsync("review", "ignore", gift, "--reason", "Quỹ lớp, không phải khoản thu"));
        Assert.Contains("0 item(s) wait for review", await fees.OkAsync("review", "list"));
        Assert.Equal(1_001_800, await fees.Db.ScalarAsync("SELECT amount_paid_vnd FROM notices WHERE notice_no = 'TS01-202509-00002'"));

        Assert.Contains("is undone", await fees.OkAsync("review", "undo", bich, "--reason", "Nhầm học sinh"));
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT amount_paid_vnd FROM notices WHERE notice_no = 'TS01-202509-00002'"));
        Assert.Contains("1 item(s) wait for review", await fees.OkAsync("review", "list"));

        // The matcher applied FT3 to An; the accountant moves it to Bích.
        string ft3Id;
        await using (var db = fees.Db.Open()) ft3Id = db.StatementLines.Single(l => l.BankRef == "FT3").Id.ToString()[^12..];
        Assert.Contains("now pays for student 7900000002", await fees.OkAsync("review", "reassign", ft3Id, "--student", "7900000002", "--reason", "Chuyển nhầm mã"));
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT amount_paid_vnd FROM notices WHERE notice_no = 'TS01-202509-00001'"));
        Assert.Equal(1_001_800, await fees.Db.ScalarAsync("SELECT amount_paid_vnd FROM notices WHERE notice_no = 'TS01-202509-00002'"));

        var refused = await fees.RunAsync("review", "confirm", ft3Id, "--student", "7900000001", "--reason", "x");
        Assert.Equal(3, refused.ExitCode);
        Assert.Equal(4, await fees.Db.ScalarAsync("SELECT count(*) FROM audit_log WHERE action LIKE 'review.%'"));
        var audit = await fees.RunAsync("audit");
        Assert.True(audit.ExitCode == 0, audit.ToString());
    }

    [Fact]
    public async Task Review_TheSameLineConfirmedFourTimesAtOnce_PaysOnce_AndTheOthersAreRefused()
    {
        await using var fees = await Support.Fees.StartAsync();
        await fees.SetUpExampleSchoolAsync();
        await fees.OkAsync("notices", "issue", "--period", "2025-09");
        var statement = ":20:S1\n:25:0281000111222\n:60F:C250909VND0,\n:61:2509100910C1001800,NTRFNONREF//FT1\n:86:hoc phi be Bich\n:62F:C250910VND0,\n";
        await fees.OkAsync("statements", "import", fees.File("vcb.sta", statement), "--bank", "VCB", "--account", "0281000111222");
        await fees.OkAsync("reconcile");
        var id = IdOf(await fees.OkAsync("review", "list"), "hoc phi be Bich");

        // Four clerks (or one double click and a second tab) at the same moment, each its own process and connection.
        var runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => fees.RunAsync("review", "confirm", id, "--student", "7900000002", "--reason", "Phụ huynh gọi")));

        Assert.Equal(1, runs.Count(r => r.ExitCode == 0));
        Assert.All(runs.Where(r => r.ExitCode != 0), r => Assert.Equal(3, r.ExitCode));
        Assert.Equal(1, await fees.Db.ScalarAsync("SELECT count(*) FROM payments WHERE method = 'bank'"));
        Assert.Equal(1_001_800, await fees.Db.ScalarAsync("SELECT amount_paid_vnd FROM notices WHERE notice_no = 'TS01-202509-00002'"));
        var audit = await fees.RunAsync("audit");
        Assert.True(audit.ExitCode == 0, audit.ToString());
    }

    [Fact]
    public async Task AStatementLineAboveTheCeilingOfEveryOtherWayIn_IsRefusedNamingTheLine_AndNothingIsStored()
    {
        await using var fees = await Support.Fees.StartAsync();
        await fees.SetUpExampleSchoolAsync();
        await fees.OkAsync("notices", "issue", "--period", "2025-09");
        var an = await PaymentCode(fees, "7900000001");
        var statement = ":20:S1\n:25:0281000111222\n:60F:C250909VND0,\n:61:2509100910C500000,NTRFNONREF//FT1\n:86:ung ho\n" +
            $":61:2509100910C99999999999999,NTRFNONREF//FT2\n:86:hoc phi {an}\n:62F:C250910VND0,\n";

        var refused = await fees.RunAsync("statements", "import", fees.File("vcb.sta", statement), "--bank", "VCB", "--account", "0281000111222");

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("the amount 99999999999999 is more than 999,999,999,999 đồng", refused.Err);
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM statement_lines"));
    }

    [Fact]
    public async Task Review_Split_PaysEachStudentItsPart_RefusesBadParts_AndUndoesAsAWhole()
    {
        await using var fees = await Support.Fees.StartAsync();
        await fees.SetUpExampleSchoolAsync();
        await fees.OkAsync("notices", "issue", "--period", "2025-09");
        await fees.OkAsync("students", "import", fees.File("ts02.csv", Support.Samples.StudentHeader +
            "TS02,7900000040,Đặng Quốc Bảo,07/07/2013,Nam,6,6A1,Đặng Văn Hùng,0912000040,,,\n"));
        var statement = ":20:S1\n:25:0281000111222\n:60F:C250909VND0,\n" +
            ":61:2509100910C1500000,NTRFNONREF//FT9\n:86:hoc phi hai chau lop 1 va 2\n:62F:C250910VND1500000,\n";
        await fees.OkAsync("statements", "import", fees.File("vcb.sta", statement), "--bank", "VCB", "--account", "0281000111222");
        await fees.OkAsync("reconcile");
        var id = IdOf(await fees.OkAsync("review", "list"), "hai chau");

        var notWhole = await fees.RunAsync("review", "split", id, "--to", "7900000001=1000000,7900000002=400000", "--reason", "x");
        var otherSchool = await fees.RunAsync("review", "split", id, "--to", "7900000001=1000000,7900000040=500000", "--reason", "x");
        // Parts whose sum would overflow a long: refused like any part beyond the line (it was an unhandled overflow).
        var huge = await fees.RunAsync("review", "split", id, "--to", $"7900000001={long.MaxValue},7900000002={long.MaxValue}", "--reason", "x");
        var split = await fees.OkAsync("review", "split", id, "--to", "7900000001=1.000.000, 7900000002=500000", "--reason", "Phụ huynh báo hai con");

        Assert.Equal(2, notWhole.ExitCode);
        Assert.Contains("the parts add up to 1.400.000 ₫ but the line brought 1.500.000 ₫", notWhole.Err);
        Assert.Equal(2, huge.ExitCode);
        Assert.Contains("the part for 7900000001 is 9.223.372.036.854.775.807 ₫, more than the line's 1.500.000 ₫", huge.Err);
        Assert.Equal(3, otherSchool.ExitCode);
        Assert.Contains("There is no pupil 7900000040 at the school whose account received this money", otherSchool.Err);
        Assert.Contains("split over 7900000001 (1.000.000 ₫), 7900000002 (500.000 ₫)", split);
        Assert.Equal(["1000000", "500000"], await fees.Db.ListAsync(
            "SELECT amount_paid_vnd::text FROM notices WHERE notice_no IN ('TS01-202509-00001', 'TS01-202509-00002') ORDER BY notice_no"));
        Assert.Equal(2, await fees.Db.ScalarAsync("SELECT count(*) FROM receipts"));
        var afterSplit = await fees.RunAsync("audit");
        Assert.True(afterSplit.ExitCode == 0, afterSplit.ToString());

        Assert.Contains("the split is undone", await fees.OkAsync("review", "undo", id, "--reason", "Sai số tiền"));
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT sum(amount_paid_vnd) FROM notices"));
        Assert.Contains("1 item(s) wait for review", await fees.OkAsync("review", "list"));
        var audit = await fees.RunAsync("audit");
        Assert.True(audit.ExitCode == 0, audit.ToString());
    }

    private static async Task<string> PaymentCode(Support.Fees fees, string studentCode)
    {
        await using var db = fees.Db.Open();
        return db.Students.Single(s => s.StudentCode == studentCode).PaymentCode;
    }
}
