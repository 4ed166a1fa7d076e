using System.Collections;
using Microsoft.EntityFrameworkCore;
using PdfSharp.Drawing;
using PdfSharp.Fonts;
using PdfSharp.Pdf;
using QRCoder;
using TdmEdu.Fees.Api.Application.Billing;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Api.Web;
using TdmEdu.Fees.BankAdapters.Banks;
using TdmEdu.Fees.Domain.Notices;
using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Api.Printing;

/// <summary>
/// Printable fee notices, one A4 page each or two to a page (to cut in half), in Vietnamese: the lines and reductions, what is paid and left,
/// the VietQR to scan, the payment code as text and as a Code 128 barcode for bank counters, and the account.
/// Text is set in Noto Sans (Debian's fonts-noto-core), which carries the stacked Vietnamese marks.
/// </summary>
public sealed class NoticePdf(FeesDb db, BusinessClock clock)
{
    public const string FontFolder = "/usr/share/fonts/truetype/noto";

    public async Task<(byte[] Pdf, int Notices)> RenderAsync(string schoolCode, BillingMonth month, string? className, int perPage = 1, CancellationToken ct = default)
    {
        if (perPage is not (1 or 2)) throw new BadInputException("--per-page", null, null, "print 1 or 2 notices on a page.", "in 1 hoặc 2 thông báo trên một trang.");
        UseNotoSans();
        var school = await db.Schools.AsNoTracking().SingleOrDefaultAsync(s => s.Code == schoolCode.ToUpperInvariant(), ct)
            ?? throw new BadInputException("--school", null, null, $"there is no school {schoolCode}.");
        var account = await db.BankAccounts.AsNoTracking().Where(a => a.SchoolId == school.Id && a.RetiredAt == null).OrderBy(a => a.Position).FirstOrDefaultAsync(ct);
        var notices = await (from n in db.Notices.AsNoTracking().Include(n => n.Lines)
                             join s in db.Students.AsNoTracking() on n.StudentId equals s.Id
                             where n.SchoolId == school.Id && n.PeriodKey == month.Key && n.Status != NoticeStatus.Draft && n.Status != NoticeStatus.Cancelled
                                   && (className == null || n.ClassName == className)
                             orderby n.ClassName, n.NoticeNo
                             select new { Notice = n, s.FullName, s.PaymentCode }).ToListAsync(ct);
        var refunds = await RefundNote.ForNoticesAsync(db, notices.Select(x => x.Notice.Id).ToList(), ct);
        using var doc = new PdfDocument();
        doc.Info.Title = $"Thông báo các khoản thu {school.Code} {month}";
        for (var i = 0; i < notices.Count; i += perPage)
        {
            var page = doc.AddPage();
            page.Size = PdfSharp.PageSize.A4;
            using var g = XGraphics.FromPdfPage(page);
            if (perPage == 1)
            {
                Draw(g, school.Name, notices[i].Notice, notices[i].FullName, notices[i].PaymentCode, month, account, footerAt: 800, refunds);
                continue;
            }
            // Two to a page: each notice drawn at 86 % in one half of the A4 sheet, a dashed line to cut along.
            for (var k = 0; k < 2 && i + k < notices.Count; k++)
            {
                var x = notices[i + k];
                var state = g.Save();
                g.TranslateTransform(42, k * HalfPage + 4);
                g.ScaleTransform(Compact);
                Draw(g, school.Name, x.Notice, x.FullName, x.PaymentCode, month, account, footerAt: 462, refunds);
                g.Restore(state);
            }
            g.DrawLine(new XPen(XColors.Gray, 0.5) { DashStyle = XDashStyle.Dash }, 20, HalfPage, page.Width.Point - 20, HalfPage);
        }
        if (notices.Count == 0) Empty(doc, school.Name, month);
        using var ms = new MemoryStream();
        doc.Save(ms);
        return (ms.ToArray(), notices.Count);
    }

    private const double HalfPage = 421, Compact = 0.86;

    private void Draw(XGraphics g, string schoolName, Notice n, string pupil, string paymentCode, BillingMonth month, SchoolBankAccount? account, double footerAt,
        ILookup<Guid, RefundNote> refunds)
    {
        var regular = new XFont("Noto Sans", 10);
        var small = new XFont("Noto Sans", 8);
        var bold = new XFont("Noto Sans", 10, XFontStyleEx.Bold);
        var title = new XFont("Noto Sans", 16, XFontStyleEx.Bold);
        const double left = 42, right = 553;
        var y = 40.0;
        void Text(string s, XFont f, double x, double top, double width = 300, XStringFormat? format = null) =>
            g.DrawString(s, f, XBrushes.Black, new XRect(x, top, width, 14), format ?? XStringFormats.TopLeft);

        Text(schoolName.ToUpperInvariant(), bold, left, y, 360);
        y += 22;
        Text("THÔNG BÁO CÁC KHOẢN THU", title, left, y, 360);
        y += 26;
        Text($"Tháng {month.Month:D2}/{month.Year} · Số: {n.NoticeNo}", regular, left, y, 360);
        y += 22;
        Text($"Học sinh: {pupil}", bold, left, y, 360);
        y += 16;
        Text($"Lớp: {n.ClassName}", regular, left, y, 360);
        y += 16;
        Text($"Mã thanh toán: {paymentCode}", bold, left, y, 360);
        y += 18;
        Barcode(g, paymentCode, left, y, 1.2, 38);
        y += 58;

        var balance = n.AmountDueVnd - n.AmountPaidVnd;
        if (account is not null && NoticeQr.Payload(n.Status, balance, account.Bin, account.AccountNo, paymentCode, month) is { } payload)
        {
            Qr(g, payload, right - 150, 40, 150);
            Text("Quét mã VietQR để chuyển khoản", regular, right - 170, 196, 170, XStringFormats.TopCenter);
        }

        double[] cols = [left, 270, 310, 400, 470];
        string[] heads = ["Khoản thu", "SL", "Đơn giá", "Miễn giảm", "Thành tiền"];
        g.DrawLine(XPens.Black, left, y - 4, right, y - 4);
        for (var i = 0; i < heads.Length; i++) Text(heads[i], bold, cols[i], y, i == 0 ? 220 : right - cols[i], i == 0 ? XStringFormats.TopLeft : null);
        y += 18;
        g.DrawLine(XPens.Black, left, y - 3, right, y - 3);
        foreach (var l in n.Lines.OrderBy(l => l.LineNo))
        {
            Text(l.ItemName, regular, cols[0], y, 220);
            Text(l.Quantity.ToString(System.Globalization.CultureInfo.InvariantCulture), regular, cols[1], y, 30);
            Text(Lang.Money(l.UnitPriceVnd), regular, cols[2], y, 85);
            // The percent, never the ground (which stays with the school's reduction work); its document below.
            Text(l.ReductionPercent > 0 ? $"{l.ReductionPercent}%" : "", regular, cols[3], y, 70);
            g.DrawString(Lang.Money(l.AmountVnd), regular, XBrushes.Black, new XRect(cols[4], y, right - cols[4], 14), XStringFormats.TopRight);
            y += 16;
            if (l.LegalBasis is { } basis)
            {
                Text("  Căn cứ: " + basis, small, cols[0], y - 3, cols[4] - cols[0] - 10);
                y += 11;
            }
            if (Application.Billing.PartMonthNote.Text(l.PartMonth, l.DaysIn, l.DaysOf, english: false) is { } part)
            {
                Text("  " + part, small, cols[0], y - 3, cols[4] - cols[0] - 10);
                y += 11;
            }
            if (l.ReductionPercent > 0 && l.ReductionBasis is { } why)
            {
                Text("  Miễn giảm theo: " + why, small, cols[0], y - 3, cols[4] - cols[0] - 10);
                y += 11;
            }
            if (l.SupportVnd > 0)
            {
                Text("  Nhà nước hỗ trợ" + (l.SupportBasis is { } sb ? " theo " + sb : ""), small, cols[0], y, cols[4] - cols[0] - 10);
                g.DrawString("-" + Lang.Money(l.SupportVnd), small, XBrushes.Black, new XRect(cols[4], y, right - cols[4], 14), XStringFormats.TopRight);
                y += 13;
            }
            // Days of earlier months given back (or taken back) on this line, each with its rule.
            foreach (var r in refunds[l.Id])
            {
                Text("  " + r.Text(english: false), small, cols[0], y, cols[4] - cols[0] - 10);
                // ASCII signs: the embedded font has no U+2212.
                g.DrawString((r.AmountVnd > 0 ? "-" : "+") + Lang.Money(Math.Abs(r.AmountVnd)), small, XBrushes.Black, new XRect(cols[4], y, right - cols[4], 14), XStringFormats.TopRight);
                y += 13;
            }
        }
        g.DrawLine(XPens.Black, left, y, right, y);
        y += 6;
        foreach (var (label, value, f) in new[] { ("Tổng cộng", n.AmountDueVnd, regular), ("Đã nộp", n.AmountPaidVnd, regular), ("Còn phải nộp", balance, bold) })
        {
            Text(label, f, cols[3], y, 80);
            g.DrawString(Lang.Money(value), f, XBrushes.Black, new XRect(cols[4], y, right - cols[4], 14), XStringFormats.TopRight);
            y += 16;
        }
        y += 10;
        Text($"Hạn nộp: {Lang.Date(n.DueDate)}", bold, left, y, 400);
        y += 22;
        if (account is not null)
        {
            var bank = BankDirectory.All.FirstOrDefault(b => b.Bin == account.Bin)?.Name ?? account.Bank;
            Text($"Chuyển khoản: {bank} · Số tài khoản {account.AccountNo} · {account.AccountName}", regular, left, y, 510);
            y += 16;
            Text($"Nội dung chuyển khoản: {paymentCode} {month.Key}", regular, left, y, 510);
            y += 16;
            Text($"Hoặc tại quầy, ứng dụng ngân hàng (Thanh toán hoá đơn → Học phí) với mã {paymentCode}.", regular, left, y, 510);
        }
        Text($"In ngày {Lang.Date(clock.Today)}", regular, left, Math.Max(footerAt, y + 18), 300);
    }

    private static void Empty(PdfDocument doc, string schoolName, BillingMonth month)
    {
        var page = doc.AddPage();
        using var g = XGraphics.FromPdfPage(page);
        g.DrawString($"{schoolName}: không có thông báo thu tháng {month.Month:D2}/{month.Year}.", new XFont("Noto Sans", 11), XBrushes.Black, new XPoint(42, 60));
    }

    internal static void Barcode(XGraphics g, string text, double x, double y, double module, double height)
    {
        var bar = true;
        x += 10 * module; // quiet zone
        foreach (var w in Code128.Widths(text))
        {
            if (bar) g.DrawRectangle(XBrushes.Black, x, y, w * module, height);
            x += w * module;
            bar = !bar;
        }
    }

    /// <summary>The QR drawn module by module (PDFsharp does not take QRCoder's PNG), with its quiet zone.</summary>
    internal static void Qr(XGraphics g, string payload, double x, double y, double size)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(payload, QRCodeGenerator.ECCLevel.M);
        List<BitArray> matrix = data.ModuleMatrix;
        var cell = size / matrix.Count;
        for (var r = 0; r < matrix.Count; r++)
            for (var c = 0; c < matrix[r].Count; c++)
                if (matrix[r][c]) g.DrawRectangle(XBrushes.Black, x + c * cell, y + r * cell, cell + 0.05, cell + 0.05);
    }

    private static readonly Lock FontLock = new();

    internal static void UseNotoSans()
    {
        lock (FontLock)
        {
            if (GlobalFontSettings.FontResolver is NotoSans) return;
            if (!File.Exists(Path.Combine(FontFolder, "NotoSans-Regular.ttf")))
                throw new EnvironmentProblemException("The Noto Sans font is missing: install it (apt-get install fonts-noto-core); other fonts drop Vietnamese marks.");
            GlobalFontSettings.FontResolver = new NotoSans();
        }
    }

    private sealed class NotoSans : IFontResolver
    {
        public FontResolverInfo ResolveTypeface(string familyName, bool isBold, bool isItalic) => new(isBold ? "NotoSans-Bold" : "NotoSans-Regular");

        public byte[] GetFont(string faceName) => File.ReadAllBytes(Path.Combine(FontFolder, faceName + ".ttf"));
    }
}
