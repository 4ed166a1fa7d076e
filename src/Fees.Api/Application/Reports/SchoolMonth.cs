using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Domain.Notices;
using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Api.Application.Reports;

/// <summary>A school's month at a glance: what was billed, collected (cash and bank), what is outstanding, what waits.</summary>
public sealed record MonthAtAGlance(string School, string SchoolName, string Period, int Notices, long BilledVnd, long CollectedVnd, long OutstandingVnd,
    int Paid, int PartiallyPaid, int Unpaid, int Overdue, long CashVnd, long BankVnd, int ReviewQueue);

public sealed record NoticeRow(string NoticeNo, string StudentCode, string StudentName, string ClassName, long AmountDueVnd, long AmountPaidVnd,
    long BalanceVnd, string Status, DateOnly DueDate, bool Overdue)
{
    /// <summary>The row as the education office may read it: the notice and its money, not the pupil.</summary>
    public PupilFreeNoticeRow PupilFree() => new(NoticeNo, ClassName, AmountDueVnd, AmountPaidVnd, BalanceVnd, Status, DueDate, Overdue);
}

/// <summary>A notice without the pupil's name or codes: what the auditor sees (DOMAIN.md, children's data).</summary>
public sealed record PupilFreeNoticeRow(string NoticeNo, string ClassName, long AmountDueVnd, long AmountPaidVnd, long BalanceVnd, string Status,
    DateOnly DueDate, bool Overdue);

public sealed class SchoolMonth(FeesDb db, BusinessClock clock)
{
    public async Task<MonthAtAGlance?> GetAsync(string schoolCode, BillingMonth month, CancellationToken ct = default)
    {
        var school = await db.Schools.AsNoTracking().Where(s => s.Code == schoolCode).Select(s => new { s.Id, s.Code, s.Name }).SingleOrDefaultAsync(ct);
        if (school is null) return null;
        var today = clock.Today;
        var notices = await db.Notices.AsNoTracking().Where(n => n.SchoolId == school.Id && n.PeriodKey == month.Key)
            .GroupBy(n => 1).Select(g => new
            {
                Count = g.Count(), Due = g.Sum(n => n.AmountDueVnd), Paid = g.Sum(n => n.AmountPaidVnd),
                PaidCount = g.Count(n => n.Status == NoticeStatus.Paid), Partial = g.Count(n => n.Status == NoticeStatus.PartiallyPaid),
                Unpaid = g.Count(n => n.Status == NoticeStatus.Issued),
                Overdue = g.Count(n => (n.Status == NoticeStatus.Issued || n.Status == NoticeStatus.PartiallyPaid) && n.DueDate < today),
            }).SingleOrDefaultAsync(ct);
        // Money received on this month's notices, by how it came.
        var byMethod = await (from a in db.Allocations.AsNoTracking()
                              join n in db.Notices.AsNoTracking() on a.NoticeId equals n.Id
                              join p in db.Payments.AsNoTracking() on a.PaymentId equals p.Id
                              where n.SchoolId == school.Id && n.PeriodKey == month.Key
                              group a by p.Method into g
                              select new { Method = g.Key, Sum = g.Sum(a => a.AmountVnd) }).ToListAsync(ct);
        var queue = await (from r in db.LineDecisions.AsNoTracking()
                           join l in db.StatementLines.AsNoTracking() on r.StatementLineId equals l.Id
                           join acc in db.BankAccounts.AsNoTracking() on l.AccountId equals acc.Id
                           where acc.SchoolId == school.Id && (r.Outcome == "suggested" || r.Outcome == "unmatched")
                                 && !db.ReviewDecisions.Any(d => d.StatementLineId == l.Id && d.Action != "undo"
                                                                 && !db.ReviewDecisions.Any(u => u.UndoesDecisionId == d.Id))
                           select r).CountAsync(ct);
        long Sum(string method) => byMethod.Where(m => m.Method == method).Sum(m => m.Sum);
        return new MonthAtAGlance(school.Code, school.Name, month.ToString(), notices?.Count ?? 0, notices?.Due ?? 0, notices?.Paid ?? 0,
            (notices?.Due ?? 0) - (notices?.Paid ?? 0), notices?.PaidCount ?? 0, notices?.Partial ?? 0, notices?.Unpaid ?? 0, notices?.Overdue ?? 0,
            Sum(PaymentMethods.Cash), Sum(PaymentMethods.Bank), queue);
    }

    public async Task<List<NoticeRow>> NoticesAsync(string schoolCode, BillingMonth month, string? status, CancellationToken ct = default)
    {
        var today = clock.Today;
        var rows = await (from n in db.Notices.AsNoTracking()
                          join s in db.Students.AsNoTracking() on n.StudentId equals s.Id
                          join sc in db.Schools.AsNoTracking() on n.SchoolId equals sc.Id
                          where sc.Code == schoolCode && n.PeriodKey == month.Key
                          orderby n.ClassName, n.NoticeNo
                          select new { n.NoticeNo, s.StudentCode, s.FullName, n.ClassName, n.AmountDueVnd, n.AmountPaidVnd, n.Status, n.DueDate }).ToListAsync(ct);
        return rows.Select(r => new NoticeRow(r.NoticeNo, r.StudentCode, r.FullName, r.ClassName, r.AmountDueVnd, r.AmountPaidVnd,
                NoticeStatusNames.LeftToPay(r.Status, r.AmountDueVnd, r.AmountPaidVnd), r.Status.ToWire(), r.DueDate, NoticeStatusNames.IsOverdue(r.Status, r.DueDate, r.AmountDueVnd - r.AmountPaidVnd, today)))
            .Where(r => status is null || r.Status == status || status == "overdue" && r.Overdue).ToList();
    }
}
