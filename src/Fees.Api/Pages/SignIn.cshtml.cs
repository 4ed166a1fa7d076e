using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TdmEdu.Fees.Api.Persistence;

namespace TdmEdu.Fees.Api.Pages;

public sealed class SignInModel(SignInManager<FeesUser> signIn) : PageModel
{
    [BindProperty] public string Email { get; set; } = "";
    [BindProperty] public string Password { get; set; } = "";
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    public string? Problem { get; private set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        var r = await signIn.PasswordSignInAsync(Email ?? "", Password ?? "", isPersistent: false, lockoutOnFailure: true);
        if (r.Succeeded) return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
        Problem = r.IsLockedOut ? "locked" : "wrong-login";
        return Page();
    }
}
