using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using TdmEdu.Fees.Api.Application;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Api.Web;
using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Api.Http;

/// <summary>
/// Sign-in for the API (the pages use the same cookie), and the routes with a school's data: every route under
/// /api/schools/{school}/ passes one filter that checks the caller may read that school.
/// </summary>
public static class AuthEndpoints
{
    public sealed record SignIn(string Email, string Password);

    public sealed record Me(string Email, string Name, IReadOnlyList<string> Roles, string? School);

    public static void Map(IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/auth");
        auth.MapPost("/sign-in", async (SignIn body, SignInManager<FeesUser> signIn) =>
        {
            var r = await signIn.PasswordSignInAsync(body.Email ?? "", body.Password ?? "", isPersistent: false, lockoutOnFailure: true);
            if (r.Succeeded) return Results.NoContent();
            return r.IsLockedOut
                ? Results.Problem(statusCode: 423, title: "Locked", detail: "Too many wrong passwords: this login is locked for 15 minutes.")
                : Results.Problem(statusCode: 401, title: "Not signed in", detail: "The email or the password is wrong.");
        });
        auth.MapPost("/sign-out", async (SignInManager<FeesUser> signIn) =>
        {
            await signIn.SignOutAsync();
            return Results.NoContent();
        }).RequireAuthorization(Policies.SignedIn);
        app.MapGet("/api/me", (ClaimsPrincipal user) => Results.Ok(new Me(user.FindFirstValue(ClaimTypes.Email) ?? user.Identity!.Name!,
            user.FindFirstValue(FeesClaims.DisplayName) ?? "", user.FindAll(ClaimTypes.Role).Select(c => c.Value).ToList(), SchoolAccess.SchoolOf(user))))
            .RequireAuthorization(Policies.SignedIn);

        var school = app.MapGroup("/api/schools/{school}").RequireAuthorization(Policies.SignedIn).AddEndpointFilter(async (ctx, next) =>
        {
            var code = ctx.HttpContext.GetRouteValue("school") as string ?? "";
            return SchoolAccess.CanRead(ctx.HttpContext.User, code)
                ? await next(ctx)
                : Results.Problem(statusCode: 403, title: "Not your school", detail: $"This login may not see school {code}.");
        });
        school.MapGet("/months/{period}", async (string school, string period, SchoolMonth months, CancellationToken ct) =>
        {
            if (!BillingMonth.TryParse(period, out var month)) return BadPeriod(period);
            return await months.GetAsync(school.ToUpperInvariant(), month, ct) is { } m ? Results.Ok(m) : UnknownSchool(school);
        });
        ReviewEndpoints.Map(school);
        school.MapGet("/notices", async (string school, string? period, string? status, SchoolMonth months, BusinessClock clock, CancellationToken ct) =>
        {
            var month = clock.Today is var t ? new BillingMonth(t.Year, t.Month) : default;
            if (period is not null && !BillingMonth.TryParse(period, out month)) return BadPeriod(period);
            return Results.Ok(await months.NoticesAsync(school.ToUpperInvariant(), month, status, ct));
        });
    }

    private static IResult BadPeriod(string period) => Results.Problem(statusCode: 400, title: "Bad period", detail: $"\"{period}\" is not a month like 2025-09.");

    private static IResult UnknownSchool(string school) => Results.Problem(statusCode: 404, title: "Unknown school", detail: $"School {school} is not known.");
}
