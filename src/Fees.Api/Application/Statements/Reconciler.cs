using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
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
    /// How many schools' lines are decided at once, each by its own connection (by default one per core). Money moves
    /// only within the school whose account received it, so workers holding different schools write disjoint rows.
    /// </summary>
    public int Workers { get; init; } = Math.Clamp(Environment.ProcessorCount, 1, 8);

    /// <summary>
    /// Decides the undecided lines of a bank (or of all banks), or of one account (the statement page: the lines of the
    /// account it uploaded to, and no other school's). Joins a transaction the caller holds (the page's preview).
    /// </summary>
    public async Task<Dictionary<string, int>> RunAsync(string? bank, CancellationToken ct = default, Guid? accountId = null)
    {
        var started = clock.Now;
        var authority = await Authorities.GetOrCreateAsync(db, ct);
        var accounts = await db.BankAccounts.AsNoTracking().ToDictionaryAsync(a => a.Id, ct);
        var counts = new Dictionary<string, int>();
        var decided = 0;
        void Add(Dictionary<string, int> more, bool full)
        {
            lock (counts)
            {
                foreach (var (outcome, n) in more) counts[outcome] = counts.GetValueOrDefault(outcome) + n;
                decided += more.Values.Sum();
                // A full batch means there may be more, and a run past a batch's worth is a long one: say after each of its
                // batches that this much is decided and committed (bins rarely fill a batch exactly; found by review).
                if (full || decided >= BatchSize) Progress?.Report($"  {decided:N0} line(s) decided and committed so far...");
            }
        }
        // A caller's transaction (the page's preview) and one account's lines stay on the caller's connection.
        var groups = accountId is null && db.Database.CurrentTransaction is null ? await SchoolGroupsAsync(bank, accounts, ct) : null;
        if (groups is null)
            await DecideAsync(db, bank, accountId, null, accounts, authority.PaymentCodePrefix, Add, ct);
        else
        {
            if (groups.Count == 1)
                foreach (var bin in groups[0]) await DecideAsync(db, bank, null, bin, accounts, authority.PaymentCodePrefix, Add, ct);
            else
            {
                var options = (DbContextOptions<FeesDb>)db.GetService<IDbContextOptions>();
                // A group that fails stops the others at their next batch (what they committed stays, as in a killed run).
                using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
                await Task.WhenAll(groups.Select(async group =>
                {
                    try
                    {
                        await using var worker = new FeesDb(options);
                        foreach (var bin in group) await DecideAsync(worker, bank, null, bin, accounts, authority.PaymentCodePrefix, Add, stop.Token);
                    }
                    catch
                    {
                        await stop.CancelAsync();
                        throw;
                    }
                }));
            }
            // Lines of an account that had none waiting when the groups were dealt (an import committing meanwhile):
            // one more pass on this connection, as the single pass would have met them ahead of its cursor.
            await DecideAsync(db, bank, null, null, accounts, authority.PaymentCodePrefix, Add, ct);
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

    /// <summary>
    /// The accounts with undecided lines, whole schools together, dealt into at most <see cref="Workers"/> groups of
    /// about as many lines each (the largest school first), each group's schools packed into bins of about a batch.
    /// Lines imported later wait for the next run, as behind the cursor.
    /// </summary>
    private async Task<List<List<Guid[]>>?> SchoolGroupsAsync(string? bank, IReadOnlyDictionary<Guid, SchoolBankAccount> accounts, CancellationToken ct)
    {
        var waiting = (await db.StatementLines.AsNoTracking()
            .Where(l => (bank == null || l.Bank == bank) && !db.LineDecisions.Any(r => r.StatementLineId == l.Id))
            .GroupBy(l => l.AccountId).Select(g => new { AccountId = g.Key, Lines = g.Count() }).ToListAsync(ct))
            .Select(w => (w.AccountId, accounts[w.AccountId].SchoolId, w.Lines)).ToList();
        var groups = Deal(waiting, Math.Max(1, Workers));
        return groups.Count == 0 ? null : groups.Select(g => Bins(waiting.Where(w => g.Contains(w.AccountId)), BatchSize)).ToList();
    }

    /// <summary>
    /// A group's schools packed, largest first, into bins of at most <paramref name="batchSize"/> lines (a larger school
    /// alone), a school's accounts always in one bin: a batch then holds few schools, so what is read per school (its
    /// roster for suggestions, the name index) is read about once per run, not once per batch that touches the school.
    /// </summary>
    public static List<Guid[]> Bins(IEnumerable<(Guid Account, Guid School, int Lines)> group, int batchSize)
    {
        var bins = new List<(List<Guid> Accounts, long Lines)>();
        foreach (var school in Schools(group))
        {
            var fit = bins.FindIndex(b => b.Lines + school.Lines <= batchSize);
            if (fit < 0) bins.Add((school.Accounts, school.Lines));
            else bins[fit] = ([.. bins[fit].Accounts, .. school.Accounts], bins[fit].Lines + school.Lines);
        }
        return bins.Select(b => b.Accounts.ToArray()).ToList();
    }

    /// <summary>
    /// Accounts dealt into at most <paramref name="workers"/> groups: a school's accounts always in one group (its
    /// pupils' money is written by one connection), the schools with the most lines first, each to the group with the fewest.
    /// </summary>
    public static List<Guid[]> Deal(IEnumerable<(Guid Account, Guid School, int Lines)> waiting, int workers)
    {
        var schools = Schools(waiting);
        var n = Math.Max(0, Math.Min(workers, schools.Count));
        var groups = Enumerable.Range(0, n).Select(_ => new List<Guid>()).ToArray();
        var lines = new long[n];
        foreach (var school in schools)
        {
            var least = Array.IndexOf(lines, lines.Min());
            groups[least].AddRange(school.Accounts);
            lines[least] += school.Lines;
        }
        return groups.Select(g => g.ToArray()).ToList();
    }

    /// <summary>The waiting accounts by school, with the school's lines, the schools with the most lines first.</summary>
    private static List<(List<Guid> Accounts, long Lines)> Schools(IEnumerable<(Guid Account, Guid School, int Lines)> waiting) =>
        waiting.GroupBy(w => w.School)
            .Select(g => (Accounts: g.Select(w => w.Account).ToList(), Lines: g.Sum(w => (long)w.Lines)))
            .OrderByDescending(x => x.Lines).ThenBy(x => x.Accounts[0]).ToList();

    /// <summary>One pass over the undecided lines (of one account, of a group of accounts, or all) in batches, each committed.</summary>
    private async Task DecideAsync(FeesDb on, string? bank, Guid? accountId, Guid[]? group, IReadOnlyDictionary<Guid, SchoolBankAccount> accounts,
        string prefix, Action<Dictionary<string, int>, bool> add, CancellationToken ct)
    {
        // One pass over the undecided lines in their order, by key (no re-scan per batch). Lines another run holds
        // are skipped, not waited for; lines imported meanwhile behind the cursor wait for the next run.
        (DateOnly Date, int FileLine, Guid Id)? after = null;
        while (true)
        {
            var query = on.StatementLines.AsNoTracking()
                .Where(l => (bank == null || l.Bank == bank) && (accountId == null || l.AccountId == accountId)
                            && (group == null || group.Contains(l.AccountId))
                            && !on.LineDecisions.Any(r => r.StatementLineId == l.Id));
            if (after is { } a)
                query = query.Where(l => l.BookingDate > a.Date || l.BookingDate == a.Date && (l.FileLine > a.FileLine || l.FileLine == a.FileLine && l.Id.CompareTo(a.Id) > 0));
            var batch = await query.OrderBy(l => l.BookingDate).ThenBy(l => l.FileLine).ThenBy(l => l.Id).Take(BatchSize).ToListAsync(ct);
            if (batch.Count == 0) break;
            after = (batch[^1].BookingDate, batch[^1].FileLine, batch[^1].Id);
            // Credits first, all at once; then the few reversals, one by one, so that a reversal finds its credit applied.
            var outcomes = await new BatchDecider(on, clock, actor, accounts, prefix)
                .DecideAsync(batch.Where(l => !(l.Direction == "debit" && l.Reversal)).ToList(), ct);
            foreach (var line in batch.Where(l => l.Direction == "debit" && l.Reversal))
                outcomes[line.Id] = await DecideReversalAsync(on, line, ct);
            add(outcomes.Values.Where(o => o != "skipped").GroupBy(o => o).ToDictionary(g => g.Key, g => g.Count()), batch.Count == BatchSize);
            on.ChangeTracker.Clear();
        }
    }

    /// <summary>A credit taken back: undone only when the credit it names came to the same account for the same amount;
    /// otherwise the line waits for a person.</summary>
    private async Task<string> DecideReversalAsync(FeesDb db, StatementLineRow line, CancellationToken ct)
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
