using TdmEdu.Fees.Api.Application.Banks;
using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Banks;

/// <summary>
/// A stored call whose apply fails the way a failover does, every time, on a database that is up: its connection cut
/// (the server ends the session), or an error Npgsql calls transient. Found by review: such a call was never counted,
/// because a failover's errors are not the call's fault; and as the oldest waiting call it was taken first by every run,
/// so its error stopped each run before any other school's account, for good.
/// </summary>
public sealed class PoisonCallTests
{
    private const long Poison = 777_777;

    [Theory]
    [InlineData("PERFORM pg_terminate_backend(pg_backend_pid())")] // the session is ended under the call: 57P01
    [InlineData("RAISE EXCEPTION 'out of memory' USING ERRCODE = '53200'")] // transient by Npgsql's reckoning
    public async Task ACallThatFailsLikeAFailoverEveryTime_HoldsBackNoOtherAccount_AndIsParkedForAPerson(string failure)
    {
        await using var host = await BankHost.StartAsync();
        await host.Fees.Db.ExecAsync($"""
            CREATE FUNCTION poison() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF NEW.amount_vnd = {Poison} THEN {failure}; END IF;
              RETURN NEW;
            END $$;
            CREATE TRIGGER poison BEFORE INSERT ON payments FOR EACH ROW EXECUTE FUNCTION poison();
            """);
        var token = await host.BidvTokenAsync();
        Assert.Equal(200, (await host.VcbAsync(host.VcbBody("VCB0900", Poison, await host.PaymentCodeAsync("7900000001")))).Status);
        Assert.Equal(200, (await host.BidvAsync("paybill", host.PayBill("T0900", await host.PaymentCodeAsync("7900000040"), "TS02-202509-00001", "1000"), token)).Status);
        Assert.Equal(200, (await host.VcbAsync(host.VcbBody("VCB0902", 1000, await host.PaymentCodeAsync("7900000002")))).Status);

        // The first run applies the other school's call although the poisoned one is older; the poisoned account's later
        // call waits behind it (found by review: it went ahead, so a reversal could overtake its credit).
        await RunAsync(host);
        Assert.Equal(["applied"], await host.Fees.Db.ListAsync("SELECT outcome FROM bank_inbox WHERE bank = 'BIDV'"));
        Assert.Equal(["VCB0900 ", "VCB0902 "], await host.Fees.Db.ListAsync("SELECT idempotency_key || ' ' || coalesce(outcome, '') FROM bank_inbox WHERE bank = 'VCB' ORDER BY idempotency_key"));

        // The poisoned call is counted, a few of its failures an attempt, and parked for a person after the attempts allowed.
        // (A run may find the account still locked by the session that ended itself a moment ago: then it counts nothing.)
        const int AtLeast = InboxProcessor.StrikesPerAttempt * InboxProcessor.MaxAttempts;
        var runs = 1;
        while (await host.Fees.Db.ScalarAsync("SELECT count(*) FROM bank_inbox WHERE idempotency_key = 'VCB0900' AND processed_at IS NULL") > 0)
        {
            Assert.True(++runs <= 2 * AtLeast, $"still waiting after {runs - 1} runs");
            await RunAsync(host);
        }
        Assert.True(runs >= AtLeast, $"parked after {runs} runs");
        Assert.Equal([$"failed true {InboxProcessor.MaxAttempts}"], await host.Fees.Db.ListAsync("SELECT outcome || ' ' || flagged || ' ' || attempts FROM bank_inbox WHERE idempotency_key = 'VCB0900'"));
        await RunAsync(host);
        Assert.Equal(["applied"], await host.Fees.Db.ListAsync("SELECT outcome FROM bank_inbox WHERE idempotency_key = 'VCB0902'"));
        Assert.Equal(0, await host.Fees.Db.ScalarAsync($"SELECT count(*) FROM payments WHERE amount_vnd = {Poison}"));
        Assert.Equal(0, (await host.Fees.RunAsync("audit")).ExitCode);
    }

    [Fact]
    public async Task ACallCutByAFailover_IsNotCounted_HoweverOftenItHappens()
    {
        // Negative control: the failover itself. The connection is cut under the call and the database does not answer
        // right after, so the run stops for the worker to try again and nothing is counted against the call.
        await using var host = await BankHost.StartAsync();
        await host.Fees.Db.ExecAsync($"""
            CREATE FUNCTION poison() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF NEW.amount_vnd = {Poison} THEN PERFORM pg_sleep(60); END IF;
              RETURN NEW;
            END $$;
            CREATE TRIGGER poison BEFORE INSERT ON payments FOR EACH ROW EXECUTE FUNCTION poison();
            """);
        Assert.Equal(200, (await host.VcbAsync(host.VcbBody("VCB0901", Poison, await host.PaymentCodeAsync("7900000001")))).Status);
        await using var link = new CuttableLink(host.Fees.Db.ConnectionString);
        const string Sleeping = "SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep'";

        for (var i = 0; i < InboxProcessor.StrikesPerAttempt + 1; i++)
        {
            await using var db = Api.Persistence.Database.Open(link.ConnectionString);
            var run = new InboxProcessor(db, new Common.BusinessClock(host.Fees.Clock)).ProcessPendingAsync(1000);
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (await host.Fees.Db.ScalarAsync(Sleeping) == 0)
            {
                Assert.True(DateTime.UtcNow < deadline, "the call never reached the database");
                await Task.Delay(20);
            }
            link.Cut();
            var e = await Assert.ThrowsAnyAsync<Exception>(() => run);
            Assert.True(InboxProcessor.Transient(e), e.ToString());
            link.Restore();
            var pids = string.Join(',', await host.Fees.Db.ListAsync("SELECT pid::text FROM pg_stat_activity WHERE wait_event = 'PgSleep'"));
            await host.Fees.Db.ExecAsync($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid IN ({pids})");
            // Its locks go with its process: the next run must not find the account still held.
            while (await host.Fees.Db.ScalarAsync($"SELECT count(*) FROM pg_stat_activity WHERE pid IN ({pids})") > 0)
            {
                Assert.True(DateTime.UtcNow < deadline, "the cut session never ended");
                await Task.Delay(20);
            }
        }

        Assert.Equal(["0 pending"], await host.Fees.Db.ListAsync("SELECT attempts || ' ' || coalesce(outcome, 'pending') FROM bank_inbox"));
        // Once the database is back for good, the call is applied as any other.
        await host.Fees.Db.ExecAsync("DROP TRIGGER poison ON payments");
        await host.ProcessInboxAsync();
        Assert.Equal(["1 applied"], await host.Fees.Db.ListAsync("SELECT attempts || ' ' || outcome FROM bank_inbox")); // the attempt that applied it
    }

    /// <summary>One run of the worker: its error, if any, is what the worker logs before trying again.</summary>
    private static async Task RunAsync(BankHost host)
    {
        try
        {
            await host.ProcessInboxAsync();
        }
        catch (Exception e) when (InboxProcessor.Transient(e))
        {
            // The worker logs it and runs again in a moment.
        }
    }
}
