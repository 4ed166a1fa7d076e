using System.CommandLine;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Application.Banks;
using TdmEdu.Fees.Api.Cli.Toolkit;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Sandbox;
using TdmEdu.Fees.Api.Security;

namespace TdmEdu.Fees.Api.Cli.Commands;

/// <summary>bank-sim, banks, inbox: the sandbox banks, each school account's bank settings, and stored bank calls.</summary>
public static class BankCommands
{
    public static IEnumerable<Command> Build(Terminal t)
    {
        yield return new Command("bank-sim", "sandbox banks that call the running service as the real ones do") { Pay(t), Secrets(t) };
        yield return new Command("inbox", "bank calls stored on arrival") { Process(t) };
        yield return new Command("banks", "each school account's bank settings (secrets sealed under the master key)") { Configure(t), Check(t) };
    }

    private static Command Pay(Terminal t)
    {
        var notice = Opt.Required("--notice", "NO");
        var via = Opt.Required("--via", "bidv|vcb|msb|sepay|casso|payos");
        var amount = Opt.Amount("--amount", description: "default: the notice's balance");
        var duplicates = Opt.Count("--duplicates", "K", "send the same call K more times");
        var reverse = Opt.Flag("--reverse", "then reverse the payment");
        var url = Opt.Text("--url", "URL", "the service (default FEES_URL, else http://127.0.0.1:5080)");
        var command = new Command("pay", "a sandbox bank pays a notice against the running service, signed like the real one")
        {
            notice, via, amount, duplicates, reverse, url,
        };
        return t.OnDb(command, async run =>
        {
            var address = run.Get(url) ?? System.Environment.GetEnvironmentVariable("FEES_URL") ?? "http://127.0.0.1:5080";
            using var http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) };
            List<BankSimulator.Sent> sent;
            try
            {
                sent = await new BankSimulator(http, run.Db, SecretBox.FromEnvironment(), run.Clock)
                    .PayAsync(run.Need(notice), run.Need(via), run.Get(amount), run.Get(duplicates) ?? 0, run.Get(reverse), run.Ct);
            }
            catch (HttpRequestException e)
            {
                throw new EnvironmentProblemException($"The service at {address} did not answer ({e.Message}); start it with ./fees up.");
            }
            foreach (var x in sent) await t.Out.WriteLineAsync($"{x.What}: HTTP {x.Status} {x.Answer}");
            return sent.All(x => x.Status == 200) ? ExitCode.Ok : ExitCode.Refused;
        });
    }

    private static Command Secrets(Terminal t)
    {
        var command = new Command("secrets", "the sandbox banks' credentials as JSON (generated locally on first use, never production ones)");
        return t.OnDb(command, async run =>
        {
            var creds = await new BankSandbox(run.Db, SecretBox.FromEnvironment()).EnsureAsync(run.Ct);
            var json = creds.Select(c => new Dictionary<string, object?>
            {
                ["school_code"] = c.SchoolCode, ["bank"] = c.Bank, ["account_no"] = c.AccountNo,
                ["bidv"] = c.Bidv is null ? null : new { service_id = c.Bidv.ServiceId, username = c.Bidv.Username, password = c.Bidv.Password, secret = c.Bidv.Secret, va_prefix = c.Bidv.VaPrefix },
                ["vcb"] = c.Vcb is null ? null : new { private_key_pem = c.Vcb.PrivateKeyPem },
                ["msb"] = c.Msb is null ? null : new { secret = c.Msb.Secret, va_prefix = c.Msb.VaPrefix },
                ["aggregator"] = c.Aggregator is null ? null : new { via = c.Aggregator.Via, key = c.Aggregator.Key },
            });
            await t.Out.WriteLineAsync(JsonSerializer.Serialize(json, new JsonSerializerOptions { WriteIndented = true }));
            return ExitCode.Ok;
        });
    }

    private static Command Process(Terminal t)
    {
        var command = new Command("process", "apply stored bank calls now (the service's worker does it too); returns when no call waits, waiting for an account the service is applying");
        return t.OnDb(command, async run =>
        {
            var n = await new InboxProcessor(run.Db, run.Clock).ProcessPendingAsync(int.MaxValue, run.Ct, waitForHeld: true);
            await t.Out.WriteLineAsync($"Processed {n} stored bank call(s).");
            return ExitCode.Ok;
        });
    }

    private static Command Configure(Terminal t)
    {
        Option<string> Env(string name, string what) => Opt.Text(name, "VAR", $"the environment variable holding {what} (secrets are passed by name, never on the line)");
        var school = Opt.Required("--school", "CODE");
        var bank = Opt.Required("--bank", "BIDV|VCB|MSB|CODE", "the account's bank; any bank's code for an account collected through an aggregator");
        var serviceId = Opt.Text("--service-id", "ID", "BIDV's service id");
        var username = Opt.Text("--username", "U", "BIDV's username");
        var password = Env("--password-env", "BIDV's password");
        var secret = Env("--secret-env", "the BIDV or MSB shared secret, or the aggregator's key (SePay API key, Casso or payOS checksum key)");
        var vaPrefix = Opt.Text("--va-prefix", "P", "the virtual-account prefix, 4 letters or digits");
        var keyFile = Opt.Text("--vcb-public-key", "FILE.pem", "Vietcombank's public key");
        var clientId = Opt.Text("--client-id", "ID", "Vietcombank's statement API client (with --client-secret-env)");
        var clientSecret = Env("--client-secret-env", "the Vietcombank statement API client's secret");
        var channel = Opt.Text("--via", "sepay|casso|payos|none", "collect the account's credits through an aggregator (its key by --secret-env), or none for the bank itself");
        var command = new Command("configure", "set one school account's bank settings; they are checked and saved only when complete")
        {
            school, bank, serviceId, username, password, secret, vaPrefix, keyFile, clientId, clientSecret, channel,
        };
        return t.OnDb(command, async run =>
        {
            string? FromEnv(Option<string> option) => run.Get(option) is not { } name ? null
                : System.Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v
                : throw new BadInputException(option.Name, null, null, $"the environment variable {name} is not set (secrets are passed by name, never on the command line).");
            var (schoolCode, bankCode) = (run.Need(school).ToUpperInvariant(), run.Need(bank).ToUpperInvariant());
            var change = new BankSettings.Change(run.Get(serviceId), run.Get(username), FromEnv(password), FromEnv(secret), run.Get(vaPrefix),
                run.Get(clientId), FromEnv(clientSecret), await PemAsync(run.Get(keyFile), run.Ct), run.Get(channel));
            await BankSettings.ConfigureAsync(run.Db, SecretBox.FromEnvironment(), run.Clock, run.Actor, schoolCode, bankCode, change, run.Ct);
            await t.Out.WriteLineAsync($"The {bankCode} settings of school {schoolCode} are saved and complete.");
            return ExitCode.Ok;
        });
    }

    private static async Task<string?> PemAsync(string? keyFile, CancellationToken ct)
    {
        if (keyFile is null) return null;
        if (!File.Exists(keyFile)) throw new BadInputException(Path.GetFileName(keyFile), null, null, "the file does not exist.");
        return await File.ReadAllTextAsync(keyFile, ct);
    }

    private static Command Check(Terminal t)
    {
        var command = new Command("check", "list every school account whose bank settings are missing or unusable");
        return t.OnDb(command, async run =>
        {
            var box = SecretBox.FromEnvironment();
            var accounts = await (from a in run.Db.BankAccounts.AsNoTracking() join sc in run.Db.Schools.AsNoTracking() on a.SchoolId equals sc.Id
                                  orderby sc.Code, a.Position select new { a, sc.Code }).ToListAsync(run.Ct);
            var problems = accounts.SelectMany(x => BankSettings.Check(x.a, x.Code, box)).ToList();
            foreach (var p in problems) await t.Err.WriteLineAsync(p.En);
            await t.Out.WriteLineAsync(problems.Count == 0
                ? $"All {accounts.Count} bank accounts are configured."
                : $"{problems.Count} problem(s) in {accounts.Count} bank accounts; calls for those accounts are refused until they are fixed.");
            return problems.Count == 0 ? ExitCode.Ok : ExitCode.Refused;
        });
    }
}
