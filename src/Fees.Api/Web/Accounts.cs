using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Api.Security;

namespace TdmEdu.Fees.Api.Web;

public sealed record DemoLogin(string Role, string Email, string Password, string? School);

/// <summary>
/// Users and roles: the one set of rules for passwords and lockout, used by the web host and the CLI alike.
/// </summary>
public static class Accounts
{
    public static void Configure(IdentityOptions o)
    {
        o.Password.RequiredLength = MinPasswordLength;
        o.Password.RequireDigit = true;
        o.Password.RequireLowercase = true;
        o.Password.RequireUppercase = true;
        o.Password.RequireNonAlphanumeric = false;
        // Lockout is how a login is disabled (an end date that never comes). Wrong passwords do not lock an
        // account: StaffSignIn throttles them per address instead, so nobody can lock a colleague out (ADR 17).
        o.Lockout.AllowedForNewUsers = true;
        o.User.RequireUniqueEmail = true;
    }

    /// <summary>Identity over the given database for the CLI (no web host).</summary>
    public static ServiceProvider Services(string connectionString) =>
        new ServiceCollection()
            .AddLogging()
            .AddDbContext<FeesDb>(o => o.UseNpgsql(connectionString))
            .AddIdentityCore<FeesUser>(Configure).AddRoles<IdentityRole<Guid>>().AddEntityFrameworkStores<FeesDb>().Services
            .BuildServiceProvider();

    public const int MinPasswordLength = 12;

    /// <summary>The school a login of <paramref name="role"/> belongs to: one for school staff, none for the others; refused in words otherwise.</summary>
    public static async Task<Guid?> SchoolForRoleAsync(FeesDb db, string role, string? schoolCode, CancellationToken ct)
    {
        if (!Roles.All.Contains(role)) throw new BadInputException("--role", null, null, $"\"{role}\" is not one of {string.Join(", ", Roles.All)}.", $"\"{role}\" không phải là một vai trò ({string.Join(", ", Roles.All.Select(Roles.Vietnamese))}).");
        if (Roles.NeedsSchool(role))
        {
            if (schoolCode is null) throw new BadInputException("--school", null, null, $"a {role} belongs to one school; give its code.", "vai trò này thuộc một trường; hãy chọn trường.");
            return await db.Schools.Where(s => s.Code == schoolCode.ToUpperInvariant()).Select(s => (Guid?)s.Id).SingleOrDefaultAsync(ct)
                ?? throw new BadInputException("--school", null, null, $"there is no school {schoolCode}.", $"không có trường {schoolCode}.");
        }
        return schoolCode is null ? null
            : throw new BadInputException("--school", null, null, $"a {role} is not tied to one school.", "vai trò này không gắn với một trường; hãy để trống trường.");
    }

    /// <summary>The role's row, made on first use.</summary>
    public static async Task EnsureRoleAsync(FeesDb db, string role, CancellationToken ct)
    {
        if (await db.Roles.AnyAsync(r => r.Name == role, ct)) return;
        db.Roles.Add(new IdentityRole<Guid>(role) { Id = Guid.CreateVersion7(), NormalizedName = role.ToUpperInvariant(), ConcurrencyStamp = Guid.NewGuid().ToString() });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>A random password that meets the rules, for a reset: 20 characters without look-alikes (0/O, 1/l/I), with a digit and both cases.</summary>
    public static string NewPassword()
    {
        const string letters = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        var chars = System.Security.Cryptography.RandomNumberGenerator.GetItems<char>(letters, 17);
        return new string(chars) + (char)('2' + System.Security.Cryptography.RandomNumberGenerator.GetInt32(8)) + "aK";
    }

    /// <summary>Creates a user with a role (and a school for its staff); refuses what the rules refuse, in words.</summary>
    public static async Task<FeesUser> AddAsync(UserManager<FeesUser> users, RoleManager<IdentityRole<Guid>> roles, FeesDb db,
        string email, string name, string role, string? schoolCode, string password, CancellationToken ct)
    {
        role = role.ToLowerInvariant();
        var schoolId = await SchoolForRoleAsync(db, role, schoolCode, ct);
        await EnsureRoleAsync(db, role, ct);
        var user = new FeesUser { Id = Guid.CreateVersion7(), UserName = email, Email = email, EmailConfirmed = true, DisplayName = name, SchoolId = schoolId };
        Check(await users.CreateAsync(user, password), "--password");
        Check(await users.AddToRoleAsync(user, role), "--role");
        return user;
    }

    /// <summary>The demo's logins, one per role, with passwords derived from the master key; created once.</summary>
    public static async Task<List<DemoLogin>> EnsureDemoAsync(string connectionString, SecretBox box, CancellationToken ct)
    {
        await using var sp = Services(connectionString);
        using var scope = sp.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<FeesUser>>();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole<Guid>>>();
        var db = scope.ServiceProvider.GetRequiredService<FeesDb>();
        var first = await db.Schools.OrderBy(s => s.Code).Select(s => s.Code).FirstAsync(ct);
        (string Role, string Email, string Name, string? School)[] wanted =
        [
            (Roles.Admin, "quantri@demo.tdmedu.vn", "Quản trị hệ thống", null),
            (Roles.Accountant, $"ketoan.{first.ToLowerInvariant()}@demo.tdmedu.vn", $"Kế toán {first}", first),
            (Roles.Principal, $"hieutruong.{first.ToLowerInvariant()}@demo.tdmedu.vn", $"Hiệu trưởng {first}", first),
            (Roles.Auditor, "thanhtra@demo.tdmedu.vn", "Thanh tra Phòng GD&ĐT", null),
        ];
        var logins = new List<DemoLogin>();
        foreach (var w in wanted)
        {
            var password = box.DemoPassword(w.Email);
            if (await users.FindByEmailAsync(w.Email) is null) await AddAsync(users, roles, db, w.Email, w.Name, w.Role, w.School, password, ct);
            logins.Add(new DemoLogin(w.Role, w.Email, password, w.School));
        }
        return logins;
    }

    internal static void Check(IdentityResult r, string field)
    {
        if (!r.Succeeded)
            throw new BadInputException(field, null, null, string.Join(" ", r.Errors.Select(e => e.Description)), string.Join(" ", r.Errors.Select(Vietnamese)));
    }

    /// <summary>Identity's refusals in Vietnamese, by their codes; any other keeps Identity's English.</summary>
    private static string Vietnamese(IdentityError e) => e.Code switch
    {
        nameof(IdentityErrorDescriber.PasswordTooShort) => $"Mật khẩu cần ít nhất {MinPasswordLength} ký tự.",
        nameof(IdentityErrorDescriber.PasswordRequiresDigit) => "Mật khẩu cần có ít nhất một chữ số.",
        nameof(IdentityErrorDescriber.PasswordRequiresUpper) => "Mật khẩu cần có ít nhất một chữ hoa.",
        nameof(IdentityErrorDescriber.PasswordRequiresLower) => "Mật khẩu cần có ít nhất một chữ thường.",
        nameof(IdentityErrorDescriber.PasswordRequiresNonAlphanumeric) => "Mật khẩu cần có ít nhất một ký tự đặc biệt.",
        nameof(IdentityErrorDescriber.PasswordRequiresUniqueChars) => "Mật khẩu cần nhiều ký tự khác nhau hơn.",
        nameof(IdentityErrorDescriber.DuplicateUserName) or nameof(IdentityErrorDescriber.DuplicateEmail) => "Thư điện tử này đã có tài khoản.",
        nameof(IdentityErrorDescriber.InvalidEmail) or nameof(IdentityErrorDescriber.InvalidUserName) => "Thư điện tử không hợp lệ.",
        nameof(IdentityErrorDescriber.PasswordMismatch) => "Mật khẩu hiện tại không đúng.",
        _ => e.Description,
    };
}
