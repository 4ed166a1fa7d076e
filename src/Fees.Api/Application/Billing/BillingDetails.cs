using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Domain.Billing;
using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Api.Application.Billing;

/// <summary>One fee item over a billing run: how many notices carry it, gross, reduction and what is billed.</summary>
public sealed record ItemTotal(string ItemCode, string ItemName, int Lines, long GrossVnd, long ReductionVnd, long RefundVnd, long AmountDueVnd, long SupportVnd = 0);

/// <summary>
/// What the accountant checks before issuing: totals per item, the school days the per-day items (meals) count, how
/// many pupils get a reduction, and the warnings: pupils whose guardian has neither phone nor e-mail (nobody will be
/// told), and reductions whose evidence runs out before the next month is billed.
/// </summary>
public sealed record BillingDetails(DateOnly? DueDate, IReadOnlyList<ItemTotal> Items, IReadOnlyList<(string Item, int Days)> SchoolDays,
    int WithReductions, int NoContact, int EvidenceExpiring)
{
    public static async Task<BillingDetails> OfAsync(FeesDb db, FeeSchedule schedule, BillingMonth month, DateOnly? dueDate,
        IReadOnlyList<(Guid StudentId, StudentBillingProfile Profile, NoticeDraft Draft)> drafts, CancellationToken ct)
    {
        var items = drafts.SelectMany(d => d.Draft.Lines)
            .GroupBy(l => (l.ItemCode, l.ItemName))
            .Select(g => new ItemTotal(g.Key.ItemCode, g.Key.ItemName, g.Count(), g.Sum(l => l.GrossVnd), g.Sum(l => l.ReductionVnd), g.Sum(l => l.AdjustVnd), g.Sum(l => l.AmountVnd), g.Sum(l => l.SupportVnd)))
            .OrderBy(t => schedule.Items.ToList().FindIndex(i => i.Code == t.ItemCode))
            .ToList();
        var days = schedule.Items.Where(i => i.Unit == FeeUnit.Day && items.Any(t => t.ItemCode == i.Code))
            .Select(i => (i.Name, i.SchoolDaysByMonth.GetValueOrDefault(month.Month))).ToList();
        var reduced = drafts.Count(d => d.Draft.Lines.Any(l => l.ReductionPercent > 0));
        // Evidence still valid this month but gone before the next month's first day.
        var nextFirst = month.FirstDay.AddMonths(1);
        var expiring = drafts.Count(d => d.Profile.Policies.Any(p => p.IsValidFor(month) && p.ValidUntil is { } until && until < nextFirst));
        var ids = drafts.Select(d => d.StudentId).ToArray();
        var noContact = ids.Length == 0 ? 0 : await (from s in db.Students.AsNoTracking()
                                                     where ids.Contains(s.Id)
                                                     join g in db.Guardians on s.GuardianId equals g.Id into gg
                                                     from g in gg.DefaultIfEmpty()
                                                     where g == null || (g.Phone == null && g.Email == null)
                                                     select s.Id).CountAsync(ct);
        return new BillingDetails(dueDate, items, days, reduced, noContact, expiring);
    }
}
