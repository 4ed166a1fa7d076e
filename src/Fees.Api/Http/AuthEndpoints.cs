using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using TdmEdu.Fees.Api.Application.Reports;
using TdmEdu.Fees.Api.Common;
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
        // One answer for an unknown e-mail and a wrong password (401); 429 with Retry-After when throttled (StaffSignIn).
        auth.MapPost("/sign-in", async (SignIn body, StaffSignIn signIn, HttpContext http, CancellationToken ct) =>
        {
            var r = await signIn.SignInAsync(body.Email, body.Password, http.Connection.RemoteIpAddress?.ToString() ?? "?", ct);
            switch (r.Result)
            {
                case StaffSignIn.Result.SignedIn: return Results.NoContent();
                case StaffSignIn.Result.Disabled: return Results.Problem(statusCode: 403, title: "Disabled", detail: r.Says.En);
                case StaffSignIn.Result.Wrong: return Results.Problem(statusCode: 401, title: "Not signed in", detail: r.Says.En);
                default:
                    http.Response.Headers.RetryAfter = (r.MinutesLeft * 60).ToString(System.Globalization.CultureInfo.InvariantCulture);
                    return Results.Problem(statusCode: 429, title: "Too many failed sign-ins", detail: r.Says.En);
            }
        });
        // Ends the session at once, and every other session of the login (Sessions).
        auth.MapPost("/sign-out", async (SignInManager<FeesUser> signIn, UserManager<FeesUser> users, ClaimsPrincipal user) =>
        {
            if (await users.GetUserAsync(user) is { } found) await Sessions.EndAllAsync(users, found);
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
                : ApiProblems.NotAllowed("Not your school", $"This login may not see school {code}.");
        });
        school.MapGet("/months/{period}", async (string school, string period, SchoolMonth months, CancellationToken ct) =>
        {
            if (!BillingMonth.TryParse(period, out var month)) return ApiProblems.BadPeriod(period);
            return await months.GetAsync(school.ToUpperInvariant(), month, ct) is { } m ? Results.Ok(m) : ApiProblems.UnknownSchool(school);
        });
        ReviewEndpoints.Map(school);
        MessageEndpoints.Map(school);
        // The school's staff and the administrator see whose notice it is; the education office the notices and their money only.
        school.MapGet("/notices", async (string school, string? period, string? status, SchoolMonth months, BusinessClock clock, ClaimsPrincipal user, CancellationToken ct) =>
        {
            var month = clock.Today is var t ? new BillingMonth(t.Year, t.Month) : default;
            if (period is not null && !BillingMonth.TryParse(period, out month)) return ApiProblems.BadPeriod(period);
            var rows = await months.NoticesAsync(school.ToUpperInvariant(), month, status, ct);
            return SchoolAccess.CanSeePupils(user, school) ? Results.Ok(rows) : Results.Ok(rows.Select(r => r.PupilFree()).ToList());
        });
    }
}
