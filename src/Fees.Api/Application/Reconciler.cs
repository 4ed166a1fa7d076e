using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Banks;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.BankAdapters.Inbound;

namespace TdmEdu.Fees.Api.Application;

/// <summary>
/// Reconciles imported statement lines, each exactly once (the decision's key is the line): a credit already
/// received as a notification is a duplicate joined by its bank reference; otherwise the matching engine
/// decides, and only a sure decision moves money. Every outcome keeps its reason in words.
/// </summary>
public sealed class Reconciler(FeesDb db, BusinessClock clock, Actor actor)
{
    public async Task<Dictionary<string, int>> RunAsync(string? bank, CancellationToken ct = default)
    {
        var counts = new Dictionary<string, int>();
        var authority = await Authorities.GetOrCreateAsync(db, ct);
        // Lines another run holds are skipped, not waited for, and not asked for again in this run.
        var skipped = new HashSet<Guid>();
        while (true)
        {
            var batch = (await (from l in db.StatementLines.AsNoTracking()
                                where (bank == null || l.Bank == bank) && !db.Reconciliations.Any(r => r.StatementLineId == l.Id)
                                orderby l.BookingDate, l.FileLine, l.Id
                                select l).Take(500 + skipped.Count).ToListAsync(ct)).Where(l => !skipped.Contains(l.Id)).ToList();
            if (batch.Count == 0) break;
            foreach (var line in batch)
            {
                var outcome = await DecideAsync(line, authority.PaymentCodePrefix, ct);
                if (outcome == "skipped") skipped.Add(line.Id);
                else counts[outcome] = counts.GetValueOrDefault(outcome) + 1;
                db.ChangeTracker.Clear();
            }
        }
        if (counts.Count > 0)
        {
            AuditLog.Record(db, clock, actor, "reconcile", "statement_lines", bank, counts);
            await db.SaveChangesAsync(ct);
        }
        return counts;
    }

    private async Task<string> DecideAsync(StatementLineRow line, string prefix, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // Another run may have taken this line meanwhile: the row lock and the key make it once.
        var taken = await db.Database.SqlQuery<Guid>($"SELECT id AS \"Value\" FROM statement_lines WHERE id = {line.Id} FOR UPDATE SKIP LOCKED").ToListAsync(ct);
        if (taken.Count == 0 || await db.Reconciliations.AnyAsync(r => r.StatementLineId == line.Id, ct)) return "skipped";

        var account = await db.BankAccounts.AsNoTracking().SingleAsync(a => a.Id == line.AccountId, ct);
        var result = new Persistence.Reconciliation { StatementLineId = line.Id, DecidedAt = clock.Now };
        if (line.Direction == "credit" && !line.Reversal && line.BankRef is { } reference
            && await db.Inbox.AsNoTracking().Where(m => m.Bank == line.Bank && m.BankRef == reference && m.Kind != InboxKinds.BidvRevert)
                .Select(m => new { m.Id, m.ReceivedAt }).FirstOrDefaultAsync(ct) is { } notified)
        {
            result.Outcome = "duplicate";
            result.Reason = $"already received as a {line.Bank} notification ({notified.ReceivedAt:yyyy-MM-dd HH:mm}); joined by bank reference {reference}";
            result.PaymentId = await db.Payments.Where(p => p.InboxId == notified.Id && p.AmountVnd > 0).Select(p => (Guid?)p.Id).FirstOrDefaultAsync(ct);
        }
        else if (line.Direction == "debit" && line.Reversal)
        {
            // A credit taken back. Undo it only when the original line is certain: same account and amount, and
            // its bank reference named by this line; otherwise a person decides.
            var original = await (from o in db.StatementLines.AsNoTracking()
                                  join r in db.Reconciliations.AsNoTracking() on o.Id equals r.StatementLineId
                                  where o.AccountId == line.AccountId && o.Direction == "credit" && o.AmountVnd == line.AmountVnd
                                        && o.BankRef != null && (o.BankRef == line.CustomerRef || o.BankRef == line.BankRef) && r.PaymentId != null
                                  select new { o.BankRef, r.PaymentId }).FirstOrDefaultAsync(ct);
            var payment = original is null ? null : await db.Payments.AsNoTracking().SingleAsync(p => p.Id == original.PaymentId, ct);
            if (payment is not null && !await db.Payments.AnyAsync(p => p.ReversesPaymentId == payment.Id, ct))
            {
                await new Ledger(db, clock, actor).ReverseBankPaymentAsync(payment.Source, payment.ExternalRef, null, ct);
                result.Outcome = "reversed";
                result.Reason = $"the bank took back the credit {original!.BankRef}; its payment is reversed";
                result.PaymentId = payment.Id;
            }
            else
            {
                result.Outcome = "unmatched";
                result.Reason = "a reversal of a credit we cannot pin down by its reference; for review";
            }
        }
        else
        {
            var e = new BankEvent(line.Bank, line.Direction == "credit" ? BankEventKind.Credit : line.Reversal ? BankEventKind.Reversal : BankEventKind.OtherDebit,
                line.Id.ToString(), line.BankRef ?? "", line.AmountVnd, account.AccountNo, null, null, null, line.Content, null, null, line.ValueDate ?? line.BookingDate);
            var identifier = new StudentIdentifier(db);
            var who = identifier.Identify(e, account, prefix, out var why, out var decision);
            if (who is not null && await ProbableDuplicateAsync(line, who.Students[0], ct) is { } duplicateOf)
            {
                result.Outcome = "suggested";
                result.Reason = $"{why}; but a {duplicateOf} of the same amount for the same student came the same day: probable duplicate, not applied";
            }
            else if (who is not null)
            {
                var payment = new Payment
                {
                    Id = Guid.CreateVersion7(), SchoolId = account.SchoolId, StudentId = who.Students[0], Method = PaymentMethods.Bank,
                    AmountVnd = line.AmountVnd, ReceivedAt = clock.Now, Source = "STMT-" + line.Bank, ExternalRef = line.Id.ToString(),
                    Actor = actor.Name, Reason = why,
                };
                await new Ledger(db, clock, actor).RecordBankAsync(payment, who.Students, ct);
                result.PaymentId = payment.Id;
                result.Outcome = decision.Outcome.ToString().ToLowerInvariant();
                result.Reason = why;
            }
            else
            {
                result.Outcome = decision.Outcome.ToString().ToLowerInvariant();
                result.Reason = why;
                result.Suggestions = JsonSerializer.Serialize(decision.Suggestions.Select(s => new { payment_code = s.PaymentCode, why = s.Why }));
            }
        }
        db.Reconciliations.Add(result);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return result.Outcome;
    }

    /// <summary>No reference joins them, but a notification for the same student, amount and day was applied already.</summary>
    private async Task<string?> ProbableDuplicateAsync(StatementLineRow line, Guid student, CancellationToken ct)
    {
        var day = line.ValueDate ?? line.BookingDate;
        var candidates = await db.Payments.AsNoTracking()
            .Where(p => p.StudentId == student && p.AmountVnd == line.AmountVnd && p.InboxId != null && p.Source == line.Bank)
            .Select(p => p.ReceivedAt).ToListAsync(ct);
        return candidates.Any(at => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, BusinessClock.Zone).DateTime) == day) ? $"{line.Bank} notification" : null;
    }
}
