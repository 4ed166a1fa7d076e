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
    /// <summary>Present while the login's password is one the administrator handed over (see <see cref="PasswordFirst"/>).</summary>
    public const string MustChangePassword = "fees:must_change_password";
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

    /// <summary>The roles a policy admits; null for any signed-in user. The host builds its policies from this.</summary>
    public static string[]? RolesOf(string policy) => policy switch
    {
        Admin => [Roles.Admin],
        ReadAll => [Roles.Admin, Roles.Auditor],
        _ => null,
    };

    /// <summary>The page folders and the policy each needs (the host's conventions; the menu reads the same list).</summary>
    public static readonly (string Folder, string Policy)[] Folders = [("/School", SignedIn), ("/Authority", ReadAll), ("/Admin", Admin)];

    /// <summary>The folder of Pages a page model lives in ("/School" for TdmEdu.Fees.Api.Pages.School.CashModel), with its policy.</summary>
    public static (string Folder, string Policy)? FolderOf(Type page)
    {
        var ns = page.Namespace ?? "";
        foreach (var f in Folders)
            if (ns.EndsWith(".Pages" + f.Folder.Replace('/', '.'), StringComparison.Ordinal)) return f;
        return null;
    }
}

public static class SchoolAccess
{
    public static string? SchoolOf(ClaimsPrincipal user) => user.FindFirstValue(FeesClaims.SchoolCode);

    /// <summary>Reading a school's data: its own staff, the auditor and the administrator.</summary>
    public static bool CanRead(ClaimsPrincipal user, string schoolCode) =>
        ReadsEverySchool(user)
        || user.Identity?.IsAuthenticated == true
        && ((user.IsInRole(Roles.Accountant) || user.IsInRole(Roles.Principal)) && string.Equals(SchoolOf(user), schoolCode, StringComparison.OrdinalIgnoreCase));

    /// <summary>The education office's auditor and the administrator read every school's data.</summary>
    public static bool ReadsEverySchool(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true && (user.IsInRole(Roles.Admin) || user.IsInRole(Roles.Auditor));

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

    /// <summary>
    /// Whether this user may open (GET) a page: the policy of its folder, then the marks on the page model and on its GET
    /// handler ([MovesMoney], [ShowsPupils], [PrincipalDecides]; a page of a school with none of them is read by
    /// <see cref="CanRead"/>). The same marks the pages check and the authorization tests read, so the menu never offers
    /// a page that answers "not allowed". A page of the School folder needs the school it would be opened for.
    /// </summary>
    public static bool MayOpen(ClaimsPrincipal user, string? schoolCode, Type page)
    {
        if (user.Identity?.IsAuthenticated != true) return false;
        var folder = Policies.FolderOf(page);
        if (folder is { } f && Policies.RolesOf(f.Policy) is { } roles && !roles.Any(user.IsInRole)) return false;
        if (folder?.Folder != "/School") return true;
        if (string.IsNullOrEmpty(schoolCode)) return false;
        var get = page.GetMethods(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.DeclaredOnly)
            .Where(m => m.Name is "OnGet" or "OnGetAsync").ToList();
        bool Marked<T>() where T : Attribute => page.IsDefined(typeof(T), inherit: false) || get.Any(m => m.IsDefined(typeof(T), inherit: false));
        return CanRead(user, schoolCode)
               && (!Marked<MovesMoneyAttribute>() || CanMoveMoney(user, schoolCode))
               && (!Marked<ShowsPupilsAttribute>() || CanSeePupils(user, schoolCode))
               && (!Marked<PrincipalDecidesAttribute>() || CanApprove(user, schoolCode));
    }
}

/// <summary>Puts the user's school and name into the sign-in cookie, so every request knows them without a query.</summary>
public sealed class FeesClaimsFactory(UserManager<FeesUser> users, RoleManager<IdentityRole<Guid>> roles, IOptions<IdentityOptions> options, FeesDb db)
    : UserClaimsPrincipalFactory<FeesUser, IdentityRole<Guid>>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(FeesUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(FeesClaims.DisplayName, user.DisplayName));
        if (user.MustChangePassword) identity.AddClaim(new Claim(FeesClaims.MustChangePassword, "1"));
        if (user.SchoolId is { } id)
        {
            identity.AddClaim(new Claim(FeesClaims.SchoolId, id.ToString()));
            var code = await db.Schools.AsNoTracking().Where(s => s.Id == id).Select(s => s.Code).SingleAsync();
            identity.AddClaim(new Claim(FeesClaims.SchoolCode, code));
        }
        return identity;
    }
}
