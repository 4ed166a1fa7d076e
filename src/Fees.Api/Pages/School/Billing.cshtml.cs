using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TdmEdu.Fees.Api.Application.Billing;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Api.Web;
using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Api.Pages.School;

/// <summary>
/// The school's monthly billing: a preview of the totals per class (nothing written), then the run. A second
/// run, or a resent form, finds every pupil billed and adds nothing.
/// </summary>
[MovesMoney]
public sealed class BillingModel(FeesDb db, BusinessClock clock, Lang lang) : PageModel
{
    public string School { get; private set; } = "";
    [BindProperty] public string Period { get; set; } = "";
    /// <summary>The due date chosen for this run (yyyy-MM-dd, as a date field sends it); empty is the schedule's due day.</summary>
    [BindProperty] public string? Due { get; set; }
    public BillingResult? Result { get; private set; }
    public string? Problem { get; private set; }

    public IActionResult OnGet(string school)
    {
        if (!SchoolAccess.CanMoveMoney(User, school)) return Forbid();
        School = school.ToUpperInvariant();
        Period = BillingMonth.Of(clock.Today).ToString();
        return Page();
    }

    public Task<IActionResult> OnPostPreviewAsync(string school, CancellationToken ct) => RunAsync(school, dryRun: true, ct);

    public Task<IActionResult> OnPostIssueAsync(string school, CancellationToken ct) => RunAsync(school, dryRun: false, ct);

    private async Task<IActionResult> RunAsync(string school, bool dryRun, CancellationToken ct)
    {
        if (!SchoolAccess.CanMoveMoney(User, school)) return Forbid();
        School = school.ToUpperInvariant();
        if (!BillingMonth.TryParse(Period, out var month))
        {
            Problem = lang.English ? $"\"{Period}\" is not a month like 2025-09." : $"\"{Period}\" không phải là một tháng như 2025-09.";
            return Page();
        }
        DateOnly? due = null;
        if (!string.IsNullOrWhiteSpace(Due))
        {
            if (!DateOnly.TryParseExact(Due.Trim(), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var d))
            {
                Problem = lang.English ? $"\"{Due}\" is not a date." : $"\"{Due}\" không phải là một ngày.";
                return Page();
            }
            due = d;
        }
        try
        {
            Result = await new MonthlyBilling(db, clock, Actor.Of(User)).IssueAsync(month, School, dryRun, ct, due);
        }
        catch (Exception e) when (e is BadInputException or BusinessRuleException)
        {
            Problem = lang.Reasons(e);
        }
        return Page();
    }
}
