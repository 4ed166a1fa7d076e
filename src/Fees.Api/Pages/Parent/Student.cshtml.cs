using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TdmEdu.Fees.Api.Application.Reports;
using TdmEdu.Fees.Api.Web;

namespace TdmEdu.Fees.Api.Pages.Parent;

/// <summary>The pupil looked up and the pupil's siblings (ParentSession.PupilsAsync), each with what is owed and one QR per school.</summary>
public sealed class StudentModel(ParentLookup lookup, ParentSession session) : PageModel
{
    public IReadOnlyList<ParentView> Views { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var pupils = await session.PupilsAsync(Request, lookup, ct);
        if (pupils.Count == 0) return LocalRedirect("/phu-huynh");
        // A parent's page is never cached: the back button after paying shows the money as it is now.
        Response.Headers.CacheControl = "no-store";
        Views = await lookup.ViewsAsync(pupils, ct);
        return Page();
    }
}

/// <summary>
/// A value the parent types into the bank app, shown with a copy button: <see cref="Shown"/> as read on the page,
/// <see cref="Copied"/> as the bank app wants it (an amount without dots or currency). <see cref="Id"/> is unique on the page.
/// </summary>
public sealed record CopyField(string Id, string Label, string Shown, string Copied);
