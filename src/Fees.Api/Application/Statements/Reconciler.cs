using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Application.Payments;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;

namespace TdmEdu.Fees.Api.Application.Statements;

/// <summary>
/// Reconciles imported statement lines, each exactly once (the decision's key is the line): a credit already
/// received as a notification is a duplicate joined by its bank reference; otherwise the matching engine
/// decides, and only a sure decision moves money. Every outcome keeps its reason in words.
/// </summary>
public sealed class Reconciler(FeesDb db, BusinessClock clock, Actor actor)
{
    /// <summary>Lines decided together: one transaction, a few statements, however many lines.</summary>
    public const int BatchSize = 10_000;

    /// <summary>Where a long run says how far it is, after each committed batch (the CLI: standard error).</summary>
    public IProgress<string>? Progress { get; init; }

    /// <summary>
    /// Decides the undecided lines of a bank (or of all banks), or of one account (the statement page: the lines of the
    /// account it uploaded to, and no other school's). Joins a transaction the caller holds (the page's preview).
    /// </summary>
    public async Task<Dictionary<string, int>> RunAsync(string? bank, CancellationToken ct = default, Guid? accountId = null)
    {
        var counts = new Dictionary<string, int>();
        var started = clock.Now;
        var authority = await Authorities.GetOrCreateAsync(db, ct);
        var accounts = await db.BankAccounts.AsNoTracking().ToDictionaryAsync(a => a.Id, ct);
        // One pass over the undecided lines in their order, by key (no re-scan per batch). Lines another run holds
        // are skipped, not waited for; lines imported meanwhile behind the cursor wait for the next run.
        (DateOnly Date, int FileLine, Guid Id)? after = null;
        while (true)
        {
            var query = db.StatementLines.AsNoTracking()
                .Where(l => (bank == null || l.Bank == bank) && (accountId == null || l.AccountId == accountId)
                            && !db.LineDecisions.Any(r => r.StatementLineId == l.Id));
            if (after is { } a)
                query = query.Where(l => l.BookingDate > a.Date || l.BookingDate == a.Date && (l.FileLine > a.FileLine || l.FileLine == a.FileLine && l.Id.CompareTo(a.Id) > 0));
            var batch = await query.OrderBy(l => l.BookingDate).ThenBy(l => l.FileLine).ThenBy(l => l.Id).Take(BatchSize).ToListAsync(ct);
            if (batch.Count == 0) break;
            after = (batch[^1].BookingDate, batch[^1].FileLine, batch[^1].Id);
            // Credits first, all at once; then the few reversals, one by one, so that a reversal finds its credit applied.
            var outcomes = await new BatchDecider(db, clock, actor, accounts, authority.PaymentCodePrefix)
                .DecideAsync(batch.Where(l => !(l.Direction == "debit" && l.Reversal)).ToList(), ct);
            foreach (var line in batch.Where(l => l.Direction == "debit" && l.Reversal))
                outcomes[line.Id] = await DecideReversalAsync(line, ct);
            foreach (var outcome in outcomes.Values.Where(o => o != "skipped"))
                counts[outcome] = counts.GetValueOrDefault(outcome) + 1;
            db.ChangeTracker.Clear();
            // A full batch means there may be more: say that this much is decided and committed.
            if (batch.Count == BatchSize) Progress?.Report($"  {counts.Values.Sum():N0} line(s) decided and committed so far...");
        }
        // Every completed run is recorded with when it began: the audit expects every line imported before that
        // moment to have an outcome (a run killed midway records nothing, and its lines wait for the next run).
        // A run of one account promises outcomes for that account's lines only (the audit reads account_id).
        foreach (var (outcome, n) in counts) FeesTelemetry.Reconciled(outcome, n);
        object details = accountId is { } one ? new { started_at = started, outcomes = counts, account_id = one } : new { started_at = started, outcomes = counts };
        AuditLog.Record(db, clock, actor, "reconcile", "statement_lines", bank, details);
        await db.SaveChangesAsync(ct);
        return counts;
    }

    /// <summary>A credit taken back: undone only when the credit it names came to the same account for the same amount;
    /// otherwise the line waits for a person.</summary>
    private async Task<string> DecideReversalAsync(StatementLineRow line, CancellationToken ct)
    {
        await using var tx = await UnitOfWork.BeginAsync(db, ct);
        // Another run may have taken this line meanwhile: the row lock and the key make it once.
        var taken = await db.Database.SqlQuery<Guid>($"SELECT id AS \"Value\" FROM statement_lines WHERE id = {line.Id} FOR UPDATE SKIP LOCKED").ToListAsync(ct);
        if (taken.Count == 0 || await db.LineDecisions.AnyAsync(r => r.StatementLineId == line.Id, ct)) return "skipped";

        var result = new Persistence.LineDecision { StatementLineId = line.Id, DecidedAt = clock.Now };
        // The credit it takes back is named by its reference; the one reversal rule decides whether anything moves.
        var done = await new BankCredits(db, clock, actor).ReverseAsync(line.AccountId, line.AmountVnd,
            new BankCredits.ReversalOf(null, new[] { line.CustomerRef, line.BankRef }.OfType<string>().ToList()), null, line.Id, ct);
        if (done.Decision.Action == Reconciliation.Credits.ReversalAction.Reverse)
        {
            result.Outcome = "reversed";
            (result.Reason, result.ReasonVi) = (done.Decision.Said.En, done.Decision.Said.Vi);
            result.PaymentId = done.ReversedPayments.Count > 0 ? done.ReversedPayments[0] : null;
        }
        else
        {
            result.Outcome = "unmatched";
            (result.Reason, result.ReasonVi) = (done.Decision.Said.En, done.Decision.Said.Vi);
        }
        db.LineDecisions.Add(result);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return result.Outcome;
    }
}
