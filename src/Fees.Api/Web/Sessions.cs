using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TdmEdu.Fees.Api.Persistence;

namespace TdmEdu.Fees.Api.Web;

/// <summary>
/// A staff session is a cookie that names the login and carries its security stamp. Every request checks, in
/// PostgreSQL, that the login still exists, is not disabled and has the same stamp; signing out, a password
/// change, disabling and removing all change or remove the stamp, so every copy of the cookie, on every
/// instance, stops working at the next request. (Identity's own validator re-checks only every 30 minutes and
/// rebuilds the cookie when it does; one indexed read per request is the price of "at once".)
/// </summary>
public static class Sessions
{
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var services = context.HttpContext.RequestServices;
        var claims = services.GetRequiredService<IOptions<IdentityOptions>>().Value.ClaimsIdentity;
        var principal = context.Principal;
        var stamp = principal?.FindFirstValue(claims.SecurityStampClaimType);
        if (!Guid.TryParse(principal?.FindFirstValue(claims.UserIdClaimType), out var id) || stamp is null)
        {
            await RejectAsync(context);
            return;
        }
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var db = services.GetRequiredService<FeesDb>();
        var current = await db.Users.AsNoTracking()
            .AnyAsync(u => u.Id == id && u.SecurityStamp == stamp && (u.LockoutEnd == null || u.LockoutEnd <= now), context.HttpContext.RequestAborted);
        if (!current) await RejectAsync(context);
    }

    private static async Task RejectAsync(CookieValidatePrincipalContext context)
    {
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
    }

    /// <summary>Ends every session of the login (this one included): a new stamp, which no cookie carries.</summary>
    public static Task EndAllAsync(UserManager<FeesUser> users, FeesUser user) => users.UpdateSecurityStampAsync(user);
}
