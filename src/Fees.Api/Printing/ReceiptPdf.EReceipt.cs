using Microsoft.EntityFrameworkCore;
using PdfSharp.Drawing;
using PdfSharp.Pdf;
using TdmEdu.Fees.Api.Application.Receipts;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Api.Web;
using TdmEdu.Fees.Domain.Money;
using TdmEdu.Fees.Domain.Receipts;

namespace TdmEdu.Fees.Api.Printing;

/// <summary>
/// An e-receipt on A5 (contracts/ereceipts.md §7): what the signed document holds (symbols, number, date, the
/// collecting unit with its tax code and address, the payer, the pupil, each fee wrapped to the width, the total in
/// figures and words, how it was paid), who signed it and when, its lookup code and address, and a QR of the page
/// that verifies it. No ink-signature boxes: the signature is the school's digital one. "ĐÃ HỦY" or "ĐÃ THAY THẾ"
/// across it when so. The signed XML is the legal document; this page shows it.
/// </summary>
public sealed partial class ReceiptPdf
{
    private async Task<Printed?> EReceiptAsync(Guid receiptId, CancellationToken ct)
    {
        var r = await (from rc in db.Receipts.AsNoTracking()
                       join rs in db.ReceiptSeries.AsNoTracking() on rc.SeriesId equals rs.Id
                       join sc in db.Schools.AsNoTracking() on rc.SchoolId equals sc.Id
                       join p in db.Payments.AsNoTracking() on rc.PaymentId equals p.Id
                       join st in db.Students.AsNoTracking() on rc.StudentId equals st.Id
                       join c in db.Classes.AsNoTracking() on st.ClassId equals c.Id
                       where rc.Id == receiptId && rc.LookupCode != null
                       select new
                       {
                           rc.Number, rc.AmountVnd, rc.PayerName, rc.IssuedOn, rc.Status, rc.CancelReason, rc.LookupCode, rc.SigningTime, rc.CertSubject,
                           rc.SandboxCert, rc.ReplacesReceiptId, rs.Template, rs.Series, SchoolCode = sc.Code, SchoolName = sc.Name, sc.TaxCode, sc.Address,
                           p.Method, st.FullName, st.PaymentCode, Class = c.Name,
                       }).SingleOrDefaultAsync(ct);
        if (r is null) return null;
        var items = await db.ReceiptItems.AsNoTracking().Where(i => i.ReceiptId == receiptId).OrderBy(i => i.Position).Select(i => new { i.Name, i.AmountVnd }).ToListAsync(ct);
        var notices = await (from i in db.ReceiptItems.AsNoTracking()
                             join l in db.NoticeLines.AsNoTracking() on i.NoticeLineId equals l.Id
                             join n in db.Notices.AsNoTracking() on l.NoticeId equals n.Id
                             where i.ReceiptId == receiptId
                             select n.NoticeNo).Distinct().ToListAsync(ct);
        var replaced = r.ReplacesReceiptId is { } o
            ? await db.Receipts.AsNoTracking().Where(x => x.Id == o).Join(db.ReceiptSeries, x => x.SeriesId, s => s.Id, (x, s) => new { s.Template, s.Series, x.Number, x.IssuedOn, x.IssuedAt }).SingleAsync(ct)
            : null;
        var lookup = ReceiptSigner.LookupAddressFrom(config);
        var number = r.Number.ToString("D" + Receipt.NumberDigits, System.Globalization.CultureInfo.InvariantCulture);

        NoticePdf.UseNotoSans();
        using var doc = new PdfDocument();
        doc.Info.Title = $"Biên lai {r.Template} {r.Series} {number}";
        var page = doc.AddPage();
        page.Size = PdfSharp.PageSize.A5;
        using var g = XGraphics.FromPdfPage(page);
        var small = new XFont("Noto Sans", 8);
        var regular = new XFont("Noto Sans", 9);
        var bold = new XFont("Noto Sans", 9, XFontStyleEx.Bold);
        var title = new XFont("Noto Sans", 12.5, XFontStyleEx.Bold);
        const double left = 30, right = 390;
        var y = 26.0;

        // Lines of text that wrap to the width given; returns where the next line starts.
        double Wrap(string text, XFont font, double x, double top, double width, XStringFormat? format = null)
        {
            foreach (var line in Lines(g, text, font, width))
            {
                g.DrawString(line, font, XBrushes.Black, new XRect(x, top, width, 12), format ?? XStringFormats.TopLeft);
                top += font.Size + 3.5;
            }
            return top;
        }

        var head = Wrap(r.SchoolName.ToUpperInvariant(), bold, left, y, 215);
        head = Wrap($"Mã số thuế: {r.TaxCode}", regular, left, head, 215);
        head = Wrap($"Địa chỉ: {r.Address ?? ""}", regular, left, head, 215);
        Wrap($"Mẫu số: {r.Template}", regular, 255, y, right - 255, XStringFormats.TopRight);
        Wrap($"Ký hiệu: {r.Series}", regular, 255, y + 13, right - 255, XStringFormats.TopRight);
        Wrap($"Số: {number}", bold, 255, y + 26, right - 255, XStringFormats.TopRight);
        y = Math.Max(head, y + 42) + 8;
        y = Wrap(ReceiptXmlWriter.Title, title, left, y, right - left, XStringFormats.TopCenter) + 2;
        var day = r.IssuedOn ?? DateOnly.MinValue;
        y = Wrap($"Ngày {day:dd} tháng {day:MM} năm {day:yyyy}", regular, left, y, right - left, XStringFormats.TopCenter) + 8;
        if (replaced is not null)
        {
            var d = replaced.IssuedOn ?? DateOnly.FromDateTime(replaced.IssuedAt.UtcDateTime);
            y = Wrap($"Thay thế cho biên lai mẫu {replaced.Template} ký hiệu {replaced.Series} số {replaced.Number:D7} ngày {d:dd/MM/yyyy}", bold, left, y, right - left) + 4;
        }
        foreach (var (label, value) in new[]
                 {
                     ("Người nộp", string.IsNullOrWhiteSpace(r.PayerName) ? $"Gia đình học sinh {r.FullName}" : r.PayerName),
                     ("Học sinh", $"{r.FullName}, lớp {r.Class} · mã thanh toán {r.PaymentCode}"),
                     ("Thông báo thu", notices.Count == 0 ? "(tiền nộp trước)" : string.Join(", ", notices.Order(StringComparer.Ordinal))),
                     ("Hình thức thanh toán", r.Method == PaymentMethods.Cash ? "Tiền mặt (TM)" : "Chuyển khoản (CK)"),
                 })
        {
            g.DrawString(label + ":", regular, XBrushes.Black, new XRect(left, y, 110, 12), XStringFormats.TopLeft);
            y = Wrap(value, bold, left + 110, y, right - left - 110) + 2;
        }
        y += 4;
        g.DrawLine(XPens.Black, left, y, right, y);
        y += 4;
        g.DrawString("STT", bold, XBrushes.Black, new XRect(left, y, 24, 12), XStringFormats.TopLeft);
        g.DrawString("Tên khoản thu", bold, XBrushes.Black, new XRect(left + 26, y, 230, 12), XStringFormats.TopLeft);
        g.DrawString("Số tiền (đồng)", bold, XBrushes.Black, new XRect(280, y, right - 280, 12), XStringFormats.TopRight);
        y += 15;
        foreach (var (item, i) in items.Select((item, i) => (item, i)))
        {
            g.DrawString((i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), regular, XBrushes.Black, new XRect(left, y, 24, 12), XStringFormats.TopLeft);
            g.DrawString(Lang.Number(item.AmountVnd), regular, XBrushes.Black, new XRect(280, y, right - 280, 12), XStringFormats.TopRight);
            y = Wrap(item.Name, regular, left + 26, y, 244) + 1;
        }
        g.DrawLine(XPens.Black, left, y + 1, right, y + 1);
        y += 5;
        g.DrawString("Tổng cộng", bold, XBrushes.Black, new XRect(left, y, 200, 12), XStringFormats.TopLeft);
        g.DrawString(Lang.Number(r.AmountVnd), bold, XBrushes.Black, new XRect(280, y, right - 280, 12), XStringFormats.TopRight);
        y += 15;
        y = Wrap($"Số tiền bằng chữ: {AmountInWords.Dong(r.AmountVnd)}.", regular, left, y, right - left) + 10;

        // The signature and the look-up, with the QR of the verification page beside them.
        const double qr = 80; // 28 mm, above the 25 mm the contract asks
        var signY = y;
        var textWidth = right - left - qr - 10;
        y = Wrap(r.SigningTime is { } at
                ? $"Ký bởi: {CommonName(r.CertSubject)}, lúc {TimeZoneInfo.ConvertTime(at, Common.BusinessClock.Zone):dd/MM/yyyy HH:mm:ss}"
                : "Chưa ký số: biên lai đang chờ chữ ký số của đơn vị thu.", bold, left, y, textWidth) + 2;
        if (r.SandboxCert) y = Wrap("Ký bằng chứng thư thử nghiệm: không có giá trị pháp lý.", regular, left, y, textWidth) + 2;
        y = Wrap($"Mã tra cứu: {LookupCode.Display(r.LookupCode!)}", bold, left, y, textWidth) + 2;
        y = Wrap($"Tra cứu tại: {lookup}", regular, left, y, textWidth);
        y = Wrap("(nhập mã số thuế của đơn vị thu và mã tra cứu, hoặc quét mã QR)", small, left, y, textWidth);
        NoticePdf.Qr(g, $"{lookup}/{r.TaxCode}/{r.LookupCode}", right - qr, signY, qr);
        y = Math.Max(y, signY + qr) + 8;
        Wrap("Biên lai điện tử được lập và ký số theo Nghị định 123/2020/NĐ-CP (sửa đổi bởi Nghị định 70/2025/NĐ-CP) và Thông tư 32/2025/TT-BTC. "
             + "Bản in này thể hiện nội dung của tệp XML đã ký.", small, left, y, right - left);

        if (!ReceiptStates.IsLive(r.Status))
        {
            var word = r.Status == ReceiptStates.Replaced ? "ĐÃ THAY THẾ" : "ĐÃ HỦY";
            var state = g.Save();
            g.RotateAtTransform(-30, new XPoint(page.Width.Point / 2, page.Height.Point / 2));
            g.DrawString(word, new XFont("Noto Sans", word.Length > 8 ? 44 : 60, XFontStyleEx.Bold), new XSolidBrush(XColor.FromArgb(90, 200, 0, 0)),
                new XRect(0, page.Height.Point / 2 - 40, page.Width.Point, 80), XStringFormats.Center);
            g.Restore(state);
            Wrap($"{(r.Status == ReceiptStates.Replaced ? "Đã thay thế" : "Đã hủy")}: {r.CancelReason}", regular, left, page.Height.Point - 30, right - left);
        }
        using var ms = new MemoryStream();
        doc.Save(ms);
        return new Printed(ms.ToArray(), $"bien-lai-{r.SchoolCode}-{r.Template}-{r.Series}-{number}.pdf");
    }

    /// <summary>The certificate's common name (CN=…), the signer a person recognises; the whole subject when it has none.</summary>
    private static string CommonName(string? subject)
    {
        var at = (subject ?? "").IndexOf("CN=", StringComparison.Ordinal);
        if (at < 0) return subject ?? "";
        var rest = subject![(at + 3)..];
        var end = rest.IndexOf(", ", StringComparison.Ordinal);
        return (end < 0 ? rest : rest[..end]).Trim('"');
    }

    /// <summary>Words broken into lines no wider than <paramref name="width"/>; a word longer than a line is cut.</summary>
    internal static List<string> Lines(XGraphics g, string text, XFont font, double width)
    {
        var lines = new List<string>();
        var line = "";
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = line.Length == 0 ? word : line + " " + word;
            if (g.MeasureString(candidate, font).Width <= width) { line = candidate; continue; }
            if (line.Length > 0) lines.Add(line);
            line = word;
            while (g.MeasureString(line, font).Width > width && line.Length > 1)
            {
                var cut = line.Length - 1;
                while (cut > 1 && g.MeasureString(line[..cut], font).Width > width) cut--;
                lines.Add(line[..cut]);
                line = line[cut..];
            }
        }
        if (line.Length > 0 || lines.Count == 0) lines.Add(line);
        return lines;
    }
}
