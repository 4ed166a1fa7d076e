using Microsoft.Extensions.Logging.Abstractions;
using TdmEdu.Fees.Api.Application.Statements;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Hosting;
using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Jobs;

/// <summary>What the scheduled jobs run, called as Quartz calls them: rerunning any of them changes nothing.</summary>
public sealed class JobRunTests
{
    [Fact]
    public async Task CrossCheckJob_KeepsFindings_OnceEach_AndResolvesThoseThatStopHolding()
    {
        await using var host = await BankHost.StartAsync();
        var fees = host.Fees;
        var an = await host.PaymentCodeAsync("7900000001");
        await host.VcbAsync(host.VcbBody("VCB0301", 200_000, an));      // notified, never on a statement (yet)
        await host.ProcessInboxAsync();
        var account = host.Account("TS01", "VCB").AccountNo;
        await fees.OkAsync("statements", "import", fees.File("s.sta", $":20:S\n:25:{account}\n:60F:C250909VND0,\n" +
            ":61:2509100910C90000,NTRFNONREF//FT0999\n:86:chuyen khoan\n"), "--bank", "VCB", "--account", account);
        fees.Clock.Now = fees.Clock.Now.AddDays(3);
        var clock = new BusinessClock(fees.Clock);
        async Task<int> Run()
        {
            await using var db = fees.Db.Open();
            return await new CrossCheckRun(db, clock, NullLogger<CrossCheck>.Instance).CrossCheckAsync(CancellationToken.None);
        }

        Assert.Equal(2, await Run());
        Assert.Equal(2, await Run());
        Assert.Equal(2, await fees.Db.ScalarAsync("SELECT count(*) FROM crosscheck_findings WHERE resolved_at IS NULL"));
        Assert.Equal(["a credit no notification announced; reconciled as pending", "no statement line of this account carries the reference FTVCB0301 after 2 day(s)"],
            await fees.Db.ListAsync("SELECT reason FROM crosscheck_findings ORDER BY reason"));

        // The bank's statement catches up: the notified credit is on it now, and the other line gets its outcome.
        await fees.OkAsync("statements", "import", fees.File("s2.sta", $":20:S2\n:25:{account}\n:60F:C250910VND90000,\n" +
            ":61:2509110911C200000,NTRFNONREF//FTVCB0301\n:86:x\n"), "--bank", "VCB", "--account", account);
        await fees.OkAsync("reconcile");
        Assert.Equal(1, await Run());

        Assert.Equal(["FT0999 open: a credit no notification announced; reconciled as unmatched", "FTVCB0301 resolved"], await fees.Db.ListAsync("""
            SELECT bank_ref || CASE WHEN resolved_at IS NULL THEN ' open: ' || reason ELSE ' resolved' END FROM crosscheck_findings ORDER BY bank_ref
            """));
    }

    [Fact]
    public async Task MarkOverdueJob_MarksNoticesPastTheirDueDateWithMoneyOwed_Once()
    {
        await using var host = await BankHost.StartAsync();
        var fees = host.Fees;
        var notices = await fees.Db.ScalarAsync("SELECT count(*) FROM notices");
        var due = await fees.Db.ListAsync("SELECT DISTINCT due_date::text FROM notices");
        await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00001", "--amount", "1371800");
        async Task<int> Run()
        {
            await using var db = fees.Db.Open();
            return await new OverdueRun(db, new BusinessClock(fees.Clock)).MarkOverdueAsync(CancellationToken.None);
        }

        Assert.Equal(0, await Run());                                   // before the due date: nothing
        fees.Clock.Now = new DateTimeOffset(DateOnly.Parse(due.Single()).AddDays(1).ToDateTime(new TimeOnly(1, 0)), TimeSpan.Zero);
        Assert.Equal(notices - 1, await Run());                         // the paid one is not overdue
        Assert.Equal(0, await Run());                                   // marked once
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM notices WHERE notice_no = 'TS01-202509-00001' AND overdue_since IS NOT NULL"));
        Assert.Equal([DateOnly.Parse(due.Single()).AddDays(1).ToString("yyyy-MM-dd")], await fees.Db.ListAsync("SELECT DISTINCT overdue_since::text FROM notices WHERE overdue_since IS NOT NULL"));
    }
}
