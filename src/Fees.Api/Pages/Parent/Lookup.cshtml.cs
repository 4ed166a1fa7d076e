using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TdmEdu.Fees.Api.Application;
using TdmEdu.Fees.Api.Web;

namespace TdmEdu.Fees.Api.Pages.Parent;

public sealed class LookupModel(ParentLookup lookup, ParentSession session, ParentGuard guard) : PageModel
{
    [BindProperty] public string Code { get; set; } = "";
    [BindProperty] public string DateOfBirth { get; set; } = "";
    public string? Problem { get; private set; }
    public string? Masked { get; private set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!await guard.AllowAsync(HttpContext.Connection.RemoteIpAddress?.ToString() ?? "?", Code ?? "", ct))
        {
            Problem = "too-many";
            Response.StatusCode = 429;
            return Page();
        }
        DateOnly? dob = DateOnly.TryParseExact((DateOfBirth ?? "").Trim(), ["dd/MM/yyyy", "d/M/yyyy", "yyyy-MM-dd"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
        var found = await lookup.FindAsync(Code, dob, ct);
        if (found.StudentId is { } id)
        {
            session.Start(Response, id);
            return LocalRedirect("/phu-huynh/hoc-sinh");
        }
        (Problem, Masked) = found.MaskedName is { } masked ? ("dob-mismatch", masked) : ("no-such-code", null);
        return Page();
    }
}
