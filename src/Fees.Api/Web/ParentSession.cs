using System.Globalization;
using Microsoft.AspNetCore.DataProtection;
using TdmEdu.Fees.Api.Application.Reports;

namespace TdmEdu.Fees.Api.Web;

/// <summary>
/// A parent who gave the right code and date of birth may look at that child, and the child's siblings, for 30 minutes
/// (SameSite=Strict). A parent who opened the link in a message may look at that child only, for 2 hours, while the
/// roster still names the link's guardian as the child's (SameSite=Lax, so that the link opened from Zalo or a mail
/// app, another site, carries the session through its redirect; contracts/notifications.md §4). The child's id, the
/// expiry and, for a link, its id are sealed in a cookie with ASP.NET Core data protection (no account, nothing stored).
/// </summary>
public sealed class ParentSession(IDataProtectionProvider protection, TimeProvider time)
{
    public const string Cookie = "fees.parent";
    private readonly IDataProtector _protector = protection.CreateProtector("parent-portal.v1");

    public static readonly TimeSpan LookUpLasts = TimeSpan.FromMinutes(30), LinkLasts = TimeSpan.FromHours(2);

    /// <summary>What a session opens: a pupil, and the link that opened it (null after a look-up).</summary>
    public sealed record Opened(Guid StudentId, string? Lid);

    /// <summary>After a look-up by code and date of birth: the pupil and the pupil's siblings.</summary>
    public void Start(HttpResponse response, Guid studentId) => Start(response, studentId, null, LookUpLasts, SameSiteMode.Strict);

    /// <summary>After a message's link: that pupil only, while the link holds (not revoked, its guardian still the pupil's).</summary>
    public void StartFromLink(HttpResponse response, Guid studentId, string lid) => Start(response, studentId, lid, LinkLasts, SameSiteMode.Lax);

    private void Start(HttpResponse response, Guid studentId, string? lid, TimeSpan lasts, SameSiteMode sameSite) =>
        response.Cookies.Append(Cookie, _protector.Protect($"{studentId}|{time.GetUtcNow().Add(lasts).ToUnixTimeSeconds()}|{lid}"), new CookieOptions
        {
            HttpOnly = true, SameSite = sameSite, Secure = response.HttpContext.Request.IsHttps, IsEssential = true, MaxAge = lasts,
        });

    public Guid? StudentOf(HttpRequest request) => SessionOf(request)?.StudentId;

    public Opened? SessionOf(HttpRequest request)
    {
        if (request.Cookies[Cookie] is not { } sealedText) return null;
        try
        {
            var parts = _protector.Unprotect(sealedText).Split('|');
            if (long.Parse(parts[1], CultureInfo.InvariantCulture) <= time.GetUtcNow().ToUnixTimeSeconds()) return null;
            return new Opened(Guid.Parse(parts[0]), parts.Length > 2 && parts[2].Length > 0 ? parts[2] : null);
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>
    /// The pupils this session may see: after a look-up, the pupil looked up, then that pupil's siblings as
    /// <see cref="ParentLookup.FamilyAsync"/> names them, read again on every request (a roster change takes a sibling
    /// away at once); after a link, that pupil while the link holds (not revoked, and the roster still names its
    /// guardian as the pupil's); nobody without a session.
    /// </summary>
    public async Task<IReadOnlyList<Guid>> PupilsAsync(HttpRequest request, ParentLookup lookup, CancellationToken ct = default) => SessionOf(request) switch
    {
        { Lid: { } lid } s => await lookup.LinkHoldsAsync(lid, s.StudentId, ct) ? [s.StudentId] : [],
        { } s => await lookup.FamilyAsync(s.StudentId, ct),
        null => [],
    };

    public static void End(HttpResponse response) => response.Cookies.Delete(Cookie);
}

/// <summary>
/// Against guessing a child's date of birth, without letting anyone lock a family out. Only failed look-ups
/// count (a look-up takes its slot first and gives it back when it finds the child). The rule:
/// <list type="bullet">
/// <item>an address may fail 20 look-ups a minute, whatever the codes;</item>
/// <item>an address may fail 8 look-ups of one code an hour; then that address is stopped for that code only;</item>
/// <item>once a code has failed 8 times in the hour from all addresses together, it is being guessed: an address
/// that has already failed on it this hour is stopped for it, while an address that has not may still try. A
/// parent who types the right date from their own phone or home is never stopped by someone else's guesses;
/// a guesser with many addresses gets one try per address and code an hour, not eight.</item>
/// </list>
/// Codes are counted as typed, whether they exist or not, so the answer "too many" says nothing about a code.
/// </summary>
public sealed class ParentGuard(AttemptCounter counter)
{
    public const int PerAddressPerMinute = 20, PerCodePerHour = 8;

    public sealed record Ticket(bool Allowed, IReadOnlyList<AttemptCounter.Slot> Slots);

    public async Task<Ticket> TakeAsync(string address, string code, CancellationToken ct = default)
    {
        var perAddress = await counter.TakeAsync("parent-address:" + address, TimeSpan.FromMinutes(1), ct);
        if (perAddress.Count > PerAddressPerMinute) return new Ticket(false, [perAddress]);
        var typed = string.Concat(code.Where(char.IsLetterOrDigit)).ToUpperInvariant();
        var here = await counter.TakeAsync($"parent-code-address:{typed}|{address}", TimeSpan.FromHours(1), ct);
        var everywhere = await counter.TakeAsync("parent-code:" + typed, TimeSpan.FromHours(1), ct);
        var allowed = here.Count <= PerCodePerHour && (everywhere.Count <= PerCodePerHour || here.Count == 1);
        return new Ticket(allowed, [perAddress, here, everywhere]);
    }

    /// <summary>The look-up found the child: it does not count against the address or the code.</summary>
    public Task SucceededAsync(Ticket ticket, CancellationToken ct = default) => counter.GiveBackAsync(ticket.Slots, ct);
}
