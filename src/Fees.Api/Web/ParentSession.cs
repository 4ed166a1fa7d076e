using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.AspNetCore.DataProtection;

namespace TdmEdu.Fees.Api.Web;

/// <summary>
/// A parent who gave the right code and date of birth may look at that child for 30 minutes: the child's id
/// and the expiry, sealed in a cookie with ASP.NET Core data protection (no account, nothing stored).
/// </summary>
public sealed class ParentSession(IDataProtectionProvider protection, TimeProvider time)
{
    public const string Cookie = "fees.parent";
    private readonly IDataProtector _protector = protection.CreateProtector("parent-portal.v1");

    public void Start(HttpResponse response, Guid studentId) =>
        response.Cookies.Append(Cookie, _protector.Protect($"{studentId}|{time.GetUtcNow().AddMinutes(30).ToUnixTimeSeconds()}"), new CookieOptions
        {
            HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = response.HttpContext.Request.IsHttps, IsEssential = true, MaxAge = TimeSpan.FromMinutes(30),
        });

    public Guid? StudentOf(HttpRequest request)
    {
        if (request.Cookies[Cookie] is not { } sealedText) return null;
        try
        {
            var parts = _protector.Unprotect(sealedText).Split('|');
            return long.Parse(parts[1], CultureInfo.InvariantCulture) > time.GetUtcNow().ToUnixTimeSeconds() ? Guid.Parse(parts[0]) : null;
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    public static void End(HttpResponse response) => response.Cookies.Delete(Cookie);
}

/// <summary>
/// Against guessing: look-ups per address per minute, and per payment code per hour (a known code, many dates).
/// The counts live in PostgreSQL, so two instances behind a proxy count together (counted in memory, each
/// node would let through its own 20). Addresses and codes are stored hashed, and old windows are deleted.
/// </summary>
public sealed class ParentGuard(Persistence.FeesDb db, TimeProvider time)
{
    public const int PerAddressPerMinute = 20, PerCodePerHour = 8;

    public async Task<bool> AllowAsync(string address, string code, CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        var minute = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero);
        if (await CountAsync("a:" + address, minute, ct) > PerAddressPerMinute) return false;
        var hour = minute.AddMinutes(-minute.Minute);
        var allowed = await CountAsync("c:" + string.Concat(code.Where(char.IsLetterOrDigit)).ToUpperInvariant(), hour, ct) <= PerCodePerHour;
        // Now and then, windows that can no longer count are removed.
        if (Random.Shared.Next(100) == 0)
            await db.Database.ExecuteSqlAsync($"DELETE FROM lookup_limits WHERE window_start < {hour.AddHours(-2)}", ct);
        return allowed;
    }

    private async Task<int> CountAsync(string key, DateTimeOffset window, CancellationToken ct)
    {
        var hashed = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)))[..32];
        return (await db.Database.SqlQuery<int>($"""
            INSERT INTO lookup_limits (key, window_start, count) VALUES ({hashed}, {window}, 1)
            ON CONFLICT (key, window_start) DO UPDATE SET count = lookup_limits.count + 1
            RETURNING count AS "Value"
            """).ToListAsync(ct)).Single();
    }
}
