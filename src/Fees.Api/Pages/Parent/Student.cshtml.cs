using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TdmEdu.Fees.Api.Application.Messages;
using TdmEdu.Fees.Api.Application.Reports;
using TdmEdu.Fees.Api.Web;

namespace TdmEdu.Fees.Api.Pages.Parent;

/// <summary>
/// The pupil looked up and the pupil's siblings (ParentSession.PupilsAsync), each with what is owed and one QR per
/// school; below them, which messages the guardian wants, per phone and e-mail address (GuardianChoices).
/// </summary>
public sealed class StudentModel(ParentLookup lookup, ParentSession session, GuardianChoices choices) : PageModel
{
    public IReadOnlyList<ParentView> Views { get; private set; } = [];
    public IReadOnlyList<GuardianChoices.Way> Ways { get; private set; } = [];
    /// <summary>The way whose choice was just saved ("phone" or "email"), to say so beside it.</summary>
    public string? Saved { get; private set; }

    public async Task<IActionResult> OnGetAsync([FromQuery(Name = "da-luu")] string? saved, CancellationToken ct)
    {
        var pupils = await session.PupilsAsync(Request, lookup, ct);
        if (pupils.Count == 0) return LocalRedirect("/phu-huynh");
        // A parent's page is never cached: the back button after paying shows the money as it is now.
        Response.Headers.CacheControl = NoStore.CacheControl;
        Views = await lookup.ViewsAsync(pupils, ct);
        Ways = await choices.ForPupilsAsync(pupils, ct);
        Saved = saved is GuardianChoices.Phone or GuardianChoices.Email ? saved : null;
        return Page();
    }

    /// <summary>Saves one way's choice for a guardian of the session's pupils; anything else changes nothing.</summary>
    public async Task<IActionResult> OnPostMessagesAsync(Guid guardianId, string? kind, string? choice, CancellationToken ct)
    {
        var pupils = await session.PupilsAsync(Request, lookup, ct);
        if (pupils.Count == 0) return LocalRedirect("/phu-huynh");
        if (kind is null || choice is null || !await choices.SetAsync(pupils, guardianId, kind, choice, ct)) return BadRequest();
        return LocalRedirect($"/phu-huynh/hoc-sinh?da-luu={kind}#nhan-tin");
    }
}

/// <summary>
/// A value the parent types into the bank app, shown with a copy button: <see cref="Shown"/> as read on the page,
/// <see cref="Copied"/> as the bank app wants it (an amount without dots or currency). <see cref="Id"/> is unique on the page.
/// </summary>
public sealed record CopyField(string Id, string Label, string Shown, string Copied);
