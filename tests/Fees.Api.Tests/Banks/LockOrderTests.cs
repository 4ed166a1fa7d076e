using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Banks;

/// <summary>
/// Changes that reach several pupils (a reversal of a transfer for siblings, a cancel releasing a sibling's money) lock
/// every pupil they will touch, in one order, before writing: two of them racing wait for each other in turn instead of
/// deadlocking (PostgreSQL would abort one: a bank call retried later, a person's cancel refused).
/// </summary>
public sealed class LockOrderTests
{
    private const string First = "TS01-202509-00001";
    private const string Second = "TS01-202509-00002";

    [Fact]
    public async Task AReversalAndACancel_ReachingTheSameTwoSiblings_BothFinish_WithoutADeadlock()
    {
        // Left as a risk by round 8's note, made certain here: the cancel of the second sibling's notice locked that
        // pupil, then (using the credit its money released) the first; the reversal of the transfer for both locked the
        // first, then (using their credit) the second.
        await using var host = await BankHost.StartAsync();
        var (a, b) = (await host.PaymentCodeAsync("7900000001"), await host.PaymentCodeAsync("7900000002"));
        var dueA = await host.Fees.Db.ScalarAsync($"SELECT amount_due_vnd FROM notices WHERE notice_no = '{First}'");
        var dueB = await host.Fees.Db.ScalarAsync($"SELECT amount_due_vnd FROM notices WHERE notice_no = '{Second}'");
        await host.VcbAsync(host.VcbBody("VCB0830", dueA + dueB, $"{a} {b} hoc phi"));
        await host.VcbAsync(host.VcbBody("VCB0831", dueB, $"{b} hoc phi"));
        await host.VcbAsync(host.VcbBody("VCB0832", dueA, $"{a} hoc phi"));
        await host.ProcessInboxAsync();
        // Both siblings hold credit; the transfer for both was the first sibling's.
        Assert.Equal("7900000001", (await host.Fees.Db.ListAsync(
            "SELECT s.student_code FROM payments p JOIN students s ON s.id = p.student_id WHERE p.external_ref = 'VCB0830'")).Single());
        await host.VcbAsync(host.VcbBody("VCB0833", dueA + dueB, "tra soat", "D", "VCB0830"));

        // Someone holds the second sibling's row (as any payment of theirs does while it is written).
        var second = await host.Fees.Db.ListAsync("SELECT id::text FROM students WHERE student_code = '7900000002'");
        await using var holder = new Npgsql.NpgsqlConnection(host.Fees.Db.ConnectionString);
        await holder.OpenAsync();
        await using var tx = await holder.BeginTransactionAsync();
        await using (var take = new Npgsql.NpgsqlCommand($"SELECT 1 FROM students WHERE id = '{second[0]}' FOR UPDATE", holder, tx))
            await take.ExecuteNonQueryAsync();

        // The cancel queues first, then the reversal; both seen waiting in pg_stat_activity, not guessed from time.
        var cancel = host.Fees.RunAsync("notices", "cancel", "--notice", Second, "--reason", "Lập nhầm");
        await WaitersAsync(host, 1, cancel);
        var reverse = host.ProcessInboxAsync();
        await WaitersAsync(host, 2, cancel, reverse);
        await tx.RollbackAsync();

        Assert.Equal(0, (await cancel).ExitCode);
        Assert.Equal(1, await reverse);
        Assert.Equal(["paid", "refunded"], await host.Fees.Db.ListAsync(
            $"SELECT status FROM notices WHERE notice_no IN ('{First}', '{Second}') ORDER BY notice_no"));
        Assert.Equal(1, await host.Fees.Db.ScalarAsync("SELECT count(*) FROM payments WHERE reverses_payment_id = (SELECT id FROM payments WHERE external_ref = 'VCB0830')"));
        Assert.Equal(0, (await host.Fees.RunAsync("audit")).ExitCode);
    }

    private static async Task WaitersAsync(BankHost host, int count, params Task[] running)
    {
        const string Waiting = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%FROM students%FOR UPDATE%'";
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await host.Fees.Db.ScalarAsync(Waiting) < count)
        {
            foreach (var t in running)
                if (t.IsCompleted) Assert.Fail($"a change finished before it waited for the pupil's row: {t.Status} {t.Exception?.GetBaseException().Message}");
            Assert.True(DateTime.UtcNow < deadline, $"fewer than {count} changes waited for the pupils' rows");
            await Task.Delay(20);
        }
    }
}
