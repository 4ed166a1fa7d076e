using Microsoft.AspNetCore.Mvc.RazorPages;
using TdmEdu.Fees.Api.Pages.Shared;
using TdmEdu.Fees.Api.Web;

namespace TdmEdu.Fees.Api.Pages.Admin;

/// <summary>The administrator's home: the administration's tasks, each with what it is for; the menu's own entries.</summary>
public sealed class HomeModel : PageModel
{
    public IReadOnlyList<Menu.Entry> Tasks { get; private set; } = [];

    public void OnGet() =>
        Tasks = Menu.Entries.Where(e => e.Page != typeof(HomeModel) && !e.Route.Contains("{school}", StringComparison.Ordinal)
                                        && SchoolAccess.MayOpen(User, null, e.Page)).ToList();
}
