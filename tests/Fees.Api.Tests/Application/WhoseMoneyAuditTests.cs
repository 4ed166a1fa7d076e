using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Application;

/// <summary>
/// Negative controls for the audit's "whose money" invariants: each plants, directly in the database, a state the
/// service must never reach, and the audit must fail naming it.
/// </summary>
public sealed class WhoseMoneyAuditTests
{
    private static async Task<string> FailingAsync(Support.Fees fees, string check)
    {
        var audit = await fees.RunAsync("audit");
        Assert.Equal(3, audit.ExitCode);
        Assert.Contains("FAIL  " + check, audit.Err);
        return audit.Err;
    }

    private static async Task<BankHost> PaidAndParkedAsync()
    {
        var host = await BankHost.StartAsync();
        var code = await host.PaymentCodeAsync("7900000001");
        await host.VcbAsync(host.VcbBody("VCB0800", 1_371_800, code));
        await host.MsbAsync(host.MsbBody("FT0800", 100_000, null));
        await host.ProcessInboxAsync();
        Assert.Equal(0, (await host.Fees.RunAsync("audit")).ExitCode);
        return host;
    }

    [Fact]
    public async Task Audit_WhenAnAllocationSitsOnAnotherSchoolsNotice_Fails()
    {
        await using var host = await PaidAndParkedAsync();
        host.Fees.PlantsBrokenState();
        await host.Fees.Db.ExecAsync("UPDATE notices SET school_id = (SELECT id FROM schools WHERE code = 'TS02') WHERE notice_no = 'TS01-202509-00001'");

        Assert.Contains("on notice TS01-202509-00001 of school TS02", await FailingAsync(host.Fees, "money received by a school pays only that school's notices"));
    }

    [Fact]
    public async Task Audit_WhenABankPaymentIsBookedToAnotherSchoolThanTheReceivingAccount_Fails()
    {
        await using var host = await PaidAndParkedAsync();
        // Financial rows are append-only (a trigger); the planted state goes around it on purpose.
        host.Fees.PlantsBrokenState();
        await host.Fees.Db.ExecAsync("SET session_replication_role = replica; UPDATE payments SET school_id = (SELECT id FROM schools WHERE code = 'TS02') WHERE source = 'VCB'");

        Assert.Contains("bank payment booked to a school other than the one whose account received the money",
            await FailingAsync(host.Fees, "money received by a school pays only that school's notices"));
    }

    [Fact]
    public async Task Audit_WhenAStatementPaymentNamesNoLine_FailsNamingItInsteadOfStopping()
    {
        // The whose-money checks read a statement payment's line through its reference as a uuid; a damaged
        // reference must be reported by the checks, not break the cast and the whole audit.
        await using var host = await PaidAndParkedAsync();
        host.Fees.PlantsBrokenState();
        await host.Fees.Db.ExecAsync("SET session_replication_role = replica; UPDATE payments SET source = 'STMT-VCB', external_ref = 'not-a-line' WHERE source = 'VCB'");

        Assert.Contains("STMT-VCB not-a-line", await FailingAsync(host.Fees, "every bank payment comes from its stored bank call"));
    }

    [Fact]
    public async Task Audit_WhenAReversalUndidACreditOfAnotherAmount_Fails()
    {
        await using var host = await PaidAndParkedAsync();
        await host.VcbAsync(host.VcbBody("VCB0801", 1_371_800, "tra soat", "D", "VCB0800"));
        await host.ProcessInboxAsync();
        Assert.Equal(0, (await host.Fees.RunAsync("audit")).ExitCode);
        host.Fees.PlantsBrokenState();
        await host.Fees.Db.ExecAsync("UPDATE bank_inbox SET amount_vnd = 1 WHERE idempotency_key = 'VCB0801'");

        Assert.Contains("reversal of 1 undid credits of 1371800", await FailingAsync(host.Fees, "a bank's reversal undoes only a whole credit of the same account"));
    }

    [Fact]
    public async Task Audit_WhenParkedMoneyIsTakenBackByACallOfAnotherAccount_Fails()
    {
        await using var host = await PaidAndParkedAsync();
        host.Fees.PlantsBrokenState();
        await host.Fees.Db.ExecAsync("""
            UPDATE unidentified_money SET reversed_by_inbox_id = (SELECT id FROM bank_inbox WHERE idempotency_key = 'VCB0800')
            """);

        await FailingAsync(host.Fees, "a bank's reversal undoes only a whole credit of the same account");
    }

    [Fact]
    public async Task Audit_WhenACreditCallWasSetAsideWithoutAPerson_Fails()
    {
        await using var host = await PaidAndParkedAsync();
        host.Fees.PlantsBrokenState();
        await host.Fees.Db.ExecAsync("DELETE FROM unidentified_money");
        host.Fees.PlantsBrokenState();
        await host.Fees.Db.ExecAsync("UPDATE bank_inbox SET outcome = 'ignored' WHERE idempotency_key = 'FT0800'");

        Assert.Contains("a credit or a reversal set aside without a person", await FailingAsync(host.Fees, "every stored bank call has an outcome that moved its money or holds it"));
    }

    [Fact]
    public async Task Audit_WhenADuplicateCallHasNothingItDuplicates_Fails()
    {
        await using var host = await PaidAndParkedAsync();
        host.Fees.PlantsBrokenState();
        await host.Fees.Db.ExecAsync("DELETE FROM unidentified_money");
        host.Fees.PlantsBrokenState();
        await host.Fees.Db.ExecAsync("UPDATE bank_inbox SET outcome = 'duplicate' WHERE idempotency_key = 'FT0800'");

        Assert.Contains("a duplicate of nothing", await FailingAsync(host.Fees, "every stored bank call has an outcome that moved its money or holds it"));
    }

    [Fact]
    public async Task Audit_WhenParkedMoneyIsMarkedAssignedButNoPaymentHoldsIt_Fails()
    {
        await using var host = await PaidAndParkedAsync();
        host.Fees.PlantsBrokenState();
        await host.Fees.Db.ExecAsync("""
            INSERT INTO review_decisions (id, parked_id, action, reason, actor, at)
            SELECT gen_random_uuid(), id, 'confirm', 'planted', 'test', now() FROM unidentified_money
            """);

        Assert.Contains("marked as assigned, but no payment in force holds it",
            await FailingAsync(host.Fees, "every parked đồng is in the review queue until a person decides"));
    }

    [Fact]
    public async Task Audit_WhenACallHoldsAnotherAccountsClashKey_Fails()
    {
        await using var host = await PaidAndParkedAsync();
        host.Fees.PlantsBrokenState();
        // A call stored before '@' was refused, under the key another account's call would be kept under.
        await host.Fees.Db.ExecAsync("UPDATE bank_inbox SET idempotency_key = 'VCB0800@' || repeat('0', 32) WHERE idempotency_key = 'VCB0800'");

        Assert.Contains("a key kept for another account's clash",
            await FailingAsync(host.Fees, "a bank call kept under a clash key is on the account the key names"));
    }

    [Fact]
    public async Task Audit_WhenAFlaggedCallIsNotInTheQueue_Fails()
    {
        await using var host = await PaidAndParkedAsync();
        host.Fees.PlantsBrokenState();
        await host.Fees.Db.ExecAsync("UPDATE bank_inbox SET flagged = true, processed_at = NULL WHERE idempotency_key = 'VCB0800'");

        Assert.Contains("flagged bank call that is neither in the review queue nor settled by a person",
            await FailingAsync(host.Fees, "every flagged, held or failed bank call is in the review queue or settled by a person"));
    }

    [Fact]
    public async Task Audit_WhenADuplicateStatementLineJoinsNothing_Fails()
    {
        await using var host = await BankHost.StartAsync();
        var fees = host.Fees;
        var account = host.Account("TS01", "VCB").AccountNo;
        await fees.OkAsync("statements", "import", fees.File("x.sta", $":20:S1\n:25:{account}\n:60F:C250909VND0,\n" +
            ":61:2509100910C500000,NTRFNONREF//FT0810\n:86:khong ro\n"), "--bank", "VCB", "--account", account);
        await fees.OkAsync("reconcile");
        fees.PlantsBrokenState();
        await fees.Db.ExecAsync("UPDATE reconciliations SET outcome = 'duplicate'");

        Assert.Contains("a duplicate statement line whose money neither moved nor waits anywhere",
            await FailingAsync(fees, "every parked đồng is in the review queue until a person decides"));
    }
}
