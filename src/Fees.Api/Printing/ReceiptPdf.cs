using Microsoft.EntityFrameworkCore;
using PdfSharp.Drawing;
using PdfSharp.Pdf;
using TdmEdu.Fees.Api.Application.Payments;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Api.Web;
using TdmEdu.Fees.Domain.Money;
using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Api.Printing;

/// <summary>
/// A receipt to print or keep, on an A5 page: its template, series and number, the school, the pupil, who paid,
/// how, the notices the money went to, the amount in figures and in words. A cancelled receipt prints with
/// "ĐÃ HUỶ" across it, so a copy of it cannot pass for a live one.
/// </summary>
public sealed partial class ReceiptPdf(FeesDb db, IConfiguration config)
{
    public sealed record Printed(byte[] Pdf, string FileName);

    /// <summary>The live receipt of a payment (the one issued last), or null as for <see cref="RenderAsync"/>.</summary>
    public async Task<Printed?> ForPaymentAsync(Guid paymentId, string? schoolCode, Guid? studentId, CancellationToken ct = default) =>
        await db.Receipts.AsNoTracking().Where(r => r.PaymentId == paymentId && (studentId == null || r.StudentId == null || r.StudentId == studentId)).OrderByDescending(r => r.IssuedAt).Select(r => (Guid?)r.Id).FirstOrDefaultAsync(ct) is { } id
            ? await RenderAsync(id, schoolCode, studentId, ct)
            : null;

    /// <summary>The receipt, or null when it is not a receipt of this school (or of this pupil, for a parent).</summary>
    public async Task<Printed?> RenderAsync(Guid receiptId, string? schoolCode, Guid? studentId, CancellationToken ct = default)
    {
        var r = await (from rc in db.Receipts.AsNoTracking()
                       join rs in db.ReceiptSeries.AsNoTracking() on rc.SeriesId equals rs.Id
                       join sc in db.Schools.AsNoTracking() on rc.SchoolId equals sc.Id
                       join p in db.Payments.AsNoTracking() on rc.PaymentId equals p.Id
                       join st in db.Students.AsNoTracking() on (rc.StudentId ?? p.StudentId) equals st.Id
                       join c in db.Classes.AsNoTracking() on st.ClassId equals c.Id
                       where rc.Id == receiptId && (schoolCode == null || sc.Code == schoolCode) && (studentId == null || st.Id == studentId)
                       select new
                       {
                           rc.Number, rc.AmountVnd, rc.PayerName, rc.IssuedAt, rc.Status, rc.CancelReason, rs.Template, rs.Series,
                           SchoolCode = sc.Code, SchoolName = sc.Name, p.Method, p.Id, st.FullName, st.StudentCode, Class = c.Name,
                       }).SingleOrDefaultAsync(ct);
        if (r is null) return null;
        if (await EReceiptAsync(receiptId, ct) is { } document) return document;
        var lines = await (from a in db.Allocations.AsNoTracking()
                           join n in db.Notices.AsNoTracking() on a.NoticeId equals n.Id
                           where a.PaymentId == r.Id && a.Kind != AllocationKinds.Reversal
                           group a by new { n.NoticeNo, n.PeriodKey } into byNotice
                           orderby byNotice.Key.PeriodKey, byNotice.Key.NoticeNo
                           select new { byNotice.Key.NoticeNo, byNotice.Key.PeriodKey, Amount = byNotice.Sum(x => x.AmountVnd) }).ToListAsync(ct);

        NoticePdf.UseNotoSans();
        using var doc = new PdfDocument();
        var reference = Ledger.Reference(r.SchoolCode, r.Template, r.Series, r.Number);
        doc.Info.Title = $"Biên lai {reference}";
        var page = doc.AddPage();
        page.Size = PdfSharp.PageSize.A5;
        using var g = XGraphics.FromPdfPage(page);
        var regular = new XFont("Noto Sans", 9.5);
        var bold = new XFont("Noto Sans", 9.5, XFontStyleEx.Bold);
        var title = new XFont("Noto Sans", 15, XFontStyleEx.Bold);
        const double left = 32, right = 388;
        var y = 30.0;
        void Text(string s, XFont f, double x, double top, double width = 356, XStringFormat? format = null) =>
            g.DrawString(s, f, XBrushes.Black, new XRect(x, top, width, 13), format ?? XStringFormats.TopLeft);

        Text(r.SchoolName.ToUpperInvariant(), bold, left, y, 220);
        Text($"Mẫu số: {r.Template}", regular, 250, y, right - 250, XStringFormats.TopRight);
        Text($"Ký hiệu: {r.Series}", regular, 250, y + 14, right - 250, XStringFormats.TopRight);
        Text($"Số: {r.Number.ToString("D" + Domain.Receipts.Receipt.NumberDigits, System.Globalization.CultureInfo.InvariantCulture)}", bold, 250, y + 28, right - 250, XStringFormats.TopRight);
        y += 56;
        Text("BIÊN LAI THU TIỀN", title, left, y, right - left, XStringFormats.TopCenter);
        y += 22;
        var issued = TimeZoneInfo.ConvertTime(r.IssuedAt, BusinessClock.Zone);
        Text($"Ngày {issued:dd} tháng {issued:MM} năm {issued:yyyy}", regular, left, y, right - left, XStringFormats.TopCenter);
        y += 26;
        foreach (var (label, value) in new[]
                 {
                     ("Học sinh", $"{r.FullName} · mã {r.StudentCode}"), ("Lớp", r.Class), ("Người nộp", r.PayerName ?? ""),
                     ("Hình thức", r.Method == PaymentMethods.Cash ? "Tiền mặt" : "Chuyển khoản"),
                 })
        {
            Text(label + ":", regular, left, y, 80);
            Text(value, bold, left + 80, y, right - left - 80);
            y += 16;
        }
        y += 6;
        g.DrawLine(XPens.Black, left, y, right, y);
        y += 4;
        Text("Nộp cho thông báo", bold, left, y, 200);
        Text("Số tiền", bold, 260, y, right - 260, XStringFormats.TopRight);
        y += 16;
        foreach (var l in lines)
        {
            var month = BillingMonth.FromKey(l.PeriodKey);
            Text($"{l.NoticeNo} (tháng {month.Month:D2}/{month.Year})", regular, left, y, 230);
            Text(Lang.Money(l.Amount), regular, 260, y, right - 260, XStringFormats.TopRight);
            y += 15;
        }
        var credit = r.AmountVnd - lines.Sum(l => l.Amount);
        if (credit > 0)
        {
            Text("Giữ làm số dư cho các tháng sau", regular, left, y, 230);
            Text(Lang.Money(credit), regular, 260, y, right - 260, XStringFormats.TopRight);
            y += 15;
        }
        g.DrawLine(XPens.Black, left, y + 2, right, y + 2);
        y += 6;
        Text("Tổng số tiền", bold, left, y, 200);
        Text(Lang.Money(r.AmountVnd), bold, 260, y, right - 260, XStringFormats.TopRight);
        y += 18;
        Text($"Bằng chữ: {AmountInWords.Dong(r.AmountVnd)}.", regular, left, y, right - left);
        y += 40;
        Text("Người nộp tiền", bold, left, y, 150, XStringFormats.TopCenter);
        Text("Người thu tiền", bold, right - 150, y, 150, XStringFormats.TopCenter);
        Text("(Ký, ghi rõ họ tên)", regular, left, y + 14, 150, XStringFormats.TopCenter);
        Text("(Ký, ghi rõ họ tên)", regular, right - 150, y + 14, 150, XStringFormats.TopCenter);
        Text($"Tra cứu: {reference}", regular, left, page.Height.Point - 40, right - left);
        if (!ReceiptStates.IsLive(r.Status))
        {
            var state = g.Save();
            g.RotateAtTransform(-30, new XPoint(page.Width.Point / 2, page.Height.Point / 2));
            g.DrawString("ĐÃ HUỶ", new XFont("Noto Sans", 64, XFontStyleEx.Bold), new XSolidBrush(XColor.FromArgb(90, 200, 0, 0)),
                new XRect(0, page.Height.Point / 2 - 40, page.Width.Point, 80), XStringFormats.Center);
            g.Restore(state);
            Text($"Đã huỷ: {r.CancelReason}", regular, left, page.Height.Point - 26, right - left);
        }
        using var ms = new MemoryStream();
        doc.Save(ms);
        return new Printed(ms.ToArray(), $"bien-lai-{reference.Replace('/', '-')}.pdf");
    }
}
