using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TdmEdu.Fees.Api.Web;

namespace TdmEdu.Fees.Api.Pages;

/// <summary>The sign-in form: the same answer for an unknown e-mail and a wrong password; throttled per address (StaffSignIn).</summary>
public sealed class SignInModel(StaffSignIn signIn, Lang lang) : PageModel
{
    [BindProperty] public string Email { get; set; } = "";
    [BindProperty] public string Password { get; set; } = "";
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    public string? Problem { get; private set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var r = await signIn.SignInAsync(Email, Password, HttpContext.Connection.RemoteIpAddress?.ToString() ?? "?", ct);
        if (r.Result == StaffSignIn.Result.SignedIn) return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
        Problem = lang.Say(r.Says);
        if (r.Result is StaffSignIn.Result.TooManyFromAddress or StaffSignIn.Result.TooManyForLogin)
        {
            Response.StatusCode = 429;
            Response.Headers.RetryAfter = (r.MinutesLeft * 60).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return Page();
    }
}
