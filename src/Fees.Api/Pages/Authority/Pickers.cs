using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Api.Pages.Authority;

/// <summary>
/// The month and school-year pickers: a GET form without script (thang=yyyy-MM, nam=yyyy-yyyy). A school year chosen
/// with a month of another year means that month's name in the chosen year; a year alone, its September.
/// </summary>
public static class Pickers
{
    public static BillingMonth? Chosen(string? thang, string? nam)
    {
        var hasMonth = BillingMonth.TryParse(thang, out var month);
        if (SchoolYear.TryParse(nam, out var year) && (!hasMonth || SchoolYear.Containing(month) != year))
            return year.MonthOf(hasMonth ? month.Month : 9);
        return hasMonth ? month : null;
    }

    /// <summary>The months offered: those of the shown school year that have notices, and the month shown.</summary>
    public static List<BillingMonth> MonthsOf(Dashboard view) =>
        view.Months.Where(m => SchoolYear.Containing(m) == view.Year).Append(view.Month).Distinct().Order().ToList();

    /// <summary>The school years offered: those with notices, and the one shown, newest first.</summary>
    public static List<SchoolYear> YearsOf(Dashboard view) =>
        view.Months.Select(SchoolYear.Containing).Append(view.Year).Distinct().OrderByDescending(y => y.StartYear).ToList();
}
