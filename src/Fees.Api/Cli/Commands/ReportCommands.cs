using System.CommandLine;
using System.Globalization;
using TdmEdu.Fees.Api.Application.Reports;
using TdmEdu.Fees.Api.Cli.Toolkit;
using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Api.Cli.Commands;

/// <summary>report, audit and summary: what was collected, whether the ledger holds its invariants, and the summary the dashboard reads.</summary>
public static class ReportCommands
{
    public static IEnumerable<Command> Build(Terminal t)
    {
        yield return new Command("report", "reports as CSV, or XLSX by the file's extension") { Collection(t), Support(t) };
        yield return Audit(t);
        yield return new Command("vouchers", "the school's receipts and bank credits as vouchers for its accounting software (docs/contracts/vouchers.md)")
        {
            VoucherAccountsImport(t), VoucherExport(t),
        };
        yield return new Command("books", "the school's books against the bank (docs/contracts/bank-book.md)") { BankBookCommand(t) };
        yield return new Command("summary", "the summary tables the education office's dashboard and the open data read") { Rebuild(t) };
    }

    private static Command Rebuild(Terminal t)
    {
        var command = new Command("rebuild", "summarise every school-month again from the ledger (after a restore, or when the audit finds the summary wrong)");
        return t.OnDb(command, async run =>
        {
            var sw = System.Diagnostics.Stopwatch.StartNew();
            var (months, series) = await new CollectionSummary(run.Db).RebuildAsync(run.Ct);
            await t.Out.WriteLineAsync($"Summarised {months} school-month(s) and {series} receipt series again in {sw.Elapsed.TotalSeconds:0.0} s.");
            return ExitCode.Ok;
        });
    }

    private static Command Collection(Terminal t)
    {
        // One of the two is given; which, and whether it reads, is one sentence (the body's), as it has always been.
        var period = Opt.Text("--period", "YYYY-MM", "one month (or --year)");
        var year = Opt.Text("--year", "YYYY-YYYY", "a school year (or --period)");
        var by = Opt.Text("--by", "school|class|item|ward|level", "one row per school (default), class, fee item, ward or level");
        var output = Opt.Required("--out", "FILE");
        var command = new Command("collection", "collection rates: due, collected, cashless and cash, outstanding (columns in contracts/cli.md)")
        {
            period, year, by, output,
        };
        return t.OnDb(command, async run =>
        {
            var (periodText, yearText, scope) = (run.Get(period), run.Get(year), run.Get(by) ?? "school");
            var (fromKey, toKey, label) = MonthsOf(periodText, yearText);
            var n = await new CollectionReport(run.Db).WriteAsync(label, fromKey, toKey, scope, run.Need(output), run.Ct);
            await t.Out.WriteLineAsync($"Wrote {n} row(s) of collection for {label} by {scope} to {run.Need(output)}.");
            return ExitCode.Ok;
        });
    }

    private static Command Support(Terminal t)
    {
        var school = Opt.Required("--school", "CODE");
        var period = Opt.Text("--period", "YYYY-MM", "one month (or --year)");
        var year = Opt.Text("--year", "YYYY-YYYY", "a school year (or --period)");
        var output = Opt.Required("--out", "FILE");
        var command = new Command("support", "the claim to the budget for state support: pupil, kind, evidence, months, amount (docs/contracts/support.md)")
        {
            school, period, year, output,
        };
        return t.OnDb(command, async run =>
        {
            var (periodText, yearText) = (run.Get(period), run.Get(year));
            var (fromKey, toKey, label) = MonthsOf(periodText, yearText);
            var code = run.Need(school).ToUpperInvariant();
            var (rows, amount) = await new SupportClaim(run.Db).WriteAsync(code, fromKey, toKey, run.Need(output), run.Ct);
            await t.Out.WriteLineAsync($"Wrote {rows} pupil row(s) of state support for {code} {label}, {amount.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} VND in all, to {run.Need(output)}.");
            return ExitCode.Ok;
        });
    }

    private static Command VoucherAccountsImport(Terminal t)
    {
        var file = new Word("FILE", "give the accounts file (CSV or XLSX: school_code, item_code, channel, debit, credit).");
        var command = new Command("accounts", "the accounts vouchers post to, per item and channel; the file replaces the list") { file };
        return t.OnDb(command, async run =>
        {
            var n = await new Application.Books.VoucherAccounts(run.Db, run.Clock, run.Actor).ImportAsync(run.Get(file)!, run.Ct);
            await t.Out.WriteLineAsync($"{Path.GetFileName(run.Get(file))}: {n} account row(s).");
            return ExitCode.Ok;
        });
    }

    private static Command VoucherExport(Terminal t)
    {
        var school = Opt.Required("--school", "CODE");
        var period = Opt.Month("--period", required: true, "the month");
        var output = Opt.Required("--out", "FILE(.csv|.xlsx)");
        var command = new Command("export", "one school's month of vouchers, CSV or XLSX by the file's extension") { school, period, output };
        return t.OnDb(command, async run =>
        {
            var code = run.Need(school).ToUpperInvariant();
            var month = run.Get(period)!.Value;
            var lines = await new Application.Books.Vouchers(run.Db).WriteAsync(code, month, run.Need(output), run.Ct);
            await t.Out.WriteLineAsync($"Wrote {lines.Select(l => l.VoucherNo).Distinct().Count()} voucher(s), {lines.Count} line(s) for {code} {month} to {run.Need(output)}.");
            return ExitCode.Ok;
        });
    }

    private static Command BankBookCommand(Terminal t)
    {
        var school = Opt.Required("--school", "CODE");
        var period = Opt.Month("--period", required: true, "the month");
        var account = Opt.Text("--account", "NUMBER", "one account of the school (default: every one)");
        var output = Opt.Text("--out", "FILE(.csv|.xlsx)", "also write the book, CSV or XLSX by the file's extension");
        var command = new Command("bank", "each account's bank book for a month against the bank's statement: balances, entries, and why they differ")
        {
            school, period, account, output,
        };
        return t.OnDb(command, async run =>
        {
            var code = run.Need(school).ToUpperInvariant();
            var month = run.Get(period)!.Value;
            var book = await new Application.Books.BankBook(run.Db).QueryAsync(code, month, run.Get(account), run.Ct);
            static string V(long? v) => v is { } x ? x.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) : "not stated";
            foreach (var a in book)
            {
                await t.Out.WriteLineAsync($"{a.Bank} {a.AccountNo} {month}: statement opening {V(a.OpeningVnd)}, in {V(a.StatementInVnd)}, out {V(a.StatementOutVnd)} ({a.StatementLines} line(s)), closing {V(a.ClosingVnd)}"
                    + (a.StatementGapVnd is { } gap && gap != 0 ? $"; the lines miss {V(gap)} of the stated balances" : ""));
                await t.Out.WriteLineAsync($"  book: {a.Entries.Count} entr(ies), in {V(a.BookInVnd)}, out {V(a.BookOutVnd)}");
                foreach (var g in a.NotInBook.GroupBy(d => d.Why))
                    await t.Out.WriteLineAsync($"  on the statement, not in the month's book ({g.Key}): {g.Count()} line(s), in {V(g.Sum(d => d.InVnd))}, out {V(g.Sum(d => d.OutVnd))}");
                foreach (var g in a.NotOnStatement.GroupBy(d => d.Why))
                    await t.Out.WriteLineAsync($"  in the book, not on the month's statement ({g.Key}): {g.Count()} entr(ies), in {V(g.Sum(d => d.Entry.InVnd))}, out {V(g.Sum(d => d.Entry.OutVnd))}");
                if (a.Unconfirmed.Count > 0)
                    await t.Out.WriteLineAsync($"  UNCONFIRMED: {a.Unconfirmed.Count} line(s) only an uploaded file carries, on days the bank's statement API reported no such line "
                        + $"(in {V(a.Unconfirmed.Sum(l => l.InVnd))}, out {V(a.Unconfirmed.Sum(l => l.OutVnd))}); check them with the bank: "
                        + string.Join(", ", a.Unconfirmed.Take(20).Select(l => $"{l.Day:dd/MM} {l.BankRef ?? "(no reference)"}")));
                foreach (var day in a.BalanceConflicts)
                    await t.Out.WriteLineAsync($"  the statements state different balances for {day}");
                if (a.UndecidedLines > 0)
                    await t.Out.WriteLineAsync($"  {a.UndecidedLines} line(s) not reconciled yet: the month is not reconciled until the reconciliation has read them (fees reconcile).");
                if (a.FilesAlone && a.StatementLines > 0)
                    await t.Out.WriteLineAsync("  note: the month rests on uploaded statement files alone; the bank's statement API was not pulled for any of its days.");
                await t.Out.WriteLineAsync(a.Reconciled ? "  reconciled: every đồng of the statement is in the book or explained."
                    : a.StatementGapVnd is null && a.BalanceConflicts.Count == 0 ? "  not reconciled: the statements imported do not state both balances of the month."
                    : "  NOT reconciled: see above.");
            }
            if (run.Get(output) is { } path)
            {
                await File.WriteAllBytesAsync(path, await Application.Books.BankBookFile.BytesAsync(book, Path.GetExtension(path).Equals(".xlsx", StringComparison.OrdinalIgnoreCase), run.Ct), run.Ct);
                await t.Out.WriteLineAsync($"Wrote the bank book of {code} {month} to {path}.");
            }
            return ExitCode.Ok;
        });
    }

    /// <summary>One month (--period) or a school year (--year), never both: its first and last month keys and its name.</summary>
    private static (int From, int To, string Label) MonthsOf(string? periodText, string? yearText)
    {
        if (periodText is not null && yearText is null && BillingMonth.TryParse(periodText, out var m))
            return (m.Key, m.Key, m.ToString());
        if (yearText is not null && periodText is null && SchoolYear.TryParse(yearText, out var y))
            return (y.MonthOf(SchoolYear.FirstMonth).Key, y.MonthOf(SchoolYear.FirstMonth - 1).Key, y.ToString());
        throw new UsageException("give either --period YYYY-MM or --year YYYY-YYYY.");
    }

    private static Command Audit(Terminal t)
    {
        var command = new Command("audit", "check the ledger invariants; exit 3 with the offending rows if one fails");
        return t.OnDb(command, async run =>
        {
            var report = await new LedgerAudit(run.Db).RunAndRecordAsync("cli", run.Ct);
            foreach (var f in report.Findings) await t.Err.WriteLineAsync($"FAIL  {f.Check}: {f.Row}: {f.Problem}");
            foreach (var (c, took) in report.ChecksRun.Zip(report.Took).Where(c => report.Findings.All(f => f.Check != c.First)))
                await t.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"ok    {c}  ({took.TotalSeconds:0.00} s)"));
            var total = string.Create(CultureInfo.InvariantCulture, $"{report.Total.TotalSeconds:0.0} s");
            await t.Out.WriteLineAsync(report.Passed
                ? $"audit passed: {report.ChecksRun.Count} checks in {total}."
                : $"audit FAILED: {report.Findings.Count} finding(s) in {report.FailedChecks} check(s) ({total}).");
            return report.Passed ? ExitCode.Ok : ExitCode.Refused;
        });
    }
}
