using System.CommandLine;
using System.Globalization;
using TdmEdu.Fees.Api.Application.Billing;
using TdmEdu.Fees.Api.Application.Pupils;
using TdmEdu.Fees.Api.Cli.Toolkit;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Domain.Notices;
using TdmEdu.Fees.Domain.Schedule;
using static TdmEdu.Fees.Api.Files.Values;

namespace TdmEdu.Fees.Api.Cli.Commands;

/// <summary>notices: the monthly billing run, its export and printout, closing a month, cancelling one notice.</summary>
public static class NoticeCommands
{
    public static Command Build(Terminal t) => new("notices", "the monthly fee notices: bill, export, print, close, cancel")
    {
        Issue(t), Export(t), Pdf(t), Close(t), Cancel(t), Quote(t),
    };

    private static Option<BillingMonth?> Period() => Opt.Month("--period", required: true, "the billing month");

    private static Option<string> School(string what) => Opt.Text("--school", "CODE", what);

    private static Command Issue(Terminal t)
    {
        var (period, school) = (Period(), School("only this school (default: every school)"));
        var dryRun = Opt.Flag("--dry-run", "print the totals per school and class and write nothing");
        var command = new Command("issue", "the billing run: one notice per enrolled student for the month; a second run adds nothing")
        {
            period, school, dryRun,
        };
        return t.OnDb(command, async run =>
        {
            var r = await new MonthlyBilling(run.Db, run.Clock, run.Actor).IssueAsync(run.Need(period), run.Get(school)?.ToUpperInvariant(), run.Get(dryRun), run.Ct);
            await PrintAsync(t.Out, r);
            return ExitCode.Ok;
        });
    }

    private static Command Export(Terminal t)
    {
        var (period, school) = (Period(), School("only this school's notices"));
        var output = Opt.Required("--out", "FILE(.csv|.xlsx)");
        var command = new Command("export", "the month's notices as CSV, or XLSX by the file's extension (columns in contracts/cli.md)") { period, school, output };
        return t.OnDb(command, async run =>
        {
            var month = run.Need(period);
            var n = await new NoticeExport(run.Db, run.Clock).WriteAsync(month, run.Get(school)?.ToUpperInvariant(), run.Need(output), run.Ct);
            await t.Out.WriteLineAsync($"Wrote {n} notice(s) of {month} to {run.Need(output)}.");
            return ExitCode.Ok;
        });
    }

    private static Command Pdf(Terminal t)
    {
        // A month that does not read is bad input here (exit 2), as the printout has always answered.
        var period = Opt.Required("--period", "YYYY-MM", "the billing month");
        var school = Opt.Required("--school", "CODE");
        var className = Opt.Text("--class", "NAME", "only this class");
        var output = Opt.Required("--out", "FILE.pdf");
        var perPage = Opt.Count("--per-page", "1", "notices on a page: 1, or 2 to cut in halves");
        var command = new Command("pdf", "printable notices with their QR codes") { period, school, className, output, perPage };
        return t.OnDb(command, async run =>
        {
            var text = run.Need(period);
            if (!BillingMonth.TryParse(text, out var month)) throw new BadInputException("--period", null, null, $"\"{text}\" is not a month like 2025-09.");
            var (schoolCode, outPath, onAPage) = (run.Need(school), run.Need(output), run.Get(perPage) ?? 1);
            var (pdf, count) = await new Printing.NoticePdf(run.Db, run.Clock).RenderAsync(schoolCode, month, run.Get(className), onAPage, run.Ct);
            await File.WriteAllBytesAsync(outPath, pdf, run.Ct);
            await t.Out.WriteLineAsync($"Wrote {count} notice(s) of {schoolCode.ToUpperInvariant()} for {month} to {outPath}, {(onAPage == 1 ? "one page each" : "two to a page")}.");
            return ExitCode.Ok;
        });
    }

    private static Command Close(Terminal t)
    {
        var (period, school) = (Period(), School("only this school (default: every school)"));
        var command = new Command("close", "close the month: no more billing or edits for it; payments still apply") { period, school };
        return t.OnDb(command, async run =>
        {
            var month = run.Need(period);
            var (n, waiting) = await new MonthlyBilling(run.Db, run.Clock, run.Actor).CloseAsync(month, run.Get(school)?.ToUpperInvariant(), run.Ct);
            await t.Out.WriteLineAsync(n == 0 ? $"{month} was already closed." : $"Closed {month} for {n} school(s): no more billing; payments still apply.");
            foreach (var w in waiting) await t.Out.WriteLineAsync($"Warning: {w.En}");
            return ExitCode.Ok;
        });
    }

    private static Command Quote(Terminal t)
    {
        var student = Opt.Required("--student", "CODE");
        var from = Opt.Month("--from", required: false, "the term's first month (default: this month)");
        var months = Opt.Amount("--months", required: false);
        var command = new Command("quote", "what a family pays to cover a term up front: each billing month's amount, less what the pupil holds") { student, from, months };
        return t.OnDb(command, async run =>
        {
            var first = run.Get(from) ?? BillingMonth.Of(run.Clock.Today);
            var q = await new TermQuotes(run.Db, run.Clock, run.Actor).QuoteAsync(run.Need(student), first, (int)Math.Min(run.Get(months) ?? 4, 99), run.Ct);
            if (q.EarlierOwedVnd > 0)
                await t.Out.WriteLineAsync($"{"earlier",-7}  {"still owed",-18} {Money(q.EarlierOwedVnd),16}  (money goes on the oldest notices first)");
            foreach (var m in q.Months)
                await t.Out.WriteLineAsync($"{m.Month}  {(m.Billed ? "left on its notice" : "to be billed"),-18} {Money(m.AmountVnd),16}");
            await t.Out.WriteLineAsync($"Term of {q.Months.Count} month(s){(q.EarlierOwedVnd > 0 ? " and what earlier months owe" : "")}: {Money(q.TotalVnd)}. Held for the pupil: {Money(q.HeldVnd)}. To pay for the term: {Money(q.ToPayVnd)}.");
            await t.Out.WriteLineAsync("Take it at the counter on the pupil's notice (`payments cash`) or by transfer; what no notice owes yet is held and goes on each month's notice as it is billed.");
            return ExitCode.Ok;
        });
    }

    private static Command Cancel(Terminal t)
    {
        var notice = Opt.Required("--notice", "NO");
        var reason = Opt.Required("--reason", "TEXT");
        var command = new Command("cancel", "cancel one notice; money already on it becomes the student's credit") { notice, reason };
        return t.OnDb(command, async run =>
        {
            var no = run.Need(notice);
            var (state, released, leave) = await new NoticeWithdrawals(run.Db, run.Clock, run.Actor).CancelAsync(no, run.Need(reason), run.Ct);
            await t.Out.WriteLineAsync(released == 0 ? $"Notice {no} is {state.ToWire()}."
                : $"Notice {no} is {state.ToWire()}: {Money(released)} taken off it is held as the student's credit; refund it with `fees payments refund`.");
            // A leaver's months were billed knowing each other: the leave was applied again.
            if (leave is not null) await t.Out.WriteLineAsync($"The pupil left, so the leave was applied again. {leave.En}");
            return ExitCode.Ok;
        });
    }

    private static async Task PrintAsync(TextWriter stdout, BillingResult r)
    {
        if (r.DryRun)
        {
            await stdout.WriteLineAsync($"Dry run for {r.Month}: nothing was written.");
            await stdout.WriteLineAsync($"{"school",-10} {"class",-10} {"notices",8} {"gross",16} {"reductions",14} {"refunds",12} {"state_support",14} {"amount_due",16}");
            foreach (var g in r.Totals.GroupBy(t => t.SchoolCode))
            {
                foreach (var t in g)
                    await stdout.WriteLineAsync($"{t.SchoolCode,-10} {t.ClassName,-10} {t.Notices,8} {N(t.GrossVnd),16} {N(t.ReductionVnd),14} {N(t.RefundVnd),12} {N(t.SupportVnd),14} {N(t.AmountDueVnd),16}");
                await stdout.WriteLineAsync($"{g.Key,-10} {"(total)",-10} {g.Sum(t => t.Notices),8} {N(g.Sum(t => t.GrossVnd)),16} {N(g.Sum(t => t.ReductionVnd)),14} {N(g.Sum(t => t.RefundVnd)),12} {N(g.Sum(t => t.SupportVnd)),14} {N(g.Sum(t => t.AmountDueVnd)),16}");
            }
            await stdout.WriteLineAsync($"{"all",-10} {"(total)",-10} {r.Totals.Sum(t => t.Notices),8} {N(r.Totals.Sum(t => t.GrossVnd)),16} {N(r.Totals.Sum(t => t.ReductionVnd)),14} {N(r.Totals.Sum(t => t.RefundVnd)),12} {N(r.Totals.Sum(t => t.SupportVnd)),14} {N(r.AmountDueVnd),16}");
        }
        else
        {
            await stdout.WriteLineAsync($"Issued {r.NoticesCreated} notice(s) for {r.Month}, {Money(r.AmountDueVnd)} due; {r.AlreadyBilled} student(s) already had one.");
            if (r.CreditAppliedVnd > 0) await stdout.WriteLineAsync($"Applied {Money(r.CreditAppliedVnd)} of credit the students held.");
        }
        if (r.NotYetEnrolled > 0) await stdout.WriteLineAsync($"{r.NotYetEnrolled} student(s) enrolled after {r.Month} are not billed.");
        if (r.Left > 0) await stdout.WriteLineAsync($"{r.Left} student(s) who left before {r.Month} are not billed.");
        if (r.NothingApplies > 0) await stdout.WriteLineAsync($"{r.NothingApplies} student(s) have no fee item this month.");
        if (r.ExpiredReductions > 0) await stdout.WriteLineAsync($"Note: {r.ExpiredReductions} student(s) have a policy group whose evidence expired before {r.Month}; no reduction was given for it.");
        if (r.ClosedSchoolsSkipped.Count > 0) await stdout.WriteLineAsync($"Skipped closed period at: {string.Join(", ", r.ClosedSchoolsSkipped)}.");
        foreach (var w in r.LeaversWaiting ?? []) await stdout.WriteLineAsync($"Warning: {w.En}");
    }

    private static string N(long v) => v.ToString("#,0", CultureInfo.InvariantCulture);
}
