namespace TdmEdu.Fees.Api.Tests.Application;

/// <summary>
/// The database keeps receipts as documents: never deleted, facts never changed, a signed document never changed, its
/// state moved only along the contract's arrows and never out of a final one; items and events only ever added. A
/// change made by hand past the service (no event records it) is named by the audit.
/// </summary>
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
        Assert.Equal(["issued"], await fees.Db.ListAsync("SELECT status FROM receipts"));

        var delete = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => fees.Db.ExecAsync($"DELETE FROM receipts WHERE id = '{id}'"));
        var amount = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => fees.Db.ExecAsync($"UPDATE receipts SET amount_vnd = 1 WHERE id = '{id}'"));
        var number = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => fees.Db.ExecAsync($"UPDATE receipts SET number = number + 1 WHERE id = '{id}'"));
        var code = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => fees.Db.ExecAsync($"UPDATE receipts SET lookup_code = 'AAAAAAAAAAAA' WHERE id = '{id}'"));
        var xml = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => fees.Db.ExecAsync($"UPDATE receipts SET signed_xml = signed_xml || '\\x20'::bytea WHERE id = '{id}'"));
        var back = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => fees.Db.ExecAsync($"UPDATE receipts SET status = 'pending_signature' WHERE id = '{id}'"));
        var item = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => fees.Db.ExecAsync($"UPDATE receipt_items SET amount_vnd = 1 WHERE receipt_id = '{id}'"));
        await fees.Db.ExecAsync($"UPDATE receipts SET status = 'cancelled', cancelled_at = now(), cancel_reason = 'x' WHERE id = '{id}'");
        var again = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => fees.Db.ExecAsync($"UPDATE receipts SET status = 'issued' WHERE id = '{id}'"));

        Assert.Contains("never deleted", delete.MessageText);
        Assert.All(new[] { amount, number, code }, e => Assert.Contains("facts never change", e.MessageText));
        Assert.Contains("a signed document is never changed", xml.MessageText);
        Assert.Contains("cannot go from issued to pending_signature", back.MessageText);
        Assert.Contains("only ever added", item.MessageText);
        Assert.Contains("is cancelled for good", again.MessageText);
        Assert.Equal(["cancelled|100000|1"], await fees.Db.ListAsync("SELECT status || '|' || amount_vnd || '|' || number FROM receipts"));

        // Cancelled by hand: no event says who or why, and the audit says so.
        fees.PlantsBrokenState();
        var audit = await fees.RunAsync("audit");
        Assert.Equal(3, audit.ExitCode);
        Assert.Contains($"{id}: state cancelled with no event recording it", audit.Err);
    }
}
