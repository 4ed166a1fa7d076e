using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;

namespace TdmEdu.Fees.Api.Web;

/// <summary>
/// Staff sign-in for the page and the API alike (ADR 17). Three rules:
/// <list type="bullet">
/// <item>An unknown e-mail and a wrong password are one answer, reached in the same time: the password is always
/// run through the hasher, against a dummy hash when there is no such login.</item>
/// <item>Failures are throttled per client address and per (login, address), counted in PostgreSQL; a login tried
/// from many addresses is "being guessed", and then only addresses that have not failed on it may try. Nobody
/// can lock a colleague out from their own address: there is no lockout of the account itself.</item>
/// <item>A disabled login is refused only after its right password, so the refusal tells nothing to a stranger.</item>
/// </list>
/// </summary>
public sealed class StaffSignIn(UserManager<FeesUser> users, SignInManager<FeesUser> signIn, AttemptCounter counter, TimeProvider time)
{
    public const int PerAddress = 20, PerLoginAndAddress = 5, PerLogin = 20;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    public enum Result { SignedIn, Wrong, Disabled, TooManyFromAddress, TooManyForLogin }

    public sealed record Outcome(Result Result, int MinutesLeft = 0)
    {
        public Said Says => Result switch
        {
            Result.Wrong => new Said("The email or the password is wrong.", "Thư điện tử hoặc mật khẩu không đúng."),
            Result.Disabled => new Said("This login is disabled. Ask the administrator to enable it.", "Tài khoản này đã bị khoá. Hãy nhờ quản trị viên mở lại."),
            Result.TooManyFromAddress => new Said($"Too many failed sign-ins from this network address. Try again in {MinutesLeft} minute(s).",
                $"Đăng nhập sai quá nhiều lần từ địa chỉ mạng này. Vui lòng thử lại sau {MinutesLeft} phút."),
            Result.TooManyForLogin => new Said($"Too many failed sign-ins to this login from this network address. Try again in {MinutesLeft} minute(s).",
                $"Đăng nhập sai quá nhiều lần vào tài khoản này từ địa chỉ mạng này. Vui lòng thử lại sau {MinutesLeft} phút."),
            _ => new Said("Signed in.", "Đã đăng nhập."),
        };
    }

    /// <summary>The group of a login's counters (from every address), which the administrator's unlock forgets.</summary>
    public static string LoginGroup(string email) => "staff-login:" + email.Trim().ToUpperInvariant();

    /// <summary>
    /// Whether failed sign-ins hold the login now: from some address, or from every address that has failed on it.
    /// </summary>
    public static async Task<bool> IsHeldAsync(FeesDb db, string email, DateTimeOffset now, CancellationToken ct) =>
        (await HeldAsync(db, [email], now, ct)).Count > 0;

    /// <summary>Those of these logins that failed sign-ins hold now.</summary>
    public static async Task<HashSet<string>> HeldAsync(FeesDb db, IReadOnlyCollection<string> emails, DateTimeOffset now, CancellationToken ct)
    {
        var counts = await AttemptCounter.GroupsAsync(db, emails.Select(LoginGroup).ToList(), AttemptCounter.WindowOf(now, Window), ct);
        return emails.Where(e =>
        {
            var everywhere = AttemptCounter.Stored("staff-login:" + e.Trim().ToUpperInvariant(), LoginGroup(e));
            return counts[LoginGroup(e)].Any(c => c.Stored == everywhere ? c.Count >= PerLogin : c.Count >= PerLoginAndAddress);
        }).ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>A hash of a random password, made with this installation's hasher settings, for logins that do not exist.</summary>
    private static string? _dummyHash;

    public async Task<Outcome> SignInAsync(string? email, string? password, string address, CancellationToken ct)
    {
        var login = (email ?? "").Trim().ToUpperInvariant();
        var fromAddress = await counter.TakeAsync("staff-address:" + address, Window, ct);
        if (fromAddress.Count > PerAddress) return new Outcome(Result.TooManyFromAddress, counter.MinutesLeft(Window));
        var here = await counter.TakeAsync($"staff-login-address:{login}|{address}", Window, ct, LoginGroup(login));
        var everywhere = await counter.TakeAsync("staff-login:" + login, Window, ct, LoginGroup(login));
        if (here.Count > PerLoginAndAddress || (everywhere.Count > PerLogin && here.Count > 1))
            return new Outcome(Result.TooManyForLogin, counter.MinutesLeft(Window));

        var user = login.Length == 0 ? null : await users.FindByEmailAsync(login);
        bool right;
        if (user is null)
        {
            _dummyHash ??= users.PasswordHasher.HashPassword(new FeesUser(), Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)));
            users.PasswordHasher.VerifyHashedPassword(new FeesUser(), _dummyHash, password ?? "");
            right = false;
        }
        else right = await users.CheckPasswordAsync(user, password ?? "");
        if (!right) return new Outcome(Result.Wrong);

        await counter.GiveBackAsync([fromAddress, here, everywhere], ct);
        if (user!.LockoutEnd is { } end && end > time.GetUtcNow()) return new Outcome(Result.Disabled);
        await signIn.SignInAsync(user, isPersistent: false);
        return new Outcome(Result.SignedIn);
    }
}
