using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;

namespace TdmEdu.Fees.Api.Web;

/// <summary>
/// What is done to a login after it exists: its password changed or reset, its role and school changed, disabled,
/// enabled again, removed. One set of
/// rules for the pages and the CLI. Each act is written to the audit log (who, what, which login; never a
/// password) and ends the login's sessions where it should (Sessions). The service never loses its last active
/// administrator, and an administrator does not disable or remove their own login from the page.
/// </summary>
public sealed class AccountChanges(UserManager<FeesUser> users, FeesDb db, BusinessClock clock, Actor actor)
{
    /// <summary>The signed-in user's own password: the current one must be right. Every other session of the login ends.</summary>
    public async Task<Said> ChangeOwnAsync(FeesUser user, string current, string next, string repeated, CancellationToken ct)
    {
        if (next != repeated) throw new BadInputException("", null, null, "the new password and its repetition differ.", "mật khẩu mới và mật khẩu nhập lại không giống nhau.");
        var r = await users.ChangePasswordAsync(user, current, next);
        if (r.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.PasswordMismatch)))
            throw new BadInputException("", null, null, "the current password is wrong.", "mật khẩu hiện tại không đúng.");
        Accounts.Check(r, "");
        user.MustChangePassword = false;
        AuditLog.Record(db, clock, actor, "users.passwd", "user", user.Email, new { own = true });
        await db.SaveChangesAsync(ct);
        return new Said("Your password is changed; your other sessions are ended.", "Đã đổi mật khẩu; các phiên đăng nhập khác của bạn đã kết thúc.");
    }

    /// <summary>An operator sets a login's password (the CLI): the password rules apply, and every session of the login ends.</summary>
    public async Task<Said> SetAsync(string email, string password, CancellationToken ct)
    {
        var user = await FindAsync(email);
        var problems = new List<IdentityError>();
        foreach (var v in users.PasswordValidators) problems.AddRange((await v.ValidateAsync(users, user, password)).Errors);
        Accounts.Check(problems.Count == 0 ? IdentityResult.Success : IdentityResult.Failed([.. problems]), "--password");
        user.PasswordHash = users.PasswordHasher.HashPassword(user, password);
        // A new stamp saves the hash with it, and no session made with the old password survives.
        Accounts.Check(await users.UpdateSecurityStampAsync(user), "--password");
        AuditLog.Record(db, clock, actor, "users.passwd", "user", user.Email, new { own = false });
        await db.SaveChangesAsync(ct);
        return new Said($"The password of {user.Email} is changed; its sessions are ended.", $"Đã đổi mật khẩu của {user.Email}; các phiên đăng nhập của tài khoản đã kết thúc.");
    }

    public Task<Said> DisableAsync(string email, string? signedInAs, CancellationToken ct) =>
        GuardedAsync(email, signedInAs, ("disable", "khoá"), takesAdmin: true, async user =>
        {
            if (IsDisabled(user)) return new Said($"{user.Email} was already disabled; nothing changed.", $"{user.Email} đã bị khoá từ trước; không có gì thay đổi.");
            Accounts.Check(await users.SetLockoutEnabledAsync(user, true), "");
            Accounts.Check(await users.SetLockoutEndDateAsync(user, DateTimeOffset.MaxValue), "");
            await Sessions.EndAllAsync(users, user);
            AuditLog.Record(db, clock, actor, "users.disable", "user", user.Email, new { });
            return new Said($"{user.Email} is disabled; its sessions are ended.", $"Đã khoá {user.Email}; các phiên đăng nhập của tài khoản đã kết thúc.");
        }, ct);

    /// <summary>
    /// Unlocks a login: enabled again if disabled, and the failed sign-ins that hold it (StaffSignIn counts them per login
    /// and address for a quarter of an hour) are forgotten, from every address.
    /// </summary>
    public Task<Said> EnableAsync(string email, CancellationToken ct) =>
        GuardedAsync(email, null, null, takesAdmin: false, async user =>
        {
            var disabled = IsDisabled(user);
            var held = await StaffSignIn.IsHeldAsync(db, user.Email!, clock.Now, ct);
            if (!disabled && !held) return new Said($"{user.Email} was not disabled; nothing changed.", $"{user.Email} không bị khoá; không có gì thay đổi.");
            if (disabled) Accounts.Check(await users.SetLockoutEndDateAsync(user, null), "");
            await AttemptCounter.ForgetGroupAsync(db, StaffSignIn.LoginGroup(user.Email!), ct);
            AuditLog.Record(db, clock, actor, "users.enable", "user", user.Email, new { disabled, held });
            return disabled
                ? new Said($"{user.Email} is enabled again.", $"Đã mở lại {user.Email}.")
                : new Said($"{user.Email} is unlocked: its failed sign-ins are forgotten.", $"Đã mở khoá {user.Email}: các lần đăng nhập sai trước đó được bỏ qua.");
        }, ct);

    public Task<Said> RemoveAsync(string email, string? signedInAs, CancellationToken ct) =>
        GuardedAsync(email, signedInAs, ("remove", "xoá"), takesAdmin: true, async user =>
        {
            var roles = await users.GetRolesAsync(user);
            Accounts.Check(await users.DeleteAsync(user), "");
            AuditLog.Record(db, clock, actor, "users.remove", "user", user.Email, new { role = string.Join(",", roles) });
            return new Said($"{user.Email} is removed; its sessions are ended.", $"Đã xoá {user.Email}; các phiên đăng nhập của tài khoản đã kết thúc.");
        }, ct);

    /// <summary>
    /// A login's role and school, changed by an administrator: the rules of a new login apply (school staff belong to one
    /// school, the others to none), the last active administrator keeps the role, and the login's sessions end, as the
    /// role and school travel in its cookie.
    /// </summary>
    public Task<Said> ChangeRoleAsync(string email, string role, string? schoolCode, string? signedInAs, CancellationToken ct)
    {
        role = role.Trim().ToLowerInvariant();
        return GuardedAsync(email, signedInAs, ("change the role of", "đổi vai trò của"), takesAdmin: role != Roles.Admin, async user =>
        {
            var schoolId = await Accounts.SchoolForRoleAsync(db, role, string.IsNullOrWhiteSpace(schoolCode) ? null : schoolCode.Trim(), ct);
            var before = await users.GetRolesAsync(user);
            if (before.SequenceEqual([role]) && user.SchoolId == schoolId)
                return new Said($"{user.Email} already had that role and school; nothing changed.", $"{user.Email} đã có vai trò và trường này; không có gì thay đổi.");
            Accounts.Check(await users.RemoveFromRolesAsync(user, before), "--role");
            await Accounts.EnsureRoleAsync(db, role, ct);
            Accounts.Check(await users.AddToRoleAsync(user, role), "--role");
            user.SchoolId = schoolId;
            // The new stamp saves the school with it and ends every session that carries the old role.
            Accounts.Check(await users.UpdateSecurityStampAsync(user), "--role");
            AuditLog.Record(db, clock, actor, "users.role", "user", user.Email, new { from = string.Join(",", before), to = role, school = schoolCode?.Trim().ToUpperInvariant() });
            return new Said($"{user.Email} is now {role}{(schoolCode is null ? "" : " of " + schoolCode.Trim().ToUpperInvariant())}; its sessions are ended.",
                $"{user.Email} nay là {Roles.Vietnamese(role)}{(string.IsNullOrWhiteSpace(schoolCode) ? "" : " của trường " + schoolCode.Trim().ToUpperInvariant())}; các phiên đăng nhập của tài khoản đã kết thúc.");
        }, ct);
    }

    /// <summary>
    /// A forgotten password: the administrator gets a new random one to hand over (shown once, never stored in clear or
    /// logged); the login's sessions end and, once signed in with it, the user changes it on /doi-mat-khau.
    /// </summary>
    public async Task<(Said Said, string Password)> ResetAsync(string email, string? signedInAs, CancellationToken ct)
    {
        var password = Accounts.NewPassword();
        var said = await GuardedAsync(email, signedInAs, ("reset the password of", "đặt lại mật khẩu của"), takesAdmin: false, async user =>
        {
            user.PasswordHash = users.PasswordHasher.HashPassword(user, password);
            // The handed-over password opens only the password page until the user picks their own.
            user.MustChangePassword = true;
            Accounts.Check(await users.UpdateSecurityStampAsync(user), "");
            AuditLog.Record(db, clock, actor, "users.reset", "user", user.Email, new { });
            return new Said($"A new password is set for {user.Email}; its sessions are ended. Hand it over in person; it is shown once.",
                $"Đã đặt mật khẩu mới cho {user.Email}; các phiên đăng nhập của tài khoản đã kết thúc. Hãy trao tận tay; mật khẩu chỉ hiện một lần.");
        }, ct);
        return (said, password);
    }

    public bool IsDisabled(FeesUser user) => user.LockoutEnd is { } end && end > clock.Now;

    /// <summary>
    /// One change at a time across instances (a transaction-level advisory lock), so two administrators disabling
    /// each other at the same moment cannot leave the service with none. <paramref name="self"/> names the act when an
    /// administrator may not do it to their own login; <paramref name="takesAdmin"/> when it would take the role away.
    /// </summary>
    private async Task<Said> GuardedAsync(string email, string? signedInAs, (string En, string Vi)? self, bool takesAdmin, Func<FeesUser, Task<Said>> change, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtext('fees.users'))", ct);
        var user = await FindAsync(email);
        if (self is { } word && signedInAs is not null && string.Equals(signedInAs, user.Email, StringComparison.OrdinalIgnoreCase))
            throw new BusinessRuleException($"You cannot {word.En} your own login; another administrator can.",
                $"Bạn không thể tự {word.Vi} tài khoản của chính mình; hãy nhờ một quản trị viên khác.");
        if (takesAdmin)
        {
            var now = clock.Now;
            var activeAdmins = await (from u in db.Users
                                      join ur in db.UserRoles on u.Id equals ur.UserId
                                      join r in db.Roles on ur.RoleId equals r.Id
                                      where r.Name == Roles.Admin && (u.LockoutEnd == null || u.LockoutEnd <= now)
                                      select u.Id).ToListAsync(ct);
            if (activeAdmins.Contains(user.Id) && activeAdmins.Count == 1)
                throw new BusinessRuleException($"{user.Email} is the last active administrator; add or enable another administrator first, or nobody could manage logins.",
                    $"{user.Email} là quản trị viên cuối cùng còn hoạt động; hãy thêm hoặc mở lại một quản trị viên khác trước, nếu không sẽ không còn ai quản lý tài khoản.");
        }
        var said = await change(user);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return said;
    }

    private async Task<FeesUser> FindAsync(string email) =>
        await users.FindByEmailAsync(email.Trim())
        ?? throw new BadInputException("", null, null, $"there is no login {email.Trim()}.", $"không có tài khoản {email.Trim()}.");
}
