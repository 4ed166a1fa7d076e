using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Application.Payments;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Api.Web;
using TdmEdu.Fees.Domain.Notices;

namespace TdmEdu.Fees.Api.Pages.School;

/// <summary>
/// Cash at the school office, by the school's accountant. The form carries a key made when it was shown, so a
/// double click or a resent form records the payment once and shows the same receipt.
/// </summary>
[MovesMoney]
public sealed class CashModel(FeesDb db, BusinessClock clock, Lang lang) : PageModel
{
    public string School { get; private set; } = "";
    [BindProperty(SupportsGet = true)] public string? Notice { get; set; }
    [BindProperty] public string? Amount { get; set; }
    [BindProperty] public string? Payer { get; set; }
    [BindProperty] public string ClientRef { get; set; } = "";
    [BindProperty(SupportsGet = true)] public string? Receipt { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? Payment { get; set; }
    /// <summary>What the notice had been paid when the form was drawn; a payment made since stops the form.</summary>
    [BindProperty] public long? Seen { get; set; }
    public NoticeSummary? Shown { get; private set; }
    public string? Problem { get; private set; }

    public sealed record NoticeSummary(string NoticeNo, string Pupil, string StudentCode, string ClassName, long DueVnd, long PaidVnd, string Status);

    public async Task<IActionResult> OnGetAsync(string school, CancellationToken ct)
    {
        if (!SchoolAccess.CanMoveMoney(User, school)) return Forbid();
        School = school.ToUpperInvariant();
        ClientRef = "web-" + Guid.NewGuid().ToString("N");
        if (Receipt is null && !string.IsNullOrWhiteSpace(Notice))
        {
            Shown = await SummaryAsync(Notice.Trim().ToUpperInvariant(), ct);
            if (Shown is null) Problem = lang.English ? $"School {School} has no notice {Notice}." : $"Trường {School} không có thông báo {Notice}.";
            else
            {
                Seen = Shown.PaidVnd;
                Amount ??= Lang.Number(Math.Max(0, Shown.DueVnd - Shown.PaidVnd));
            }
        }
        return Page();
    }

    /// <summary>The receipt of a payment taken here, as a PDF to print or hand over.</summary>
    public async Task<IActionResult> OnGetReceiptAsync(string school, [FromServices] Printing.ReceiptPdf pdf, CancellationToken ct)
    {
        if (!SchoolAccess.CanMoveMoney(User, school)) return Forbid();
        if (Payment is not { } id) return NotFound();
        return await pdf.ForPaymentAsync(id, school.ToUpperInvariant(), null, ct) is { } printed
            ? File(printed.Pdf, "application/pdf", printed.FileName)
            : NotFound();
    }

    private Task<NoticeSummary?> SummaryAsync(string noticeNo, CancellationToken ct) =>
        (from n in db.Notices.AsNoTracking()
         join s in db.Students.AsNoTracking() on n.StudentId equals s.Id
         where n.NoticeNo == noticeNo && db.Schools.Any(sc => sc.Id == n.SchoolId && sc.Code == School)
         select new NoticeSummary(n.NoticeNo, s.FullName, s.StudentCode, n.ClassName, n.AmountDueVnd, n.AmountPaidVnd, n.Status.ToWire()))
        .SingleOrDefaultAsync(ct);

    public async Task<IActionResult> OnPostAsync(string school, CancellationToken ct)
    {
        if (!SchoolAccess.CanMoveMoney(User, school)) return Forbid();
        School = school.ToUpperInvariant();
        if (string.IsNullOrEmpty(ClientRef) || !ClientRef.StartsWith("web-", StringComparison.Ordinal)) ClientRef = "web-" + Guid.NewGuid().ToString("N");
        var noticeNo = (Notice ?? "").Trim().ToUpperInvariant();
        if (!long.TryParse((Amount ?? "").Replace(".", "", StringComparison.Ordinal).Replace(",", "", StringComparison.Ordinal).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            Problem = lang.English ? "The amount is a whole number of đồng, like 1.371.800." : "Số tiền phải là số đồng, ví dụ 1.371.800.";
            Shown = await SummaryAsync(noticeNo, ct);
            return Page();
        }
        // A school's accountant takes money for the school's own notices only.
        if (!await db.Notices.AnyAsync(n => n.NoticeNo == noticeNo && db.Schools.Any(s => s.Id == n.SchoolId && s.Code == School), ct))
        {
            Problem = lang.English ? $"School {School} has no notice {noticeNo}." : $"Trường {School} không có thông báo {noticeNo}.";
            return Page();
        }
        try
        {
            var r = await new Ledger(db, clock, Actor.Of(User)).RecordCashAsync(noticeNo, amount, Payer, ClientRef, ct, Seen);
            return LocalRedirect($"/truong/{School}/thu-tien-mat?receipt={Uri.EscapeDataString(r.ReceiptNo)}&notice={Uri.EscapeDataString(noticeNo)}&payment={r.PaymentId}");
        }
        catch (Exception e) when (e is BadInputException or BusinessRuleException)
        {
            Problem = lang.Say(e);
            Shown = await SummaryAsync(noticeNo, ct);
            if (Shown is not null) Seen = Shown.PaidVnd;
            ClientRef = "web-" + Guid.NewGuid().ToString("N");
            return Page();
        }
    }
}
