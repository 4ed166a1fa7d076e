using TdmEdu.Fees.Api.Application.Reports;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Application;

public sealed class AuditTests
{
    [Fact]
    public async Task Audit_OnASmallSeededDemo_Passes()
    {
        await using var fees = await Support.Fees.StartAsync();

        var seeded = await fees.OkAsync("seed", "demo", "--students", "1200", "--schools", "12");
        var audit = await fees.RunAsync("audit");

        Assert.Contains("12 schools, 1,200 students", seeded);
        Assert.True(audit.ExitCode == 0, audit.ToString());
        Assert.Contains("audit passed", audit.Out);
        Assert.Equal(3, await fees.Db.ScalarAsync("SELECT count(DISTINCT period_key) FROM notices"));
        Assert.True(await fees.Db.ScalarAsync("SELECT count(*) FROM allocations WHERE kind = 'credit'") > 0, "overpayments carried forward as credit");
        Assert.Equal(1, await fees.Db.ScalarAsync("SELECT count(*) FROM authorities"));
        Assert.True(await fees.Db.ScalarAsync("SELECT count(*) FROM payments WHERE reverses_payment_id IS NOT NULL") > 0, "a reversed payment");
        Assert.True(await fees.Db.ScalarAsync("SELECT count(*) FROM receipts WHERE replaces_receipt_id IS NOT NULL") > 0, "a reissued receipt");
        Assert.Equal(1, await fees.Db.ScalarAsync("SELECT count(*) FROM refunds"));
        // Meals given back, the state's lunch support, a child who left mid-month, the city's ceilings and the accounts.
        Assert.True(await fees.Db.ScalarAsync("SELECT count(*) FROM absence_refunds") > 20, "absences given back");
        Assert.True(await fees.Db.ScalarAsync("SELECT count(*) FROM notice_lines WHERE support_code = 'HT_AN' AND support_evidence IS NOT NULL") > 10, "lunch support");
        Assert.Equal(1, await fees.Db.ScalarAsync("SELECT count(*) FROM students WHERE left_on IS NOT NULL"));
        Assert.True(await fees.Db.ScalarAsync("SELECT count(*) FROM notice_lines WHERE part_month IS NOT NULL") > 0, "a part month");
        Assert.True(await fees.Db.ScalarAsync("SELECT count(*) FROM fee_ceilings") > 0 && await fees.Db.ScalarAsync("SELECT count(*) FROM voucher_accounts") > 0, "ceilings and accounts");

        // A city that looks like one: most of September paid, mostly by bank, on days inside the months billed; a few
        // transfers wait for a person, among them mistyped codes the matcher did not apply by itself.
        var september = await fees.Db.ScalarAsync("SELECT count(*) FROM notices WHERE period_key = 202509");
        Assert.InRange(await fees.Db.ScalarAsync("SELECT count(*) FROM notices WHERE period_key = 202509 AND status = 'paid'") * 100 / september, 80, 97);
        Assert.InRange(await fees.Db.ScalarAsync("SELECT count(*) FROM notices WHERE period_key = 202511 AND status = 'paid'") * 100
            / await fees.Db.ScalarAsync("SELECT count(*) FROM notices WHERE period_key = 202511"), 55, 85);
        Assert.True(await fees.Db.ScalarAsync("SELECT count(*) FROM payments WHERE method = 'bank'") > 10 * await fees.Db.ScalarAsync("SELECT count(*) FROM payments WHERE method = 'cash'"),
            "mostly by bank");
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM payments WHERE method = 'bank' AND (received_at < '2025-09-01' OR received_at >= '2025-12-01')"));
        Assert.True(await fees.Db.ScalarAsync("SELECT count(DISTINCT received_at::date) FROM payments WHERE method = 'bank'") > 30, "spread over the months (pulled three evenings a week)");
        var waiting = await fees.Db.ScalarAsync("SELECT count(*) FROM reconciliations WHERE outcome IN ('suggested', 'unmatched')");
        Assert.InRange(waiting, 12 * 3 * 2, 12 * 3 * 5);
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM statement_lines l JOIN reconciliations d ON d.statement_line_id = l.id WHERE l.bank_ref LIKE 'DEMO%' AND l.content LIKE '%nop hoc phi' AND l.content !~ ' thang ' AND d.payment_id IS NOT NULL"));

        // The bank states each account's balances with its lines: October's bank book reconciles, the bank's fee set apart.
        var school = (await fees.Db.ListAsync("SELECT sc.code FROM schools sc JOIN school_bank_accounts a ON a.school_id = sc.id ORDER BY sc.code LIMIT 1")).Single();
        var book = await fees.OkAsync("books", "bank", "--school", school, "--period", "2025-10");
        Assert.DoesNotContain("not stated", book, StringComparison.Ordinal);
        Assert.DoesNotContain("NOT reconciled", book, StringComparison.Ordinal);
        Assert.Contains("reconciled: every đồng", book, StringComparison.Ordinal);
        Assert.Contains("(other-debit): 1 line(s), in 0, out 11,000", book, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Audit_WhenABalanceWasTamperedWith_FailsNamingTheNotice()
    {
        await using var fees = await Support.Fees.StartAsync();
        await fees.SetUpExampleSchoolAsync();
        await fees.OkAsync("notices", "issue", "--period", "2025-09");
        await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00001", "--amount", "100000");
        fees.PlantsBrokenState();
        await fees.Db.ExecAsync("UPDATE notices SET amount_paid_vnd = 200000 WHERE notice_no = 'TS01-202509-00001'");

        var audit = await fees.RunAsync("audit");

        Assert.Equal(3, audit.ExitCode);
        Assert.Contains("FAIL  notice amount paid equals its allocations: TS01-202509-00001: amount_paid 200000 but allocations add up to 100000", audit.Err);
        // Each check says how long it took, and the run is kept: what the vital signs of every node read (the last run).
        Assert.Matches(@"(?m)^ok    notice amount due equals its lines  \(\d+\.\d\d s\)$", audit.Out);
        Assert.Matches(@"audit FAILED: 1 finding\(s\) in 1 check\(s\) \(\d+\.\d s\)", audit.Out);
        Assert.Equal(["cli 1 0"], await fees.Db.ListAsync("SELECT run_by || ' ' || failed_checks || ' ' || receipt_gaps FROM ledger_audit_runs"));
        Assert.Equal(1, await fees.Db.ScalarAsync("SELECT count(*) FROM ledger_audit_runs WHERE seconds ? 'notice amount paid equals its allocations' AND finished_at >= started_at"));

        await fees.Db.ExecAsync("UPDATE notices SET amount_paid_vnd = 100000 WHERE notice_no = 'TS01-202509-00001'");
        Assert.Contains("audit passed", await fees.OkAsync("audit"));
        Assert.Equal(["cli 0 0"], await fees.Db.ListAsync("SELECT run_by || ' ' || failed_checks || ' ' || receipt_gaps FROM ledger_audit_runs ORDER BY finished_at DESC LIMIT 1"));
    }

    [Fact]
    public async Task Audit_InTheService_LogsNoWarningOfItsOwn_AndNamesFindingsInAFixedOrder()
    {
        // The service runs the audit every 15 minutes (vital signs): ./fees up showed EF warning once per check that
        // a limit had no order, 45 warnings a run in the operator's log.
        var warnings = new Warnings();
        await using var host = await BankHost.StartAsync(logs: warnings);
        host.Fees.PlantsBrokenState();
        await host.Fees.Db.ExecAsync("UPDATE notices SET amount_paid_vnd = amount_paid_vnd + 1 WHERE notice_no IN ('TS01-202509-00002', 'TS01-202509-00001')");

        using var scope = host.App.Services.CreateScope();
        var report = await new LedgerAudit(scope.ServiceProvider.GetRequiredService<FeesDb>()).RunAsync();

        Assert.Empty(warnings.Seen);
        var paid = report.Findings.Where(f => f.Check == "notice amount paid equals its allocations").Select(f => f.Row).ToList();
        Assert.Equal(["TS01-202509-00001", "TS01-202509-00002"], paid);
    }

    [Fact]
    public async Task Audit_WhenAReceiptNumberIsMissing_FailsNamingTheSeries()
    {
        await using var fees = await Support.Fees.StartAsync();
        await fees.SetUpExampleSchoolAsync();
        await fees.OkAsync("notices", "issue", "--period", "2025-09");
        await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00001", "--amount", "100000");
        fees.PlantsBrokenState();
        await fees.Db.ExecAsync("UPDATE receipt_series SET next_number = next_number + 1 WHERE school_id = (SELECT id FROM schools WHERE code = 'TS01')");
        await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00001", "--amount", "100000");

        var audit = await fees.RunAsync("audit");

        Assert.Equal(3, audit.ExitCode);
        Assert.Contains("receipt numbers are gap-free in every series: TS01/EBL01/25T: number 2 is missing", audit.Err);
    }

    [Fact]
    public async Task Audit_WhenACreditWasAppliedByStatementAndByNotification_FailsNamingTheReference()
    {
        await using var host = await Support.BankHost.StartAsync();
        var fees = host.Fees;
        var an = await host.PaymentCodeAsync("7900000001");
        var account = host.Account("TS01", "VCB").AccountNo;
        await fees.OkAsync("statements", "import", fees.File("s.sta", $":20:S1\n:25:{account}\n:60F:C250909VND0,\n" +
            $":61:2509100910C500000,NTRFNONREF//FTVCB0700\n:86:{an} hoc phi\n"), "--bank", "VCB", "--account", account);
        await fees.OkAsync("reconcile");
        // Without the claim on the reference (removed here by hand), the late notification would pay a second time.
        fees.PlantsBrokenState();
        await fees.Db.ExecAsync("DELETE FROM bank_ref_claims");
        await host.VcbAsync(host.VcbBody("VCB0700", 500_000, an));
        await host.ProcessInboxAsync();

        var audit = await fees.RunAsync("audit");

        Assert.Equal(3, audit.ExitCode);
        Assert.Contains("no bank credit moves money by two channels (notification and statement): VCB FTVCB0700: applied from the statement and from notification VCB0700", audit.Err);
    }

    [Fact]
    public async Task Audit_WhenAPupilOwesANoticeWhileTheSchoolHoldsTheirCredit_FailsNamingTheNotice()
    {
        await using var host = await Support.BankHost.StartAsync();
        var fees = host.Fees;
        var an = await host.PaymentCodeAsync("7900000001");
        await host.VcbAsync(host.VcbBody("VCB0900", 1_371_800, an));
        await host.VcbAsync(host.VcbBody("VCB0901", 100_000, an));
        await host.ProcessInboxAsync();
        Assert.Equal(0, (await fees.RunAsync("audit")).ExitCode);
        // The notice asks for one đồng more, as if it had been reopened and the credit left beside it.
        fees.PlantsBrokenState();
        await fees.Db.ExecAsync("""
            SET session_replication_role = replica;
            UPDATE notice_lines SET amount_vnd = amount_vnd + 1, gross_vnd = gross_vnd + 1 WHERE line_no = 1 AND notice_id = (SELECT id FROM notices WHERE notice_no = 'TS01-202509-00001');
            UPDATE notices SET amount_due_vnd = amount_due_vnd + 1, status = 'partially_paid' WHERE notice_no = 'TS01-202509-00001';
            """);

        var audit = await fees.RunAsync("audit");

        Assert.Equal(3, audit.ExitCode);
        Assert.Contains("credit a pupil holds at a school is used on that pupil's open notices there: TS01-202509-00001: owes 1 while the school holds 100000 of the pupil's credit", audit.Err);

        // A ledger left so (before 2026-12-07) is mended by using the credit, once: a second run finds nothing.
        Assert.Contains("on the open notices of 1 pupil(s)", await fees.OkAsync("payments", "use-credit"), StringComparison.Ordinal);
        Assert.Contains("on the open notices of 0 pupil(s)", await fees.OkAsync("payments", "use-credit"), StringComparison.Ordinal);
        Assert.Equal(["paid 1371801"], await fees.Db.ListAsync("SELECT status || ' ' || amount_paid_vnd FROM notices WHERE notice_no = 'TS01-202509-00001'"));
        Assert.Equal(0, (await fees.RunAsync("audit")).ExitCode);
    }

    [Fact]
    public async Task Audit_AStatementLineLeftWithoutAnOutcomeByAReconciliation_IsNamed_AndALineNotYetReconciledIsNot()
    {
        await using var host = await Support.BankHost.StartAsync();
        var fees = host.Fees;
        var account = host.Account("TS01", "VCB").AccountNo;
        await fees.OkAsync("statements", "import", fees.File("s.sta", $":20:S1\n:25:{account}\n:60F:C250909VND0,\n" +
            ":61:2509100910C500000,NTRFNONREF//FT1\n:86:ung ho\n:61:2509100910C600000,NTRFNONREF//FT2\n:86:ung ho 2\n"), "--bank", "VCB", "--account", account);

        var waiting = await fees.RunAsync("audit");
        fees.Clock.Now += TimeSpan.FromMinutes(5);
        await fees.OkAsync("reconcile");
        // A line's outcome lost by hand: the reconciliation that ran after its import should have decided it.
        fees.PlantsBrokenState();
        await fees.Db.ExecAsync("DELETE FROM reconciliations WHERE statement_line_id = (SELECT id FROM statement_lines WHERE bank_ref = 'FT2')");
        var lost = await fees.RunAsync("audit");

        Assert.Equal(0, waiting.ExitCode);
        Assert.Equal(3, lost.ExitCode);
        Assert.Contains("every statement line has an outcome once a reconciliation run that began after its import has completed: VCB FT2", lost.Err);
    }
}
