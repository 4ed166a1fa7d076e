using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Web;

namespace TdmEdu.Fees.Api.Pages;

/// <summary>
/// Each role lands on its own work: a school's month for its staff, all schools for the education office. Anyone not
/// signed in sees two doors: parents (the look-up, no account) and staff (the sign-in).
/// </summary>
public sealed class IndexModel(BusinessClock clock) : PageModel
{
    public IActionResult OnGet()
    {
        if (User.Identity?.IsAuthenticated != true) return Page();
        var period = $"{clock.Today:yyyy-MM}";
        return SchoolAccess.SchoolOf(User) is { } school ? LocalRedirect($"/truong/{school}/{period}") : LocalRedirect($"/so/{period}");
    }
}
