using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TdmEdu.Fees.Api.Application.Reports;
using TdmEdu.Fees.Api.Web;

namespace TdmEdu.Fees.Api.Pages.Parent;

/// <summary>
/// The parent's look-up form. One answer for every look-up that finds no child (an unknown code, a right code
/// with a wrong date), a hint for a date that cannot be read, and a limit that counts failures only and cannot be used
/// to lock a family out (ParentGuard).
/// </summary>
public sealed class LookupModel(ParentLookup lookup, ParentSession session, ParentGuard guard) : PageModel
{
    [BindProperty] public string Code { get; set; } = "";
    [BindProperty] public string DateOfBirth { get; set; } = "";
    public string? Problem { get; private set; }

    /// <summary>A message's link that did not open (wrong, expired or revoked) lands here with one sentence, whatever was wrong.</summary>
    public void OnGet([FromQuery(Name = "lien-ket")] string? link)
    {
        if (link is not null) Problem = "bad-link";
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        // A date that cannot be read gets a hint on how to type it. It is decided from the typed text alone, before the
        // code is looked at or counted, so this answer says nothing about any code.
        if (ParentLookup.ParseDate(DateOfBirth) is not { } born)
        {
            Problem = "bad-date";
            return Page();
        }
        var ticket = await guard.TakeAsync(HttpContext.Connection.RemoteIpAddress?.ToString() ?? "?", Code ?? "", ct);
        if (!ticket.Allowed)
        {
            Problem = "too-many";
            Response.StatusCode = 429;
            return Page();
        }
        if (await lookup.FindAsync(Code, born, ct) is { } id)
        {
            await guard.SucceededAsync(ticket, ct);
            session.Start(Response, id);
            return LocalRedirect("/phu-huynh/hoc-sinh");
        }
        Problem = "no-match";
        return Page();
    }
}
