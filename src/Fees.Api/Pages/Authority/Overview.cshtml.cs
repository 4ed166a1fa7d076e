using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TdmEdu.Fees.Api.Application.Reports;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Pages.Shared;
using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Api.Pages.Authority;

/// <summary>The education office's view of a month: every school's billing and collection, the same figures as `report collection`.</summary>
public sealed class OverviewModel(CollectionReport report, LedgerAudit audit, Ageing ageing, NoticeMonths months, BusinessClock clock) : PageModel
{
    /// <summary>A school this many points below the median rate of its peers is flagged.</summary>
    public const decimal FarBelowPoints = 0.20m;

    public static readonly string[] Groupings = ["school", "ward", "level", "item"];

    public string Period { get; private set; } = "";
    [BindProperty(SupportsGet = true)] public string By { get; set; } = "school";
    public List<CollectionReport.Row> Rows { get; private set; } = [];
    public List<AuditFinding> ReceiptGaps { get; private set; } = [];
    public CollectionReport.Row Total { get; private set; } = new("", "", 0, 0, 0, 0, 0, 0, 0);
    public List<Ageing.Row> Outstanding { get; private set; } = [];
    public List<Ageing.Row> Unidentified { get; private set; } = [];
    public List<Ageing.MonthRow> Months { get; private set; } = [];
    public MonthPicker? Picker { get; private set; }
    private decimal _median;

    /// <summary>A month of all schools; without one, the latest month any school has notices for.</summary>
    public async Task<IActionResult> OnGetAsync(string? period, CancellationToken ct)
    {
        BillingMonth month;
        if (period is null) month = await months.LandingAsync(null, ct);
        else if (!BillingMonth.TryParse(period, out month)) return NotFound();
        await LoadAsync(month, ct);
        Picker = await MonthPicker.ForAsync(months, null, month, m => $"/so/{m}", ct);
        return Page();
    }

    /// <summary>What the page shows, as a workbook: the grouping's rows, the months of the school year, both ageings.</summary>
    public async Task<IActionResult> OnGetXlsxAsync(string? period, CancellationToken ct)
    {
        var month = BillingMonth.Of(clock.Today);
        if (period is not null && !BillingMonth.TryParse(period, out month)) return NotFound();
        await LoadAsync(month, ct);
        var sheets = new Dictionary<string, object>
        {
            ["thu-theo-" + By] = Rows.Select(r => new Dictionary<string, object>
            {
                ["scope"] = r.Scope, ["scope_name"] = r.ScopeName, ["notices"] = r.Notices, ["amount_due"] = r.AmountDue, ["amount_collected"] = r.Collected,
                ["collection_rate"] = r.AmountDue == 0 ? 0m : Math.Round(r.Collected / (decimal)r.AmountDue, 4), ["cashless_amount"] = r.Cashless,
                ["cash_amount"] = r.Cash, ["outstanding"] = r.AmountDue - r.Collected, ["far_below_peers"] = FarBelow(r) ? "yes" : "no",
            }).ToList(),
            ["theo-thang"] = Months.Select(m => new Dictionary<string, object>
            {
                ["period"] = BillingMonth.FromKey(m.PeriodKey).ToString(), ["amount_due"] = m.AmountDue, ["amount_collected"] = m.Collected, ["cashless_amount"] = m.Cashless,
            }).ToList(),
            ["no-theo-tuoi"] = AgeingSheet(Outstanding, Ageing.OutstandingBuckets),
            ["tien-chua-xac-dinh"] = AgeingSheet(Unidentified, Ageing.UnidentifiedBuckets),
        };
        using var ms = new MemoryStream();
        await MiniExcelLibs.MiniExcel.SaveAsAsync(ms, sheets, cancellationToken: ct);
        return File(ms.ToArray(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"thu-hoc-phi-{Period}-theo-{By}.xlsx");
    }

    private static List<Dictionary<string, object>> AgeingSheet(List<Ageing.Row> rows, string[] buckets) =>
        rows.Select(r =>
        {
            var d = new Dictionary<string, object> { ["school"] = r.Scope, ["school_name"] = r.ScopeName };
            var values = r.Buckets(buckets.Length);
            for (var i = 0; i < buckets.Length; i++) d["days_" + buckets[i]] = values[i];
            d["total"] = r.Total;
            d["count"] = r.Count;
            return d;
        }).ToList();

    private async Task LoadAsync(BillingMonth month, CancellationToken ct)
    {
        Period = month.ToString();
        if (!Groupings.Contains(By)) By = "school";
        Rows = await report.QueryAsync(month.Key, month.Key, By, ct);
        ReceiptGaps = await audit.ReceiptGapsAsync(ct);
        Total = new CollectionReport.Row("", "", Rows.Sum(r => r.Notices), Rows.Sum(r => r.AmountDue), Rows.Sum(r => r.Collected), Rows.Sum(r => r.Cashless),
            Rows.Sum(r => r.Cash), Rows.Sum(r => r.Students), Rows.Sum(r => r.StudentsPaid));
        var rates = Rows.Where(r => r.AmountDue > 0).Select(r => r.Collected / (decimal)r.AmountDue).Order().ToList();
        _median = rates.Count == 0 ? 0 : rates[rates.Count / 2];
        Outstanding = await ageing.OutstandingAsync(clock.Today, null, ct);
        Unidentified = await ageing.UnidentifiedAsync(clock.Today, null, ct);
        Months = await ageing.MonthsAsync(SchoolYear.Containing(month), null, ct);
    }

    public bool FarBelow(CollectionReport.Row r) => By == "school" && Rows.Count >= 3 && r.AmountDue > 0 && r.Collected / (decimal)r.AmountDue < _median - FarBelowPoints;

    public static string Percent(long part, long whole) =>
        whole == 0 ? "–" : (part * 100m / whole).ToString("0.0", CultureInfo.GetCultureInfo("vi-VN")) + " %";
}
