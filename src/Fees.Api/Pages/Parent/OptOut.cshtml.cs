using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TdmEdu.Fees.Api.Application.Messages;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Web;

namespace TdmEdu.Fees.Api.Pages.Parent;

/// <summary>
/// The one-click opt-out of a reminder's e-mail (contracts/notifications.md §9, RFC 8058). Opening the link only asks
/// (mail scanners open links); the button, or the mail app's own one-click POST, switches reminders off on that
/// channel for that guardian. The token is the credential, so the POST carries no antiforgery token: a mail app
/// cannot have one. Any wrong token (format, signature, expiry, unknown message) gets the same answer.
/// </summary>
[IgnoreAntiforgeryToken]
public sealed class OptOutModel(ParentLinks links, GuardianChoices choices, BusinessClock clock) : PageModel
{
    public const int MaxTokenLength = 100;

    /// <summary>asking, done or bad-link.</summary>
    public string State { get; private set; } = "asking";
    public string? Channel { get; private set; }

    public IActionResult OnGet(string token)
    {
        Response.Headers.CacheControl = NoStore.CacheControl;
        if (Message(token) is null) return Bad();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string token, CancellationToken ct)
    {
        Response.Headers.CacheControl = NoStore.CacheControl;
        if (Message(token) is not { } id || await choices.RemindersOffAsync(id, ct) is not { } channel) return Bad();
        (State, Channel) = ("done", channel);
        return Page();
    }

    private Guid? Message(string token) => token.Length > MaxTokenLength ? null : links.OptOutMessage(token, clock.Now);

    private PageResult Bad()
    {
        State = "bad-link";
        Response.StatusCode = StatusCodes.Status404NotFound;
        return Page();
    }
}
