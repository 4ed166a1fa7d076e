using System.CommandLine;
using TdmEdu.Fees.Api.Application.Statements;
using TdmEdu.Fees.Api.Cli.Toolkit;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Files;
using TdmEdu.Fees.Api.Hosting;
using TdmEdu.Fees.Api.Security;
using TdmEdu.Fees.BankAdapters.Statements.Files;

namespace TdmEdu.Fees.Api.Cli.Commands;

/// <summary>statements and reconcile: bank statements read, stored or fetched, and every line decided.</summary>
public static class StatementCommands
{
    public static IEnumerable<Command> Build(Terminal t)
    {
        yield return new Command("statements", "bank statements: parsed, imported from files, or pulled from the banks' APIs") { Parse(t), Import(t), Pull(t) };
        yield return Reconcile(t);
    }

    private static Option<string> Format(bool columns = false) =>
        Opt.Text("--format", string.Join('|', columns ? [.. StatementFiles.Formats, StatementFormats.Columns] : StatementFiles.Formats),
            columns ? "the file's format (default auto: the account's column map if it fits, else told from its content; columns: by that map only)"
                : "the file's format (default auto: told from its content)");

    private static Command Parse(Terminal t)
    {
        var file = new Word("FILE", "give the statement file.");
        var format = Format();
        var command = new Command("parse", "print the file's transactions as JSON lines; touches no database") { file, format };
        return Terminal.Does(command, async (parsed, ct) =>
        {
            var notes = new List<ParseNote>();
            var path = parsed.GetValue(file)!;
            foreach (var line in StatementFiles.Parse(path, parsed.GetValue(format) ?? "auto", null, ct, notes: notes))
                await t.Out.WriteLineAsync(StatementFiles.ToJson(line));
            // What the reader skipped or read by a rule, by line; on stderr, so stdout stays JSON lines.
            foreach (var n in notes) await t.Err.WriteLineAsync($"Warning: {Path.GetFileName(path)}, line {n.Line}: {n.En}");
            return ExitCode.Ok;
        });
    }

    private static Command Import(Terminal t)
    {
        var file = new Word("FILE", "give the file to import.");
        var bank = Opt.Required("--bank", "BIDV|VCB|MSB");
        var account = Opt.Required("--account", "NO", "the school account the statement is of");
        var format = Format(columns: true);
        var command = new Command("import", "store a statement (idempotent per line)") { file, bank, account, format };
        return t.OnDb(command, async run =>
        {
            var path = run.Get(file)!;
            var r = await new StatementImporter(run.Db, run.Clock, run.Actor) { Progress = new LineProgress(t.Err) }
                .ImportAsync(path, run.Need(bank), run.Need(account), run.Get(format) ?? "auto", run.Ct);
            await t.Out.WriteLineAsync($"{Path.GetFileName(path)}: {r.Lines} line(s), {r.Inserted} new, {r.Skipped} already imported (skipped).");
            foreach (var w in r.Warnings) await t.Out.WriteLineAsync($"Warning: {w}");
            return ExitCode.Ok;
        });
    }

    private static Command Pull(Terminal t)
    {
        var school = Opt.Text("--school", "CODE", "only this school's accounts");
        var vcbApi = Opt.Text("--vcb-api", "URL", $"Vietcombank's statement API (default {BankClientOptions.VcbVariable})");
        var msbApi = Opt.Text("--msb-api", "URL", $"MSB's statement API (default {BankClientOptions.MsbVariable})");
        var command = new Command("pull", "fetch statements from the banks' APIs now (the job does it every 30 minutes)") { school, vcbApi, msbApi };
        return t.OnDb(command, async run =>
        {
            var apis = BankClientOptions.From(run.Get(vcbApi), run.Get(msbApi));
            if (apis.VcbBase is null && apis.MsbBase is null)
                throw new EnvironmentProblemException($"No bank statement API address is set: give --vcb-api or --msb-api, or set {BankClientOptions.VcbVariable} or {BankClientOptions.MsbVariable}.");
            await using var services = new ServiceCollection().AddBankStatementClients(apis).BuildServiceProvider();
            var results = await new StatementPull(run.Db, run.Clock, SecretBox.FromEnvironment(), services, t.Time, run.Actor)
                .PullAsync(run.Get(school)?.ToUpperInvariant(), run.Ct);
            if (results.Count == 0)
            {
                await t.Out.WriteLineAsync("No account is set up for statement pulls (Vietcombank: banks configure --client-id; MSB: --secret-env), or its bank's API address is not set.");
                return ExitCode.Ok;
            }
            foreach (var r in results)
                if (r.Problem is null)
                {
                    await t.Out.WriteLineAsync($"{r.School} {r.Bank} {r.From:yyyy-MM-dd}..{r.To:yyyy-MM-dd}: {r.Imported!.Lines} line(s), {r.Imported.Inserted} new, {r.Imported.Skipped} already imported (skipped).");
                    foreach (var w in r.Imported.Warnings) await t.Out.WriteLineAsync($"Warning: {w}");
                }
                else await t.Err.WriteLineAsync($"{r.School} {r.Bank} {r.From:yyyy-MM-dd}..{r.To:yyyy-MM-dd}: {r.Problem}");
            return results.Any(r => r.Problem is not null) ? ExitCode.Refused : ExitCode.Ok;
        });
    }

    private static Command Reconcile(Terminal t)
    {
        var bank = Opt.Text("--bank", "CODE", "only this bank's lines");
        var command = new Command("reconcile", "decide every imported statement line not yet decided (the scheduled job runs the same)")
        {
            bank, Export(t), CrossCheck(t),
        };
        return t.OnDb(command, async run =>
        {
            var counts = await new Reconciler(run.Db, run.Clock, run.Actor) { Progress = new LineProgress(t.Err) }.RunAsync(run.Get(bank)?.ToUpperInvariant(), run.Ct);
            await t.Out.WriteLineAsync(counts.Count == 0 ? "Nothing to reconcile: every imported statement line has its outcome."
                : "Reconciled " + string.Join(", ", counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Value} {c.Key}")) + ".");
            return ExitCode.Ok;
        });
    }

    private static Command Export(Terminal t)
    {
        var from = Opt.Date("--from", "first booking date");
        var to = Opt.Date("--to", "last booking date");
        var output = Opt.Required("--out", "FILE");
        var command = new Command("export", "one row per bank transaction with its outcome (columns in contracts/cli.md)") { from, to, output };
        return t.OnDb(command, async run =>
        {
            var n = await new ReconcileExport(run.Db).WriteAsync(run.Get(from), run.Get(to), run.Need(output), run.Ct);
            await t.Out.WriteLineAsync($"Wrote {n} bank transaction(s) to {run.Need(output)}.");
            return ExitCode.Ok;
        });
    }

    private static Command CrossCheck(Terminal t)
    {
        var days = Opt.Count("--settlement-days", "2", "how long a notified credit may wait for its statement line");
        var output = Opt.Required("--out", "FILE");
        var command = new Command("crosscheck", "notifications against statements, both ways") { days, output };
        return t.OnDb(command, async run =>
        {
            var settlement = run.Get(days) ?? 2;
            var n = await new CrossCheck(run.Db, run.Clock).WriteAsync(settlement, run.Need(output), run.Ct);
            await t.Out.WriteLineAsync($"Wrote {n} row(s) to {run.Need(output)}: notifications without a statement line after {settlement} day(s), and statement credits without a notification.");
            return ExitCode.Ok;
        });
    }
}
