using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Html;

namespace TdmEdu.Fees.Api.Web;

/// <summary>
/// Horizontal bars in rank order (wards or schools by collection rate), as inline SVG like <see cref="Charts"/>: no
/// script, a title on every bar for screen readers, and a width that reads on a 390 px phone without zooming.
/// </summary>
public static class RankedChart
{
    private const int Width = 400, Row = 22, LabelWidth = 168, BarStart = 172, BarWidth = 170;

    /// <summary>One bar per item, in the order given; the share between 0 and 1; a dashed line at the median, if given.</summary>
    public static IHtmlContent Render(string name, IReadOnlyList<(string Label, decimal Share, string Value, string Title)> bars, decimal? median = null, string? medianTitle = null)
    {
        var height = Math.Max(1, bars.Count) * Row + 6;
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg class=\"chart ranked\" role=\"img\" aria-label=\"{E(name)}\" viewBox=\"0 0 {Width} {height}\" width=\"{Width}\" height=\"{height}\">");
        for (var i = 0; i < bars.Count; i++)
        {
            var (label, share, value, title) = bars[i];
            var y = i * Row + 3;
            var w = (double)Math.Clamp(share, 0, 1) * BarWidth;
            sb.Append(CultureInfo.InvariantCulture, $"<g><title>{E(title)}</title>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{LabelWidth}\" y=\"{y + 14}\" text-anchor=\"end\" font-size=\"12\">{E(Short(label))}</text>");
            sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{BarStart}\" y=\"{y + 3}\" width=\"{BarWidth}\" height=\"14\" fill=\"#e3e8ee\"/>");
            sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{BarStart}\" y=\"{y + 3}\" width=\"{w:0.#}\" height=\"14\" fill=\"#0b5394\"/>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{BarStart + BarWidth + 4}\" y=\"{y + 14}\" font-size=\"12\">{E(value)}</text></g>");
        }
        if (median is { } m)
        {
            var x = BarStart + (double)Math.Clamp(m, 0, 1) * BarWidth;
            sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{x:0.#}\" y1=\"0\" x2=\"{x:0.#}\" y2=\"{height}\" stroke=\"#c62828\" stroke-dasharray=\"3 3\"><title>{E(medianTitle ?? "")}</title></line>");
        }
        sb.Append("</svg>");
        return new HtmlString(sb.ToString());
    }

    /// <summary>A label that fits its column at 12 px: long names end with an ellipsis (the bar's title keeps the whole name).</summary>
    private static string Short(string label) => label.Length <= 26 ? label : label[..25].TrimEnd() + "…";

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
