using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Application.Payments;
using TdmEdu.Fees.Api.Cli.Toolkit;
using static TdmEdu.Fees.Api.Files.Values;

namespace TdmEdu.Fees.Api.Cli.Commands;

/// <summary>payments and receipts: money at the counter, and its corrections (each a new entry, never an edit).</summary>
public static class PaymentCommands
{
    private const string ReceiptHelp = "what `payments cash` printed: SCHOOL/TEMPLATE/SERIES/NUMBER, e.g. TS01/01BLP0-001/AA-25E/0000012";

    public static IEnumerable<Command> Build(Terminal t)
    {
        yield return new Command("payments", "money paid at the counter, reversed or refunded") { Cash(t), Reverse(t), Refund(t), UseCredit(t) };
        yield return new Command("receipts", "receipts (numbered without gaps)") { CancelReceipt(t) };
    }

    private static Command Cash(Terminal t)
    {
        var notice = Opt.Required("--notice", "NO");
        var amount = Opt.Amount("--amount", required: true, "whole đồng: 1500000, 1.500.000 or 1,500,000");
        var payer = Opt.Text("--payer", "NAME", "who paid, as the receipt names them");
        var reference = Opt.Text("--ref", "KEY", "an idempotency key: the same key again records nothing new");
        var command = new Command("cash", "record a counter payment; prints the receipt number") { notice, amount, payer, reference };
        return t.OnDb(command, async run =>
        {
            var r = await new Ledger(run.Db, run.Clock, run.Actor).RecordCashAsync(run.Need(notice), run.Need(amount),
                run.Get(payer)?.Normalize(System.Text.NormalizationForm.FormC), run.Get(reference), run.Ct);
            await Application.Receipts.ReceiptSigner.FromEnvironment(run.Db, run.Clock).SignPaymentAsync(r.PaymentId, run.Ct);
            await t.Out.WriteLineAsync(r.ReceiptNo);
            foreach (var n in r.Notices)
                await t.Out.WriteLineAsync($"  {n.NoticeNo}: {Money(n.AmountVnd)} applied, balance {Money(n.BalanceVnd)}, {n.Status}");
            if (r.CreditVnd > 0) await t.Out.WriteLineAsync($"  {Money(r.CreditVnd)} held as the student's credit for the next notice");
            return ExitCode.Ok;
        });
    }

    private static Command Reverse(Terminal t)
    {
        var receipt = Opt.Required("--receipt", "REF", ReceiptHelp);
        var reason = Opt.Required("--reason", "TEXT");
        var command = new Command("reverse", "take a payment back; its receipt is cancelled") { receipt, reason };
        return t.OnDb(command, async run =>
        {
            var rev = await new Ledger(run.Db, run.Clock, run.Actor).ReversePaymentAsync(run.Need(receipt), run.Need(reason), run.Ct);
            await t.Out.WriteLineAsync($"Reversed the payment of {Money(-rev.AmountVnd)} on receipt {run.Need(receipt)}; the receipt is cancelled.");
            return ExitCode.Ok;
        });
    }

    private static Command Refund(Terminal t)
    {
        var student = Opt.Required("--student", "CODE");
        var amount = Opt.Amount("--amount", required: true);
        var reason = Opt.Required("--reason", "TEXT");
        var command = new Command("refund", "pay back credit a student holds") { student, amount, reason };
        return t.OnDb(command, async run =>
        {
            var (code, vnd) = (run.Need(student), run.Need(amount));
            var left = await new Ledger(run.Db, run.Clock, run.Actor).RefundCreditAsync(code, vnd, run.Need(reason), run.Ct);
            await t.Out.WriteLineAsync($"Refunded {Money(vnd)} of student {code}'s credit; {Money(left)} credit left.");
            return ExitCode.Ok;
        });
    }

    private static Command UseCredit(Terminal t)
    {
        var command = new Command("use-credit",
            "pay what pupils owe from the credit their school holds for them, wherever the two stand side by side (a ledger from before 2026-12-07)");
        return t.OnDb(command, async run =>
        {
            var (pupils, applied) = await new Ledger(run.Db, run.Clock, run.Actor).UseCreditBesideOpenNoticesAsync(run.Ct);
            await t.Out.WriteLineAsync($"Used {Money(applied)} of credit on the open notices of {pupils} pupil(s).");
            return ExitCode.Ok;
        });
    }

    private static Command CancelReceipt(Terminal t)
    {
        var receipt = Opt.Required("--receipt", "REF", ReceiptHelp);
        var reason = Opt.Required("--reason", "TEXT");
        var command = new Command("cancel", "cancel a receipt (it keeps its number) and issue its replacement") { receipt, reason };
        return t.OnDb(command, async run =>
        {
            var replacement = await new Ledger(run.Db, run.Clock, run.Actor).CancelReceiptAsync(run.Need(receipt), run.Need(reason), run.Ct);
            // The replacement is signed now, as a cash payment's receipt is; what cannot be signed yet waits for the job.
            var signer = Application.Receipts.ReceiptSigner.FromEnvironment(run.Db, run.Clock);
            async Task<(Guid Id, string Status)?> FindAsync(string reference)
            {
                var p = reference.Split('/');
                if (p.Length != 4 || !long.TryParse(p[3], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number)) return null;
                var found = await (from r in run.Db.Receipts.AsNoTracking()
                                   join s in run.Db.ReceiptSeries.AsNoTracking() on r.SeriesId equals s.Id
                                   join sc in run.Db.Schools.AsNoTracking() on s.SchoolId equals sc.Id
                                   where sc.Code == p[0] && s.Template == p[1] && s.Series == p[2] && r.Number == number
                                   select new { r.Id, r.Status }).FirstOrDefaultAsync(run.Ct);
                return found is null ? null : (found.Id, found.Status);
            }
            if (await FindAsync(replacement) is { } made) await signer.SignAsync([made.Id], TimeSpan.FromSeconds(10), run.Ct);
            var was = (await FindAsync(run.Need(receipt)))?.Status == Persistence.ReceiptStates.Replaced ? "replaced" : "cancelled";
            await t.Out.WriteLineAsync($"Receipt {run.Need(receipt)} is {was} and keeps its number; its replacement is {replacement}.");
            return ExitCode.Ok;
        });
    }
}
