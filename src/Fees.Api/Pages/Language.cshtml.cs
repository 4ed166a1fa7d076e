using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TdmEdu.Fees.Api.Web;

namespace TdmEdu.Fees.Api.Pages;

public sealed class LanguageModel : PageModel
{
    public IActionResult OnGet(string? to, string? back)
    {
        Response.Cookies.Append(Lang.Cookie, to == "en" ? "en" : "vi", new CookieOptions
        {
            HttpOnly = true, SameSite = SameSiteMode.Lax, Secure = Request.IsHttps, MaxAge = TimeSpan.FromDays(365), IsEssential = true,
        });
        return LocalRedirect(Url.IsLocalUrl(back) ? back! : "/");
    }
}
