using Microsoft.EntityFrameworkCore;

namespace TdmEdu.Fees.Api.Persistence;

/// <summary>
/// Which review decision counts for a subject: decisions are never edited, an "undo" is a new decision that
/// names the one it undoes, so the one in force is the latest that is neither an undo nor undone. Read by the
/// review queue and by the bank-credit rules (is parked money still parked?), so it lives below both.
/// </summary>
public static class DecisionsInForce
{
    public static async Task<ReviewDecision?> OfAsync(FeesDb db, Guid subjectId, CancellationToken ct) =>
        Of(await db.ReviewDecisions.AsNoTracking()
            .Where(d => d.StatementLineId == subjectId || d.ParkedId == subjectId || d.InboxId == subjectId).ToListAsync(ct)).GetValueOrDefault(subjectId);

    /// <summary>The decision in force per subject, from all decisions of those subjects.</summary>
    public static Dictionary<Guid, ReviewDecision> Of(List<ReviewDecision> all)
    {
        var undone = all.Where(d => d.UndoesDecisionId is not null).Select(d => d.UndoesDecisionId!.Value).ToHashSet();
        return all.Where(d => d.Action != "undo" && !undone.Contains(d.Id)).GroupBy(d => d.SubjectId)
            .ToDictionary(g => g.Key, g => g.OrderBy(d => d.At).ThenBy(d => d.Id).Last());
    }
}

/// <summary>
/// The lock under which one review subject is decided: a person's decision and a bank taking the same money back
/// take turns on it, and whichever comes second reads what the first did.
/// </summary>
public static class ReviewLock
{
    /// <summary>Held until the caller's transaction ends.</summary>
    public static Task TakeAsync(FeesDb db, Guid subjectId, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtext({"fees.review:" + subjectId}))", ct);
}
