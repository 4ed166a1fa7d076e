using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;

namespace TdmEdu.Fees.Api.Application.Messages;

/// <summary>
/// Queues the day's reminders (contracts/notifications.md §1): a notice still owing N days before its due date
/// (D-3 by default) and after it (D+3 and D+10), each school's offsets, on its sending days, to leave at 08:00.
/// A reminder is one row per notice, offset, guardian and channel: running twice queues nothing new; a notice
/// paid before 08:00 cancels it at sending time.
/// </summary>
public sealed class Reminders(FeesDb db, BusinessClock clock)
{
    private sealed record Due(Guid Id, string Kind, int Days);

    /// <summary>Message bodies and provider payloads are kept 90 days, as proof of what was sent; the hash stays.</summary>
    public async Task<int> PurgeOldBodiesAsync(CancellationToken ct = default)
    {
        var before = clock.Now.AddDays(-90);
        var n = await db.Database.ExecuteSqlAsync($"UPDATE messages SET body = NULL WHERE body IS NOT NULL AND created_at < {before}", ct);
        return n + await db.Database.ExecuteSqlAsync($"UPDATE message_events SET payload = NULL WHERE payload IS NOT NULL AND received_at < {before}", ct);
    }

    public async Task<int> QueueAsync(CancellationToken ct = default)
    {
        var today = clock.Today;
        // A school that does not send on Sundays sends Sunday's reminders on Monday.
        var days = today.DayOfWeek == DayOfWeek.Monday ? new[] { today, today.AddDays(-1) } : [today];
        var sunday = today.DayOfWeek == DayOfWeek.Sunday;
        var due = await db.Database.SqlQuery<Due>($"""
            SELECT n.id AS "Id", 'reminder_due' AS "Kind", COALESCE(m.due_reminder_days, 3) AS "Days"
            FROM notices n LEFT JOIN school_messaging m ON m.school_id = n.school_id
            WHERE n.status IN ('issued', 'partially_paid') AND n.amount_due_vnd > n.amount_paid_vnd
              AND CASE WHEN COALESCE(m.send_on_sunday, false) THEN n.due_date - COALESCE(m.due_reminder_days, 3) = {today}
                       ELSE NOT {sunday} AND n.due_date - COALESCE(m.due_reminder_days, 3) = ANY({days}) END
            UNION ALL
            SELECT n.id, 'reminder_overdue', d.days
            FROM notices n LEFT JOIN school_messaging m ON m.school_id = n.school_id
            CROSS JOIN LATERAL unnest(COALESCE(m.overdue_reminder_days, ARRAY[3, 10])[1:2]) AS d(days)
            WHERE n.status IN ('issued', 'partially_paid') AND n.amount_due_vnd > n.amount_paid_vnd
              AND CASE WHEN COALESCE(m.send_on_sunday, false) THEN n.due_date + d.days = {today}
                       ELSE NOT {sunday} AND n.due_date + d.days = ANY({days}) END
            """).ToListAsync(ct);
        var eight = new DateTimeOffset(today.ToDateTime(new TimeOnly(8, 0)), BusinessClock.Zone.GetUtcOffset(today.ToDateTime(new TimeOnly(8, 0)))).ToUniversalTime();
        var queued = 0;
        foreach (var group in due.GroupBy(d => (d.Kind, d.Days)))
        {
            var variant = group.Key.Kind == OutboxQueue.ReminderDue ? $"D-{group.Key.Days}" : $"D+{group.Key.Days}";
            queued += await OutboxQueue.QueueForNoticesAsync(db, group.Select(d => d.Id).ToArray(), group.Key.Kind, variant, clock.Now, ct,
                notBefore: eight);
        }
        return queued;
    }
}
