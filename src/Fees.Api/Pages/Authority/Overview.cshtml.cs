using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TdmEdu.Fees.Api.Application.Reports;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Web;
using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Api.Pages.Authority;

/// <summary>
/// The education office's view of a month, for the whole authority or one ward (?phuong=): the month beside last month
/// and last year, wards (or a ward's schools) ranked, the rows of a grouping, the schools needing attention, what is
/// owed and waiting, receipt gaps; each figure leads to the rows behind it. Read from the summary tables
/// (<see cref="CollectionSummary"/>): the same figures as `report collection`.
/// </summary>
public sealed class OverviewModel(CollectionSummary summary, Ageing ageing, BusinessClock clock, Lang lang, Application.Receipts.TaxOfficeBacklog backlog) : PageModel
{
    public static readonly string[] Groupings = ["ward", "school", "level", "item"];

    [BindProperty(SupportsGet = true)] public string? By { get; set; }
    [BindProperty(SupportsGet = true, Name = "phuong")] public string? Ward { get; set; }
    public Dashboard View { get; private set; } = null!;
    public List<CollectionReport.Row> Rows { get; private set; } = [];
    /// <summary>Wards ranked by rate (the whole authority), or the ward's schools.</summary>
    public List<CollectionReport.Row> Ranked { get; private set; } = [];
    public List<Attention> Attention { get; private set; } = [];
    /// <summary>Schools whose signed receipts the tax office has not accepted 72 hours on, or whose documents cannot be sent.</summary>
    public List<Application.Receipts.TaxOfficeBacklog.School> NotAccepted { get; private set; } = [];
    /// <summary>Whether a school has closed the month, so that the open data has it.</summary>
    public bool Published { get; private set; }
    public string Period => View.Month.ToString();

    public async Task<IActionResult> OnGetAsync(string? period, string? thang, string? nam, CancellationToken ct)
    {
        if (Pickers.Chosen(thang, nam) is { } chosen) return LocalRedirect(Link(chosen));
        if (await LoadAsync(period, forPage: true, ct) is { } problem) return problem;
        return Page();
    }

    /// <summary>What the page shows, as a workbook: the grouping's rows, the months of the school year, both ageings; headers in the page's language.</summary>
    public async Task<IActionResult> OnGetXlsxAsync(string? period, CancellationToken ct)
    {
        if (await LoadAsync(period, forPage: false, ct) is { } problem) return problem;
        var bytes = await Workbook.BuildAsync(lang, this, ct);
        var name = Files.HeaderMap.Fold($"{lang["sx-file"]} {Period} {Ward} {lang["sx-by-" + By]}").Replace(' ', '-') + ".xlsx";
        return File(bytes, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name);
    }

    /// <summary>What the view shows; the workbook (<paramref name="forPage"/> false) needs neither the ranking, the list needing attention nor the open data's links.</summary>
    private async Task<IActionResult?> LoadAsync(string? period, bool forPage, CancellationToken ct)
    {
        if (Ward is { Length: 0 }) Ward = null;
        By = Groupings.Contains(By) ? By : DefaultBy;
        BillingMonth month;
        if (period is null) month = (await summary.PeriodsAsync(ct)).Select(BillingMonth.FromKey).FirstOrDefault(BillingMonth.Of(clock.Today));
        else if (!BillingMonth.TryParse(period, out month)) return NotFound();
        var scope = new SummaryScope(Ward);
        View = await Dashboard.LoadAsync(summary, ageing, clock.Today, month, scope, ct);
        if (Ward is not null && !View.Schools.Any(s => s.Ward == Ward)) return NotFound();
        Rows = await summary.RowsAsync(month.Key, month.Key, By!, scope, ct);
        if (!forPage) return null;
        Ranked = (Ward is null ? await summary.RowsAsync(month.Key, month.Key, "ward", scope, ct) : View.SchoolRows.Where(r => View.School(r.Scope)?.Ward == Ward))
            .Where(r => r.AmountDue > 0).OrderByDescending(r => r.Collected / (decimal)r.AmountDue).ThenBy(r => r.Scope, StringComparer.Ordinal).ToList();
        Attention = View.AttentionList(lang);
        NotAccepted = await backlog.LoadAsync(View.Schools.Where(s => Ward is null || s.Ward == Ward).Select(s => s.Code).ToList(), clock.Now, ct);
        Published = (await summary.PublishedAsync(ct)).Any(p => p.PeriodKey == month.Key);
        return null;
    }

    /// <summary>The grouping shown when none is asked for: wards for the whole authority, schools within a ward.</summary>
    private string DefaultBy => Ward is null ? "ward" : "school";

    /// <summary>The grouping asked for, or none when it is the default (the addresses stay short).</summary>
    public string? ChosenBy => By == DefaultBy ? null : By;

    /// <summary>This view for another month (the grouping and the ward kept).</summary>
    public string Link(BillingMonth month) => Link(month, Ward, ChosenBy);

    public static string Link(BillingMonth month, string? ward, string? by = null)
    {
        var query = new List<string>();
        if (ward is not null) query.Add("phuong=" + Uri.EscapeDataString(ward));
        if (by is not null) query.Add("by=" + by);
        return $"/so/{month}" + (query.Count == 0 ? "" : "?" + string.Join("&", query));
    }

    /// <summary>Where a row of the grouping leads: a ward to its schools, a school to its month.</summary>
    public string? RowLink(CollectionReport.Row r) => By switch
    {
        "ward" => Link(View.Month, r.Scope),
        "school" => SchoolModel.Link(View.Month, r.Scope),
        _ => null,
    };

    public bool FarBelow(CollectionReport.Row r) => By == "school" && View.FarBelow(r);
}
