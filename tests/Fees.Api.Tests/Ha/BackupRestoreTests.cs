using Npgsql;
using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Ha;

/// <summary>
/// Backups that restore: a base backup with continuous WAL archiving (scripts/pg-backup, what `./fees backup` runs),
/// more money written, and a restore to a moment between two payments into a new cluster: exactly the money up to that
/// moment is there, and the audit passes on the copy.
/// </summary>
public sealed class BackupRestoreTests
{
    [Fact]
    public async Task RestoredToAMomentBetweenTwoPayments_HoldsExactlyTheMoneyUpToIt_AndPassesTheAudit()
    {
        await using var cluster = await PostgresServer.StartPrivateAsync();
        var connection = PostgresServer.With(cluster.Admin, "fees");
        await using var fees = await Support.Fees.ExampleOnAsync(cluster.Admin, connection);
        var notices = await fees.Db.ListAsync("SELECT notice_no FROM notices ORDER BY notice_no");
        await fees.OkAsync("payments", "cash", "--notice", notices[0], "--amount", "100000");

        var port = new NpgsqlConnectionStringBuilder(cluster.Admin).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var backups = Path.Combine(cluster.Folder, "backups");
        string[] server = ["--host", "127.0.0.1", "--port", port, "--user", "postgres"];
        // The first backup switches WAL archiving on, which takes a restart of the server.
        await HaCluster.ScriptAsync("pg-backup", TimeSpan.FromMinutes(3), null, ["base", .. server, "--to", backups, "--pgdata", cluster.Data, "--restart-with", cluster.RestartCommand]);
        NpgsqlConnection.ClearAllPools();

        await fees.OkAsync("payments", "cash", "--notice", notices[1], "--amount", "200000");
        var moment = (await fees.Db.ListAsync("SELECT now()::text")).Single();
        await fees.OkAsync("payments", "cash", "--notice", notices[2], "--amount", "300000");
        await HaCluster.ScriptAsync("pg-backup", TimeSpan.FromMinutes(1), null, ["switch", .. server]);

        var into = Path.Combine(cluster.Folder, "restored");
        var restoredPort = PostgresServer.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var restored = (await HaCluster.ScriptAsync("pg-backup", TimeSpan.FromMinutes(3), null,
            ["restore", "--from", backups, "--to-time", moment, "--into", into, "--port", restoredPort])).Trim();
        try
        {
            // Nothing of the copy is dropped afterwards: the restored cluster is stopped and its folder goes with the test's.
            var copy = new TestDatabase(cluster.Admin, "not_a_database", new NpgsqlConnectionStringBuilder(restored) { Database = "fees", Pooling = false }.ConnectionString);
            Assert.Equal(300_000, await copy.ScalarAsync("SELECT sum(amount_vnd) FROM payments"));
            Assert.Equal(0, await copy.ScalarAsync($"SELECT count(*) FROM payments p JOIN allocations a ON a.payment_id = p.id JOIN notices n ON n.id = a.notice_id WHERE n.notice_no = '{notices[2]}'"));
            await using var onCopy = Support.Fees.On(copy);
            var audit = await onCopy.RunAsync("audit");
            Assert.True(audit.ExitCode == 0, audit.ToString());
            // The original goes on with all three.
            Assert.Equal(600_000, await fees.Db.ScalarAsync("SELECT sum(amount_vnd) FROM payments"));

            // A moment before the first backup cannot be restored from it: said plainly, nothing started.
            var tooEarly = await Assert.ThrowsAsync<ScriptFailed>(() => HaCluster.ScriptAsync("pg-backup", TimeSpan.FromMinutes(1), null,
                ["restore", "--from", backups, "--to-time", "2020-01-01 00:00:00+00", "--into", Path.Combine(cluster.Folder, "early"),
                 "--port", PostgresServer.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture)]));
            Assert.True(tooEarly.ExitCode == 6, tooEarly.Message);
        }
        finally
        {
            await HaCluster.ScriptAsync("pg-backup", TimeSpan.FromMinutes(1), null, ["stop", "--pgdata", into]);
        }
    }
}
