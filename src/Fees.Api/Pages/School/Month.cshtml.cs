using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TdmEdu.Fees.Api.Application.Reports;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Web;
using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Api.Pages.School;

/// <summary>A school's month at a glance, for its own staff, the auditor and the administrator.</summary>
public sealed class MonthModel(SchoolMonth months, Ageing ageing, BusinessClock clock) : PageModel
{
    public MonthAtAGlance? Month { get; private set; }
    public Ageing.Row? Outstanding { get; private set; }
    public Ageing.Row? Unidentified { get; private set; }
    public List<Ageing.MonthRow> Months { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string school, string? period, CancellationToken ct)
    {
        if (!SchoolAccess.CanRead(User, school)) return Forbid();
        var month = new BillingMonth(clock.Today.Year, clock.Today.Month);
        if (period is not null && !BillingMonth.TryParse(period, out month)) return NotFound();
        Month = await months.GetAsync(school.ToUpperInvariant(), month, ct);
        if (Month is null) return NotFound();
        Outstanding = (await ageing.OutstandingAsync(clock.Today, Month.School, ct)).SingleOrDefault();
        Unidentified = (await ageing.UnidentifiedAsync(clock.Today, Month.School, ct)).SingleOrDefault();
        Months = await ageing.MonthsAsync(SchoolYear.Containing(month), Month.School, ct);
        return Page();
    }
}
