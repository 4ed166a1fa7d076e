using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Application.Payments;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Api.Application.Reports;

public sealed partial class ParentLookup
{
    /// <summary>
    /// The payments each pupil's page lists, newest first, read for the whole family at once. A payment is in a pupil's
    /// history when it was made for the pupil or put money on the pupil's notices (one transfer that names two siblings'
    /// codes pays both). Reversed payments are left out. What a payment paid is read from its allocations, net of any
    /// taken back (a refunded notice gives its money back to the payment as credit).
    /// </summary>
    private async Task<Dictionary<Guid, List<ParentPayment>>> HistoryAsync(List<Guid> pupils, List<Notice> notices, CancellationToken ct)
    {
        var noticeIds = notices.Select(n => n.Id).ToList();
        var payments = await db.Payments.AsNoTracking()
            .Where(p => p.AmountVnd > 0 && !db.Payments.Any(r => r.ReversesPaymentId == p.Id)
                        && (pupils.Contains(p.StudentId) || db.Allocations.Any(a => a.PaymentId == p.Id && noticeIds.Contains(a.NoticeId))))
            .OrderByDescending(p => p.ReceivedAt).ThenByDescending(p => p.Id)
            .Select(p => new { p.Id, p.StudentId, p.ReceivedAt, p.AmountVnd, p.Method, p.PreferredNoticeId }).ToListAsync(ct);
        var paymentIds = payments.Select(p => p.Id).ToList();
        var spread = (await (from a in db.Allocations.AsNoTracking()
                             join n in db.Notices.AsNoTracking() on a.NoticeId equals n.Id
                             where paymentIds.Contains(a.PaymentId)
                             group a by new { a.PaymentId, a.NoticeId, n.StudentId, n.PeriodKey } into g
                             select new Spread(g.Key.PaymentId, g.Key.NoticeId, g.Key.StudentId, g.Key.PeriodKey, g.Sum(x => x.AmountVnd),
                                 g.Sum(x => x.Kind == AllocationKinds.Payment && x.AmountVnd > 0 ? x.AmountVnd : 0))).ToListAsync(ct))
            .ToLookup(s => s.PaymentId);
        var refunded = await db.Refunds.AsNoTracking().Where(r => paymentIds.Contains(r.PaymentId)).GroupBy(r => r.PaymentId)
            .Select(g => new { g.Key, Vnd = g.Sum(r => r.AmountVnd) }).ToDictionaryAsync(x => x.Key, x => x.Vnd, ct);
        var named = payments.Where(p => p.PreferredNoticeId is not null).Select(p => p.PreferredNoticeId!.Value).Distinct().ToList();
        var namedMonths = await db.Notices.AsNoTracking().Where(n => named.Contains(n.Id)).ToDictionaryAsync(n => n.Id, n => n.PeriodKey, ct);
        var receipts = (await (from r in db.Receipts.AsNoTracking()
                               join rs in db.ReceiptSeries.AsNoTracking() on r.SeriesId equals rs.Id
                               join sc in db.Schools.AsNoTracking() on rs.SchoolId equals sc.Id
                               join p in db.Payments.AsNoTracking() on r.PaymentId equals p.Id
                               where paymentIds.Contains(r.PaymentId) && ReceiptStates.Live.Contains(r.Status)
                               orderby r.Number
                               select new { r.PaymentId, Pupil = r.StudentId ?? p.StudentId, r.Id, sc.Code, rs.Template, rs.Series, r.Number, r.Status, sc.TaxCode, r.LookupCode })
                               .ToListAsync(ct))
            .GroupBy(r => (r.PaymentId, r.Pupil)).ToDictionary(g => g.Key, g => g.First());

        var result = new Dictionary<Guid, List<ParentPayment>>();
        foreach (var pupil in pupils)
        {
            result[pupil] = payments.Where(p => p.StudentId == pupil || spread[p.Id].Any(s => s.StudentId == pupil)).Select(p =>
            {
                var parts = spread[p.Id].ToList();
                var applied = p.PreferredNoticeId is not { } preferred ? PaymentApplied.OldestFirst
                    : parts.Any(s => s.NoticeId == preferred && s.FirstVnd > 0) ? p.Method == PaymentMethods.Cash ? PaymentApplied.AtTheCounter : PaymentApplied.NamedMonth
                    : PaymentApplied.NamedMonthAlreadyPaid;
                BillingMonth? namedMonth = p.PreferredNoticeId is { } n && namedMonths.TryGetValue(n, out var key) ? BillingMonth.FromKey(key) : null;
                // Each pupil's own receipt of the payment (one per pupil a payment paid; the session names this pupil).
                var receipt = receipts.TryGetValue((p.Id, pupil), out var r) ? r : null;
                return new ParentPayment(p.ReceivedAt, p.AmountVnd, p.Method,
                    receipt is null ? null : Ledger.Reference(receipt.Code, receipt.Template, receipt.Series, receipt.Number), receipt?.Id,
                    parts.Where(s => s.StudentId == pupil && s.NetVnd > 0).GroupBy(s => s.PeriodKey).OrderBy(g => g.Key)
                        .Select(g => new PaidMonth(BillingMonth.FromKey(g.Key), g.Sum(s => s.NetVnd))).ToList(),
                    parts.Where(s => s.StudentId != pupil && s.NetVnd > 0).Sum(s => s.NetVnd),
                    p.AmountVnd - parts.Sum(s => s.NetVnd) - refunded.GetValueOrDefault(p.Id),
                    applied, namedMonth)
                {
                    ReceiptStatus = receipt?.Status,
                    VerifyPath = receipt is { LookupCode: { } code, TaxCode: { } mst } ? $"/bien-lai/{mst}/{code}" : null,
                };
            }).ToList();
        }
        return result;
    }

    private sealed record Spread(Guid PaymentId, Guid NoticeId, Guid StudentId, int PeriodKey, long NetVnd, long FirstVnd);
}
