using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Application.Payments;
using TdmEdu.Fees.Api.Persistence;

namespace TdmEdu.Fees.Api.Pages.School;

/// <summary>A receipt of one school as its page shows it: the payment behind it, where the money went, its corrections.</summary>
public sealed class ReceiptViews(FeesDb db, string school)
{
    public sealed record Line(string NoticeNo, long AmountVnd);

    public sealed record Request(Guid Id, string Kind, long AmountVnd, string Reason, string RequestedBy, DateTimeOffset RequestedAt, string Status,
        string? DecidedBy, string? DecisionNote, string? Result);

    public sealed record View(Guid Id, string Reference, string Status, DateTimeOffset IssuedAt, string? Payer, string Pupil, string StudentCode,
        string Method, long AmountVnd, Guid PaymentId, bool Reversed, DateTimeOffset? CancelledAt, string? CancelReason,
        (Guid Id, string Reference)? Replaces, (Guid Id, string Reference)? ReplacedBy, IReadOnlyList<Line> Lines, long CreditVnd, IReadOnlyList<Request> Requests);

    public async Task<View?> ReceiptAsync(Guid id, CancellationToken ct)
    {
        var r = await (from rc in db.Receipts.AsNoTracking()
                       join rs in db.ReceiptSeries on rc.SeriesId equals rs.Id
                       join sc in db.Schools on rc.SchoolId equals sc.Id
                       join p in db.Payments on rc.PaymentId equals p.Id
                       join st in db.Students on p.StudentId equals st.Id
                       where rc.Id == id && sc.Code == school
                       select new { rc, rs.Template, rs.Series, p.Method, p.AmountVnd, PaymentId = p.Id, st.FullName, st.StudentCode }).SingleOrDefaultAsync(ct);
        if (r is null) return null;
        var lines = await (from a in db.Allocations.AsNoTracking()
                           join n in db.Notices on a.NoticeId equals n.Id
                           where a.PaymentId == r.PaymentId
                           group a by n.NoticeNo into g
                           select new Line(g.Key, g.Sum(a => a.AmountVnd))).ToListAsync(ct);
        var refunded = await db.Refunds.AsNoTracking().Where(f => f.PaymentId == r.PaymentId).SumAsync(f => f.AmountVnd, ct);
        var reversed = await db.Payments.AsNoTracking().AnyAsync(p => p.ReversesPaymentId == r.PaymentId, ct);
        var requests = await db.CorrectionRequests.AsNoTracking().Where(c => c.ReceiptId == id).OrderByDescending(c => c.RequestedAt)
            .Select(c => new Request(c.Id, c.Kind, c.AmountVnd, c.Reason, c.RequestedBy, c.RequestedAt, c.Status, c.DecidedBy, c.DecisionNote, c.Result))
            .ToListAsync(ct);
        return new View(r.rc.Id, Ledger.Reference(school, r.Template, r.Series, r.rc.Number), r.rc.Status, r.rc.IssuedAt, r.rc.PayerName, r.FullName, r.StudentCode,
            r.Method, r.AmountVnd, r.PaymentId, reversed, r.rc.CancelledAt, r.rc.CancelReason,
            r.rc.ReplacesReceiptId is { } old ? (old, await ReferenceAsync(old, ct)) : null,
            await db.Receipts.AsNoTracking().Where(x => x.ReplacesReceiptId == id).Select(x => (Guid?)x.Id).SingleOrDefaultAsync(ct) is { } next ? (next, await ReferenceAsync(next, ct)) : null,
            lines.Where(l => l.AmountVnd != 0).OrderBy(l => l.NoticeNo, StringComparer.Ordinal).ToList(),
            reversed ? 0 : r.AmountVnd - lines.Sum(l => l.AmountVnd) - refunded, requests);
    }

    private async Task<string> ReferenceAsync(Guid id, CancellationToken ct)
    {
        var x = await (from rc in db.Receipts.AsNoTracking() join rs in db.ReceiptSeries on rc.SeriesId equals rs.Id where rc.Id == id
                       select new { rs.Template, rs.Series, rc.Number }).SingleAsync(ct);
        return Ledger.Reference(school, x.Template, x.Series, x.Number);
    }
}
