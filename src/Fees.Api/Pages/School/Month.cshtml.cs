using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TdmEdu.Fees.Api.Application.Reports;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Pages.Shared;
using TdmEdu.Fees.Api.Web;
using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Api.Pages.School;

/// <summary>
/// A school's month at a glance, for its own staff, the auditor and the administrator; without a month, the latest with
/// notices (where the staff land). A month picker goes to the others.
/// </summary>
public sealed class MonthModel(SchoolMonth months, NoticeMonths noticeMonths, Ageing ageing, BusinessClock clock) : PageModel
{
    public MonthAtAGlance? Month { get; private set; }
    public Ageing.Row? Outstanding { get; private set; }
    public Ageing.Row? Unidentified { get; private set; }
    public List<Ageing.MonthRow> Months { get; private set; } = [];
    public MonthPicker? Picker { get; private set; }

    public async Task<IActionResult> OnGetAsync(string school, string? period, CancellationToken ct)
    {
        if (!SchoolAccess.CanRead(User, school)) return Forbid();
        BillingMonth month;
        if (period is null) month = await noticeMonths.LandingAsync(school, ct);
        else if (!BillingMonth.TryParse(period, out month)) return NotFound();
        Month = await months.GetAsync(school.ToUpperInvariant(), month, ct);
        if (Month is null) return NotFound();
        Picker = await MonthPicker.ForAsync(noticeMonths, Month.School, month, m => $"/truong/{Month.School}/{m}", ct);
        Outstanding = (await ageing.OutstandingAsync(clock.Today, Month.School, ct)).SingleOrDefault();
        Unidentified = (await ageing.UnidentifiedAsync(clock.Today, Month.School, ct)).SingleOrDefault();
        Months = await ageing.MonthsAsync(SchoolYear.Containing(month), Month.School, ct);
        return Page();
    }
}
