using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Html;

namespace TdmEdu.Fees.Api.Web;

/// <summary>
/// Small charts drawn on the server as inline SVG: no script, nothing fetched, readable by a screen reader
/// (every bar has a title, the chart an accessible name) and printed as the page prints.
/// </summary>
public static class Charts
{
    private static readonly string[] Palette = ["#2e7d32", "#f9a825", "#ef6c00", "#c62828", "#6a1b9a"];

    /// <summary>Columns of a share between 0 and 1 (a collection rate per month), labelled below and valued above.</summary>
    public static IHtmlContent Columns(string name, IReadOnlyList<(string Label, decimal Share, string Title)> bars)
    {
        const int height = 150, top = 18, bottom = 22, width = 56;
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg class=\"chart\" role=\"img\" aria-label=\"{E(name)}\" viewBox=\"0 0 {Math.Max(1, bars.Count) * width} {height}\" width=\"{Math.Max(1, bars.Count) * width}\" height=\"{height}\">");
        var plot = height - top - bottom;
        for (var i = 0; i < bars.Count; i++)
        {
            var (label, share, title) = bars[i];
            var h = (double)Math.Clamp(share, 0, 1) * plot;
            var x = i * width + 10;
            sb.Append(CultureInfo.InvariantCulture, $"<g><title>{E(title)}</title>");
            sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x}\" y=\"{top}\" width=\"36\" height=\"{plot}\" fill=\"#e3e8ee\"/>");
            sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x}\" y=\"{top + plot - h:0.#}\" width=\"36\" height=\"{h:0.#}\" fill=\"#0b5394\"/>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + 18}\" y=\"{top - 5}\" text-anchor=\"middle\" font-size=\"11\">{E((share * 100).ToString("0", CultureInfo.InvariantCulture))} %</text>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + 18}\" y=\"{height - 6}\" text-anchor=\"middle\" font-size=\"11\">{E(label)}</text></g>");
        }
        sb.Append("</svg>");
        return new HtmlString(sb.ToString());
    }

    /// <summary>The collection rate of each billing month of the school year, a column each (09/25, 10/25, ...).</summary>
    public static IHtmlContent RateByMonth(string name, IEnumerable<Application.Reports.Ageing.MonthRow> months) =>
        Columns(name, months.Select(m =>
        {
            var month = Domain.Schedule.BillingMonth.FromKey(m.PeriodKey);
            return ($"{month.Month:00}/{month.Year % 100:00}", m.AmountDue == 0 ? 0m : m.Collected / (decimal)m.AmountDue,
                $"{month}: {Lang.Money(m.Collected)} / {Lang.Money(m.AmountDue)}");
        }).ToList());

    /// <summary>One horizontal bar split into parts (money by age), with a legend naming each part and its amount.</summary>
    public static IHtmlContent Stacked(string name, IReadOnlyList<(string Label, long Value)> parts)
    {
        const int width = 600, barHeight = 26;
        var total = parts.Sum(p => p.Value);
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg class=\"chart\" role=\"img\" aria-label=\"{E(name)}\" viewBox=\"0 0 {width} {barHeight + 22 * ((parts.Count + 2) / 3) + 8}\" width=\"{width}\">");
        double x = 0;
        for (var i = 0; i < parts.Count; i++)
        {
            var w = total == 0 ? 0 : parts[i].Value * (double)width / total;
            sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x:0.##}\" y=\"0\" width=\"{w:0.##}\" height=\"{barHeight}\" fill=\"{Palette[i % Palette.Length]}\"><title>{E(parts[i].Label)}: {E(Lang.Money(parts[i].Value))}</title></rect>");
            x += w;
        }
        if (total == 0) sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"0\" y=\"0\" width=\"{width}\" height=\"{barHeight}\" fill=\"#e3e8ee\"/>");
        for (var i = 0; i < parts.Count; i++)
        {
            var lx = i % 3 * 200;
            var ly = barHeight + 18 + i / 3 * 22;
            sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{lx}\" y=\"{ly - 10}\" width=\"12\" height=\"12\" fill=\"{Palette[i % Palette.Length]}\"/>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{lx + 16}\" y=\"{ly}\" font-size=\"12\">{E(parts[i].Label)}: {E(Lang.Money(parts[i].Value))}</text>");
        }
        sb.Append("</svg>");
        return new HtmlString(sb.ToString());
    }

    /// <summary>A thin bar behind a rate in a table cell: drawn, not styled (the pages allow no style attribute).</summary>
    public static IHtmlContent Bar(long part, long whole)
    {
        var pct = whole <= 0 ? 0 : Math.Clamp(part * 100.0 / whole, 0, 100);
        return new HtmlString(string.Create(CultureInfo.InvariantCulture,
            $"<svg class=\"bar\" viewBox=\"0 0 100 10\" preserveAspectRatio=\"none\" aria-hidden=\"true\"><rect width=\"100\" height=\"10\" fill=\"#e3e8ee\"/><rect width=\"{pct:0.#}\" height=\"10\" fill=\"#0b5394\"/></svg>"));
    }

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
