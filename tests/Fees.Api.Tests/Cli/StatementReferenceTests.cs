using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Cli;

/// <summary>A bank reference names one transaction: a reference reused for other money is refused, never skipped.</summary>
public sealed class StatementReferenceTests
{
    private static string Statement(string account, params string[] entries) =>
        $":20:S1\n:25:{account}\n:60F:C250909VND0,\n" + string.Concat(entries) + ":62F:C250912VND0,\n";

    [Fact]
    public async Task Import_TwoCreditsOfOneReferenceWithOtherAmounts_IsRefusedNamingBothLines_AndStoresNothing()
    {
        await using var host = await BankHost.StartAsync();
        var fees = host.Fees;
        var account = host.Account("TS01", "VCB").AccountNo;
        var file = Statement(account, ":61:2509100910C1371800,NTRFNONREF//FT7001\n:86:hoc phi\n", ":61:2509100910C500000,NTRFNONREF//FT7001\n:86:hoc phi em\n");

        var refused = await fees.RunAsync("statements", "import", fees.File("two.sta", file), "--bank", "VCB", "--account", account);

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("two.sta, line 6: the bank reference FT7001 is also on line 4 for 1,371,800 đồng on 2025-09-10, but here for 500,000 đồng", refused.Err);
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM statement_lines"));
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM statement_imports"));
    }

    [Fact]
    public async Task Import_ALineWrittenTwiceInOneFile_IsKeptOnceWithAWarning()
    {
        await using var host = await BankHost.StartAsync();
        var fees = host.Fees;
        var account = host.Account("TS01", "VCB").AccountNo;
        var entry = ":61:2509100910C1371800,NTRFNONREF//FT7002\n:86:hoc phi\n";

        var output = await fees.OkAsync("statements", "import", fees.File("twice.sta", Statement(account, entry, entry)), "--bank", "VCB", "--account", account);

        Assert.Contains("twice.sta, line 6: repeats line 4 (reference FT7002, 1,371,800 đồng on 2025-09-10); kept once.", output);
        Assert.Equal(1, await fees.Db.ScalarAsync("SELECT count(*) FROM statement_lines"));
        Assert.Equal(0, (await fees.RunAsync("audit")).ExitCode);
    }

    [Fact]
    public async Task Import_OneReferenceForTheSameAmountAndDayButAnotherDescription_IsRefused_NotKeptOnce()
    {
        await using var host = await BankHost.StartAsync();
        var fees = host.Fees;
        var account = host.Account("TS01", "VCB").AccountNo;
        // Two pupils' transfers of the same amount on the same day under one reference: keeping one would drop the other's money.
        var file = Statement(account, $":61:2509100910C1371800,NTRFNONREF//FT7003\n:86:{await host.PaymentCodeAsync("7900000001")} hoc phi\n",
            $":61:2509100910C1371800,NTRFNONREF//FT7003\n:86:{await host.PaymentCodeAsync("7900000002")} hoc phi\n");

        var refused = await fees.RunAsync("statements", "import", fees.File("same.sta", file), "--bank", "VCB", "--account", account);

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("same.sta, line 6: the bank reference FT7003 is also on line 4 for the same 1,371,800 đồng on 2025-09-10, but with another description", refused.Err);
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM statement_lines"));
    }

    [Fact]
    public async Task Import_AReferenceImportedBeforeForOtherMoney_IsRefusedNamingTheEarlierFile()
    {
        await using var host = await BankHost.StartAsync();
        var fees = host.Fees;
        var account = host.Account("TS01", "VCB").AccountNo;
        await fees.OkAsync("statements", "import", fees.File("mon.sta", Statement(account, ":61:2509100910C1371800,NTRFNONREF//FT7003\n:86:hoc phi\n")),
            "--bank", "VCB", "--account", account);
        var tuesday = Statement(account, ":61:2509110911C90000,NTRFNONREF//FT7004\n:86:khac\n", ":61:2509110911C250000,NTRFNONREF//FT7003\n:86:hoc phi em\n");

        var refused = await fees.RunAsync("statements", "import", fees.File("tue.sta", tuesday), "--bank", "VCB", "--account", account);
        var again = await fees.OkAsync("statements", "import", fees.File("mon2.sta", Statement(account, ":61:2509100910C1371800,NTRFNONREF//FT7003\n:86:hoc phi\n")),
            "--bank", "VCB", "--account", account);

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("tue.sta, line 6: the bank reference FT7003 was imported before (mon.sta, line 4) for 1,371,800 đồng on 2025-09-10, but here it is 250,000 đồng on 2025-09-11", refused.Err);
        // Nothing of the refused file is kept, not even its good line; the same transaction again is still skipped quietly.
        Assert.Equal(1, await fees.Db.ScalarAsync("SELECT count(*) FROM statement_lines"));
        Assert.Contains("1 line(s), 0 new, 1 already imported", again);
    }

    [Fact]
    public async Task Import_ACreditTakenBackUnderItsOwnReference_IsALineOfItsOwn_AndUndoesThePayment()
    {
        await using var host = await BankHost.StartAsync();
        var fees = host.Fees;
        var an = await host.PaymentCodeAsync("7900000001");
        var account = host.Account("TS01", "VCB").AccountNo;
        await fees.OkAsync("statements", "import", fees.File("in.sta", Statement(account, $":61:2509100910C1371800,NTRFNONREF//FT7005\n:86:{an} hoc phi\n")),
            "--bank", "VCB", "--account", account);
        await fees.OkAsync("reconcile");

        var back = await fees.OkAsync("statements", "import", fees.File("back.sta", Statement(account, ":61:2509120912RC1371800,NTRFNONREF//FT7005\n:86:HOAN TRA\n")),
            "--bank", "VCB", "--account", account);
        var output = await fees.OkAsync("reconcile");

        Assert.Contains("1 line(s), 1 new, 0 already imported", back);
        Assert.Contains("1 reversed", output);
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT amount_paid_vnd FROM notices WHERE notice_no = 'TS01-202509-00001'"));
        Assert.Equal(0, (await fees.RunAsync("audit")).ExitCode);
    }

    [Fact]
    public async Task Audit_AStatementLineLostAfterItsImport_IsNamedWithItsFile()
    {
        await using var host = await BankHost.StartAsync();
        var fees = host.Fees;
        var account = host.Account("TS01", "VCB").AccountNo;
        await fees.OkAsync("statements", "import", fees.File("lost.sta", Statement(account,
            ":61:2509100910C1371800,NTRFNONREF//FT7006\n:86:hoc phi\n", ":61:2509100910C90000,NTRFNONREF//FT7007\n:86:khac\n")), "--bank", "VCB", "--account", account);
        var clean = await fees.RunAsync("audit");
        // The negative control: one stored transaction of the file no longer counted for it.
        fees.PlantsBrokenState();
        await fees.Db.ExecAsync("DELETE FROM statement_import_lines WHERE line_id = (SELECT id FROM statement_lines WHERE bank_ref = 'FT7007')");

        var audit = await fees.RunAsync("audit");

        Assert.Equal(0, clean.ExitCode);
        Assert.Equal(3, audit.ExitCode);
        Assert.Contains("every statement import's transactions are stored for what its file said: lost.sta", audit.Err);
        Assert.Contains("the file held credits of 1461800 and debits of 0 but its stored lines add up to 1371800 and 0", audit.Err);
    }
}
