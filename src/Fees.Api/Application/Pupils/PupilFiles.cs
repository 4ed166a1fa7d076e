using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Application.Messages;
using TdmEdu.Fees.Api.Application.Payments;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Domain.Notices;
using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Api.Application.Pupils;

/// <summary>
/// A pupil's page and a notice's page for the school's staff: read only, each figure from the ledger's own rows
/// (allocations, refunds, reversals), so the page says what the audit would. A school sees a pupil who is on its roster or
/// who moved away from it, and of that pupil only what is its own: its notices, the payments it received, its messages.
/// </summary>
public sealed partial class PupilFiles(FeesDb db, BusinessClock clock)
{
    public const int MaxMessages = 100;

    /// <summary>The pupil with this payment code as the school sees them, or null when not one of its pupils.</summary>
    public async Task<PupilRecord?> PupilAsync(string schoolCode, string paymentCode, bool wholeContacts, CancellationToken ct = default)
    {
        if (await SchoolIdAsync(schoolCode, ct) is not { } schoolId) return null;
        var pupil = await (from s in OfSchool(schoolId, paymentCode)
                           join c in db.Classes.AsNoTracking() on s.ClassId equals c.Id
                           join now in db.Schools.AsNoTracking() on s.SchoolId equals now.Id
                           select new { s.Id, s.FullName, s.StudentCode, s.PaymentCode, s.SchoolId, s.GuardianId, Class = c.Name, c.Grade, NowAt = now.Name, s.LeftOn })
            .SingleOrDefaultAsync(ct);
        if (pupil is null) return null;
        var here = pupil.SchoolId == schoolId;
        var facts = new PupilFacts(pupil.Id, pupil.FullName, pupil.StudentCode, pupil.PaymentCode, pupil.Class, pupil.Grade, here ? null : pupil.NowAt, here ? pupil.LeftOn : null);

        var today = clock.Today;
        var notices = (await db.Notices.AsNoTracking()
                .Where(n => n.StudentId == pupil.Id && n.SchoolId == schoolId && n.Status != NoticeStatus.Draft)
                .OrderByDescending(n => n.PeriodKey).ThenBy(n => n.NoticeNo)
                .Select(n => new { n.NoticeNo, n.PeriodKey, n.DueDate, n.AmountDueVnd, n.AmountPaidVnd, n.Status }).ToListAsync(ct))
            .Select(n => new PupilNotice(n.NoticeNo, BillingMonth.FromKey(n.PeriodKey), n.DueDate, n.AmountDueVnd, n.AmountPaidVnd,
                NoticeStatusNames.LeftToPay(n.Status, n.AmountDueVnd, n.AmountPaidVnd),
                n.Status.ToWire(), NoticeStatusNames.IsOverdue(n.Status, n.DueDate, n.AmountDueVnd - n.AmountPaidVnd, today)))
            .ToList();
        var (payments, receipts, refunds) = await MoneyAsync(pupil.Id, schoolId, ct);
        var messages = await MessagesAsync(m => m.StudentId == pupil.Id && m.SchoolId == schoolId, ct);
        var credit = payments.Where(p => p.ReversedAt is null && p.HeldVnd > 0).Sum(p => p.HeldVnd);
        return new PupilRecord(facts, notices, payments, receipts, refunds, credit,
            here && pupil.GuardianId is { } guardian ? await GuardianAsync(pupil.Id, guardian, wholeContacts, ct) : null,
            await TransfersAsync(pupil.Id, schoolId, ct),
            messages.Take(MaxMessages).ToList(), messages.Count > MaxMessages);
    }

    /// <summary>The id of the school's pupil with this payment code (for the receipts the pupil's page prints), or null.</summary>
    public async Task<Guid?> PupilIdAsync(string schoolCode, string paymentCode, CancellationToken ct = default) =>
        await SchoolIdAsync(schoolCode, ct) is { } schoolId ? await OfSchool(schoolId, paymentCode).Select(s => (Guid?)s.Id).SingleOrDefaultAsync(ct) : null;

    /// <summary>The school's pupil with this code: on its roster now, or moved away from it (the search's scope, PupilSearch).</summary>
    private IQueryable<Student> OfSchool(Guid schoolId, string paymentCode) =>
        db.Students.AsNoTracking().Where(s => s.PaymentCode == paymentCode
            && (s.SchoolId == schoolId || db.StudentTransfers.Any(t => t.StudentId == s.Id && t.FromSchoolId == schoolId)));

    private Task<Guid?> SchoolIdAsync(string schoolCode, CancellationToken ct) =>
        db.Schools.AsNoTracking().Where(s => s.Code == schoolCode).Select(s => (Guid?)s.Id).SingleOrDefaultAsync(ct);

    private async Task<GuardianCard> GuardianAsync(Guid pupilId, Guid guardianId, bool whole, CancellationToken ct)
    {
        var g = await db.Guardians.AsNoTracking().Where(x => x.Id == guardianId).Select(x => new { x.FullName, x.Phone, x.Email }).SingleAsync(ct);
        // What the guardian chose, and the contact half hidden, exactly as the parent's page shows them (GuardianChoices).
        var ways = await new GuardianChoices(db, clock).ForPupilsAsync([pupilId], ct);
        return new GuardianCard(g.FullName, ways.Select(w => new GuardianWay(w.Kind, w.Shown,
            whole ? w.Kind == GuardianChoices.Phone ? g.Phone : g.Email : null, w.Current)).ToList());
    }

    private async Task<IReadOnlyList<PupilTransfer>> TransfersAsync(Guid pupilId, Guid schoolId, CancellationToken ct) =>
        await (from t in db.StudentTransfers.AsNoTracking()
               join f in db.Schools.AsNoTracking() on t.FromSchoolId equals f.Id
               join to in db.Schools.AsNoTracking() on t.ToSchoolId equals to.Id
               where t.StudentId == pupilId && (t.FromSchoolId == schoolId || t.ToSchoolId == schoolId)
               orderby t.At descending
               select new PupilTransfer(t.At, f.Name, to.Name, t.Reason, t.ToSchoolId == schoolId)).ToListAsync(ct);

    /// <summary>Messages of the school matching the filter, newest first: one more than shown, so the page can say it cut.</summary>
    private async Task<List<PupilMessage>> MessagesAsync(System.Linq.Expressions.Expression<Func<OutboxMessage, bool>> which, CancellationToken ct) =>
        await (from m in db.Messages.AsNoTracking().Where(which)
               join n in db.Notices.AsNoTracking() on m.NoticeId equals n.Id into ns
               from n in ns.DefaultIfEmpty()
               orderby m.CreatedAt descending, m.Id
               select new PupilMessage(m.CreatedAt, m.Kind, m.Channel, m.Status, n == null ? null : n.NoticeNo)).Take(MaxMessages + 1).ToListAsync(ct);

    /// <summary>
    /// The pupil's money at this school: payments made for the pupil, or that paid the pupil's notices (one transfer can
    /// pay siblings); each payment's receipt, what it paid, what it still holds (amount less allocations and refunds: the
    /// credit, held by the pupil the payment was made for), and its reversal. Receipts and refunds of the pupil's own payments.
    /// </summary>
    private async Task<(List<PupilPayment>, List<PupilReceipt>, List<PupilRefund>)> MoneyAsync(Guid pupilId, Guid schoolId, CancellationToken ct)
    {
        var payments = await db.Payments.AsNoTracking()
            .Where(p => p.SchoolId == schoolId && p.AmountVnd > 0
                        && (p.StudentId == pupilId || db.Allocations.Any(a => a.PaymentId == p.Id && db.Notices.Any(n => n.Id == a.NoticeId && n.StudentId == pupilId))))
            .OrderByDescending(p => p.ReceivedAt).ThenByDescending(p => p.Id)
            .Select(p => new { p.Id, p.StudentId, p.ReceivedAt, p.Method, p.AmountVnd, p.PayerName, p.Flag }).ToListAsync(ct);
        var ids = payments.Select(p => p.Id).ToList();
        var spread = (await (from a in db.Allocations.AsNoTracking()
                             join n in db.Notices.AsNoTracking() on a.NoticeId equals n.Id
                             where ids.Contains(a.PaymentId)
                             group a by new { a.PaymentId, n.NoticeNo, n.StudentId } into g
                             select new { g.Key.PaymentId, g.Key.NoticeNo, g.Key.StudentId, Vnd = g.Sum(x => x.AmountVnd) }).ToListAsync(ct))
            .ToLookup(s => s.PaymentId);
        var reversals = await db.Payments.AsNoTracking().Where(r => r.ReversesPaymentId != null && ids.Contains(r.ReversesPaymentId.Value))
            .Select(r => new { Of = r.ReversesPaymentId!.Value, r.ReceivedAt }).ToDictionaryAsync(r => r.Of, r => r.ReceivedAt, ct);
        var refundRows = await db.Refunds.AsNoTracking().Where(r => ids.Contains(r.PaymentId)).OrderByDescending(r => r.At).ToListAsync(ct);
        var refunded = refundRows.GroupBy(r => r.PaymentId).ToDictionary(g => g.Key, g => g.Sum(r => r.AmountVnd));
        var own = payments.Where(p => p.StudentId == pupilId).Select(p => p.Id).ToList();
        var receiptRows = await (from r in db.Receipts.AsNoTracking()
                                 join rs in db.ReceiptSeries.AsNoTracking() on r.SeriesId equals rs.Id
                                 join sc in db.Schools.AsNoTracking() on rs.SchoolId equals sc.Id
                                 where ids.Contains(r.PaymentId)
                                 orderby r.IssuedAt descending, r.Number descending
                                 select new { r.Id, r.PaymentId, r.Number, sc.Code, rs.Template, rs.Series,
                                     r.IssuedAt, r.AmountVnd, r.PayerName, r.Status, r.ReplacesReceiptId, r.CancelledAt, r.CancelReason }).ToListAsync(ct);
        var referenceOf = receiptRows.ToDictionary(r => r.Id, r => Ledger.Reference(r.Code, r.Template, r.Series, r.Number));

        var list = payments.Select(p =>
        {
            var parts = spread[p.Id].ToList();
            // The live receipt, else the last one cancelled (a reversed payment's receipt is still the one it had).
            var live = receiptRows.FirstOrDefault(r => r.PaymentId == p.Id && ReceiptStates.IsLive(r.Status)) ?? receiptRows.FirstOrDefault(r => r.PaymentId == p.Id);
            return new PupilPayment(p.Id, p.ReceivedAt, p.Method, p.AmountVnd, p.PayerName, live is null ? null : referenceOf[live.Id], live?.Id,
                parts.Where(s => s.StudentId == pupilId && s.Vnd != 0).OrderBy(s => s.NoticeNo, StringComparer.Ordinal).Select(s => new PaidNotice(s.NoticeNo, s.Vnd)).ToList(),
                parts.Where(s => s.StudentId != pupilId).Sum(s => s.Vnd),
                // Credit is the payment's own: held for the pupil it was made for, so it counts here only for that pupil.
                p.StudentId == pupilId ? p.AmountVnd - parts.Sum(s => s.Vnd) - refunded.GetValueOrDefault(p.Id) : 0,
                refunded.GetValueOrDefault(p.Id), reversals.TryGetValue(p.Id, out var at) ? at : null, p.Flag);
        }).ToList();
        var receipts = receiptRows.Where(r => own.Contains(r.PaymentId)).Select(r => new PupilReceipt(r.Id, referenceOf[r.Id], r.IssuedAt, r.AmountVnd, r.PayerName, r.Status,
            r.ReplacesReceiptId is { } old && referenceOf.TryGetValue(old, out var replaced) ? replaced : null, r.CancelledAt, r.CancelReason)).ToList();
        var refunds = refundRows.Where(r => own.Contains(r.PaymentId)).Select(r => new PupilRefund(r.At, r.AmountVnd, r.Reason)).ToList();
        return (list, receipts, refunds);
    }
}
