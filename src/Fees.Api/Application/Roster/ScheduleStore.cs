using System.Globalization;
using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Domain.Billing;
using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Api.Application.Roster;

/// <summary>Turns stored schedule rows back into the domain's <see cref="FeeSchedule"/>.</summary>
public static class ScheduleStore
{
    public static async Task<FeeSchedule?> LoadAsync(FeesDb db, SchoolYear year, CancellationToken ct = default)
    {
        var row = await db.Schedules.AsNoTracking().Include(s => s.Items).Include(s => s.Policies)
            .SingleOrDefaultAsync(s => s.StartYear == year.StartYear, ct);
        return row is null ? null : ToDomain(row);
    }

    /// <summary>The most recent school year with a schedule: the one a roster import checks codes against.</summary>
    public static async Task<FeeSchedule?> LoadLatestAsync(FeesDb db, CancellationToken ct = default)
    {
        var year = await db.Schedules.OrderByDescending(s => s.StartYear).Select(s => (int?)s.StartYear).FirstOrDefaultAsync(ct);
        return year is null ? null : await LoadAsync(db, new SchoolYear(year.Value), ct);
    }

    public static FeeSchedule ToDomain(ScheduleRow row) => new(
        new SchoolYear(row.StartYear),
        row.Months,
        row.DueDay,
        row.Items.Where(i => i.Active).OrderBy(i => i.Position).Select(i => new FeeItem(
            i.Code, i.Name, Enum.Parse<FeeKind>(i.Kind), Enum.Parse<FeeUnit>(i.Unit), i.AmountVnd,
            new FeeScope(i.ScopeSchools, i.ScopeLevels.Select(Enum.Parse<SchoolLevel>).ToList(), i.ScopeGrades, i.ScopeClasses),
            i.Reducible, i.LegalBasis, ParseDays(i.SchoolDays), i.OnceMonths,
            i.RefundFromDay is { } from ? new AbsenceRefundRule(from, i.RefundWithoutNotice) : null, i.CeilingCode, ParsePrices(i.PriceChanges), Enum.Parse<PartMonthRule>(i.PartMonth, ignoreCase: true))).ToList(),
        row.Policies.Where(p => p.Active).OrderBy(p => p.Position)
            .Select(p => new PolicyGroup(p.Code, p.Name, p.Percent, p.Items, p.LegalBasis,
                p.Kind == "support" ? PolicyKind.Support : PolicyKind.Reduction, p.SupportVnd, p.MaxMonths)).ToList());

    public static FeeItemRow ToRow(FeeItem item, int position) => new()
    {
        Position = position,
        Code = item.Code,
        Name = item.Name,
        Kind = item.Kind.ToString(),
        Unit = item.Unit.ToString(),
        AmountVnd = item.AmountVnd,
        Reducible = item.Reducible,
        LegalBasis = item.LegalBasis,
        ScopeSchools = item.Scope.Schools.ToArray(),
        ScopeLevels = item.Scope.Levels.Select(l => l.ToString()).ToArray(),
        ScopeGrades = item.Scope.Grades.ToArray(),
        ScopeClasses = item.Scope.Classes.ToArray(),
        SchoolDays = string.Join(',', item.SchoolDaysByMonth.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key}:{kv.Value}")),
        OnceMonths = item.OnceInMonths.ToArray(),
        RefundFromDay = item.AbsenceRefund?.FromDay,
        RefundWithoutNotice = item.AbsenceRefund?.WithoutNotice ?? false,
        CeilingCode = item.CeilingCode,
        PriceChanges = string.Join(',', (item.PriceChanges ?? []).OrderBy(c => c.From).Select(c => $"{c.From.Key}:{c.AmountVnd}")),
        PartMonth = item.PartMonth.ToString().ToLowerInvariant(),
        Active = true,
    };

    public static bool SameItem(FeeItemRow a, FeeItemRow b) =>
        a.Position == b.Position && a.Code == b.Code && a.Name == b.Name && a.Kind == b.Kind && a.Unit == b.Unit
        && a.AmountVnd == b.AmountVnd && a.Reducible == b.Reducible && a.LegalBasis == b.LegalBasis
        && a.ScopeSchools.SequenceEqual(b.ScopeSchools) && a.ScopeLevels.SequenceEqual(b.ScopeLevels)
        && a.ScopeGrades.SequenceEqual(b.ScopeGrades) && a.ScopeClasses.SequenceEqual(b.ScopeClasses)
        && a.SchoolDays == b.SchoolDays && a.OnceMonths.SequenceEqual(b.OnceMonths) && a.Active == b.Active
        && a.RefundFromDay == b.RefundFromDay && a.RefundWithoutNotice == b.RefundWithoutNotice && a.CeilingCode == b.CeilingCode
        && a.PriceChanges == b.PriceChanges && a.PartMonth == b.PartMonth;

    public static void CopyItem(FeeItemRow from, FeeItemRow to)
    {
        to.Position = from.Position; to.Code = from.Code; to.Name = from.Name; to.Kind = from.Kind; to.Unit = from.Unit;
        to.AmountVnd = from.AmountVnd; to.Reducible = from.Reducible; to.LegalBasis = from.LegalBasis;
        to.ScopeSchools = from.ScopeSchools; to.ScopeLevels = from.ScopeLevels; to.ScopeGrades = from.ScopeGrades;
        to.ScopeClasses = from.ScopeClasses; to.SchoolDays = from.SchoolDays; to.OnceMonths = from.OnceMonths; to.Active = true;
        to.RefundFromDay = from.RefundFromDay; to.RefundWithoutNotice = from.RefundWithoutNotice; to.CeilingCode = from.CeilingCode;
        to.PriceChanges = from.PriceChanges; to.PartMonth = from.PartMonth;
    }

    private static List<PriceChange>? ParsePrices(string text) => text.Length == 0 ? null : text.Split(',')
        .Select(p => p.Split(':'))
        .Select(p => new PriceChange(BillingMonth.FromKey(int.Parse(p[0], CultureInfo.InvariantCulture)), long.Parse(p[1], CultureInfo.InvariantCulture))).ToList();

    private static Dictionary<int, int> ParseDays(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split(':'))
            .ToDictionary(p => int.Parse(p[0], CultureInfo.InvariantCulture), p => int.Parse(p[1], CultureInfo.InvariantCulture));
}
