namespace TdmEdu.Fees.Api.Tests.Application;

/// <summary>The database keeps receipts as documents: never deleted, facts never changed, cancelled at most once.</summary>
public sealed class ReceiptsAppendOnlyTests
{
    [Fact]
    public async Task AReceipt_IsNeverDeletedNorChanged_AndIsCancelledOnce_EvenByHand()
    {
        await using var fees = await Support.Fees.StartAsync();
        await fees.SetUpExampleSchoolAsync();
        await fees.OkAsync("notices", "issue", "--period", "2025-09");
        await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00001", "--amount", "100000");
        var id = (await fees.Db.ListAsync("SELECT id::text FROM receipts")).Single();

        var delete = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => fees.Db.ExecAsync($"DELETE FROM receipts WHERE id = '{id}'"));
        var amount = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => fees.Db.ExecAsync($"UPDATE receipts SET amount_vnd = 1 WHERE id = '{id}'"));
        var number = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => fees.Db.ExecAsync($"UPDATE receipts SET number = number + 1 WHERE id = '{id}'"));
        await fees.Db.ExecAsync($"UPDATE receipts SET status = 'cancelled', cancelled_at = now(), cancel_reason = 'x' WHERE id = '{id}'");
        var again = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => fees.Db.ExecAsync($"UPDATE receipts SET status = 'issued' WHERE id = '{id}'"));

        Assert.Contains("never deleted", delete.MessageText);
        Assert.All(new[] { amount, number, again }, e => Assert.Contains("can only be cancelled, once", e.MessageText));
        Assert.Equal(["cancelled|100000|1"], await fees.Db.ListAsync("SELECT status || '|' || amount_vnd || '|' || number FROM receipts"));
    }
}
