using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;

namespace TdmEdu.Fees.Api.Application.Roster;

/// <summary>
/// Guardians' contacts as the roster gives them: Vietnamese mobile numbers and e-mail addresses read strictly,
/// and one guardian per school and phone (or address), so that siblings share one and one message reaches them.
/// </summary>
public static partial class GuardianContacts
{
    /// <summary>What the school attests by importing a contact: the family agreed to be told on that channel (the enrolment form).</summary>
    public const string RosterConsent = "roster";
    public const int ConsentTextVersion = 1;

    /// <summary>
    /// A Vietnamese mobile number as 0 + 9 digits: written with spaces, dots, dashes, brackets, +84 or 84 or not;
    /// the mobile prefixes are 03, 05, 07, 08 and 09 (landlines, 02x, cannot take SMS or Zalo messages).
    /// </summary>
    public static string? NormalisePhone(string text)
    {
        var digits = NonDigits().Replace(text, "");
        if (digits.Length == 11 && digits.StartsWith("84", StringComparison.Ordinal)) digits = "0" + digits[2..];
        return digits.Length == 10 && digits.All(char.IsAsciiDigit) && digits[0] == '0' && digits[1] is '3' or '5' or '7' or '8' or '9' ? digits : null;
    }

    /// <summary>The number as providers take it: 84 + 9 digits.</summary>
    public static string International(string phone) => "84" + phone[1..];

    /// <summary>An address as one mailbox (no display name, no list), lower case; null when it is not one.</summary>
    public static string? NormaliseEmail(string text)
    {
        var t = text.Trim();
        if (t.Length is 0 or > 254 || t.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)) || t.Count(c => c == '@') != 1) return null;
        if (!System.Net.Mail.MailAddress.TryCreate(t, out var a) || a.Address != t || string.IsNullOrEmpty(a.DisplayName) is false) return null;
        var host = t[(t.IndexOf('@') + 1)..];
        return host.Contains('.') && !host.StartsWith('.') && !host.EndsWith('.') ? t.ToLowerInvariant() : null;
    }

    /// <summary>A roster row's guardian columns, each read strictly; a problem is reported through <paramref name="bad"/> (column, English, Vietnamese).</summary>
    public static (string? Name, string? Phone, string? Email) Read(Func<string, string> get, Action<string, string, string> bad)
    {
        var name = get("guardian_name");
        if (name.Length > 100) bad("guardian_name", "is longer than 100 characters.", "dài quá 100 ký tự.");
        var phoneText = get("guardian_phone");
        var phone = phoneText.Length == 0 ? null : NormalisePhone(phoneText);
        if (phoneText.Length > 0 && phone is null)
            bad("guardian_phone", "is not a Vietnamese mobile number (10 digits starting with 03, 05, 07, 08 or 09).",
                "không phải số di động Việt Nam (10 chữ số, bắt đầu bằng 03, 05, 07, 08 hoặc 09).");
        var emailText = get("guardian_email");
        var email = emailText.Length == 0 ? null : NormaliseEmail(emailText);
        if (emailText.Length > 0 && email is null) bad("guardian_email", "is not an e-mail address (name@domain.vn).", "không phải địa chỉ email (ten@mien.vn).");
        return (name.Length == 0 ? null : name, phone, email);
    }

    /// <summary>
    /// After a roster change: a guardian's e-mail address that changed takes over what was still waiting for the old one
    /// (nothing had gone yet); what was waiting for a guardian the roster no longer gives these pupils, or at a contact
    /// that is gone, is cancelled: it would reach the wrong person ("send notices" queues the month again for the new
    /// guardian). The links a replaced guardian holds, and those sent to a guardian whose contact changed, are revoked.
    /// </summary>
    public static async Task CancelStaleMessagesAsync(FeesDb db, Guid[] studentIds, Guid[] contactChanged, DateTimeOffset now, CancellationToken ct)
    {
        await db.Database.ExecuteSqlAsync($"""
            UPDATE portal_links l SET revoked_at = {now}
            FROM students s WHERE s.id = l.student_id AND l.revoked_at IS NULL
              AND ((s.id = ANY({studentIds}) AND s.guardian_id IS DISTINCT FROM l.guardian_id) OR l.guardian_id = ANY({contactChanged}))
            """, ct);
        await db.Database.ExecuteSqlAsync($"""
            UPDATE messages m SET destination = g.email
            FROM guardians g
            WHERE g.id = m.guardian_id AND g.id = ANY({contactChanged}) AND m.status = 'queued' AND m.channel = 'email'
              AND g.email IS NOT NULL AND m.destination <> g.email
            """, ct);
        await db.Database.ExecuteSqlAsync($"""
            UPDATE messages m SET status = 'cancelled', last_error_code = 'GUARDIAN_CHANGED',
                   last_error_text = 'the roster changed the pupil''s guardian or the guardian''s contact'
            FROM students s LEFT JOIN guardians g ON g.id = s.guardian_id
            WHERE s.id = m.student_id AND (s.id = ANY({studentIds}) OR m.guardian_id = ANY({contactChanged})) AND m.status = 'queued'
              AND (s.guardian_id IS DISTINCT FROM m.guardian_id
                   OR m.destination IS DISTINCT FROM CASE WHEN m.channel = 'email' THEN g.email ELSE '84' || substr(g.phone, 2) END)
            """, ct);
    }

    [GeneratedRegex(@"[\s.\-()+]")]
    private static partial Regex NonDigits();

    /// <summary>
    /// The guardians of one import, found or created in the import's transaction: by school and phone, else by
    /// school and address. A later row for the same guardian updates the name and e-mail it gives.
    /// </summary>
    public sealed class Book(FeesDb db, BusinessClock clock)
    {
        private readonly Dictionary<(Guid, string), Guardian> _byPhone = [];
        private readonly Dictionary<(Guid, string), Guardian> _byEmail = [];

        /// <summary>Guardians already known whose e-mail address this import changed or took away.</summary>
        public HashSet<Guid> ContactChanged { get; } = [];
        private readonly HashSet<Guardian> _blankEmail = [];
        private readonly HashSet<Guid> _givenEmail = [];

        /// <summary>After the last row: the addresses no row of the file gives any more are taken away.</summary>
        public void Finish()
        {
            foreach (var g in _blankEmail.Where(g => g.Email is not null && !_givenEmail.Contains(g.Id)))
            {
                g.Email = null;
                ContactChanged.Add(g.Id);
            }
        }

        private readonly Dictionary<Guid, GuardianChannel> _emailChannel = [];

        public async Task LoadAsync(ICollection<Guid> schoolIds, CancellationToken ct)
        {
            foreach (var g in await db.Guardians.Where(g => schoolIds.Contains(g.SchoolId)).ToListAsync(ct))
                if (g.Phone is not null) _byPhone[(g.SchoolId, g.Phone)] = g;
                else if (g.Email is not null) _byEmail[(g.SchoolId, g.Email)] = g;
            foreach (var c in await (from c in db.GuardianChannels
                                     join g in db.Guardians on c.GuardianId equals g.Id
                                     where schoolIds.Contains(g.SchoolId) && c.Channel == "email" && g.Phone != null
                                     select c).ToListAsync(ct))
                _emailChannel[c.GuardianId] = c;
        }

        /// <summary>The guardian for these contacts at this school; null when the row gives no phone and no address.</summary>
        public Guid? For(Guid schoolId, string? name, string? phone, string? email, bool emailColumn = true)
        {
            if (phone is null && email is null) return null;
            var key = (schoolId, phone ?? email!);
            var index = phone is null ? _byEmail : _byPhone;
            if (!index.TryGetValue(key, out var g))
            {
                g = new Guardian { Id = Guid.CreateVersion7(), SchoolId = schoolId, Phone = phone, Email = email, CreatedAt = clock.Now };
                index[key] = g;
                db.Guardians.Add(g);
                foreach (var channel in ChannelsOf(phone, email))
                {
                    var row = new GuardianChannel
                    {
                        GuardianId = g.Id, Channel = channel, State = "allowed", ConsentAt = clock.Now,
                        ConsentSource = RosterConsent, ConsentTextVersion = ConsentTextVersion, ChangedAt = clock.Now,
                    };
                    db.GuardianChannels.Add(row);
                    if (channel == "email" && phone is not null) _emailChannel[g.Id] = row;
                }
            }
            if (name is not null) g.FullName = name;
            // A file with the e-mail column gives the whole truth, once all its rows are read: a guardian whose rows
            // all leave it empty has no address any more (Finish); one row of siblings giving it is enough.
            if (phone is not null && emailColumn)
            {
                if (email is null) _blankEmail.Add(g);
                else _givenEmail.Add(g.Id);
            }
            if (email is not null && phone is not null && g.Email != email)
            {
                if (g.Email is not null) ContactChanged.Add(g.Id);
                // A new address starts from the family's consent on the roster, not from what the old address chose.
                if (!_emailChannel.TryGetValue(g.Id, out var channel))
                {
                    channel = new GuardianChannel { GuardianId = g.Id, Channel = "email" };
                    _emailChannel[g.Id] = channel;
                    db.GuardianChannels.Add(channel);
                }
                (channel.State, channel.RemindersOff, channel.ConsentAt, channel.ConsentSource, channel.ConsentTextVersion, channel.ChangedAt) =
                    ("allowed", false, clock.Now, RosterConsent, ConsentTextVersion, clock.Now);
                g.Email = email;
            }
            return g.Id;
        }

        private static IEnumerable<string> ChannelsOf(string? phone, string? email)
        {
            if (phone is not null) { yield return "zalo_zns"; yield return "sms"; }
            if (email is not null) yield return "email";
        }
    }
}
