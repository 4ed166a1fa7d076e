using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace TdmEdu.Fees.Api.Printing;

/// <summary>
/// A book as a printed table (A4 landscape, Noto Sans): a title, a few lines under it, the column heads repeated on every
/// page, rows that wrap nothing but are cut to their column with an ellipsis, and the totals at the end. The counter's
/// books print with it.
/// </summary>
public static class TablePdf
{
    public sealed record Column(string Head, double Width, bool Right = false);

    public static byte[] Render(string title, IReadOnlyList<string> heading, IReadOnlyList<Column> columns, IEnumerable<string[]> rows, IReadOnlyList<string[]> totals)
    {
        NoticePdf.UseNotoSans();
        using var doc = new PdfDocument();
        doc.Info.Title = title;
        var regular = new XFont("Noto Sans", 8.5);
        var bold = new XFont("Noto Sans", 8.5, XFontStyleEx.Bold);
        var big = new XFont("Noto Sans", 14, XFontStyleEx.Bold);
        const double left = 30, top = 30, rowHeight = 14;
        var scale = 780 / columns.Sum(c => c.Width);
        XGraphics? g = null;
        PdfPage? page = null;
        var y = 0.0;
        var pages = 0;

        void Cell(string text, XFont font, double x, double width, bool right)
        {
            var shown = text;
            while (shown.Length > 1 && g!.MeasureString(shown, font).Width > width - 4) shown = shown[..^2] + "…";
            g!.DrawString(shown, font, XBrushes.Black, new XRect(x + 2, y, width - 4, rowHeight), right ? XStringFormats.TopRight : XStringFormats.TopLeft);
        }

        void Row(string[] cells, XFont font)
        {
            var x = left;
            for (var i = 0; i < columns.Count; i++)
            {
                var w = columns[i].Width * scale;
                Cell(i < cells.Length ? cells[i] : "", font, x, w, columns[i].Right);
                x += w;
            }
            y += rowHeight;
            g!.DrawLine(XPens.LightGray, left, y - 1, left + 780, y - 1);
        }

        void NewPage()
        {
            g?.Dispose();
            page = doc.AddPage();
            page.Size = PdfSharp.PageSize.A4;
            page.Orientation = PdfSharp.PageOrientation.Landscape;
            g = XGraphics.FromPdfPage(page);
            pages++;
            y = top;
            if (pages == 1)
            {
                g.DrawString(title, big, XBrushes.Black, new XRect(left, y, 780, 20), XStringFormats.TopCenter);
                y += 24;
                foreach (var line in heading)
                {
                    g.DrawString(line, regular, XBrushes.Black, new XRect(left, y, 780, rowHeight), XStringFormats.TopCenter);
                    y += rowHeight;
                }
                y += 6;
            }
            Row(columns.Select(c => c.Head).ToArray(), bold);
        }

        NewPage();
        foreach (var r in rows)
        {
            if (y > page!.Height.Point - 40) NewPage();
            Row(r, regular);
        }
        foreach (var t in totals)
        {
            if (y > page!.Height.Point - 40) NewPage();
            Row(t, bold);
        }
        g?.Dispose();
        using var ms = new MemoryStream();
        doc.Save(ms);
        return ms.ToArray();
    }
}
