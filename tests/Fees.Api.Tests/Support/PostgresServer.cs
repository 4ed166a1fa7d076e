using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;
using TdmEdu.Fees.Api.Persistence;

namespace TdmEdu.Fees.Api.Tests.Support;

/// <summary>
/// The PostgreSQL the tests use: the server FEES_TEST_DB names (one they may wipe), else a throwaway cluster
/// started here and removed when the test run ends. Never FEES_DB, never .data/.
/// </summary>
public static class PostgresServer
{
    private static readonly Lazy<Task<string>> Admin = new(StartAsync);
    private static readonly SemaphoreSlim TemplateLock = new(1, 1);
    private static bool _templateReady;
    private static string? _dataDir;
    private static string? _binDir;

    public const string TemplateName = "fees_test_template";

    /// <summary>A connection string to a maintenance database on the test server.</summary>
    public static Task<string> AdminConnectionAsync() => Admin.Value;

    /// <summary>A fresh, migrated database of its own for one test.</summary>
    public static async Task<TestDatabase> CreateDatabaseAsync()
    {
        var admin = await Admin.Value;
        await EnsureTemplateAsync(admin);
        var name = "t_" + Guid.NewGuid().ToString("N")[..16];
        await using (var conn = new NpgsqlConnection(admin))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE {name} TEMPLATE {TemplateName}", conn);
            await cmd.ExecuteNonQueryAsync();
        }
        return new TestDatabase(admin, name, With(admin, name));
    }

    public static string With(string connection, string database) =>
        new NpgsqlConnectionStringBuilder(connection) { Database = database, Pooling = true, MaxPoolSize = 30 }.ConnectionString;

    private static async Task EnsureTemplateAsync(string admin)
    {
        if (_templateReady) return;
        await TemplateLock.WaitAsync();
        try
        {
            if (_templateReady) return;
            await using (var conn = new NpgsqlConnection(admin))
            {
                await conn.OpenAsync();
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {TemplateName} WITH (FORCE)", conn);
                await drop.ExecuteNonQueryAsync();
                await using var create = new NpgsqlCommand($"CREATE DATABASE {TemplateName}", conn);
                await create.ExecuteNonQueryAsync();
            }
            var cs = With(admin, TemplateName);
            await using (var db = Database.Open(cs)) await Database.MigrateAsync(db);
            // A template must have no open connections when it is copied.
            NpgsqlConnection.ClearAllPools();
            _templateReady = true;
        }
        finally
        {
            TemplateLock.Release();
        }
    }

    private static async Task<string> StartAsync()
    {
        var given = Environment.GetEnvironmentVariable("FEES_TEST_DB");
        if (!string.IsNullOrWhiteSpace(given)) return given;

        _binDir = Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
            .Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderBy(d => d, StringComparer.Ordinal).LastOrDefault()
            ?? throw new InvalidOperationException("No PostgreSQL server binaries under /usr/lib/postgresql; ./fees test installs them.");
        // ./fees test hands a folder it removes afterwards; a bare `dotnet test` uses the system's temp folder.
        var parent = Environment.GetEnvironmentVariable("FEES_TEST_TMP") is { Length: > 0 } t ? t : Path.GetTempPath();
        RemoveStoppedClusters(parent);
        _dataDir = Path.Combine(parent, "fees-test-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_dataDir);
        var root = Environment.UserName == "root";
        if (root) Run("chown", "postgres", _dataDir);
        var pgdata = Path.Combine(_dataDir, "pg");
        var port = FreePort();
        Run(Pg("initdb"), "-D", pgdata, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8");
        await File.AppendAllTextAsync(Path.Combine(pgdata, "postgresql.conf"),
            $"port = {port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{_dataDir}'\nmax_connections = 300\n" +
            "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n");
        Run(Pg("pg_ctl"), "-D", pgdata, "-l", Path.Combine(_dataDir, "postgres.log"), "-w", "-t", "60", "start");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop();
        return $"Host={_dataDir};Port={port};Username=postgres;Database=postgres";
    }

    /// <summary>
    /// The test host may be ended before its exit handler has removed its cluster folder; a later run removes
    /// folders whose server is no longer running.
    /// </summary>
    private static void RemoveStoppedClusters(string parent)
    {
        foreach (var dir in Directory.GetDirectories(parent, "fees-test-*"))
        {
            // A running server, or one another run is still setting up, is left alone.
            if (File.Exists(Path.Combine(dir, "pg", "postmaster.pid"))
                || Directory.GetLastWriteTimeUtc(dir) > DateTime.UtcNow.AddMinutes(-10)) continue;
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException e)
            {
                Console.Error.WriteLine($"The old test cluster folder {dir} was not removed: {e.Message}");
            }
        }
    }

    private static string Pg(string tool) => Path.Combine(_binDir!, tool);

    /// <summary>
    /// A cluster of one test's own, for a test that restarts PostgreSQL (the shared one serves the other tests).
    /// Unlike the shared cluster it keeps fsync on: a restart must lose nothing it acknowledged.
    /// </summary>
    public static async Task<PrivateCluster> StartPrivateAsync()
    {
        await AdminConnectionAsync(); // finds the binaries
        var parent = Environment.GetEnvironmentVariable("FEES_TEST_TMP") is { Length: > 0 } t ? t : Path.GetTempPath();
        var dir = Path.Combine(parent, "fees-test-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        if (Environment.UserName == "root") Run("chown", "postgres", dir);
        var pgdata = Path.Combine(dir, "pg");
        var port = FreePort();
        Run(Pg("initdb"), "-D", pgdata, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8");
        await File.AppendAllTextAsync(Path.Combine(pgdata, "postgresql.conf"),
            $"port = {port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{dir}'\nmax_connections = 100\n");
        var cluster = new PrivateCluster(dir, $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres");
        cluster.Start();
        return cluster;
    }

    public sealed class PrivateCluster(string dir, string admin) : IAsyncDisposable
    {
        public string Admin { get; } = admin;

        public string Data => Path.Combine(dir, "pg");

        /// <summary>The folder the cluster lives in (its data in pg/), for what a test keeps beside it.</summary>
        public string Folder => dir;

        /// <summary>A shell command that restarts the server as its owner (what an operator's restart does).</summary>
        public string RestartCommand => (Environment.UserName == "root" ? "runuser -u postgres -- " : "")
            + $"{Pg("pg_ctl")} -D {Data} -l {Path.Combine(dir, "postgres.log")} -m fast -w -t 60 restart";

        public void Start() => Run(Pg("pg_ctl"), "-D", Data, "-l", Path.Combine(dir, "postgres.log"), "-w", "-t", "60", "start");

        /// <summary>A fast shutdown, as an operator's restart begins: open transactions rolled back, clients cut.</summary>
        public void Stop() => Run(Pg("pg_ctl"), "-D", Data, "-m", "fast", "-w", "-t", "60", "stop");

        public ValueTask DisposeAsync()
        {
            try { Run(Pg("pg_ctl"), "-D", Data, "-m", "immediate", "-w", "stop"); }
            finally { Directory.Delete(dir, recursive: true); }
            return ValueTask.CompletedTask;
        }
    }

    private static void Stop()
    {
        if (_dataDir is null) return;
        try
        {
            Run(Pg("pg_ctl"), "-D", Path.Combine(_dataDir, "pg"), "-m", "immediate", "-w", "stop");
        }
        finally
        {
            try
            {
                Directory.Delete(_dataDir, recursive: true);
            }
            catch (IOException e)
            {
                // ./fees test removes its whole test folder afterwards; a bare `dotnet test` says what it left.
                Console.Error.WriteLine($"The test cluster folder {_dataDir} was not removed: {e.Message}");
            }
        }
    }

    /// <summary>Runs a PostgreSQL tool; as root, as the postgres user, since initdb refuses root.</summary>
    private static void Run(string file, params string[] args)
    {
        var root = Environment.UserName == "root";
        var psi = new ProcessStartInfo(root && file != "chown" ? "runuser" : file) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (root && file != "chown") { psi.ArgumentList.Add("-u"); psi.ArgumentList.Add("postgres"); psi.ArgumentList.Add("--"); psi.ArgumentList.Add(file); }
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEndAsync();
        p.WaitForExit();
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"{Path.GetFileName(file)} failed ({p.ExitCode}): {stderr.Result}{stdout.Result}");
    }

    /// <summary>A loopback port nobody listens on now (for a cluster, a service process, nginx).</summary>
    internal static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}

/// <summary>One test's own database, dropped when the test ends.</summary>
public sealed class TestDatabase(string admin, string name, string connectionString) : IAsyncDisposable
{
    public string ConnectionString { get; } = connectionString;

    public FeesDb Open() => Database.Open(ConnectionString);

    public async Task<long> ScalarAsync(string sql)
    {
        await using var conn = new NpgsqlConnection(ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The first column of every row, as text.</summary>
    public async Task<List<string>> ListAsync(string sql)
    {
        await using var conn = new NpgsqlConnection(ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync()) rows.Add(reader.GetValue(0).ToString() ?? "");
        return rows;
    }

    public async Task ExecAsync(string sql)
    {
        await using var conn = new NpgsqlConnection(ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var conn = new NpgsqlConnection(admin);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", conn);
        await cmd.ExecuteNonQueryAsync();
    }
}
