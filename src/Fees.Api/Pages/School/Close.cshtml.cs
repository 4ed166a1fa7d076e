using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Application.Billing;
using TdmEdu.Fees.Api.Application.Reports;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Pages.Shared;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Api.Web;
using TdmEdu.Fees.Domain.Notices;
using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Api.Pages.School;

/// <summary>
/// Closing a school's month from the screen (`notices close`): whether it is open, what is still unpaid or waiting in
/// the review queue, and, for the accountant, the close itself after an explicit confirmation. A closed month takes no
/// more billing; payments still apply to its notices.
/// </summary>
public sealed class CloseModel(FeesDb db, BusinessClock clock, NoticeMonths months, Lang lang) : PageModel
{
    public string School { get; private set; } = "";
    public BillingMonth Month { get; private set; }
    public DateTimeOffset? ClosedAt { get; private set; }
    public string? ClosedBy { get; private set; }
    public int Notices { get; private set; }
    public int Open { get; private set; }
    public bool MayClose { get; private set; }
    [BindProperty] public bool Sure { get; set; }
    [BindProperty(SupportsGet = true)] public string? Said { get; set; }
    public string? Problem { get; private set; }
    public List<string> Warnings { get; private set; } = [];
    public MonthPicker? Picker { get; private set; }

    public async Task<IActionResult> OnGetAsync(string school, string period, CancellationToken ct)
    {
        if (!SchoolAccess.CanRead(User, school)) return Forbid();
        return await LoadAsync(school, period, ct) ? Page() : NotFound();
    }

    [MovesMoney]
    public async Task<IActionResult> OnPostAsync(string school, string period, CancellationToken ct)
    {
        if (!SchoolAccess.CanMoveMoney(User, school)) return Forbid();
        if (!await LoadAsync(school, period, ct)) return NotFound();
        if (!Sure)
        {
            Problem = lang.English ? "Tick the box to confirm the close." : "Hãy đánh dấu ô xác nhận trước khi khoá sổ.";
            return Page();
        }
        var (_, waiting) = await new MonthlyBilling(db, clock, Actor.Of(User)).CloseAsync(Month, School, ct);
        if (waiting.Count > 0)
        {
            // Days a leaver's notices can no longer give back are said on the page, not lost behind a redirect.
            Warnings = waiting.Select(w => lang.English ? w.En : w.Vi).ToList();
            await LoadAsync(school, period, ct);
            return Page();
        }
        return LocalRedirect($"/truong/{School}/{Month}/khoa-so?said=da-khoa");
    }

    private async Task<bool> LoadAsync(string school, string period, CancellationToken ct)
    {
        if (!BillingMonth.TryParse(period, out var month)) return false;
        School = school.ToUpperInvariant();
        Month = month;
        MayClose = SchoolAccess.CanMoveMoney(User, school);
        var id = await db.Schools.AsNoTracking().Where(s => s.Code == School).Select(s => (Guid?)s.Id).SingleOrDefaultAsync(ct);
        if (id is null) return false;
        var row = await db.BillingPeriods.AsNoTracking().SingleOrDefaultAsync(p => p.SchoolId == id && p.PeriodKey == month.Key, ct);
        (ClosedAt, ClosedBy) = (row?.ClosedAt, row?.ClosedBy);
        var notices = db.Notices.AsNoTracking().Where(n => n.SchoolId == id && n.PeriodKey == month.Key);
        Notices = await notices.CountAsync(ct);
        Open = await notices.CountAsync(n => n.Status == NoticeStatus.Issued || n.Status == NoticeStatus.PartiallyPaid, ct);
        Picker = await MonthPicker.ForAsync(months, School, month, m => $"/truong/{School}/{m}/khoa-so", ct);
        return true;
    }
}
