using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Api.Security;

namespace TdmEdu.Fees.Api.Application.Messages;

/// <summary>
/// The link in a message that opens the pupil's page without typing (contracts/notifications.md §4):
/// `{portal}/phu-huynh/l/{lid}.{exp}.{kid}{sig}`, one row per pupil, guardian and subject so it can be revoked,
/// signed with a key derived from the master key. It opens that pupil only, until it expires.
/// </summary>
public sealed class ParentLinks(FeesDb db, SecretBox box)
{
    public const int ValidDays = 60;
    public const string Path = "/phu-huynh/l/";
    private const char Kid = 'a';

    private byte[] Key => box.DeriveKey("portal-link-v1");

    /// <summary>What a message is about, as its idempotency key names it: N{notice_no}, R{template}/{series}/{number} or P{payment_id}.</summary>
    public static string SubjectOf(OutboxMessage m) => m.IdempotencyKey.Split(':')[1];

    /// <summary>A link for each message (its pupil, guardian and subject), made once and reused until it expires.</summary>
    public async Task<Dictionary<Guid, string>> EnsureAsync(IReadOnlyList<OutboxMessage> messages, string portalBase, DateTimeOffset now, CancellationToken ct)
    {
        var wanted = messages.Select(m => (m.StudentId, m.GuardianId, Subject: SubjectOf(m))).Distinct().ToList();
        var expires = now.AddDays(ValidDays);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO portal_links (lid, student_id, guardian_id, subject, created_at, expires_at)
            SELECT u.lid, u.student_id, u.guardian_id, u.subject, {now}, {expires}
            FROM unnest({wanted.Select(_ => NewLid()).ToArray()}::text[], {wanted.Select(w => w.StudentId).ToArray()}::uuid[],
                        {wanted.Select(w => w.GuardianId).ToArray()}::uuid[], {wanted.Select(w => w.Subject).ToArray()}::text[]) AS u(lid, student_id, guardian_id, subject)
            ON CONFLICT (student_id, guardian_id, subject) DO NOTHING
            """, ct);
        var students = wanted.Select(w => w.StudentId).Distinct().ToList();
        var rows = await db.PortalLinks.AsNoTracking().Where(l => students.Contains(l.StudentId) && l.RevokedAt == null).ToListAsync(ct);
        var byKey = rows.ToDictionary(r => (r.StudentId, r.GuardianId, r.Subject));
        var baseUrl = portalBase.TrimEnd('/');
        return messages.ToDictionary(m => m.Id, m => byKey.TryGetValue((m.StudentId, m.GuardianId, SubjectOf(m)), out var r)
            ? baseUrl + Path + Token(r.Lid, r.ExpiresAt) : baseUrl + "/phu-huynh");
    }

    public string Token(string lid, DateTimeOffset expires)
    {
        var exp = ToBase36(expires.ToUnixTimeSeconds());
        return $"{lid}.{exp}.{Kid}{Sign(lid, exp)}";
    }

    /// <summary>
    /// The pupil a link opens, checked in the contract's order (format, signature in constant time, expiry, row not
    /// revoked); null for anything else, and every failure looks the same to the person holding the link.
    /// </summary>
    public async Task<Guid?> OpenAsync(string? token, DateTimeOffset now, CancellationToken ct)
    {
        var parts = (token ?? "").Split('.');
        if (parts.Length != 3 || parts[0].Length != 22 || parts[2].Length != 23 || parts[2][0] != Kid || parts[1].Length is 0 or > 12) return null;
        if (!parts[0].All(IsBase64Url) || !parts[1].All(char.IsAsciiLetterOrDigit)) return null;
        var expected = Encoding.ASCII.GetBytes(Sign(parts[0], parts[1]));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(parts[2][1..]))) return null;
        var exp = FromBase36(parts[1]);
        if (exp is null || DateTimeOffset.FromUnixTimeSeconds(exp.Value) <= now) return null;
        var lid = parts[0];
        return await db.PortalLinks.AsNoTracking().Where(l => l.Lid == lid && l.RevokedAt == null && l.ExpiresAt > now)
            .Select(l => (Guid?)l.StudentId).SingleOrDefaultAsync(ct);
    }

    private string Sign(string lid, string exp) =>
        Base64Url(HMACSHA256.HashData(Key, Encoding.ASCII.GetBytes($"pl1.{lid}.{exp}"))[..16]);

    private static string NewLid() => Base64Url(RandomNumberGenerator.GetBytes(16));

    private static string Base64Url(byte[] b) => Convert.ToBase64String(b).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static bool IsBase64Url(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_';

    private static string ToBase36(long v)
    {
        const string digits = "0123456789abcdefghijklmnopqrstuvwxyz";
        var sb = new StringBuilder();
        do { sb.Insert(0, digits[(int)(v % 36)]); v /= 36; } while (v > 0);
        return sb.ToString();
    }

    private static long? FromBase36(string s)
    {
        long v = 0;
        foreach (var c in s.ToLowerInvariant())
        {
            var d = c is >= '0' and <= '9' ? c - '0' : c is >= 'a' and <= 'z' ? c - 'a' + 10 : -1;
            if (d < 0 || v > long.MaxValue / 36) return null;
            v = v * 36 + d;
        }
        return v;
    }
}
