using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Cli.Toolkit;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Hosting;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Api.Sandbox;
using TdmEdu.Fees.Api.Security;

namespace TdmEdu.Fees.Api.Cli.Commands;

/// <summary>
/// serve, the HTTP host, and the commands only the ./fees script carries out (it starts PostgreSQL, builds, then
/// runs this executable or another). Those are in the tree so that `fees help` lists them from the same place as the
/// rest; run here, they say to use ./fees.
/// </summary>
public static class ServeCommands
{
    /// <summary>What ./fees bench runs (benchmarks/Fees.Benchmarks, docs/benchmarks.md).</summary>
    public static readonly string[] Benchmarks = ["authority", "billing", "ingest", "messages", "peak", "qr", "reconcile"];

    public static IEnumerable<Command> Build(Terminal t)
    {
        yield return Script(new Command("up", "run the service with its demo data on the local PostgreSQL")
        {
            Port(), NoDemo(), Opt.Flag("--ha", "on three local PostgreSQL nodes managed by Patroni and etcd (.data/ha) instead of one"),
        });
        yield return Script(new Command("down", "stop the local PostgreSQL (and the local HA cluster)"));
        yield return Script(new Command("backup", "a base backup of the local database plus its continuous WAL archive (scripts/pg-backup)")
        {
            Opt.Text("--to", "DIR", "where backups go (default .data/backups)"),
        });
        yield return Script(new Command("restore", "a new cluster restored to a point in time, beside the running one; prints how to audit it")
        {
            Opt.Required("--to", "TIME", "the moment, e.g. '2026-12-06 10:30:00+07', or latest"), Opt.Text("--from", "DIR", "the backups (default .data/backups)"),
            Opt.Text("--into", "DIR", "the new cluster's folder (default .data/restored-TIME)"), Port(),
        });
        var ha = new Command("ha", "the local HA cluster of up --ha (scripts/ha-cluster)");
        ha.Arguments.Add(new Argument<string>("ACTION") { HelpName = "status|primary|kill-primary|wait-healthy", Arity = ArgumentArity.ZeroOrOne });
        yield return Script(ha);
        yield return Script(Passing(new Command("test", "run all tests (--mutation: mutation testing of the pure core; other options go to dotnet test)")));
        yield return Script(Passing(new Command("screenshots", "the browser tests, keeping their screens in docs/screenshots")));
        var bench = Passing(new Command("bench", "benchmarks beside their PostgreSQL baselines (docs/benchmarks.md)"));
        bench.Arguments.Insert(0, Opt.OptionalWord(string.Join('|', Benchmarks)));
        yield return Script(bench);
        yield return Serve(t);
    }

    private static Option<int?> Port() => Opt.Count("--port", "5080", "the HTTP port on 127.0.0.1");

    private static Option<bool> NoDemo() => Opt.Flag("--no-demo", "no demo authority and no demo logins on an empty database");

    private static Command Serve(Terminal t)
    {
        var port = Port();
        var noDemo = NoDemo();
        var command = new Command("serve", "the service itself on a database given by --db or FEES_DB: what ./fees up runs") { port, noDemo };
        return Terminal.Does(command, async (parsed, ct) =>
        {
            var portNo = parsed.GetValue(port) ?? 5080;
            var demo = !parsed.GetValue(noDemo);
            var cs = Database.RequireConnectionString(t.Connection(parsed));
            await using (var db = Database.Open(cs))
            {
                await Database.MigrateAsync(db, ct);
                if (demo && !await db.Schools.AnyAsync(ct))
                {
                    await t.Out.WriteLineAsync("First run: seeding the demo authority (50,877 students); this takes a few minutes (three months of billing, counter and bank payments, reconciled as they arrive)...");
                    var progress = new LineProgress(t.Out);
                    await t.Out.WriteLineAsync(await new DemoSeeder(db, new BusinessClock(t.Time), Actor.FromEnvironment(), 20250905)
                        .SeedAsync(DemoSeeder.CitySchools, DemoSeeder.CityStudents, progress, ct));
                    // The demo's schools get sandbox bank credentials, so `fees bank-sim pay` works at once.
                    await new BankSandbox(db, SecretBox.FromEnvironment()).EnsureAsync(ct);
                    await t.Out.WriteLineAsync("Sandbox bank credentials are generated (sealed in .data/); see them with ./fees bank-sim secrets.");
                }
            }
            if (demo)
            {
                await t.Out.WriteLineAsync($"Demo logins for http://127.0.0.1:{portNo}/ (passwords derived from this installation's master key):");
                foreach (var l in await Web.Accounts.EnsureDemoAsync(cs, SecretBox.FromEnvironment(), ct))
                    await t.Out.WriteLineAsync($"  {l.Role,-11} {l.Email,-40} {l.Password}");
            }
            // The links in messages point at this service unless an operator set the public address.
            if (Environment.GetEnvironmentVariable("Notify__PortalBase") is not { Length: > 0 })
                Environment.SetEnvironmentVariable("Notify__PortalBase", $"http://127.0.0.1:{portNo}/");
            // With the demo and no message provider configured, the guardians' SMS go to the sandbox (notify-sim in this process).
            await using var sim = demo ? await StartNotifySandboxAsync(portNo, t, ct) : null;
            // And with no T-VAN provider configured, signed receipts go to the sandbox provider (tvan-sim in this process).
            await using var tvan = demo ? await StartTvanSandboxAsync(portNo, t, ct) : null;
            await WebHost.RunAsync(cs, portNo, SecretBox.FromEnvironment(), t.Out, ct);
            return ExitCode.Ok;
        });
    }

    private static async Task<NotifySimulator?> StartNotifySandboxAsync(int port, Terminal t, CancellationToken ct)
    {
        if (Environment.GetEnvironmentVariable("Notify__Esms__ApiKey") is { Length: > 0 } || Environment.GetEnvironmentVariable("Notify__Zalo__AppId") is { Length: > 0 })
            return null;
        NotifySimulator sim;
        try
        {
            sim = await NotifySimulator.StartAsync(new NotifySimulator.Settings(port + 221, new Uri($"http://127.0.0.1:{port}/"), 5000), ct);
        }
        catch (IOException e)
        {
            await t.Out.WriteLineAsync($"The message sandbox could not start on 127.0.0.1:{port + 221} ({e.Message}); messages to guardians stay queued.");
            return null;
        }
        var hook = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        foreach (var (key, value) in NotifySimulator.EsmsSettings(sim.Address, new Uri($"http://127.0.0.1:{port}/"), hook))
            Environment.SetEnvironmentVariable(key.Replace(":", "__", StringComparison.Ordinal), value);
        await t.Out.WriteLineAsync($"Messages to guardians go by SMS to the sandbox on {sim.Address} (what each phone received: {sim.Address}_sim/messages?phone=84...).");
        return sim;
    }

    private static async Task<TvanSimulator?> StartTvanSandboxAsync(int port, Terminal t, CancellationToken ct)
    {
        if (Environment.GetEnvironmentVariable("EReceipts__Tvan__ApiBase") is { Length: > 0 }) return null;
        TvanSimulator sim;
        try
        {
            sim = await TvanSimulator.StartAsync(new TvanSimulator.Settings(port + 222, new Uri($"http://127.0.0.1:{port}/"), Down: false), ct);
        }
        catch (IOException e)
        {
            await t.Out.WriteLineAsync($"The T-VAN sandbox could not start on 127.0.0.1:{port + 222} ({e.Message}); signed receipts stay queued for the tax office.");
            return null;
        }
        foreach (var (key, value) in TvanSimulator.ServiceSettings(sim.Address))
            Environment.SetEnvironmentVariable(key.Replace(":", "__", StringComparison.Ordinal), value);
        await t.Out.WriteLineAsync($"Signed receipts go to the sandbox T-VAN provider on {sim.Address} (what it holds: {sim.Address}_sim/documents).");
        return sim;
    }

    /// <summary>A command whose words go on to another program (dotnet test, the benchmarks) as they are.</summary>
    private static Command Passing(Command command)
    {
        command.Arguments.Add(new Argument<string[]>("OPTIONS...") { HelpName = "OPTIONS...", Arity = ArgumentArity.ZeroOrMore });
        command.TreatUnmatchedTokensAsErrors = false;
        return command;
    }

    private static Command Script(Command command)
    {
        command.SetAction(int (_) => throw new UsageException($"{command.Name} is carried out by ./fees at the repository root (it starts what it needs first): ./fees {command.Name}."));
        return command;
    }
}
