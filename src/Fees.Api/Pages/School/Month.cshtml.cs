using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TdmEdu.Fees.Api.Application;
using TdmEdu.Fees.Api.Web;
using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Api.Pages.School;

/// <summary>A school's month at a glance, for its own staff, the auditor and the administrator.</summary>
public sealed class MonthModel(SchoolMonth months, BusinessClock clock) : PageModel
{
    public MonthAtAGlance? Month { get; private set; }

    public async Task<IActionResult> OnGetAsync(string school, string? period, CancellationToken ct)
    {
        if (!SchoolAccess.CanRead(User, school)) return Forbid();
        var month = new BillingMonth(clock.Today.Year, clock.Today.Month);
        if (period is not null && !BillingMonth.TryParse(period, out month)) return NotFound();
        Month = await months.GetAsync(school.ToUpperInvariant(), month, ct);
        return Month is null ? NotFound() : Page();
    }
}
