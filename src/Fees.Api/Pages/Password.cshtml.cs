using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Api.Web;

namespace TdmEdu.Fees.Api.Pages;

/// <summary>
/// Every signed-in user changes their own password, giving the current one. The login's other sessions end (a new
/// stamp); this one goes on, signed in again with the new stamp.
/// </summary>
[Authorize(Policy = Policies.SignedIn)]
public sealed class PasswordModel(UserManager<FeesUser> users, SignInManager<FeesUser> signIn, AccountChanges changes, Lang lang) : PageModel
{
    [BindProperty] public string Current { get; set; } = "";
    [BindProperty] public string Next { get; set; } = "";
    [BindProperty] public string Repeat { get; set; } = "";
    public string? Problem { get; private set; }
    public string? Done { get; private set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await users.GetUserAsync(User) is not { } user) return LocalRedirect("/dang-nhap");
        try
        {
            Done = lang.Say(await changes.ChangeOwnAsync(user, Current ?? "", Next ?? "", Repeat ?? "", ct));
            await signIn.SignInAsync(user, isPersistent: false);
        }
        catch (BadInputException e)
        {
            Problem = lang.Say(e);
        }
        return Page();
    }
}
