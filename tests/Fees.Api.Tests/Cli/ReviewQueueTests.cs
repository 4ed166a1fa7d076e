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
        Assert.Contains("2 line(s) wait for review", listing);
        var bich = IdOf(listing, "hoc phi be Bich");
        var gift = IdOf(listing, "ung ho quy lop");

        Assert.Contains("paid for student 7900000002", await fees.OkAsync("review", "confirm", bich, "--student", "7900000002", "--reason", "Phụ huynh gọi điện xác nhận"));
        Assert.Contains("not a fee payment", await fees.OkAsync("review", "ignore", gift, "--reason", "Quỹ lớp, không phải khoản thu"));
        Assert.Contains("0 line(s) wait for review", await fees.OkAsync("review", "list"));
        Assert.Equal(1_001_800, await fees.Db.ScalarAsync("SELECT amount_paid_vnd FROM notices WHERE notice_no = 'TS01-202509-00002'"));

        Assert.Contains("is undone", await fees.OkAsync("review", "undo", bich, "--reason", "Nhầm học sinh"));
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT amount_paid_vnd FROM notices WHERE notice_no = 'TS01-202509-00002'"));
        Assert.Contains("1 line(s) wait for review", await fees.OkAsync("review", "list"));

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

    private static async Task<string> PaymentCode(Support.Fees fees, string studentCode)
    {
        await using var db = fees.Db.Open();
        return db.Students.Single(s => s.StudentCode == studentCode).PaymentCode;
    }
}
