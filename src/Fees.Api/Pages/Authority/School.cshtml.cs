using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TdmEdu.Fees.Api.Application.Reports;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Api.Pages.Authority;

/// <summary>
/// One school's month as the education office sees it (the drill-down below a ward): its figures beside last month and
/// last year, by fee item, its year, what it is owed and what waits, its receipt gaps; and the way to the rows behind
/// them, the month's notices without pupils' names (/truong/{school}/{month}/thong-bao, which the auditor may read).
/// The route names the school `code`, not `school`: this is an authority page, not one of the school's own.
/// </summary>
public sealed class SchoolModel(CollectionSummary summary, Ageing ageing, BusinessClock clock) : PageModel
{
    public Dashboard View { get; private set; } = null!;
    public SummarySchool School { get; private set; } = null!;
    public List<CollectionReport.Row> Items { get; private set; } = [];
    public CollectionReport.Row? Row { get; private set; }

    public static string Link(BillingMonth month, string school) => $"/so/{month}/truong/{Uri.EscapeDataString(school)}";

    /// <summary>The school's notices of the month, optionally of one state, as its auditor-safe list shows them.</summary>
    public string NoticesLink(string? status = null) =>
        $"/truong/{Uri.EscapeDataString(School.Code)}/{View.Month}/thong-bao" + (status is null ? "" : "?status=" + status);

    public async Task<IActionResult> OnGetAsync(string period, string code, string? thang, string? nam, CancellationToken ct)
    {
        if (!BillingMonth.TryParse(period, out var month)) return NotFound();
        var key = code.ToUpperInvariant();
        if (Pickers.Chosen(thang, nam) is { } chosen) return LocalRedirect(Link(chosen, key));
        View = await Dashboard.LoadAsync(summary, ageing, clock.Today, month, new SummaryScope(School: key), ct);
        if (View.School(key) is not { } school) return NotFound();
        School = school;
        Row = View.SchoolRow(key);
        Items = await summary.RowsAsync(month.Key, month.Key, "item", new SummaryScope(School: key), ct);
        return Page();
    }
}
