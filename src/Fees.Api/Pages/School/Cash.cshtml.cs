using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Application;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Api.Web;

namespace TdmEdu.Fees.Api.Pages.School;

/// <summary>
/// Cash at the school office, by the school's accountant. The form carries a key made when it was shown, so a
/// double click or a resent form records the payment once and shows the same receipt.
/// </summary>
[MovesMoney]
public sealed class CashModel(FeesDb db, BusinessClock clock) : PageModel
{
    public string School { get; private set; } = "";
    [BindProperty(SupportsGet = true)] public string? Notice { get; set; }
    [BindProperty] public string? Amount { get; set; }
    [BindProperty] public string? Payer { get; set; }
    [BindProperty] public string ClientRef { get; set; } = "";
    [BindProperty(SupportsGet = true)] public string? Receipt { get; set; }
    public string? Problem { get; private set; }

    public IActionResult OnGet(string school)
    {
        if (!SchoolAccess.CanMoveMoney(User, school)) return Forbid();
        School = school.ToUpperInvariant();
        ClientRef = "web-" + Guid.NewGuid().ToString("N");
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string school, CancellationToken ct)
    {
        if (!SchoolAccess.CanMoveMoney(User, school)) return Forbid();
        School = school.ToUpperInvariant();
        if (string.IsNullOrEmpty(ClientRef) || !ClientRef.StartsWith("web-", StringComparison.Ordinal)) ClientRef = "web-" + Guid.NewGuid().ToString("N");
        var noticeNo = (Notice ?? "").Trim().ToUpperInvariant();
        if (!long.TryParse((Amount ?? "").Replace(".", "", StringComparison.Ordinal).Replace(",", "", StringComparison.Ordinal).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            Problem = "Số tiền phải là số đồng, ví dụ 1.371.800.";
            return Page();
        }
        // A school's accountant takes money for the school's own notices only.
        if (!await db.Notices.AnyAsync(n => n.NoticeNo == noticeNo && db.Schools.Any(s => s.Id == n.SchoolId && s.Code == School), ct))
        {
            Problem = $"Trường {School} không có thông báo {noticeNo}.";
            return Page();
        }
        try
        {
            var r = await new Ledger(db, clock, Actor.Of(User)).RecordCashAsync(noticeNo, amount, Payer, ClientRef, ct);
            return LocalRedirect($"/truong/{School}/thu-tien-mat?receipt={Uri.EscapeDataString(r.ReceiptNo)}&notice={Uri.EscapeDataString(noticeNo)}");
        }
        catch (Exception e) when (e is BadInputException or BusinessRuleException)
        {
            Problem = e.Message;
            return Page();
        }
    }
}
