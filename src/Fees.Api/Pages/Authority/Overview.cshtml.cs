using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TdmEdu.Fees.Api.Application;
using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Api.Pages.Authority;

/// <summary>The education office's view of a month: every school's billing and collection, the same figures as `report collection`.</summary>
public sealed class OverviewModel(CollectionReport report, LedgerAudit audit, BusinessClock clock) : PageModel
{
    /// <summary>A school this many points below the median rate of its peers is flagged.</summary>
    public const decimal FarBelowPoints = 0.20m;

    public static readonly string[] Groupings = ["school", "ward", "level", "item"];

    public string Period { get; private set; } = "";
    [BindProperty(SupportsGet = true)] public string By { get; set; } = "school";
    public List<CollectionReport.Row> Rows { get; private set; } = [];
    public List<AuditFinding> ReceiptGaps { get; private set; } = [];
    public CollectionReport.Row Total { get; private set; } = new("", "", 0, 0, 0, 0, 0, 0, 0);
    private decimal _median;

    public async Task<IActionResult> OnGetAsync(string? period, CancellationToken ct)
    {
        var month = BillingMonth.Of(clock.Today);
        if (period is not null && !BillingMonth.TryParse(period, out month)) return NotFound();
        Period = month.ToString();
        if (!Groupings.Contains(By)) By = "school";
        Rows = await report.QueryAsync(month.Key, month.Key, By, ct);
        ReceiptGaps = await audit.ReceiptGapsAsync(ct);
        Total = new CollectionReport.Row("", "", Rows.Sum(r => r.Notices), Rows.Sum(r => r.AmountDue), Rows.Sum(r => r.Collected), Rows.Sum(r => r.Cashless),
            Rows.Sum(r => r.Cash), Rows.Sum(r => r.Students), Rows.Sum(r => r.StudentsPaid));
        var rates = Rows.Where(r => r.AmountDue > 0).Select(r => r.Collected / (decimal)r.AmountDue).Order().ToList();
        _median = rates.Count == 0 ? 0 : rates[rates.Count / 2];
        return Page();
    }

    public bool FarBelow(CollectionReport.Row r) => By == "school" && Rows.Count >= 3 && r.AmountDue > 0 && r.Collected / (decimal)r.AmountDue < _median - FarBelowPoints;

    public static string Percent(long part, long whole) =>
        whole == 0 ? "–" : (part * 100m / whole).ToString("0.0", CultureInfo.GetCultureInfo("vi-VN")) + " %";
}
