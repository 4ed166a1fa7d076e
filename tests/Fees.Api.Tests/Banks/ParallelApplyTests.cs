using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Application.Banks;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Banks;

/// <summary>
/// Bank calls are applied by several workers at once, one school account each: a reversal never overtakes its credit,
/// two workers never apply one account at once, and every call is applied exactly once.
/// </summary>
public sealed class ParallelApplyTests
{
    /// <summary>Workers that each take a few calls at a time until nothing waits, so an account passes from one to another many times.</summary>
    private static async Task<int> RunWorkersAsync(BankHost host, int workers, int chunk)
    {
        var done = await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            var total = 0;
            while (true)
            {
                await using var db = host.Fees.Db.Open();
                var n = await new InboxProcessor(db, new BusinessClock(host.Fees.Clock)).ProcessPendingAsync(chunk);
                total += n;
                if (n == 0 && await host.Fees.Db.ScalarAsync("SELECT count(*) FROM bank_inbox WHERE processed_at IS NULL") == 0) return total;
            }
        })));
        return done.Sum();
    }

    [Fact]
    public async Task FourWorkers_TakingThreeCallsAtATime_KeepEachAccountsOrder_AndApplyEachCallOnce()
    {
        await using var host = await BankHost.StartAsync();
        var vcbCode = await host.PaymentCodeAsync("7900000001");
        var msbCode = await host.PaymentCodeAsync("7900000041");
        var va = host.Account("TS02", "MSB").Msb!.VaPrefix + msbCode[^8..];
        // Two accounts of two schools, each a stream of credits with every third one taken back by the bank right after it.
        for (var i = 1; i <= 30; i++)
        {
            Assert.Equal(200, (await host.VcbAsync(host.VcbBody($"PV{i:D3}", 10_000 + i, $"{vcbCode} hoc phi"))).Status);
            Assert.Equal(200, (await host.MsbAsync(host.MsbBody($"PM{i:D3}", 20_000 + i, va))).Status);
            if (i % 3 != 0) continue;
            Assert.Equal(200, (await host.VcbAsync(host.VcbBody($"PV{i:D3}R", 10_000 + i, "tra soat", "D", $"PV{i:D3}"))).Status);
            Assert.Equal(200, (await host.MsbAsync(host.MsbBody($"PM{i:D3}R", 20_000 + i, null, "D", $"PM{i:D3}"))).Status);
        }

        Assert.Equal(80, await RunWorkersAsync(host, workers: 4, chunk: 3));

        // Every reversal found its credit applied before it: none was held for a person.
        Assert.Equal(20, await host.Fees.Db.ScalarAsync("SELECT count(*) FROM bank_inbox WHERE outcome = 'reversed'"));
        Assert.Equal(0, await host.Fees.Db.ScalarAsync("SELECT count(*) FROM bank_inbox WHERE outcome <> 'applied' AND event = 'credit'"));
        Assert.Equal(60, await host.Fees.Db.ScalarAsync("SELECT count(*) FROM payments WHERE amount_vnd > 0"));
        Assert.Equal(0, await host.Fees.Db.ScalarAsync("SELECT count(*) FROM (SELECT inbox_id FROM payments WHERE amount_vnd > 0 GROUP BY inbox_id HAVING count(*) > 1) d"));
        // What stays is the credits not taken back: 20 of each account.
        var kept = Enumerable.Range(1, 30).Where(i => i % 3 != 0).Sum(i => 10_000L + i + 20_000L + i);
        Assert.Equal(kept, await host.Fees.Db.ScalarAsync("SELECT sum(amount_vnd) FROM payments"));
        // Receipts of one series are numbered in the order its money came.
        Assert.Equal(0, await host.Fees.Db.ScalarAsync("""
            SELECT count(*) FROM (
              SELECT m.received_at, m.id,
                     lag(m.received_at) OVER (PARTITION BY r.series_id ORDER BY r.number) AS before_at,
                     lag(m.id) OVER (PARTITION BY r.series_id ORDER BY r.number) AS before_id
              FROM receipts r JOIN payments p ON p.id = r.payment_id JOIN bank_inbox m ON m.id = p.inbox_id WHERE p.amount_vnd > 0) x
            WHERE (before_at, before_id) > (received_at, id)
            """));
    }

    [Fact]
    public async Task AnAccountHeldByOneWorker_IsSkippedByAnother_WhichTakesTheNextAccount()
    {
        await using var host = await BankHost.StartAsync();
        var vcbCode = await host.PaymentCodeAsync("7900000001");
        var msbCode = await host.PaymentCodeAsync("7900000041");
        var va = host.Account("TS02", "MSB").Msb!.VaPrefix + msbCode[^8..];
        await host.VcbAsync(host.VcbBody("HV001", 10_000, $"{vcbCode} hoc phi"));
        await host.MsbAsync(host.MsbBody("HM001", 20_000, va));
        var vcb = host.Account("TS01", "VCB").AccountNo;

        // Another node is applying the VCB account's calls right now (its row lock is held).
        await using var other = host.Fees.Db.Open();
        await using var tx = await other.Database.BeginTransactionAsync();
        await other.Database.ExecuteSqlAsync($"SELECT id FROM school_bank_accounts WHERE account_no = {vcb} FOR NO KEY UPDATE");

        Assert.Equal(1, await host.ProcessInboxAsync());
        Assert.Equal("HM001", (await host.Fees.Db.ListAsync("SELECT idempotency_key FROM bank_inbox WHERE processed_at IS NOT NULL")).Single());

        await tx.RollbackAsync();
        Assert.Equal(1, await host.ProcessInboxAsync());
        Assert.Equal(2, await host.Fees.Db.ScalarAsync("SELECT count(*) FROM payments"));
    }

    [Fact]
    public async Task TheCommandLineRun_WaitsForAnAccountTheServiceHolds_AndReturnsOnlyWhenNoCallWaits()
    {
        await using var host = await BankHost.StartAsync();
        var vcbCode = await host.PaymentCodeAsync("7900000001");
        await host.VcbAsync(host.VcbBody("WV001", 10_000, $"{vcbCode} hoc phi"));
        var vcb = host.Account("TS01", "VCB").AccountNo;

        // The run's take of an account without SKIP LOCKED: sent while the lock is held, it waits in the server.
        var waiting = new SqlSent(sql => sql.Contains("FOR NO KEY UPDATE OF a", StringComparison.Ordinal) && !sql.Contains("SKIP LOCKED", StringComparison.Ordinal));
        await using var db = waiting.Open(host.Fees.Db.ConnectionString);
        // Opened after the run's context, so it is disposed (and the lock released) first should the test fail midway.
        await using var other = host.Fees.Db.Open();
        await using var tx = await other.Database.BeginTransactionAsync();
        await other.Database.ExecuteSqlAsync($"SELECT id FROM school_bank_accounts WHERE account_no = {vcb} FOR NO KEY UPDATE");

        var run = new InboxProcessor(db, new BusinessClock(host.Fees.Clock)).ProcessPendingAsync(100, waitForHeld: true);
        await waiting.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(run.IsCompleted);

        await tx.RollbackAsync();
        Assert.Equal(1, await run);
        Assert.Equal(0, await host.Fees.Db.ScalarAsync("SELECT count(*) FROM bank_inbox WHERE processed_at IS NULL"));
    }
}
