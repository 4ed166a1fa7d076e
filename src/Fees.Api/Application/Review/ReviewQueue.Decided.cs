using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Persistence;

namespace TdmEdu.Fees.Api.Application.Review;

/// <summary>The decisions in force that the review page offers to undo or move.</summary>
public sealed partial class ReviewQueue
{
    /// <summary>The school's subjects with a decision in force, latest first: what the page offers to undo or move.</summary>
    public async Task<List<DecidedItem>> DecidedAsync(string schoolCode, int take = 100, CancellationToken ct = default)
    {
        var accounts = await (from a in db.BankAccounts.AsNoTracking() join sc in db.Schools.AsNoTracking() on a.SchoolId equals sc.Id
                              where sc.Code == schoolCode select a.Id).ToListAsync(ct);
        var decisions = await (from d in db.ReviewDecisions.AsNoTracking()
                               where db.StatementLines.Any(l => l.Id == d.StatementLineId && accounts.Contains(l.AccountId))
                                     || db.Unidentified.Any(u => u.Id == d.ParkedId && accounts.Contains(u.AccountId))
                                     || db.Inbox.Any(m => m.Id == d.InboxId && accounts.Contains(m.AccountId))
                               select d).ToListAsync(ct);
        var active = DecisionsInForce.Of(decisions);
        // Money the bank took back after it was decided leaves nothing to undo or move: not offered.
        var paid = active.Values.SelectMany(PaymentsOf).ToList();
        var takenBack = await ReversedAmongAsync(paid, ct);
        foreach (var gone in active.Where(a => PaymentsOf(a.Value).Any(takenBack.Contains)).Select(a => a.Key).ToList()) active.Remove(gone);
        var studentIds = active.Values.SelectMany(StudentsOf).Distinct().ToList();
        // The code and the full name of each pupil: the page shows the name beside every code.
        var codes = await db.Students.AsNoTracking().Where(s => studentIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => $"{s.StudentCode} {s.FullName}", ct);
        var items = new List<DecidedItem>();
        foreach (var d in active.Values.OrderByDescending(d => d.At).Take(take))
        {
            var s = await Subjects.LoadAsync(d.StatementLineId is not null ? "line" : d.ParkedId is not null ? "parked" : "call", d.SubjectId, ct);
            var who = d.Parts is { } parts
                ? string.Join(", ", JsonDocument.Parse(parts).RootElement.EnumerateArray()
                    .Select(e => $"{codes.GetValueOrDefault(e.GetProperty("student_id").GetGuid())} ({Money(e.GetProperty("amount_vnd").GetInt64())})"))
                : d.StudentId is { } one ? codes.GetValueOrDefault(one, "") : "";
            items.Add(new DecidedItem(s.ShortId, s.Bank, s.Date, s.AmountVnd, s.Content, d.Id, d.Action, who, d.PaymentId is not null, d.Reason, d.Actor, d.At));
        }
        return items;
    }

    private static List<Guid> PaymentsOf(ReviewDecision d) => d.Parts is { } parts
        ? JsonDocument.Parse(parts).RootElement.EnumerateArray().Select(e => e.GetProperty("payment_id").GetGuid()).ToList()
        : d.PaymentId is { } single ? [single] : [];

    private static IEnumerable<Guid> StudentsOf(ReviewDecision d) => d.Parts is { } parts
        ? JsonDocument.Parse(parts).RootElement.EnumerateArray().Select(e => e.GetProperty("student_id").GetGuid()).ToList()
        : d.StudentId is { } one ? [one] : [];
}
