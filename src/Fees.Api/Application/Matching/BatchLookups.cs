using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Domain.Notices;
using TdmEdu.Fees.Domain.Students;
using TdmEdu.Fees.Reconciliation.Matching;

namespace TdmEdu.Fees.Api.Application.Matching;

/// <summary>What a credit gives the engine to look up: its text, a virtual account, a bank's customer code.</summary>
internal sealed record CreditClues(Guid AccountId, string? Content, string? VirtualAccount, string? CustomerId);

/// <summary>
/// The engine's look-ups for many credits at once (statement lines of a batch, bank calls of an account): every pupil
/// any of them names is read in one query, and the suggestion clues in a few more, only for the credits that got that far.
/// </summary>
internal static class BatchLookups
{
    /// <summary>One look-up context per school account, holding the students named by any code of the credits.</summary>
    public static async Task<Dictionary<Guid, BatchContext>> ContextsAsync(FeesDb db, IReadOnlyDictionary<Guid, SchoolBankAccount> accounts, string prefix,
        IReadOnlyCollection<CreditClues> credits, CancellationToken ct)
    {
        // Valid codes, and the codes one slip from a code-like token the matcher may suggest.
        var codes = credits.SelectMany(l => PaymentCodeExtractor.Extract(l.Content, prefix)).Select(c => c.Value)
            .Concat(credits.SelectMany(l => NearMiss.Codes(l.Content, prefix)).Select(n => n.PaymentCode))
            .Concat(credits.Where(l => l.VirtualAccount is not null)
                .Select(l => StudentIdentifier.FromVirtualAccount(l.VirtualAccount!, accounts[l.AccountId], prefix)).OfType<string>())
            .Concat(credits.Where(l => l.CustomerId is { Length: > 0 }).Select(l => PaymentCode.TryParse(l.CustomerId!, prefix)?.Value).OfType<string>())
            .Distinct().ToList();
        var students = codes.Count == 0 ? []
            : (await StudentIdentifier.FactsOf(db, db.Students.AsNoTracking().Where(s => codes.Contains(s.PaymentCode))).ToListAsync(ct))
                .ToDictionary(f => f.PaymentCode);
        return credits.Select(l => l.AccountId).Distinct()
            .ToDictionary(id => id, id => new BatchContext(accounts[id], prefix, students));
    }

    /// <summary>What suggestions rest on, for the schools and clues the first pass asked about, read in a few queries.</summary>
    public static async Task LoadSuggestionCluesAsync(FeesDb db, List<BatchContext> contexts, CancellationToken ct)
    {
        var schools = contexts.Select(c => c.SchoolId).Distinct().ToList();
        var amounts = contexts.SelectMany(c => c.AskedAmounts).Distinct().ToList();
        var payers = contexts.SelectMany(c => c.AskedPayers).Distinct().ToList();
        var candidates = amounts.Count == 0 ? []
            : await db.Notices.AsNoTracking()
                .Where(n => schools.Contains(n.SchoolId) && (n.Status == NoticeStatus.Issued || n.Status == NoticeStatus.PartiallyPaid)
                            && amounts.Contains(n.AmountDueVnd - n.AmountPaidVnd))
                .Select(n => new AmountCandidate(n.SchoolId, n.AmountDueVnd - n.AmountPaidVnd, n.StudentId, n.IssuedAt, n.DueDate)).ToListAsync(ct);
        var history = payers.Count == 0 ? [] : await StudentIdentifier.PayerHistory(db, payers).ToListAsync(ct);
        // Names are looked for in the whole school's roster; the other clues need only the students they name.
        var named = contexts.Where(c => c.AskedNames).Select(c => c.SchoolId).ToList();
        var ids = candidates.Select(c => c.StudentId).Concat(history.Select(h => h.StudentId)).Distinct().ToList();
        var facts = await StudentIdentifier.FactsOf(db, db.Students.AsNoTracking().Where(s => ids.Contains(s.Id) || named.Contains(s.SchoolId))).ToListAsync(ct);
        var byId = facts.ToDictionary(f => f.Id);
        foreach (var c in contexts)
        {
            c.Candidates = candidates.Where(x => x.SchoolId == c.SchoolId).ToLookup(x => x.Amount);
            c.Payers = history.Where(h => byId.TryGetValue(h.StudentId, out var f) && f.SchoolId == c.SchoolId)
                .ToLookup(h => h.Payer, h => StudentIdentifier.ToFacts(byId[h.StudentId]));
            c.Facts = byId;
            c.Names = new NameIndex(facts.Where(f => f.SchoolId == c.SchoolId).Select(StudentIdentifier.ToFacts));
        }
    }

    /// <summary>
    /// Decides every credit against its account's context: a first pass, then, if the engine asked for suggestion clues,
    /// the clues read for all at once and the credits that were not sure decided again.
    /// </summary>
    public static async Task<List<MatchDecision>> DecideAsync(FeesDb db, Dictionary<Guid, BatchContext> contexts, IReadOnlyList<(Guid AccountId, LineFacts Facts)> credits,
        CancellationToken ct)
    {
        var verdicts = credits.Select(c => Matcher.Decide(c.Facts, contexts[c.AccountId])).ToList();
        if (!contexts.Values.Any(c => c.Asked)) return verdicts;
        await LoadSuggestionCluesAsync(db, contexts.Values.Where(c => c.Asked).ToList(), ct);
        return verdicts.Select((v, i) => v.Outcome is MatchOutcome.Unmatched or MatchOutcome.Suggested
            ? Matcher.Decide(credits[i].Facts, contexts[credits[i].AccountId]) : v).ToList();
    }
}
