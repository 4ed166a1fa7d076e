using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Application.Payments;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Domain.Notices;
using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Api.Application.Billing;

/// <summary>One month of a term: what is left on its notice, or what billing would charge when it is not billed yet.</summary>
public sealed record TermMonth(BillingMonth Month, long AmountVnd, bool Billed);

/// <summary>What a family pays to cover a term up front: the months' amounts less what the pupil already holds.</summary>
public sealed record TermQuote(string StudentCode, IReadOnlyList<TermMonth> Months, long HeldVnd, long EarlierOwedVnd = 0)
{
    /// <summary>Money goes on the oldest notices first: what earlier months still owe is paid before the term.</summary>
    public long TotalVnd => EarlierOwedVnd + Months.Sum(m => m.AmountVnd);
    public long ToPayVnd => Math.Max(0, TotalVnd - HeldVnd);
}

/// <summary>
/// A term paid up front: the money is taken at the counter (or transferred) like any payment; what no notice owes yet
/// is held for the pupil and each month's billing run puts it on that month's notice, month by month. This says how
/// much that is: for each billing month of the term, what its notice still owes, or what billing would charge today
/// (before any days not eaten are given back), less what the pupil already holds.
/// </summary>
public sealed class TermQuotes(FeesDb db, BusinessClock clock, Actor actor)
{
    public async Task<TermQuote> QuoteAsync(string studentCode, BillingMonth from, int months, CancellationToken ct = default)
    {
        if (months is < 1 or > 12) throw new BadInputException("--months", null, null, "a term is 1 to 12 billing months.", "một kỳ thu từ 1 đến 12 tháng.");
        var student = await db.Students.AsNoTracking().Where(s => s.StudentCode == studentCode).Select(s => new { s.Id, s.SchoolId }).SingleOrDefaultAsync(ct)
            ?? throw new BadInputException("--student", null, null, $"there is no student {studentCode}.", $"không có học sinh {studentCode}.");
        var schedule = await Roster.ScheduleStore.LoadAsync(db, SchoolYear.Containing(from), ct)
            ?? throw new BusinessRuleException($"There is no fee schedule for school year {SchoolYear.Containing(from)}.",
                $"Chưa có biểu phí cho năm học {SchoolYear.Containing(from)}.");
        var billing = new MonthlyBilling(db, clock, actor);
        var result = new List<TermMonth>();
        var supportAhead = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var m = from; result.Count < months && SchoolYear.Containing(m) == schedule.SchoolYear; m = m.Next())
        {
            if (!schedule.BillsMonth(m.Month)) continue;
            var key = m.Key;
            var notice = await db.Notices.AsNoTracking()
                .Where(n => n.StudentId == student.Id && n.PeriodKey == key && n.Status != NoticeStatus.Cancelled && n.Status != NoticeStatus.Refunded)
                .Select(n => new { n.AmountDueVnd, n.AmountPaidVnd }).SingleOrDefaultAsync(ct);
            if (notice is not null) result.Add(new TermMonth(m, notice.AmountDueVnd - notice.AmountPaidVnd, true));
            else
            {
                var draft = await billing.WouldBillAsync(student.Id, m, ct, supportAhead);
                result.Add(new TermMonth(m, draft?.AmountDueVnd ?? 0, false));
                foreach (var code in draft?.Lines.Where(l => l.SupportCode is not null).Select(l => l.SupportCode!).Distinct(StringComparer.OrdinalIgnoreCase) ?? [])
                    supportAhead[code] = supportAhead.GetValueOrDefault(code) + 1;
            }
        }
        var held = await new Ledger(db, clock, actor).CreditAtAsync(student.Id, student.SchoolId, ct);
        var fromKey = from.Key;
        var earlier = await db.Notices.AsNoTracking()
            .Where(n => n.StudentId == student.Id && n.SchoolId == student.SchoolId && n.PeriodKey < fromKey
                        && (n.Status == NoticeStatus.Issued || n.Status == NoticeStatus.PartiallyPaid))
            .SumAsync(n => n.AmountDueVnd - n.AmountPaidVnd, ct);
        return new TermQuote(studentCode, result, held, earlier);
    }
}
