using System.Globalization;
using System.Threading.RateLimiting;
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

/// <summary>Against guessing: look-ups per address per minute, and per payment code per hour (a known code, many dates).</summary>
public sealed class ParentGuard : IDisposable
{
    private readonly PartitionedRateLimiter<string> _byAddress = PartitionedRateLimiter.Create<string, string>(key =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions { PermitLimit = 20, Window = TimeSpan.FromMinutes(1) }));
    private readonly PartitionedRateLimiter<string> _byCode = PartitionedRateLimiter.Create<string, string>(key =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions { PermitLimit = 8, Window = TimeSpan.FromHours(1) }));

    public bool Allow(string address, string code)
    {
        using var a = _byAddress.AttemptAcquire(address);
        if (!a.IsAcquired) return false;
        using var c = _byCode.AttemptAcquire(string.Concat(code.Where(char.IsLetterOrDigit)).ToUpperInvariant());
        return c.IsAcquired;
    }

    public void Dispose()
    {
        _byAddress.Dispose();
        _byCode.Dispose();
    }
}
