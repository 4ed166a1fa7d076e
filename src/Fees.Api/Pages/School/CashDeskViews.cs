using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Application.Payments;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Domain.Notices;

namespace TdmEdu.Fees.Api.Pages.School;

/// <summary>What the cash desk reads, always within one school: a notice, a pupil's open notices, a payment just taken.</summary>
public sealed class CashDeskViews(FeesDb db, string school)
{
    public sealed record NoticeSummary(string NoticeNo, string Pupil, string StudentCode, string ClassName, string Period, long DueVnd, long PaidVnd, string Status);

    /// <summary>A payment taken at the counter: its receipt, and where each đồng went.</summary>
    public sealed record Taken(Guid PaymentId, Guid? ReceiptId, string ReceiptNo, long AmountVnd, string Pupil, IReadOnlyList<NoticePaid> Notices, long CreditVnd);

    private IQueryable<Notice> Mine => db.Notices.AsNoTracking().Where(n => db.Schools.Any(sc => sc.Id == n.SchoolId && sc.Code == school));

    private IQueryable<NoticeSummary> Summaries(IQueryable<Notice> notices) =>
        from n in notices
        join s in db.Students.AsNoTracking() on n.StudentId equals s.Id
        orderby n.PeriodKey, n.NoticeNo
        select new NoticeSummary(n.NoticeNo, s.FullName, s.StudentCode, n.ClassName, n.PeriodKey.ToString(), n.AmountDueVnd, n.AmountPaidVnd, n.Status.ToWire());

    public Task<NoticeSummary?> NoticeAsync(string noticeNo, CancellationToken ct) =>
        Summaries(Mine.Where(n => n.NoticeNo == noticeNo)).SingleOrDefaultAsync(ct);

    /// <summary>A pupil found by payment code or student code: the school's notices of theirs that still owe money.</summary>
    public async Task<IReadOnlyList<NoticeSummary>> OpenNoticesOfPupilAsync(string code, CancellationToken ct)
    {
        var upper = code.ToUpperInvariant();
        var students = db.Students.AsNoTracking().Where(s => s.PaymentCode == upper || s.StudentCode == code).Select(s => s.Id);
        return await Summaries(Mine.Where(n => students.Contains(n.StudentId) && n.AmountPaidVnd < n.AmountDueVnd
                && (n.Status == NoticeStatus.Issued || n.Status == NoticeStatus.PartiallyPaid)))
            .Take(24).ToListAsync(ct);
    }

    public async Task<long> LimitAsync(CancellationToken ct) =>
        await db.Schools.AsNoTracking().Where(s => s.Code == school).Select(s => s.CashLimitVnd).SingleOrDefaultAsync(ct) ?? Persistence.School.DefaultCashLimitVnd;

    public async Task<Taken?> TakenAsync(Guid paymentId, CancellationToken ct)
    {
        var p = await (from x in db.Payments.AsNoTracking()
                       join sc in db.Schools on x.SchoolId equals sc.Id
                       join st in db.Students on x.StudentId equals st.Id
                       where x.Id == paymentId && sc.Code == school && x.Method == PaymentMethods.Cash
                       select new { x.Id, x.AmountVnd, st.FullName }).SingleOrDefaultAsync(ct);
        if (p is null) return null;
        var receipt = await (from r in db.Receipts.AsNoTracking()
                             join s in db.ReceiptSeries on r.SeriesId equals s.Id
                             where r.PaymentId == p.Id
                             orderby r.IssuedAt descending
                             select new { r.Id, s.Template, s.Series, r.Number }).FirstOrDefaultAsync(ct);
        var paid = await (from a in db.Allocations.AsNoTracking()
                          join n in db.Notices on a.NoticeId equals n.Id
                          where a.PaymentId == p.Id
                          group a by new { n.NoticeNo, n.AmountDueVnd, n.AmountPaidVnd, n.Status } into g
                          select new { g.Key.NoticeNo, Amount = g.Sum(a => a.AmountVnd), g.Key.AmountDueVnd, g.Key.AmountPaidVnd, g.Key.Status }).ToListAsync(ct);
        var notices = paid.Where(x => x.Amount != 0).OrderBy(x => x.NoticeNo, StringComparer.Ordinal)
            .Select(x => new NoticePaid(x.NoticeNo, x.Amount, Math.Max(0, x.AmountDueVnd - x.AmountPaidVnd), x.Status.ToWire())).ToList();
        return new Taken(p.Id, receipt?.Id, receipt is null ? "" : Ledger.Reference(school, receipt.Template, receipt.Series, receipt.Number), p.AmountVnd, p.FullName,
            notices, p.AmountVnd - paid.Sum(x => x.Amount));
    }
}
