using TdmEdu.Fees.Api.Application.Reports;
using TdmEdu.Fees.Api.Web;
using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Api.Pages.Authority;

/// <summary>
/// The dashboard as a workbook: the grouping's rows, the months of the school year, what is owed and what waits by age.
/// Sheet names and headers in the page's language (Vietnamese, or English on the English switch); amounts in đồng.
/// </summary>
public static class Workbook
{
    public static async Task<byte[]> BuildAsync(Lang l, OverviewModel page, CancellationToken ct)
    {
        var v = page.View;
        var sheets = new Dictionary<string, object>
        {
            [l["sx-by-" + page.By]] = page.Rows.Select(r => new Dictionary<string, object>
            {
                [l["sx-code"]] = r.Scope, [l["sx-name"]] = Dashboard.ScopeName(l, page.By!, r), [l["sx-notices"]] = r.Notices, [l["sx-due"]] = r.AmountDue,
                [l["sx-collected"]] = r.Collected, [l["sx-rate"]] = Rate(r.Collected, r.AmountDue), [l["sx-cashless"]] = r.Cashless, [l["sx-cash"]] = r.Cash,
                [l["sx-outstanding-vnd"]] = r.AmountDue - r.Collected, [l["sx-far-below"]] = page.FarBelow(r) ? l["sx-yes"] : l["sx-no"],
            }).ToList(),
            [l["sx-months"]] = v.Trend.Select(m => new Dictionary<string, object>
            {
                [l["sx-month"]] = BillingMonth.FromKey(m.PeriodKey).ToString(), [l["sx-due"]] = m.AmountDue, [l["sx-collected"]] = m.Collected,
                [l["sx-rate"]] = Rate(m.Collected, m.AmountDue), [l["sx-cashless"]] = m.Cashless, [l["sx-cash"]] = m.Cash,
            }).ToList(),
            [l["sx-outstanding"]] = Ageing(l, v.Outstanding, TdmEdu.Fees.Api.Application.Reports.Ageing.OutstandingBuckets),
            [l["sx-unidentified"]] = Ageing(l, v.Unidentified, TdmEdu.Fees.Api.Application.Reports.Ageing.UnidentifiedBuckets),
        };
        using var ms = new MemoryStream();
        // Fast mode: the sheets are held in memory while written (a few thousand rows at most), a third less time for a province.
        await MiniExcelLibs.MiniExcel.SaveAsAsync(ms, sheets, configuration: new MiniExcelLibs.OpenXml.OpenXmlConfiguration { FastMode = true }, cancellationToken: ct);
        return ms.ToArray();
    }

    private static decimal Rate(long collected, long due) => due == 0 ? 0m : Math.Round(collected / (decimal)due, 4);

    private static List<Dictionary<string, object>> Ageing(Lang l, IEnumerable<Ageing.Row> rows, string[] buckets) =>
        rows.Select(r =>
        {
            var d = new Dictionary<string, object> { [l["sx-school"]] = r.Scope, [l["sx-school-name"]] = r.ScopeName };
            var values = r.Buckets(buckets.Length);
            for (var i = 0; i < buckets.Length; i++) d[l["age-" + buckets[i]]] = values[i];
            d[l["sx-total"]] = r.Total;
            d[l["sx-count"]] = r.Count;
            return d;
        }).ToList();
}
