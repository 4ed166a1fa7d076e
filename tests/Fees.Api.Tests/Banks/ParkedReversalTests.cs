using Npgsql;
using TdmEdu.Fees.Api.Application.Review;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Banks;

/// <summary>
/// Parked money that a person pays to a pupil while the bank takes it back: whichever comes second sees the first,
/// so the money is never both paid to a pupil and gone from the account, and the audit says so when it is.
/// </summary>
public sealed class ParkedReversalTests
{
    private const string Bao = "TS02-202509-00001";

    private static async Task<(BankHost Host, string Id)> ParkedAsync()
    {
        var host = await BankHost.StartAsync();
        await host.MsbAsync(host.MsbBody("FT0900", 815_000, null));
        await host.ProcessInboxAsync();
        return (host, (await host.Fees.Db.ListAsync("SELECT right(id::text, 12) FROM unidentified_money")).Single());
    }

    [Fact]
    public async Task ConfirmedThenTakenBack_ThePaymentIsReversed_TheMoneyMarkedTakenBack_AndNothingLeftToUndoOrMove()
    {
        var (host, id) = await ParkedAsync();
        await using var _ = host;
        await host.Fees.OkAsync("review", "confirm", id, "--student", "7900000040", "--reason", "phụ huynh gọi điện");
        Assert.Equal(815_000, await host.Fees.Db.ScalarAsync($"SELECT amount_paid_vnd FROM notices WHERE notice_no = '{Bao}'"));

        await host.MsbAsync(host.MsbBody("FT0901", 815_000, null, "D", "FT0900"));
        await host.ProcessInboxAsync();

        Assert.Equal(0, await host.Fees.Db.ScalarAsync($"SELECT amount_paid_vnd FROM notices WHERE notice_no = '{Bao}'"));
        Assert.Equal(["reversed"], await host.Fees.Db.ListAsync("SELECT outcome FROM bank_inbox WHERE idempotency_key = 'FT0901'"));
        Assert.Equal(1, await host.Fees.Db.ScalarAsync("SELECT count(*) FROM unidentified_money WHERE reversed_by_inbox_id IS NOT NULL"));
        var undo = await host.Fees.RunAsync("review", "undo", id, "--reason", "thử");
        var move = await host.Fees.RunAsync("review", "reassign", id, "--student", "7900000041", "--reason", "thử");
        Assert.Contains("took back", undo.Err);
        Assert.Contains("took back", move.Err);
        Assert.NotEqual(0, undo.ExitCode);
        // The review page no longer offers to undo or move it.
        await using (var db = host.Fees.Db.Open())
            Assert.Empty(await new ReviewQueue(db, new BusinessClock(host.Fees.Clock), new Actor("test")).DecidedAsync("TS02"));
        Assert.Equal(0, await host.Fees.Db.ScalarAsync("SELECT count(*) FROM payments WHERE amount_vnd > 0 AND NOT EXISTS (SELECT 1 FROM payments r WHERE r.reverses_payment_id = payments.id)"));
        var audit = await host.Fees.RunAsync("audit");
        Assert.True(audit.ExitCode == 0, audit.ToString());
    }

    [Fact]
    public async Task MarkedReturnedThenTakenBack_IsMarkedTakenBackAndShown_AndCanNeverBePaidToAPupil()
    {
        var (host, id) = await ParkedAsync();
        await using var _ = host;
        await host.Fees.OkAsync("review", "ignore", id, "--reason", "trả lại người chuyển");

        await host.MsbAsync(host.MsbBody("FT0901", 815_000, null, "D", "FT0900"));
        await host.ProcessInboxAsync();

        Assert.Equal(["reversed true"], await host.Fees.Db.ListAsync("SELECT outcome || ' ' || flagged FROM bank_inbox WHERE idempotency_key = 'FT0901'"));
        Assert.Equal(1, await host.Fees.Db.ScalarAsync("SELECT count(*) FROM unidentified_money WHERE reversed_by_inbox_id IS NOT NULL"));
        Assert.Contains("marked as returned", await host.Fees.OkAsync("review", "list"));
        var undo = await host.Fees.RunAsync("review", "undo", id, "--reason", "nhầm");
        Assert.Contains("took back", undo.Err);
        Assert.Contains("took back", (await host.Fees.RunAsync("review", "confirm", id, "--student", "7900000040", "--reason", "thử")).Err);
        Assert.Equal(0, await host.Fees.Db.ScalarAsync("SELECT count(*) FROM payments"));
        var audit = await host.Fees.RunAsync("audit");
        Assert.True(audit.ExitCode == 0, audit.ToString());
    }

    [Fact]
    public async Task AReversalThatCameBeforeItsCredit_KeepsTheCreditFromBeingApplied_BothWaitForAPerson()
    {
        await using var host = await BankHost.StartAsync();
        var an = await host.PaymentCodeAsync("7900000001");
        await host.VcbAsync(host.VcbBody("VCB0921", 1_371_800, "tra soat", "D", "VCB0920"));
        await host.ProcessInboxAsync();
        // The credit's first call failed at the bank's end; its retry comes after the reversal.
        await host.VcbAsync(host.VcbBody("VCB0920", 1_371_800, $"{an} hoc phi"));
        await host.ProcessInboxAsync();

        Assert.Equal(["held true", "held true"], await host.Fees.Db.ListAsync("SELECT outcome || ' ' || flagged FROM bank_inbox ORDER BY idempotency_key"));
        Assert.Equal(0, await host.Fees.Db.ScalarAsync("SELECT count(*) FROM payments"));
        Assert.Contains("already took this credit back", await host.Fees.OkAsync("review", "list"));
        var audit = await host.Fees.RunAsync("audit");
        Assert.True(audit.ExitCode == 0, audit.ToString());
    }

    [Fact]
    public async Task AReversalOfAnotherAmountThatCameFirst_DoesNotHoldTheCredit_TheCreditIsApplied_TheReversalWaits()
    {
        await using var host = await BankHost.StartAsync();
        var an = await host.PaymentCodeAsync("7900000001");
        // One đồng "taken back" of a transfer not yet seen: it cannot stand for the whole of it.
        await host.VcbAsync(host.VcbBody("VCB0941", 1, "tra soat", "D", "VCB0940"));
        await host.ProcessInboxAsync();
        await host.VcbAsync(host.VcbBody("VCB0940", 1_065_000, $"{an} hoc phi"));
        await host.ProcessInboxAsync();

        Assert.Equal(["applied", "held"], await host.Fees.Db.ListAsync("SELECT outcome FROM bank_inbox ORDER BY idempotency_key"));
        Assert.Equal(1_065_000, await host.Fees.Db.ScalarAsync("SELECT sum(amount_vnd) FROM payments"));
        var audit = await host.Fees.RunAsync("audit");
        Assert.True(audit.ExitCode == 0, audit.ToString());
    }

    [Fact]
    public async Task AReversalAppliedBeforeTheCreditItNames_InOneStretch_SaysTheCreditWasNotAppliedYet_NotThatItWaitsForReview()
    {
        await using var host = await BankHost.StartAsync();
        var an = await host.PaymentCodeAsync("7900000001");
        // Both calls wait in the inbox; the reversal, stored first, is applied first and finds its credit not yet applied.
        await host.VcbAsync(host.VcbBody("VCB0951", 1, "tra soat", "D", "VCB0950"));
        await host.VcbAsync(host.VcbBody("VCB0950", 1_065_000, $"{an} hoc phi"));
        await host.ProcessInboxAsync();

        Assert.Equal(["applied", "held"], await host.Fees.Db.ListAsync("SELECT outcome FROM bank_inbox ORDER BY idempotency_key"));
        var said = (await host.Fees.Db.ListAsync("SELECT outcome_reason || ' | ' || outcome_reason_vi FROM bank_inbox WHERE idempotency_key = 'VCB0951'")).Single();
        Assert.StartsWith("reverses a credit that was not applied yet when the reversal came", said);
        Assert.Contains("đảo một khoản chưa được ghi nhận khi lệnh đảo đến", said);
        Assert.DoesNotContain("waiting for review", said);
    }

    [Fact]
    public async Task AReversalNamingItselfOrADebit_IsHeldAsNamingNoCreditWeKnow()
    {
        await using var host = await BankHost.StartAsync();
        // A reversal whose original is its own id, and one naming an earlier plain debit (money that went out).
        await host.VcbAsync(host.VcbBody("VCB0961", 5_000, "tra soat", "D", "VCB0961"));
        await host.VcbAsync(host.VcbBody("VCB0962", 5_000, "phi dich vu", "D"));
        await host.ProcessInboxAsync();
        await host.VcbAsync(host.VcbBody("VCB0963", 5_000, "tra soat", "D", "VCB0962"));
        await host.ProcessInboxAsync();

        Assert.Equal(["held", "ignored", "held"], await host.Fees.Db.ListAsync("SELECT outcome FROM bank_inbox ORDER BY idempotency_key"));
        foreach (var said in await host.Fees.Db.ListAsync("SELECT outcome_reason FROM bank_inbox WHERE outcome = 'held' ORDER BY idempotency_key"))
            Assert.StartsWith("reverses a credit we have no record of", said);
        Assert.Equal(0, await host.Fees.Db.ScalarAsync("SELECT count(*) FROM payments"));
    }

    [Fact]
    public async Task ACreditTakenBackBeforeItCame_NotifiedAgainUnderAnotherId_IsADuplicate_NotNewMoney()
    {
        await using var host = await BankHost.StartAsync();
        var an = await host.PaymentCodeAsync("7900000001");
        await host.VcbAsync(host.VcbBody("VCB0931", 150_000, "tra soat", "D", "VCB0930"));
        await host.ProcessInboxAsync();
        await host.VcbAsync(host.VcbBody("VCB0930", 150_000, $"{an} hoc phi"));
        await host.ProcessInboxAsync();
        // The same transfer (its bank reference) notified a second time under another transaction id.
        await host.VcbAsync(host.VcbBody("VCB0932", 150_000, $"{an} hoc phi").Replace("\"FTVCB0932\"", "\"FTVCB0930\"", StringComparison.Ordinal));
        await host.ProcessInboxAsync();

        Assert.Equal(["held", "held", "duplicate"], await host.Fees.Db.ListAsync("SELECT outcome FROM bank_inbox ORDER BY idempotency_key"));
        Assert.Equal(0, await host.Fees.Db.ScalarAsync("SELECT count(*) FROM payments"));
        var audit = await host.Fees.RunAsync("audit");
        Assert.True(audit.ExitCode == 0, audit.ToString());
    }

    [Fact]
    public async Task ConfirmWaitingFirstAndTakenBackWaitingSecond_TheBankReversesWhatThePersonPaid()
    {
        var (host, id) = await ParkedAsync();
        await using var _ = host;
        await host.MsbAsync(host.MsbBody("FT0901", 815_000, null, "D", "FT0900"));
        await using var holder = await HoldReviewLockAsync(host);

        var confirm = Task.Run(() => host.Fees.RunAsync("review", "confirm", id, "--student", "7900000040", "--reason", "phụ huynh gọi điện"));
        await WaitForWaitersAsync(host, 1);
        var reversal = Task.Run(host.ProcessInboxAsync);
        await WaitForWaitersAsync(host, 2);
        await holder.RollbackAsync();
        var confirmed = await confirm;
        await reversal;

        Assert.True(confirmed.ExitCode == 0, confirmed.ToString());
        Assert.Equal(0, await host.Fees.Db.ScalarAsync($"SELECT amount_paid_vnd FROM notices WHERE notice_no = '{Bao}'"));
        Assert.Equal(1, await host.Fees.Db.ScalarAsync("SELECT count(*) FROM payments WHERE amount_vnd < 0"));
        Assert.Equal(1, await host.Fees.Db.ScalarAsync("SELECT count(*) FROM unidentified_money WHERE reversed_by_inbox_id IS NOT NULL"));
        var audit = await host.Fees.RunAsync("audit");
        Assert.True(audit.ExitCode == 0, audit.ToString());
    }

    [Fact]
    public async Task TakenBackWaitingFirstAndConfirmWaitingSecond_TheConfirmIsRefused()
    {
        var (host, id) = await ParkedAsync();
        await using var _ = host;
        await host.MsbAsync(host.MsbBody("FT0901", 815_000, null, "D", "FT0900"));
        await using var holder = await HoldReviewLockAsync(host);

        var reversal = Task.Run(host.ProcessInboxAsync);
        await WaitForWaitersAsync(host, 1);
        var confirm = Task.Run(() => host.Fees.RunAsync("review", "confirm", id, "--student", "7900000040", "--reason", "phụ huynh gọi điện"));
        await WaitForWaitersAsync(host, 2);
        await holder.RollbackAsync();
        await reversal;
        var confirmed = await confirm;

        Assert.NotEqual(0, confirmed.ExitCode);
        Assert.Contains("took back", confirmed.Err);
        Assert.Equal(0, await host.Fees.Db.ScalarAsync("SELECT count(*) FROM payments"));
        Assert.Equal(1, await host.Fees.Db.ScalarAsync("SELECT count(*) FROM unidentified_money WHERE reversed_by_inbox_id IS NOT NULL"));
        var audit = await host.Fees.RunAsync("audit");
        Assert.True(audit.ExitCode == 0, audit.ToString());
    }

    [Fact]
    public async Task Audit_WhenParkedMoneyTakenBackIsStillHeldByAPaymentInForce_Fails()
    {
        var (host, id) = await ParkedAsync();
        await using var _ = host;
        await host.Fees.OkAsync("review", "confirm", id, "--student", "7900000040", "--reason", "phụ huynh gọi điện");
        await host.MsbAsync(host.MsbBody("FT0901", 815_000, null, "D", "FT0900"));
        await host.ProcessInboxAsync();
        host.Fees.PlantsBrokenState();
        // The state the race once left: the reversal marked the parked money taken back while the person's payment stood.
        await host.Fees.Db.ExecAsync("""
            SET session_replication_role = replica;
            DELETE FROM allocations WHERE payment_id IN (SELECT id FROM payments WHERE amount_vnd < 0);
            DELETE FROM payments WHERE amount_vnd < 0;
            """);

        var audit = await host.Fees.RunAsync("audit");
        Assert.Equal(3, audit.ExitCode);
        Assert.Contains("taken back by the bank, but a payment in force still holds it", audit.Err);
    }

    /// <summary>A connection holding the review queue's lock on the parked money, as a decision in progress would.</summary>
    private static async Task<NpgsqlTransaction> HoldReviewLockAsync(BankHost host)
    {
        var connection = new NpgsqlConnection(host.Fees.Db.ConnectionString);
        await connection.OpenAsync();
        var tx = await connection.BeginTransactionAsync();
        await using var lockIt = new NpgsqlCommand(
            "SELECT pg_advisory_xact_lock(hashtext('fees.review:' || (SELECT id FROM unidentified_money)::text))", connection, tx);
        await lockIt.ExecuteNonQueryAsync();
        return tx;
    }

    /// <summary>Polls, within a bound, until that many sessions wait for an advisory lock.</summary>
    private static async Task WaitForWaitersAsync(BankHost host, int waiters)
    {
        var until = DateTime.UtcNow.AddSeconds(20);
        while (await host.Fees.Db.ScalarAsync("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted") < waiters)
        {
            Assert.True(DateTime.UtcNow < until, $"{waiters} session(s) never waited for the review lock");
            await Task.Delay(20);
        }
    }
}
