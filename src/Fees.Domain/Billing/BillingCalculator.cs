using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Domain.Billing;

/// <summary>A policy group a student belongs to, valid until the given day (inclusive) or without end, and the document that proves it.</summary>
public sealed record PolicyMembership(string PolicyCode, DateOnly? ValidUntil, string? Evidence = null)
{
    /// <summary>A membership counts for a month when it is still valid on the month's first day.</summary>
    public bool IsValidFor(BillingMonth month) => ValidUntil is null || ValidUntil.Value >= month.FirstDay;
}

/// <summary>What billing needs to know about a student: where they sit, when they joined, what they chose.</summary>
public sealed record StudentBillingProfile(
    string SchoolCode,
    SchoolLevel Level,
    int Grade,
    string ClassName,
    DateOnly? EnrolledOn,
    IReadOnlyList<PolicyMembership> Policies,
    IReadOnlyList<string> OptionalItems,
    IReadOnlyDictionary<string, int>? SupportMonthsUsed = null,
    DateOnly? LeftOn = null,
    IReadOnlyList<ClassMove>? Moves = null)
{
    /// <summary>
    /// The pupil's time in a month, split where they changed class: from the later of the month's first day and the day
    /// they joined, to the earlier of its last day and the day they left; empty when they were not in it at all.
    /// </summary>
    public IReadOnlyList<Stint> StintsIn(BillingMonth month)
    {
        var from = EnrolledOn is { } e && e > month.FirstDay ? e : month.FirstDay;
        var to = LeftOn is { } l && l < month.LastDay ? l : month.LastDay;
        if (from > to) return [];
        // Moves after the first day, in order: the class before each is the one the pupil sat in until then.
        var later = (Moves ?? []).Where(m => m.On > from).OrderBy(m => m.On).ToList();
        var stints = new List<Stint>();
        for (var i = 0; i <= later.Count && from <= to; i++)
        {
            var (grade, cls) = i < later.Count ? (later[i].FromGrade, later[i].FromClass) : (Grade, ClassName);
            var end = i < later.Count && later[i].On.AddDays(-1) < to ? later[i].On.AddDays(-1) : to;
            if (from <= end) stints.Add(new Stint(from, end, grade, cls));
            from = end.AddDays(1);
        }
        return stints;
    }
}

/// <summary>
/// One line of a fee notice, with the reduction that applied and why. <see cref="AdjustVnd"/> is what an
/// earlier month's correction took off the line (a refund of days not eaten; negative when it adds back);
/// <see cref="AmountVnd"/> is what the line bills after both.
/// </summary>
public sealed record NoticeLineDraft(
    int LineNo,
    string ItemCode,
    string ItemName,
    FeeKind Kind,
    int Quantity,
    long UnitPriceVnd,
    long GrossVnd,
    int ReductionPercent,
    string? ReductionPolicy,
    long AmountVnd,
    long AdjustVnd = 0,
    int AdjustDays = 0,
    string? LegalBasis = null,
    long SupportVnd = 0,
    string? SupportCode = null,
    string? SupportBasis = null,
    string? ReductionBasis = null,
    SupportTerms? Support = null,
    PartMonthRule? Part = null,
    int? DaysIn = null,
    int? DaysOf = null)
{
    /// <summary>What the reduction took off the gross.</summary>
    public long ReductionVnd => GrossVnd - AmountVnd - AdjustVnd - SupportVnd;
}

/// <summary>
/// The terms of the support a line got, as they stood when it was billed (a later schedule may change them): a percent
/// of what was left, or an amount a month shared over the notice's lines; at most so many months a year; the pupil's
/// evidence for the claim.
/// </summary>
public sealed record SupportTerms(int Percent, long? MonthVnd, int? MaxMonths, string? Evidence);

public sealed record NoticeDraft(BillingMonth Month, DateOnly DueDate, IReadOnlyList<NoticeLineDraft> Lines)
{
    public long AmountDueVnd => Lines.Sum(l => l.AmountVnd);
    public long GrossVnd => Lines.Sum(l => l.GrossVnd);
    public long ReductionVnd => Lines.Sum(l => l.ReductionVnd);
    public long AdjustVnd => Lines.Sum(l => l.AdjustVnd);
    public long SupportVnd => Lines.Sum(l => l.SupportVnd);
}

/// <summary>Why a student gets no notice for a month; null when they get one.</summary>
public enum NotBilledReason { NotABillingMonth, NotYetEnrolled, NothingApplies, Left }

/// <summary>
/// Decides every amount of a notice from the schedule: which items apply, how many units, and the reduction.
/// For each reducible line the highest percent among the student's valid policy groups that name the item
/// (or "*") applies; benefits never stack; the charge is floor(gross × (100 − percent) / 100).
/// </summary>
public static class BillingCalculator
{
    public static NoticeDraft? Compute(FeeSchedule schedule, StudentBillingProfile student, BillingMonth month, out NotBilledReason? reason)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(student);

        if (!schedule.BillsMonth(month.Month) || SchoolYear.Containing(month) != schedule.SchoolYear)
        {
            reason = NotBilledReason.NotABillingMonth;
            return null;
        }
        if (student.EnrolledOn is { } enrolled && BillingMonth.Of(enrolled) > month)
        {
            reason = NotBilledReason.NotYetEnrolled;
            return null;
        }
        var stints = student.StintsIn(month);
        // A pupil in the month for no school day at all (joined on its last Saturday, left on its first Sunday) is not in it.
        if (stints.Sum(t => SchoolDays.Count(t.From, t.To, saturdays: false)) == 0) stints = [];
        if (stints.Count == 0)
        {
            reason = student.LeftOn is { } left && BillingMonth.Of(left) <= month ? NotBilledReason.Left : NotBilledReason.NotYetEnrolled;
            return null;
        }
        var wholeMonth = month.LastDay.DayNumber - month.FirstDay.DayNumber + 1;

        var validPolicies = student.Policies
            .Where(m => m.IsValidFor(month))
            .Select(m => schedule.FindPolicy(m.PolicyCode))
            .OfType<PolicyGroup>()
            .ToList();

        var lines = new List<NoticeLineDraft>();
        foreach (var item in schedule.Items)
        {
            // An item billed whole whatever the days follows the pupil's class at the month's end, as billing always did; a
            // part-month item, the days of each class whose scope it covers.
            var inScope = stints.Where(t => item.Scope.Includes(student.SchoolCode, student.Level, t.Grade, t.ClassName)).ToList();
            if (item.PartMonth == PartMonthRule.Full && !item.Scope.Includes(student.SchoolCode, student.Level, stints[^1].Grade, stints[^1].ClassName)) continue;
            if (inScope.Count == 0) continue;
            if (item.Kind == FeeKind.Voluntary
                && !student.OptionalItems.Contains(item.Code, StringComparer.OrdinalIgnoreCase)) continue;

            var quantity = item.Unit switch
            {
                FeeUnit.Month => 1,
                FeeUnit.Day => item.SchoolDaysByMonth.GetValueOrDefault(month.Month),
                FeeUnit.Once => item.OnceInMonths.Contains(month.Month) ? 1 : 0,
                _ => throw new InvalidOperationException($"Unknown unit {item.Unit}."),
            };
            if (quantity == 0) continue;

            var price = item.AmountFor(month);
            var gross = new Money.Money(price) * quantity;
            (PartMonthRule? part, int? daysIn, int? daysOf) = (null, null, null);
            if (item.PartMonth != PartMonthRule.Full && inScope.Sum(t => t.To.DayNumber - t.From.DayNumber + 1) < wholeMonth)
            {
                var saturdays = item.Unit == FeeUnit.Day && quantity > SchoolDays.Weekdays(month);
                var of = SchoolDays.Count(month.FirstDay, month.LastDay, saturdays);
                var days = inScope.Sum(t => SchoolDays.Count(t.From, t.To, saturdays));
                if (days < of)
                {
                    (part, daysIn, daysOf) = (item.PartMonth, days, of);
                    if (item.Unit == FeeUnit.Day) quantity = Math.Min(quantity, days);
                    gross = item.Unit == FeeUnit.Day ? new Money.Money(price) * quantity
                        : item.PartMonth == PartMonthRule.Days ? new Money.Money(price * days / of)
                        : days * 2 < of ? new Money.Money(price / 2) : gross;
                    if (gross.Dong == 0) continue;
                }
            }
            PolicyGroup? best = null;
            if (item.Reducible)
            {
                best = validPolicies.Where(p => p.Kind == PolicyKind.Reduction && p.Covers(item.Code))
                    .OrderByDescending(p => p.Percent)
                    .ThenBy(p => p.Code, StringComparer.Ordinal)
                    .FirstOrDefault();
            }
            var percent = best?.Percent ?? 0;
            var net = gross.AfterReduction(percent);
            lines.Add(new NoticeLineDraft(lines.Count + 1, item.Code, item.Name, item.Kind, quantity, price,
                gross.Dong, percent, percent > 0 ? best!.Code : null, net.Dong, LegalBasis: item.LegalBasis, ReductionBasis: percent > 0 ? best!.LegalBasis : null,
                Part: part, DaysIn: daysIn, DaysOf: daysOf));
        }
        ApplySupport(schedule, student, validPolicies, lines);

        if (lines.Count == 0)
        {
            reason = NotBilledReason.NothingApplies;
            return null;
        }
        reason = null;
        return new NoticeDraft(month, month.DueDate(schedule.DueDay), lines);
    }

    /// <summary>
    /// What the state pays in the family's place, on what is left after the reduction: each support the pupil holds
    /// (in the schedule's order, while it has months left this school year) on the lines it covers, one support a
    /// line. A fixed amount is spent line by line in order; a percent is floor(left × percent / 100).
    /// </summary>
    private static void ApplySupport(FeeSchedule schedule, StudentBillingProfile student, List<PolicyGroup> valid, List<NoticeLineDraft> lines)
    {
        var used = student.SupportMonthsUsed ?? new Dictionary<string, int>();
        foreach (var s in schedule.Policies.Where(p => p.Kind == PolicyKind.Support && valid.Contains(p)))
        {
            if (s.MaxMonths is { } max && used.GetValueOrDefault(s.Code) >= max) continue;
            var left = s.SupportVnd;
            var terms = new SupportTerms(s.SupportVnd is null ? s.Percent : 0, s.SupportVnd, s.MaxMonths,
                student.Policies.FirstOrDefault(m => string.Equals(m.PolicyCode, s.Code, StringComparison.OrdinalIgnoreCase))?.Evidence);
            for (var i = 0; i < lines.Count && left is not 0; i++)
            {
                var l = lines[i];
                if (l.SupportCode is not null || l.AmountVnd == 0 || !s.Supports(l.ItemCode, l.Kind)) continue;
                var give = left is { } cap ? Math.Min(cap, l.AmountVnd) : l.AmountVnd * s.Percent / 100;
                if (give <= 0) continue;
                lines[i] = l with { AmountVnd = l.AmountVnd - give, SupportVnd = give, SupportCode = s.Code, SupportBasis = s.LegalBasis, Support = terms };
                if (left is not null) left -= give;
            }
        }
    }
}
