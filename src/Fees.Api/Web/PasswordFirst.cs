namespace TdmEdu.Fees.Api.Web;

/// <summary>
/// A password the administrator reset is known to two people. Until its user picks their own on /doi-mat-khau, a
/// session signed in with it opens only that page, signing out, the language switch and what those pages need: a
/// page asked for is sent to the password page, an API route answers 403 saying why.
/// </summary>
public static class PasswordFirst
{
    private static readonly string[] Open = ["/doi-mat-khau", "/dang-xuat", "/ngon-ngu", "/giao-dien.css", "/loi", "/khong-duoc-phep", "/api/auth/sign-out"];

    public static async Task Middleware(HttpContext context, Func<Task> next)
    {
        if (context.User.HasClaim(c => c.Type == FeesClaims.MustChangePassword) && !Open.Any(p => context.Request.Path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase)))
        {
            if (context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                await context.Response.WriteAsJsonAsync(new { title = "Change your password first", status = 403,
                    detail = "The administrator reset this login's password; pick your own at /doi-mat-khau before anything else." },
                    options: null, contentType: "application/problem+json", cancellationToken: context.RequestAborted);
                return;
            }
            context.Response.Redirect("/doi-mat-khau");
            return;
        }
        await next();
    }
}
