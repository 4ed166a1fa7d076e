using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;

namespace TdmEdu.Fees.Api.Application.Billing;

/// <summary>
/// Overdue is not a state of a notice (it follows from the due date and the balance); the nightly job records
/// the first day each notice was overdue, once, for ageing reports and reminders.
/// </summary>
public sealed class OverdueMarker(FeesDb db, BusinessClock clock)
{
    public async Task<int> MarkAsync(CancellationToken ct = default)
    {
        var today = clock.Today;
        // The same rule as NoticeStatusNames.IsOverdue: issued or partly paid, money owed, due date passed.
        var marked = await db.Database.ExecuteSqlAsync($"""
            UPDATE notices SET overdue_since = due_date + 1
            WHERE overdue_since IS NULL AND status IN ('issued', 'partially_paid') AND amount_due_vnd > amount_paid_vnd AND due_date < {today}
            """, ct);
        if (marked > 0)
        {
            AuditLog.Record(db, clock, new Actor("job:mark-overdue"), "notices.overdue", "notice", null, new { marked, today });
            await db.SaveChangesAsync(ct);
        }
        return marked;
    }
}
