using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Api.Web;

namespace TdmEdu.Fees.Api.Pages;

/// <summary>Signing out ends the session at once: the login's stamp changes, so a copy of the cookie kept anywhere is refused.</summary>
public sealed class SignOutModel(SignInManager<FeesUser> signIn, UserManager<FeesUser> users) : PageModel
{
    public IActionResult OnGet() => LocalRedirect("/");

    public async Task<IActionResult> OnPostAsync()
    {
        if (await users.GetUserAsync(User) is { } user) await Sessions.EndAllAsync(users, user);
        await signIn.SignOutAsync();
        return LocalRedirect("/dang-nhap");
    }
}
