using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Api.Security;
using TdmEdu.Fees.NotifyAdapters.Links;

namespace TdmEdu.Fees.Api.Application.Messages;

/// <summary>
/// The link in a message that opens the pupil's page without typing (contracts/notifications.md §4):
/// `{portal}/phu-huynh/l/{lid}.{exp}.{kid}{sig}`, one row per pupil, guardian and subject so it can be revoked,
/// signed with a key derived from the master key. It opens that pupil only, until it expires.
/// </summary>
public sealed class ParentLinks(FeesDb db, SecretBox box, LinkKeys? keys = null)
{
    public const int ValidDays = 60;
    public const string Path = "/phu-huynh/l/";
    /// <summary>Configured keys (Notify:Links, for rotation) when given, else one derived from the master key.</summary>
    private LinkKeys Keys => keys ?? new LinkKeys(new Dictionary<char, byte[]> { ['a'] = box.DeriveKey("portal-link-v1") }, 'a');
    private PortalLink Signer => PortalLink.Portal(Keys);
    /// <summary>The e-mail's one-click opt-out (§9): signed with its own prefix, so a page link never stands for it.</summary>
    private PortalLink OptOutSigner => PortalLink.Unsubscribe(Keys);

    public const string OptOutPath = "/huy-nhan/";
    /// <summary>An opt-out link stays good for a year: a reminder read late must still stop the next one.</summary>
    public const int OptOutValidDays = 366;

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
            FROM unnest({wanted.Select(_ => PortalLink.NewLid()).ToArray()}::text[], {wanted.Select(w => w.StudentId).ToArray()}::uuid[],
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

    public string Token(string lid, DateTimeOffset expires) => Signer.Create(lid, expires);

    /// <summary>The one-click opt-out link of a message: it names the message, whose guardian and channel it switches reminders off for.</summary>
    public string OptOutUrl(Guid messageId, string portalBase, DateTimeOffset now) =>
        portalBase.TrimEnd('/') + OptOutPath + OptOutSigner.Create(PortalLink.LidOf(messageId), now.AddDays(OptOutValidDays));

    /// <summary>The message an opt-out token names, when its format, signature and expiry hold; null for anything else.</summary>
    public Guid? OptOutMessage(string? token, DateTimeOffset now)
    {
        var check = OptOutSigner.Verify(token, now);
        return check.Check == LinkCheck.Valid ? new Guid(System.Buffers.Text.Base64Url.DecodeFromChars(check.Lid!)) : null;
    }

    /// <summary>
    /// The pupil a link opens, checked in the contract's order (format, signature in constant time, expiry, then the
    /// row: not revoked); null for anything else, and every failure looks the same to the person holding the link.
    /// </summary>
    public async Task<(Guid StudentId, string Lid)?> OpenAsync(string? token, DateTimeOffset now, CancellationToken ct)
    {
        var check = Signer.Verify(token, now);
        if (check.Check != LinkCheck.Valid) return null;
        var lid = check.Lid!;
        // A link is the guardian's: once the roster gives the pupil another guardian, the old one's links open nothing.
        return await (from l in db.PortalLinks.AsNoTracking()
                      join st in db.Students.AsNoTracking() on l.StudentId equals st.Id
                      where l.Lid == lid && l.RevokedAt == null && l.ExpiresAt > now && st.GuardianId == l.GuardianId
                      select new { l.StudentId, l.Lid }).SingleOrDefaultAsync(ct) is { } opened ? (opened.StudentId, opened.Lid) : null;
    }
}
