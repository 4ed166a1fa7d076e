using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Domain.Notices;
using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Api.Application.Messages;

public sealed record MessageCount(string Kind, string Channel, int Count);

/// <summary>What "send notices" would queue for a month: messages per kind and channel, and the pupils owing whom no message can reach.</summary>
public sealed record MessagePreview(string Period, int NoticesOwing, IReadOnlyList<MessageCount> WouldQueue, int AlreadyQueued, int PupilsWithoutContact);

/// <summary>A message as the accountant's list shows it: no body, no destination beyond its channel.</summary>
public sealed record MessageRow(Guid Id, string Kind, string Variant, string Channel, string Status, string? NoticeNo, string StudentCode,
    string StudentName, int Attempts, string? LastErrorCode, DateTimeOffset CreatedAt, DateTimeOffset? SentAt, DateTimeOffset? DeliveredAt);

public sealed record StatusCount(string Channel, string Status, int Count);

public sealed record CostLine(string Channel, string Kind, int Count, int Segments, long CostVnd);

/// <summary>
/// The accountant's side of the outbox, for one school: a preview and "send notices" for a month, the delivery
/// report, the list of messages, re-sending failures, and what the month cost (contracts/notifications.md §10).
/// </summary>
public sealed class SchoolMessages(FeesDb db, BusinessClock clock, Actor actor)
{
    private async Task<Guid> SchoolAsync(string code, CancellationToken ct) =>
        await db.Schools.AsNoTracking().Where(s => s.Code == code).Select(s => (Guid?)s.Id).SingleOrDefaultAsync(ct)
        ?? throw new BadInputException("school", null, $"school {code} is not known.", $"không có trường {code}.");

    private IQueryable<Notice> Owing(Guid school, BillingMonth month) =>
        db.Notices.AsNoTracking().Where(n => n.SchoolId == school && n.PeriodKey == month.Key
            && (n.Status == NoticeStatus.Issued || n.Status == NoticeStatus.PartiallyPaid) && n.AmountDueVnd > n.AmountPaidVnd);

    public async Task<MessagePreview> PreviewAsync(string schoolCode, BillingMonth month, CancellationToken ct = default)
    {
        var school = await SchoolAsync(schoolCode, ct);
        var ids = await Owing(school, month).Select(n => n.Id).ToArrayAsync(ct);
        // The queueing statement itself, rolled back: the preview cannot drift from what "send" does.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var before = await db.Messages.CountAsync(m => m.NoticeId != null && ids.Contains(m.NoticeId.Value) && m.Kind == OutboxQueue.NoticeIssued, ct);
        // Rows of this rolled-back insert are told apart by a creation time no real row has.
        var marker = DateTimeOffset.UnixEpoch;
        await OutboxQueue.QueueForNoticesAsync(db, ids, OutboxQueue.NoticeIssued, "", marker, ct);
        var counts = await db.Messages.AsNoTracking().Where(m => m.CreatedAt == marker && m.SchoolId == school)
            .GroupBy(m => new { m.Kind, m.Channel }).Select(g => new MessageCount(g.Key.Kind, g.Key.Channel, g.Count())).ToListAsync(ct);
        var reached = await db.Messages.AsNoTracking().Where(m => m.NoticeId != null && ids.Contains(m.NoticeId.Value) && m.Kind == OutboxQueue.NoticeIssued)
            .Select(m => m.StudentId).Distinct().CountAsync(ct);
        var pupils = await Owing(school, month).Select(n => n.StudentId).Distinct().CountAsync(ct);
        await tx.RollbackAsync(ct);
        return new MessagePreview(month.ToString(), ids.Length, counts, before, pupils - reached);
    }

    /// <summary>Queues the month's notices for every guardian not yet told (the billing run already told those it could).</summary>
    public async Task<int> QueueNoticesAsync(string schoolCode, BillingMonth month, CancellationToken ct = default)
    {
        var school = await SchoolAsync(schoolCode, ct);
        var ids = await Owing(school, month).Select(n => n.Id).ToArrayAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var queued = await OutboxQueue.QueueForNoticesAsync(db, ids, OutboxQueue.NoticeIssued, "", clock.Now, ct);
        AuditLog.Record(db, clock, actor, "messages.queue", "school", schoolCode, new { period = month.ToString(), queued });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return queued;
    }

    public async Task<List<MessageRow>> ListAsync(string schoolCode, BillingMonth? month, string? kind, string? status, string? channel, CancellationToken ct = default)
    {
        var school = await SchoolAsync(schoolCode, ct);
        var q = from m in db.Messages.AsNoTracking()
                join s in db.Students.AsNoTracking() on m.StudentId equals s.Id
                join n in db.Notices.AsNoTracking() on m.NoticeId equals n.Id into ns
                from n in ns.DefaultIfEmpty()
                where m.SchoolId == school
                select new { m, s.StudentCode, s.FullName, NoticeNo = (string?)n.NoticeNo, Period = (int?)n.PeriodKey };
        if (month is { } mo) q = q.Where(x => x.Period == mo.Key);
        if (kind is not null) q = q.Where(x => x.m.Kind == kind);
        if (status is not null) q = q.Where(x => x.m.Status == status);
        if (channel is not null) q = q.Where(x => x.m.Channel == channel);
        return await q.OrderByDescending(x => x.m.CreatedAt).ThenBy(x => x.m.Id).Take(1000)
            .Select(x => new MessageRow(x.m.Id, x.m.Kind, x.m.Variant, x.m.Channel, x.m.Status, x.NoticeNo, x.StudentCode, x.FullName,
                x.m.Attempts, x.m.LastErrorCode, x.m.CreatedAt, x.m.SentAt, x.m.DeliveredAt)).ToListAsync(ct);
    }

    /// <summary>The delivery report of a month: messages by channel and status.</summary>
    public async Task<List<StatusCount>> ReportAsync(string schoolCode, BillingMonth month, CancellationToken ct = default)
    {
        var school = await SchoolAsync(schoolCode, ct);
        return await (from m in db.Messages.AsNoTracking()
                      join n in db.Notices.AsNoTracking() on m.NoticeId equals n.Id
                      where m.SchoolId == school && n.PeriodKey == month.Key
                      group m by new { m.Channel, m.Status } into g
                      orderby g.Key.Channel, g.Key.Status
                      select new StatusCount(g.Key.Channel, g.Key.Status, g.Count())).ToListAsync(ct);
    }

    /// <summary>
    /// Failed or unknown messages of this school go again as new rows (key + ":r{n}"); the old rows stay as they were.
    /// A message already waiting, or already gone through on a later try, is not sent again: the old failed row stays
    /// failed, and asking twice must not reach the family twice.
    /// </summary>
    public async Task<int> ResendAsync(string schoolCode, IReadOnlyCollection<Guid> ids, CancellationToken ct = default)
    {
        var school = await SchoolAsync(schoolCode, ct);
        var wanted = ids.Distinct().ToArray();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // Again to the pupil's guardian as the roster has it now, at that guardian's contact, under that guardian's key
        // (so a message "send notices" already queued for a new guardian is not sent twice), and only where the guardian
        // still takes it: never to a replaced guardian, never on a channel switched off.
        var n = await db.Database.ExecuteSqlAsync($"""
            WITH wanted AS (
                SELECT m.*, s.guardian_id AS now_guardian,
                       CASE WHEN m.channel = 'email' THEN g.email ELSE '84' || substr(g.phone, 2) END AS now_destination,
                       regexp_replace(m.idempotency_key, ':[0-9a-f-]+(:r[0-9]+)?$', '') || ':' || s.guardian_id AS base_key
                FROM messages m JOIN students s ON s.id = m.student_id JOIN guardians g ON g.id = s.guardian_id
                LEFT JOIN guardian_channels c ON c.guardian_id = s.guardian_id AND c.channel = m.channel
                WHERE m.id = ANY({wanted}) AND m.school_id = {school} AND m.status IN ('failed', 'unknown')
                  -- An SMS in doubt is the job's: it tries again under the same request id, which the provider refuses as a
                  -- repeat; a new row would carry a new one and could reach the family twice.
                  AND NOT (m.status = 'unknown' AND m.channel = 'sms' AND m.attempts < {SendingRules.MaxAttempts})
                  AND COALESCE(c.state, 'allowed') <> 'opted_out'
                  AND NOT (m.kind IN ('reminder_due', 'reminder_overdue') AND COALESCE(c.reminders_off, false))
            )
            INSERT INTO messages (id, school_id, guardian_id, student_id, notice_id, receipt_id, payment_id, kind, variant, channel,
                                  idempotency_key, destination, status, attempts, next_attempt_at, created_at)
            SELECT gen_random_uuid(), w.school_id, w.now_guardian, w.student_id, w.notice_id, w.receipt_id, w.payment_id, w.kind, w.variant, w.channel,
                   w.base_key || ':r' || GREATEST(1, (SELECT count(*) FROM messages x WHERE regexp_replace(x.idempotency_key, ':r[0-9]+$', '') = w.base_key)),
                   w.now_destination, 'queued', 0, {clock.Now}, {clock.Now}
            FROM wanted w
            WHERE w.now_destination IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM messages x WHERE regexp_replace(x.idempotency_key, ':r[0-9]+$', '') = w.base_key
                              AND x.status IN ('queued', 'sending', 'sent', 'delivered'))
            ON CONFLICT (idempotency_key) DO NOTHING
            """, ct);
        AuditLog.Record(db, clock, actor, "messages.resend", "school", schoolCode, new { asked = wanted.Length, requeued = n });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return n;
    }

    public async Task<List<CostLine>> CostsAsync(string schoolCode, int year, int month, CancellationToken ct = default)
    {
        var school = await SchoolAsync(schoolCode, ct);
        var from = new DateTimeOffset(year, month, 1, 0, 0, 0, TimeSpan.FromHours(7)).ToUniversalTime();
        var to = from.AddMonths(1);
        return await db.Messages.AsNoTracking().Where(m => m.SchoolId == school && m.SentAt >= from && m.SentAt < to)
            .GroupBy(m => new { m.Channel, m.Kind }).OrderBy(g => g.Key.Channel).ThenBy(g => g.Key.Kind)
            .Select(g => new CostLine(g.Key.Channel, g.Key.Kind, g.Count(), g.Sum(m => m.Segments ?? 0), g.Sum(m => m.CostVnd ?? 0))).ToListAsync(ct);
    }
}
