using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TdmEdu.Fees.Api.Application.Reports;
using TdmEdu.Fees.Api.Pages.Shared;

namespace TdmEdu.Fees.Api.Pages;

/// <summary>
/// Each role lands on its own work (<see cref="Menu.HomeAsync"/>): a school's staff on the school's latest month with
/// notices, the administrator on the administration's home, the education office on all schools. Anyone not signed in
/// sees two doors: parents (the look-up, no account) and staff (the sign-in).
/// </summary>
public sealed class IndexModel(NoticeMonths months) : PageModel
{
    public async Task<IActionResult> OnGetAsync(CancellationToken ct) =>
        User.Identity?.IsAuthenticated == true ? LocalRedirect(await Menu.HomeAsync(User, months, ct)) : Page();
}
