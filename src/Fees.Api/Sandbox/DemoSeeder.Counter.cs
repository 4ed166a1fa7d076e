using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Application.Payments;
using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Api.Sandbox;

/// <summary>The demo's counter: families paying cash, and the corrections an accountant makes in a month.</summary>
public sealed partial class DemoSeeder
{
    private sealed record CreditHolder(string Code, long CreditVnd);

    /// <summary>A sample of families pay at the counter over the month's first three weeks: most in full, some in part, a few too much (credit for next month).</summary>
    private async Task<int> PlanCounterAsync(DemoCollection collection, BillingMonth month, CancellationToken ct)
    {
        var notices = await db.Notices.AsNoTracking()
            .Where(n => n.PeriodKey == month.Key && n.AmountDueVnd > n.AmountPaidVnd)
            .OrderBy(n => n.NoticeNo).Select(n => new { n.NoticeNo, Balance = n.AmountDueVnd - n.AmountPaidVnd }).ToListAsync(ct);
        var count = 0;
        for (var i = 0; i < notices.Count; i += 97)
        {
            var n = notices[i];
            var amount = (count % 10) switch { 0 => n.Balance / 2, 1 => n.Balance + 100_000, _ => n.Balance };
            if (amount <= 0) continue;
            collection.PlanCash(n.NoticeNo, amount, new DateOnly(month.Year, month.Month, 2 + count % 20));
            count++;
        }
        return count;
    }

    /// <summary>The corrections an accountant makes in a month: a reversed payment, a reissued receipt, a refund of credit.</summary>
    private async Task CorrectSomeAsync(Ledger ledger, CancellationToken ct)
    {
        var receipts = await (from r in db.Receipts.AsNoTracking()
                              join s in db.ReceiptSeries.AsNoTracking() on r.SeriesId equals s.Id
                              join sc in db.Schools.AsNoTracking() on s.SchoolId equals sc.Id
                              where Persistence.ReceiptStates.Live.Contains(r.Status)
                              orderby sc.Code, r.Number
                              select new { sc.Code, s.Template, s.Series, r.Number }).Take(40).ToListAsync(ct);
        for (var i = 0; i < receipts.Count; i++)
        {
            var no = Ledger.Reference(receipts[i].Code, receipts[i].Template, receipts[i].Series, receipts[i].Number);
            if (i % 20 == 3) await ledger.ReversePaymentAsync(no, "Thu nhầm học sinh, đã hoàn tiền mặt", ct);
            else if (i % 20 == 7) await ledger.CancelReceiptAsync(no, "Ghi sai tên người nộp", ct);
            db.ChangeTracker.Clear();
        }
        var withCredit = await db.Database.SqlQuery<CreditHolder>($"""
            SELECT s.student_code AS "Code", p.amount_vnd - COALESCE((SELECT SUM(a.amount_vnd) FROM allocations a WHERE a.payment_id = p.id), 0) AS "CreditVnd"
            FROM students s JOIN payments p ON p.student_id = s.id
            WHERE p.amount_vnd > COALESCE((SELECT SUM(a.amount_vnd) FROM allocations a WHERE a.payment_id = p.id), 0)
              AND NOT EXISTS (SELECT 1 FROM payments r WHERE r.reverses_payment_id = p.id)
              AND NOT EXISTS (SELECT 1 FROM refunds f WHERE f.payment_id = p.id)
            ORDER BY s.student_code LIMIT 1
            """).ToListAsync(ct);
        foreach (var h in withCredit)
            await ledger.RefundCreditAsync(h.Code, Math.Min(h.CreditVnd, 50_000), "Phụ huynh xin nhận lại tiền thừa", ct);
        db.ChangeTracker.Clear();
    }
}
