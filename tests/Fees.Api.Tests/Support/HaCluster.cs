using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace TdmEdu.Fees.Api.Tests.Support;

/// <summary>
/// A three-node PostgreSQL managed by Patroni with etcd, strict synchronous replication, on loopback ports
/// (scripts/ha-cluster): started once for the tests that need it, torn down when they are done.
/// </summary>
public sealed class HaCluster : IAsyncDisposable
{
    private HaCluster(string folder, string connection)
    {
        Folder = folder;
        Admin = connection;
    }

    /// <summary>The cluster's folder: data, logs, the shared WAL archive (<c>archive/</c>).</summary>
    public string Folder { get; }

    /// <summary>The multi-host connection to the primary, database postgres, as the service would use it.</summary>
    public string Admin { get; }

    public string Archive => Path.Combine(Folder, "archive");

    public static string Script(string name) => Repository.Path("scripts", name);

    public static async Task<HaCluster> StartAsync()
    {
        var parent = Environment.GetEnvironmentVariable("FEES_TEST_TMP") is { Length: > 0 } t ? t : Path.GetTempPath();
        var folder = Path.Combine(parent, "ha-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(folder);
        try
        {
            var output = await RunAsync(TimeSpan.FromMinutes(4), "up", folder, FreeRange(23).ToString(System.Globalization.CultureInfo.InvariantCulture));
            // The script prints the connection string; failing over is quicker seen with a short host recheck.
            var connection = new NpgsqlConnectionStringBuilder(output.Trim()) { HostRecheckSeconds = 1, Pooling = true, MaxPoolSize = 30 }.ConnectionString;
            return new HaCluster(folder, connection);
        }
        catch
        {
            await RunAsync(TimeSpan.FromMinutes(1), "down", folder, "--purge");
            throw;
        }
    }

    /// <summary>The connection to another database of the cluster.</summary>
    public string With(string database) => new NpgsqlConnectionStringBuilder(Admin) { Database = database }.ConnectionString;

    /// <summary>SIGKILL to the primary's postmaster; returns the node's name.</summary>
    public async Task<string> KillPrimaryAsync() => (await RunAsync(TimeSpan.FromSeconds(30), "kill-primary", Folder)).Trim();

    /// <summary>Completes when a member other than <paramref name="old"/> holds the lead (an etcd watch on Patroni's leader key); its name.</summary>
    public async Task<string> WaitLeaderAsync(string old) => (await RunAsync(TimeSpan.FromMinutes(1), "wait-leader", Folder, old, "50")).Trim();

    /// <summary>Waits until there is a leader, a synchronous standby, and every member runs or streams again.</summary>
    public Task WaitHealthyAsync() => RunAsync(TimeSpan.FromMinutes(2), "wait-healthy", Folder, "90");

    /// <summary>"name role state lag" per member.</summary>
    public async Task<List<string>> MembersAsync() =>
        (await RunAsync(TimeSpan.FromSeconds(30), "status", Folder)).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();

    public async ValueTask DisposeAsync() => await RunAsync(TimeSpan.FromMinutes(1), "down", Folder, "--purge");

    /// <summary>The first of <paramref name="count"/> consecutive loopback ports nobody listens on.</summary>
    private static int FreeRange(int count)
    {
        var random = new Random();
        for (var tries = 0; tries < 200; tries++)
        {
            var first = random.Next(20_000, 32_000);
            if (Enumerable.Range(first, count).All(Free)) return first;
        }
        throw new InvalidOperationException($"No {count} consecutive free loopback ports were found.");
    }

    private static bool Free(int port)
    {
        try
        {
            using var l = new TcpListener(IPAddress.Loopback, port);
            l.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Runs scripts/ha-cluster; its standard output, or an error with what it said.</summary>
    public static Task<string> RunAsync(TimeSpan within, params string[] args) => ScriptAsync("ha-cluster", within, null, args);

    public static async Task<string> ScriptAsync(string script, TimeSpan within, IReadOnlyDictionary<string, string>? env, params string[] args)
    {
        var psi = new ProcessStartInfo(Script(script)) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(within);
        try
        {
            await p.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{script} {string.Join(' ', args)} did not finish within {within}: {await stderr}");
        }
        if (p.ExitCode != 0) throw new ScriptFailed(p.ExitCode, $"{script} {string.Join(' ', args)} failed ({p.ExitCode}): {await stderr}");
        return await stdout;
    }
}

public sealed class ScriptFailed(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}

/// <summary>One cluster for every test of the collection.</summary>
public sealed class HaFixture : IAsyncLifetime
{
    public HaCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await HaCluster.StartAsync();

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class HaCollection : ICollectionFixture<HaFixture>
{
    public const string Name = "ha";
}
