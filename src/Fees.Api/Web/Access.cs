using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TdmEdu.Fees.Api.Persistence;

namespace TdmEdu.Fees.Api.Web;

/// <summary>Who may do what. A school's staff see their own school only; the auditor sees every school and moves no money.</summary>
public static class Roles
{
    public const string Admin = "admin", Accountant = "accountant", Principal = "principal", Auditor = "auditor";
    public static readonly string[] All = [Admin, Accountant, Principal, Auditor];
    public static bool NeedsSchool(string role) => role is Accountant or Principal;

    /// <summary>What a role is called on a Vietnamese page.</summary>
    public static string Vietnamese(string role) => role switch
    {
        Admin => "quản trị viên", Accountant => "kế toán", Principal => "hiệu trưởng", Auditor => "chuyên viên phòng giáo dục", _ => role,
    };

    /// <summary>What a role is called on an English page.</summary>
    public static string English(string role) => role switch
    {
        Admin => "administrator", Accountant => "accountant", Principal => "principal", Auditor => "education office auditor", _ => role,
    };
}

public static class FeesClaims
{
    public const string SchoolId = "fees:school_id", SchoolCode = "fees:school", DisplayName = "fees:name";
}

/// <summary>Marks a page or route that moves a school's money: only that school's accountant may use it, and tests check so.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class MovesMoneyAttribute : Attribute;

/// <summary>Marks a page or route that shows pupils' names or payers: a school's own staff and the administrator, never the auditor; tests check so.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class ShowsPupilsAttribute : Attribute;

/// <summary>Marks a handler only the school's principal may use (approving corrections above the authority's limit); tests check so.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class PrincipalDecidesAttribute : Attribute;

public static class Policies
{
    public const string SignedIn = "signed-in", Admin = "admin", ReadAll = "read-all";
}

public static class SchoolAccess
{
    public static string? SchoolOf(ClaimsPrincipal user) => user.FindFirstValue(FeesClaims.SchoolCode);

    /// <summary>Reading a school's data: its own staff, the auditor and the administrator.</summary>
    public static bool CanRead(ClaimsPrincipal user, string schoolCode) =>
        user.Identity?.IsAuthenticated == true
        && (user.IsInRole(Roles.Admin) || user.IsInRole(Roles.Auditor)
            || (user.IsInRole(Roles.Accountant) || user.IsInRole(Roles.Principal)) && string.Equals(SchoolOf(user), schoolCode, StringComparison.OrdinalIgnoreCase));

    /// <summary>Pupils' names, payers and receipts of a school: its own staff and the administrator; never the education office.</summary>
    public static bool CanSeePupils(ClaimsPrincipal user, string schoolCode) =>
        user.Identity?.IsAuthenticated == true
        && (user.IsInRole(Roles.Admin)
            || (user.IsInRole(Roles.Accountant) || user.IsInRole(Roles.Principal)) && string.Equals(SchoolOf(user), schoolCode, StringComparison.OrdinalIgnoreCase));

    /// <summary>Approving a correction above the authority's limit: the school's own principal only.</summary>
    public static bool CanApprove(ClaimsPrincipal user, string schoolCode) =>
        user.Identity?.IsAuthenticated == true && user.IsInRole(Roles.Principal) && string.Equals(SchoolOf(user), schoolCode, StringComparison.OrdinalIgnoreCase);

    /// <summary>Moving a school's money (cash, billing, review decisions): its own accountant only.</summary>
    public static bool CanMoveMoney(ClaimsPrincipal user, string schoolCode) =>
        user.Identity?.IsAuthenticated == true && user.IsInRole(Roles.Accountant) && string.Equals(SchoolOf(user), schoolCode, StringComparison.OrdinalIgnoreCase);
}

/// <summary>Puts the user's school and name into the sign-in cookie, so every request knows them without a query.</summary>
public sealed class FeesClaimsFactory(UserManager<FeesUser> users, RoleManager<IdentityRole<Guid>> roles, IOptions<IdentityOptions> options, FeesDb db)
    : UserClaimsPrincipalFactory<FeesUser, IdentityRole<Guid>>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(FeesUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(FeesClaims.DisplayName, user.DisplayName));
        if (user.SchoolId is { } id)
        {
            identity.AddClaim(new Claim(FeesClaims.SchoolId, id.ToString()));
            var code = await db.Schools.AsNoTracking().Where(s => s.Id == id).Select(s => s.Code).SingleAsync();
            identity.AddClaim(new Claim(FeesClaims.SchoolCode, code));
        }
        return identity;
    }
}
