using System.Diagnostics;
using System.Security.Cryptography;
using TdmEdu.Fees.Api.Security;
using TdmEdu.Fees.Api.Tests.Support;
using static TdmEdu.Fees.Api.Persistence.Database;

namespace TdmEdu.Fees.Api.Tests.Persistence;

/// <summary>
/// A database the development migrations made (before the baseline, ADR 20) is refused whole, with exit code 4
/// and what to do, before anything is written.
/// </summary>
public sealed class DevelopmentDatabaseTests
{
    [Fact]
    public async Task DbMigrate_OnADatabaseTheDevelopmentMigrationsMade_StopsWithExitCode4AndChangesNothing()
    {
        await using var database = await DevelopmentDatabaseAsync();
        await using var fees = Support.Fees.On(database);

        var r = await fees.RunAsync("db", "migrate");

        Assert.Equal(4, r.ExitCode);
        Assert.Equal(DevelopmentDatabase, r.Err.Trim());
        Assert.Equal(["__EFMigrationsHistory", "schools"], await TablesAsync(database));
        Assert.Equal(2, await database.ScalarAsync("SELECT count(*) FROM \"__EFMigrationsHistory\""));
    }

    [Fact]
    public async Task Serve_OnADatabaseTheDevelopmentMigrationsMade_StopsWithExitCode4BeforeListening()
    {
        await using var database = await DevelopmentDatabaseAsync();
        // The executable `./fees up` runs, as its own process: it must end by itself, not serve.
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { ServiceProcess.Dll, "--db", database.ConnectionString, "serve", "--no-demo", "--port", PostgresServer.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture) })
            psi.ArgumentList.Add(a);
        psi.Environment[SecretBox.Variable] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"fees serve did not stop on a development database: {await stdout}");
        }

        Assert.Equal(4, process.ExitCode);
        Assert.Contains(DevelopmentDatabase, await stderr);
        Assert.Equal(["__EFMigrationsHistory", "schools"], await TablesAsync(database));
    }

    [Fact]
    public async Task Migrate_OnADatabaseWithAMigrationOfALaterBuild_IsNotRefused()
    {
        // A migration id this build does not know but newer than its own comes from a later build, not from
        // before the baseline; that case is not the development database's, so it is not refused here.
        await using var database = await PostgresServer.CreateDatabaseAsync();
        await database.ExecAsync("INSERT INTO \"__EFMigrationsHistory\" VALUES ('29991231000000_Later', '10.0.15')");
        await using var db = database.Open();

        Assert.Equal(0, await MigrateAsync(db));
    }

    /// <summary>What a development database looks like to the check: old migration ids, tables already there.</summary>
    private static async Task<TestDatabase> DevelopmentDatabaseAsync()
    {
        var database = await SchemaCatalog.EmptyDatabaseAsync();
        await database.ExecAsync("""
            CREATE TABLE "__EFMigrationsHistory" ("MigrationId" character varying(150) PRIMARY KEY, "ProductVersion" character varying(32) NOT NULL);
            INSERT INTO "__EFMigrationsHistory" VALUES ('20261129021734_Initial', '10.0.15'), ('20261203214935_OneBankMoneyPath', '10.0.15');
            CREATE TABLE schools (id uuid PRIMARY KEY);
            """);
        return database;
    }

    private static Task<List<string>> TablesAsync(TestDatabase database) =>
        database.ListAsync("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename COLLATE \"C\"");
}
