using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TdmEdu.Fees.Api.Application.Reports;
using TdmEdu.Fees.Api.Web;

namespace TdmEdu.Fees.Api.Pages.Parent;

public sealed class StudentModel(ParentLookup lookup, ParentSession session) : PageModel
{
    public ParentView? View { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (session.StudentOf(Request) is not { } id) return LocalRedirect("/phu-huynh");
        // A parent's page is never cached: the back button after paying shows the money as it is now.
        Response.Headers.CacheControl = "no-store";
        View = await lookup.ViewAsync(id, ct);
        return Page();
    }
}
