using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Application.Payments;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Domain.Notices;
using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Api.Application.Pupils;

public sealed partial class PupilFiles
{
    /// <summary>A notice the school issued, with its lines, the money on it and its messages; null when the school issued no such notice.</summary>
    public async Task<NoticeRecord?> NoticeAsync(string schoolCode, string noticeNo, CancellationToken ct = default)
    {
        if (noticeNo.Length > 40) return null;
        var n = await (from x in db.Notices.AsNoTracking().Include(x => x.Lines)
                       join sc in db.Schools.AsNoTracking() on x.SchoolId equals sc.Id
                       where x.NoticeNo == noticeNo && sc.Code == schoolCode && x.Status != NoticeStatus.Draft
                       select x).SingleOrDefaultAsync(ct);
        if (n is null) return null;
        var pupil = await db.Students.AsNoTracking().Where(s => s.Id == n.StudentId).Select(s => new { s.FullName, s.PaymentCode }).SingleAsync(ct);
        // Money on the notice by payment and kind, net: a reversed payment shows its payment and its reversal side by side.
        var money = await (from a in db.Allocations.AsNoTracking()
                           join p in db.Payments.AsNoTracking() on a.PaymentId equals p.Id
                           where a.NoticeId == n.Id
                           group a by new { a.PaymentId, a.Kind, p.ReceivedAt, p.Method } into g
                           select new { g.Key.PaymentId, g.Key.Kind, g.Key.ReceivedAt, g.Key.Method, Vnd = g.Sum(x => x.AmountVnd), At = g.Max(x => x.At) }).ToListAsync(ct);
        var paymentIds = money.Select(m => m.PaymentId).Distinct().ToList();
        var receipts = (await (from r in db.Receipts.AsNoTracking()
                               join rs in db.ReceiptSeries.AsNoTracking() on r.SeriesId equals rs.Id
                               join sc in db.Schools.AsNoTracking() on rs.SchoolId equals sc.Id
                               where paymentIds.Contains(r.PaymentId)
                               orderby r.IssuedAt descending
                               select new { r.PaymentId, r.Status, sc.Code, rs.Template, rs.Series, r.Number }).ToListAsync(ct))
            // The live receipt, else the last one (a reversed payment's receipt is cancelled, and still its receipt).
            .GroupBy(r => r.PaymentId).ToDictionary(g => g.Key, g => g.OrderBy(r => r.Status == "issued" ? 0 : 1).First());
        var messages = await MessagesAsync(m => m.NoticeId == n.Id, ct);
        var refunds = await Billing.RefundNote.ForNoticesAsync(db, [n.Id], ct);
        var balance = NoticeStatusNames.LeftToPay(n.Status, n.AmountDueVnd, n.AmountPaidVnd);
        return new NoticeRecord(n.NoticeNo, BillingMonth.FromKey(n.PeriodKey), n.DueDate, n.IssuedAt, n.Status.ToWire(),
            NoticeStatusNames.IsOverdue(n.Status, n.DueDate, balance, clock.Today), n.AmountDueVnd, n.AmountPaidVnd, pupil.FullName, pupil.PaymentCode, n.ClassName,
            n.Lines.OrderBy(l => l.LineNo).Select(l => new NoticeLineRow(l.LineNo, l.ItemName, l.Kind, l.Quantity, l.UnitPriceVnd, l.GrossVnd, l.ReductionPercent, l.AmountVnd,
                l.AdjustVnd, refunds[l.Id].ToList(), l.LegalBasis, l.SupportVnd, l.SupportBasis, l.ReductionBasis, l.PartMonth, l.DaysIn, l.DaysOf)).ToList(),
            money.OrderBy(m => m.At).ThenBy(m => m.Kind == AllocationKinds.Reversal).Select(m => new NoticeMoney(m.PaymentId, m.At, m.Method, m.Kind, m.Vnd,
                receipts.TryGetValue(m.PaymentId, out var r) ? Ledger.Reference(r.Code, r.Template, r.Series, r.Number) : null)).ToList(),
            messages.Take(MaxMessages).ToList());
    }
}
