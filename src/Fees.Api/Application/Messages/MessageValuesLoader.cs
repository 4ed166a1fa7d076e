using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Domain.Notices;
using TdmEdu.Fees.NotifyAdapters;

namespace TdmEdu.Fees.Api.Application.Messages;

/// <summary>
/// The values of leased messages, read for the whole batch from the state at sending time (contracts §1: the
/// amount still owed is the amount now). A message whose subject no longer asks for it gets a reason instead.
/// </summary>
public sealed class MessageValuesLoader(FeesDb db)
{
    public sealed record Loaded(MessageValues? Values, string? CancelReason);

    private sealed record NoticeFacts(Guid Id, int PeriodKey, DateOnly DueDate, long DueVnd, long PaidVnd, NoticeStatus Status);

    /// <summary>The values of <paramref name="messages"/>; with <paramref name="portalBase"/>, an e-receipt's verification page <c>{portalBase}/bien-lai/{mst}/{lookup code}</c> too.</summary>
    public async Task<Dictionary<Guid, Loaded>> LoadAsync(IReadOnlyList<OutboxMessage> messages, Func<OutboxMessage, string> link, CancellationToken ct, string? portalBase = null)
    {
        var schoolIds = messages.Select(m => m.SchoolId).Distinct().ToList();
        var studentIds = messages.Select(m => m.StudentId).Distinct().ToList();
        var paymentIds = messages.Where(m => m.PaymentId is not null).Select(m => m.PaymentId!.Value).Distinct().ToList();
        var receiptIds = messages.Where(m => m.ReceiptId is not null).Select(m => m.ReceiptId!.Value).Distinct().ToList();

        var schools = await db.Schools.AsNoTracking().Where(s => schoolIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.Name, ct);
        var settings = await db.SchoolMessaging.AsNoTracking().Where(s => schoolIds.Contains(s.SchoolId)).ToDictionaryAsync(s => s.SchoolId, ct);
        var students = await (from s in db.Students.AsNoTracking()
                              join g in db.Guardians.AsNoTracking() on s.GuardianId equals g.Id into gs
                              from g in gs.DefaultIfEmpty()
                              where studentIds.Contains(s.Id)
                              select new { s.Id, s.FullName, s.PaymentCode, s.GuardianId, Phone = g == null ? null : g.Phone, Email = g == null ? null : g.Email })
            .ToDictionaryAsync(s => s.Id, ct);
        var payments = await db.Payments.AsNoTracking().Where(p => paymentIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.AmountVnd, ct);
        // A payment's month is the oldest month it paid.
        var paidNotice = await (from a in db.Allocations.AsNoTracking()
                                join n in db.Notices.AsNoTracking() on a.NoticeId equals n.Id
                                where paymentIds.Contains(a.PaymentId) && a.AmountVnd > 0
                                group n by a.PaymentId into g
                                select new { PaymentId = g.Key, NoticeId = g.OrderBy(n => n.PeriodKey).Select(n => n.Id).First() }).ToDictionaryAsync(x => x.PaymentId, x => x.NoticeId, ct);
        var noticeIds = messages.Where(m => m.NoticeId is not null).Select(m => m.NoticeId!.Value).Concat(paidNotice.Values).Distinct().ToList();
        var notices = await db.Notices.AsNoTracking().Where(n => noticeIds.Contains(n.Id))
            .Select(n => new NoticeFacts(n.Id, n.PeriodKey, n.DueDate, n.AmountDueVnd, n.AmountPaidVnd, n.Status)).ToDictionaryAsync(n => n.Id, ct);
        var receiptRows = await (from r in db.Receipts.AsNoTracking()
                                 join rs in db.ReceiptSeries.AsNoTracking() on r.SeriesId equals rs.Id
                                 join sc in db.Schools.AsNoTracking() on r.SchoolId equals sc.Id
                                 where receiptIds.Contains(r.Id)
                                 select new { r.Id, rs.Series, r.Number, r.LookupCode, sc.TaxCode }).ToListAsync(ct);
        var receipts = receiptRows.ToDictionary(r => r.Id, r => $"{r.Series}/{r.Number:D7}");
        var verify = portalBase is null ? [] : receiptRows.Where(r => r.LookupCode is not null && r.TaxCode is not null)
            .ToDictionary(r => r.Id, r => $"{portalBase.TrimEnd('/')}/bien-lai/{r.TaxCode}/{r.LookupCode}");
        var owed = await db.Notices.AsNoTracking()
            .Where(n => studentIds.Contains(n.StudentId) && (n.Status == NoticeStatus.Issued || n.Status == NoticeStatus.PartiallyPaid))
            .GroupBy(n => new { n.StudentId, n.SchoolId }).Select(g => new { g.Key.StudentId, g.Key.SchoolId, Left = g.Sum(n => n.AmountDueVnd - n.AmountPaidVnd) })
            .ToDictionaryAsync(x => (x.StudentId, x.SchoolId), x => x.Left, ct);

        // What the guardians chose, as it is now: a re-send or a retry never goes where they said no.
        var guardianIds = messages.Select(m => m.GuardianId).Distinct().ToList();
        var choices = await db.GuardianChannels.AsNoTracking().Where(c => guardianIds.Contains(c.GuardianId))
            .ToDictionaryAsync(c => (c.GuardianId, c.Channel), c => (c.State, c.RemindersOff), ct);

        var result = new Dictionary<Guid, Loaded>(messages.Count);
        foreach (var m in messages)
        {
            NoticeFacts? notice = m.NoticeId is { } nid ? notices.GetValueOrDefault(nid)
                : m.PaymentId is { } pid && paidNotice.TryGetValue(pid, out var pn) ? notices.GetValueOrDefault(pn) : null;
            var reminder = m.Kind is OutboxQueue.ReminderDue or OutboxQueue.ReminderOverdue;
            // A withdrawn notice (cancelled, or refunded when it held money) asks for nothing any more.
            if (m.NoticeId is not null && (notice is null || notice.Status is NoticeStatus.Cancelled or NoticeStatus.Refunded))
            {
                result[m.Id] = new(null, "the notice was cancelled");
                continue;
            }
            // Whatever path brought it here (an SMS in doubt tried again, a row leased as the roster changed), a message
            // goes only to the pupil's guardian as the roster has it now, at that guardian's contact now.
            var student = students[m.StudentId];
            var contact = m.Channel == "email" ? student.Email : student.Phone is { } phone ? "84" + phone[1..] : null;
            if (student.GuardianId != m.GuardianId || contact != m.Destination)
            {
                result[m.Id] = new(null, "the roster changed the pupil's guardian or the guardian's contact");
                continue;
            }
            if (Refused(choices, m, reminder) is { } refusal)
            {
                result[m.Id] = new(null, refusal);
                continue;
            }
            if (reminder && notice!.PaidVnd >= notice.DueVnd)
            {
                result[m.Id] = new(null, "the notice was paid before the reminder went out");
                continue;
            }
            var school = schools[m.SchoolId];
            // The texts say "Trường {school}": a school's full name already begins with the word.
            var shortName = settings.GetValueOrDefault(m.SchoolId)?.ShortName is { Length: > 0 } sn ? sn
                : school.StartsWith("Trường ", StringComparison.OrdinalIgnoreCase) ? school["Trường ".Length..] : school;
            var month = notice?.PeriodKey ?? 0;
            result[m.Id] = new(new MessageValues(
                School: shortName, SchoolShortAscii: shortName, FirstName: FirstName(student.FullName),
                PeriodMonth: month % 100, PeriodYear: month / 100,
                AmountVnd: notice?.DueVnd, PaidVnd: m.PaymentId is { } p ? payments.GetValueOrDefault(p) : null,
                LeftVnd: m.NoticeId is not null ? notice!.DueVnd - notice.PaidVnd : owed.GetValueOrDefault((m.StudentId, m.SchoolId)),
                DueDate: notice?.DueDate, PaymentCode: student.PaymentCode,
                Receipt: m.ReceiptId is { } r ? receipts.GetValueOrDefault(r) : null,
                Link: link(m), ReplyTo: settings.GetValueOrDefault(m.SchoolId)?.ReplyToEmail,
                VerifyLink: m.ReceiptId is { } vr ? verify.GetValueOrDefault(vr) : null), null);
        }
        return result;
    }

    /// <summary>
    /// Why the guardian's choice stops this message, or null. Zalo's own refusal (-141) also reads "opted out": a Zalo
    /// message then still goes, fails, and falls back to SMS; only a phone the guardian switched off (SMS too) stops it.
    /// </summary>
    private static string? Refused(Dictionary<(Guid, string), (string State, bool RemindersOff)> choices, OutboxMessage m, bool reminder)
    {
        var mine = choices.GetValueOrDefault((m.GuardianId, m.Channel));
        var phoneOff = choices.GetValueOrDefault((m.GuardianId, "sms")).State == "opted_out";
        if (mine.State == "opted_out" && (m.Channel != "zalo_zns" || phoneOff)) return "the guardian switched this channel off";
        return reminder && mine.RemindersOff ? "the guardian switched reminders off on this channel" : null;
    }

    /// <summary>The given name: the last word of a Vietnamese full name.</summary>
    public static string FirstName(string fullName) =>
        fullName.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) is { Length: > 0 } w ? w[^1] : fullName;
}
