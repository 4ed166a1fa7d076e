using System.Text;
using TdmEdu.Fees.Api.Cli;

namespace TdmEdu.Fees.Api.Tests.Support;

public sealed record CliResult(int ExitCode, string Out, string Err)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Out}\nstderr:\n{Err}";
}

/// <summary>A clock the test sets; business dates follow it.</summary>
public sealed class TestClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now.ToUniversalTime();
}

/// <summary>Drives the real `fees` command line in-process against a test database, in a scratch folder.</summary>
public sealed class Fees : IAsyncDisposable
{
    /// <summary>On a database made elsewhere (a private cluster), migrated by the caller.</summary>
    public static Fees On(TestDatabase db) => new(db);

    private Fees(TestDatabase db)
    {
        Db = db;
        Folder = Directory.CreateTempSubdirectory("fees-files-").FullName;
    }

    public TestDatabase Db { get; }
    public string Folder { get; }
    public TestClock Clock { get; } = new(new DateTimeOffset(2025, 9, 5, 3, 0, 0, TimeSpan.Zero));

    public static async Task<Fees> StartAsync() => new(await PostgresServer.CreateDatabaseAsync()) { AuditAtTheEnd = true };

    /// <summary>
    /// The example schools with September's notices, on a new database of a server the test started itself (a private
    /// cluster, the HA cluster): <paramref name="connection"/> names the database, created through <paramref name="admin"/>.
    /// </summary>
    public static async Task<Fees> ExampleOnAsync(string admin, string connection)
    {
        var database = new Npgsql.NpgsqlConnectionStringBuilder(connection).Database!;
        await using (var conn = new Npgsql.NpgsqlConnection(admin))
        {
            await conn.OpenAsync();
            await using var create = new Npgsql.NpgsqlCommand($"CREATE DATABASE {database}", conn);
            await create.ExecuteNonQueryAsync();
        }
        var fees = On(new TestDatabase(admin, database, connection));
        await fees.OkAsync("db", "migrate");
        await fees.SetUpExampleSchoolAsync();
        await fees.OkAsync("notices", "issue", "--period", "2025-09");
        return fees;
    }

    /// <summary>The sandbox banks' credentials of every school account (made on first use).</summary>
    public async Task<List<Api.Sandbox.SandboxCredentials>> SandboxBanksAsync()
    {
        await using var db = Db.Open();
        return await new Api.Sandbox.BankSandbox(db, BankHost.Box).EnsureAsync();
    }

    public async Task<string> PaymentCodeAsync(string studentCode)
    {
        await using var db = Db.Open();
        return db.Students.Single(s => s.StudentCode == studentCode).PaymentCode;
    }

    /// <summary>
    /// Every test that moves money ends with the ledger audit: a test on the shared server fails if it leaves a state
    /// the audit refuses, unless it planted that state on purpose (<see cref="PlantsBrokenState"/>).
    /// </summary>
    public bool AuditAtTheEnd { get; private set; }

    /// <summary>This test breaks the ledger on purpose (a negative control of the audit).</summary>
    public void PlantsBrokenState() => AuditAtTheEnd = false;

    public async Task<CliResult> RunAsync(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        var code = await new CommandLine(o, e, Clock).RunAsync(["--db", Db.ConnectionString, .. args]);
        return new CliResult(code, o.ToString(), e.ToString());
    }

    /// <summary>Runs a command that must succeed and returns its output.</summary>
    public async Task<string> OkAsync(params string[] args)
    {
        var r = await RunAsync(args);
        Assert.True(r.ExitCode == 0, $"fees {string.Join(' ', args)} failed: {r}");
        return r.Out;
    }

    public string File(string name, string content, bool bom = false)
    {
        var path = Path.Combine(Folder, name);
        System.IO.File.WriteAllText(path, content, new UTF8Encoding(bom));
        return path;
    }

    /// <summary>The smoke scenario's school, schedule and four pupils (cli.md's worked example).</summary>
    public async Task SetUpExampleSchoolAsync()
    {
        await OkAsync("schools", "import", File("schools.csv", Samples.Schools));
        await OkAsync("schedule", "import", File("schedule.json", Samples.Schedule));
        await OkAsync("students", "import", File("students.csv", Samples.Students, bom: true));
    }

    public async ValueTask DisposeAsync()
    {
        Directory.Delete(Folder, recursive: true);
        try
        {
            if (AuditAtTheEnd && await Db.ScalarAsync("SELECT count(*) FROM pg_tables WHERE tablename = 'payments'") == 1)
            {
                var audit = await RunAsync("audit");
                Assert.True(audit.ExitCode == 0, $"the test left the ledger in a state the audit refuses:\n{audit}");
            }
        }
        finally
        {
            await Db.DisposeAsync();
        }
    }
}

/// <summary>The command line for commands that touch no database (qr, statements parse).</summary>
public static class Cli
{
    public static async Task<CliResult> RunAsync(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        var code = await new CommandLine(o, e, TimeProvider.System).RunAsync(args);
        return new CliResult(code, o.ToString(), e.ToString());
    }
}
