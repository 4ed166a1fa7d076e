using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TdmEdu.Fees.Api.Application.Pupils;
using TdmEdu.Fees.Api.Web;

namespace TdmEdu.Fees.Api.Pages.School;

/// <summary>
/// The pupil search of a school: the results page the header's form opens (it works without script), and the same results
/// as an HTML fragment for the script that shows them while one types (?handler=Results). The query travels in the query
/// string, which the request log leaves out.
/// </summary>
[ShowsPupils]
public sealed class SearchModel(PupilSearch search) : PageModel
{
    public string School { get; private set; } = "";
    [BindProperty(SupportsGet = true, Name = "q")] public string? Text { get; set; }
    public SearchAnswer? Answer { get; private set; }

    public async Task<IActionResult> OnGetAsync(string school, CancellationToken ct)
    {
        if (!SchoolAccess.CanSeePupils(User, school)) return Forbid();
        School = school.ToUpperInvariant();
        if (!string.IsNullOrWhiteSpace(Text)) Answer = await search.FindAsync(School, Text, ct);
        ViewData["SearchText"] = Text;
        return Page();
    }

    public async Task<IActionResult> OnGetResultsAsync(string school, CancellationToken ct)
    {
        if (!SchoolAccess.CanSeePupils(User, school)) return Forbid();
        School = school.ToUpperInvariant();
        Answer = await search.FindAsync(School, Text, ct);
        Response.Headers.CacheControl = NoStore.CacheControl;
        return Partial("_SearchResults", this);
    }
}
