using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;

namespace TdmEdu.Fees.Api.Application.Messages;

/// <summary>
/// What a guardian chose about messages (contracts/notifications.md §3), from the parent's page or the e-mail's
/// one-click link: per way of reaching them (the phone, which carries Zalo and SMS, or the e-mail address) every
/// message, no reminders, or nothing. Notices and receipts cannot be switched off as kinds; a channel can. A choice
/// takes effect at once: what is still queued and no longer wanted is cancelled in the same transaction.
/// </summary>
public sealed class GuardianChoices(FeesDb db, BusinessClock clock)
{
    public const string All = "all", NoReminders = "no-reminders", None = "none";
    public const string Phone = "phone", Email = "email";
    public static readonly string[] Choices = [All, NoReminders, None];

    /// <summary>One way of reaching a guardian as the parent's page shows it: the contact half hidden, and the choice in force.</summary>
    public sealed record Way(Guid GuardianId, string Kind, string Shown, string Current);

    private static string[] ChannelsOf(string kind) => kind == Email ? ["email"] : ["zalo_zns", "sms"];

    /// <summary>The ways of reaching the guardians of these pupils (a page's pupils share one guardian, or have their own).</summary>
    public async Task<IReadOnlyList<Way>> ForPupilsAsync(IReadOnlyList<Guid> studentIds, CancellationToken ct)
    {
        var guardians = await (from s in db.Students.AsNoTracking()
                               join g in db.Guardians.AsNoTracking() on s.GuardianId equals g.Id
                               where studentIds.Contains(s.Id)
                               select g).Distinct().ToListAsync(ct);
        var ids = guardians.Select(g => g.Id).ToList();
        var rows = await db.GuardianChannels.AsNoTracking().Where(c => ids.Contains(c.GuardianId)).ToListAsync(ct);
        var ways = new List<Way>();
        foreach (var g in guardians.OrderBy(g => g.CreatedAt))
        {
            if (g.Phone is { } phone) ways.Add(new Way(g.Id, Phone, HidePhone(phone), CurrentOf(rows.FirstOrDefault(r => r.GuardianId == g.Id && r.Channel == "sms"))));
            if (g.Email is { } email) ways.Add(new Way(g.Id, Email, HideEmail(email), CurrentOf(rows.FirstOrDefault(r => r.GuardianId == g.Id && r.Channel == "email"))));
        }
        return ways;
    }

    private static string CurrentOf(GuardianChannel? row) => row switch
    {
        { State: "opted_out" } => None,
        { RemindersOff: true } => NoReminders,
        _ => All,
    };

    /// <summary>
    /// The parent's page: sets the choice for one way of reaching a guardian of the session's pupils; false when the
    /// guardian is not one of theirs or has no such contact (nothing changes).
    /// </summary>
    public async Task<bool> SetAsync(IReadOnlyList<Guid> sessionPupils, Guid guardianId, string kind, string choice, CancellationToken ct)
    {
        if (!Choices.Contains(choice) || kind is not (Phone or Email)) return false;
        var guardian = await (from s in db.Students where sessionPupils.Contains(s.Id) && s.GuardianId == guardianId
                              join g in db.Guardians on s.GuardianId equals g.Id
                              select g).FirstOrDefaultAsync(ct);
        if (guardian is null || (kind == Phone ? guardian.Phone : guardian.Email) is null) return false;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await ApplyAsync(guardianId, ChannelsOf(kind), choice, "parent_page", ct);
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>
    /// The e-mail's one-click link (RFC 8058): reminders off on the channel the message went by, for its guardian.
    /// The channel, or null when the message is unknown.
    /// </summary>
    public async Task<string?> RemindersOffAsync(Guid messageId, CancellationToken ct)
    {
        // Only while the message's address is still the guardian's: an address the roster replaced decides nothing for the new one.
        var m = await (from x in db.Messages.AsNoTracking()
                       join g in db.Guardians.AsNoTracking() on x.GuardianId equals g.Id
                       where x.Id == messageId
                       select new { x.GuardianId, x.Channel, x.Destination, g.Email, g.Phone }).SingleOrDefaultAsync(ct);
        if (m is null || m.Destination != (m.Channel == "email" ? m.Email : m.Phone is { } p ? "84" + p[1..] : null)) return null;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // One click only ever narrows: reminders off; a channel the guardian switched off stays off.
        var now = clock.Now;
        await db.Database.ExecuteSqlAsync($"""
            UPDATE guardian_channels SET reminders_off = true, changed_at = {now}
            WHERE guardian_id = {m.GuardianId} AND channel = {m.Channel}
            """, ct);
        await CancelQueuedAsync(m.GuardianId, [m.Channel], NoReminders, ct);
        await tx.CommitAsync(ct);
        return m.Channel;
    }

    private async Task ApplyAsync(Guid guardianId, string[] channels, string choice, string source, CancellationToken ct)
    {
        var now = clock.Now;
        var rows = await db.GuardianChannels.Where(c => c.GuardianId == guardianId && channels.Contains(c.Channel)).ToListAsync(ct);
        foreach (var channel in channels)
        {
            var row = rows.FirstOrDefault(r => r.Channel == channel);
            if (row is null)
            {
                // Zalo is the phone's way only at a school with an Official Account; the roster made the rows it needs.
                if (channel == "zalo_zns" || choice == None) continue;
                row = new GuardianChannel { GuardianId = guardianId, Channel = channel, State = "allowed" };
                db.GuardianChannels.Add(row);
            }
            // A person Zalo cannot reach stays so: the provider said it, not the parent.
            if (row.State != "unreachable")
            {
                var state = choice == None ? "opted_out" : "allowed";
                if (state == "allowed" && row.State != "allowed") (row.ConsentAt, row.ConsentSource) = (now, source);
                row.State = state;
            }
            row.RemindersOff = choice != All;
            row.ChangedAt = now;
        }
        await db.SaveChangesAsync(ct);
        await CancelQueuedAsync(guardianId, channels, choice, ct);
    }

    /// <summary>What is queued and no longer wanted goes no further.</summary>
    private async Task CancelQueuedAsync(Guid guardianId, string[] channels, string choice, CancellationToken ct)
    {
        string[] kinds = choice == None ? [] : [OutboxQueue.ReminderDue, OutboxQueue.ReminderOverdue];
        if (choice == All) return;
        await db.Database.ExecuteSqlAsync($"""
            UPDATE messages SET status = 'cancelled', last_error_code = 'OPTED_OUT',
                   last_error_text = 'the guardian switched these messages off'
            WHERE guardian_id = {guardianId} AND status = 'queued' AND channel = ANY({channels})
              AND (cardinality({kinds}) = 0 OR kind = ANY({kinds}))
            """, ct);
    }

    /// <summary>The last three digits, so a parent recognises their number and a stranger learns nothing.</summary>
    public static string HidePhone(string phone) => "•••••••" + phone[^3..];

    public static string HideEmail(string email)
    {
        var at = email.IndexOf('@');
        return at <= 0 ? "•••" : email[0] + "•••" + email[at..];
    }
}
