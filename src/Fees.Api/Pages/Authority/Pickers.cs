using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Api.Pages.Authority;

/// <summary>
/// The month and school-year pickers: a GET form without script (thang=yyyy-MM, nam=yyyy-yyyy). A school year chosen
/// with a month of another year means that month's name in the chosen year; a year alone, its September.
/// </summary>
public static class Pickers
{
    /// <summary>The pickers of a view: where the form goes, the ward and grouping it keeps, and each month's address for previous and next.</summary>
    public sealed record Form(Dashboard View, string Action, string? Ward, string? By, Func<BillingMonth, string> Href)
    {
        /// <summary>The nearest month with notices before the one shown (the months are newest first).</summary>
        public BillingMonth? Previous => View.Months.Where(m => m < View.Month).Select(m => (BillingMonth?)m).FirstOrDefault();

        public BillingMonth? Next => View.Months.Where(m => m > View.Month).Select(m => (BillingMonth?)m).LastOrDefault();
    }

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
