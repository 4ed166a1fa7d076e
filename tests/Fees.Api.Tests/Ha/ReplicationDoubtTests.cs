using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using TdmEdu.Fees.Api.Application.Banks;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Ha;

/// <summary>
/// "Accepted" only for a call on two nodes. A synchronous standby that never comes (synchronous_standby_names names
/// nobody here) makes every commit wait, as strict synchronous replication does while no standby is in sync; a short
/// command timeout cancels that wait, which PostgreSQL ends with a warning ("committed locally, but might not have
/// been replicated"), not an error. Found by review: the bank-call store answered such a call "accepted", and a
/// repeat of it was answered from the row held by the primary alone.
/// </summary>
public sealed class ReplicationDoubtTests
{
    private static async Task ExecAsync(string cs, string sql)
    {
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task WithNoStandbyToConfirm_TheStoreAnswersNothing_NeitherTheCallNorItsRepeat_UntilOneConfirms()
    {
        await using var cluster = await PostgresServer.StartPrivateAsync();
        var connection = PostgresServer.With(cluster.Admin, "fees");
        await using var fees = await Support.Fees.ExampleOnAsync(cluster.Admin, connection);
        var account = Guid.Parse((await fees.Db.ListAsync("SELECT id::text FROM school_bank_accounts ORDER BY id LIMIT 1")).Single());
        await ExecAsync(cluster.Admin, "ALTER SYSTEM SET synchronous_standby_names = 'ghost'");
        await ExecAsync(cluster.Admin, "SELECT pg_reload_conf()");
        var impatient = new NpgsqlConnectionStringBuilder(connection) { CommandTimeout = 2 }.ConnectionString;

        // Negative control, PostgreSQL's and Npgsql's own behaviour (measured): a plain insert whose wait is cancelled by
        // the command timeout returns as if all were well, with only a warning, and its row is there on this node.
        await using (var conn = new NpgsqlConnection(impatient))
        {
            await conn.OpenAsync();
            var warned = false;
            conn.Notice += (_, e) => warned |= e.Notice.InvariantSeverity == "WARNING";
            await using var cmd = new NpgsqlCommand("CREATE TABLE probe (x int); INSERT INTO probe VALUES (1)", conn);
            Assert.Equal(1, await cmd.ExecuteNonQueryAsync());
            Assert.True(warned);
        }
        Assert.Equal(1L, await fees.Db.ScalarAsync("SELECT count(*) FROM probe"));

        await using var source = NpgsqlDataSource.Create(impatient);
        var store = new InboxStore(source, NullLogger<InboxStore>.Instance);
        await store.StartAsync(CancellationToken.None);
        InboxMessage Call() => new()
        {
            Id = Guid.CreateVersion7(), Bank = "VCB", Kind = "notify", IdempotencyKey = "doubt-1", AccountId = account, RawBody = "{}",
            ReceivedAt = DateTimeOffset.UtcNow, AnswerStatus = 200, AnswerBody = "{\"code\":\"00\"}",
        };
        var first = Call();
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => store.StoreAsync(first, CancellationToken.None));
        Assert.True(Failures.DatabaseUnavailable(refused)); // the bank is told "our failure" and sends it again
        // The row is on this node alone; the bank's repeat is not answered from it either.
        Assert.Equal(1L, await fees.Db.ScalarAsync("SELECT count(*) FROM bank_inbox WHERE idempotency_key = 'doubt-1'"));
        await Assert.ThrowsAnyAsync<Exception>(() => store.StoreAsync(Call(), CancellationToken.None));

        // A standby confirms (here: none is required any more): the repeat gets the first call's answer, stored once.
        await ExecAsync(cluster.Admin, "ALTER SYSTEM RESET synchronous_standby_names");
        await ExecAsync(cluster.Admin, "SELECT pg_reload_conf()");
        var (stored, answer) = await store.StoreAsync(Call(), CancellationToken.None);
        Assert.False(stored);
        Assert.Equal(first.Id, answer.Id);
        await store.StopAsync(CancellationToken.None);
        NpgsqlConnection.ClearAllPools();
    }
}
