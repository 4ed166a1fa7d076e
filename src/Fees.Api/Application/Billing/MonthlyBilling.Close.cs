using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Api.Application.Billing;

/// <summary>Closing a month: after it no run bills it; payments still apply.</summary>
public sealed partial class MonthlyBilling
{
    /// <summary>Closes the month: no more billing for it. Payments still apply.</summary>
    public async Task<int> CloseAsync(BillingMonth month, string? schoolCode, CancellationToken ct = default)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // The billing run's lock: a close waits for a run that already saw the month open, and a run after it sees it closed.
        await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(7310001, {0})", [month.Key], ct);
        var schools = await db.Schools.Where(s => schoolCode == null || s.Code == schoolCode).Select(s => s.Id).ToListAsync(ct);
        if (schoolCode is not null && schools.Count == 0) throw new BusinessRuleException($"School {schoolCode} is not known.");
        var periods = await db.BillingPeriods.Where(p => p.PeriodKey == month.Key && schools.Contains(p.SchoolId)).ToDictionaryAsync(p => p.SchoolId, ct);
        var closedNow = 0;
        foreach (var s in schools)
        {
            if (!periods.TryGetValue(s, out var p))
            {
                p = new BillingPeriodRow { Id = Guid.CreateVersion7(), SchoolId = s, PeriodKey = month.Key };
                db.BillingPeriods.Add(p);
            }
            if (p.ClosedAt is not null) continue;
            p.ClosedAt = clock.Now;
            p.ClosedBy = actor.Name;
            closedNow++;
        }
        if (closedNow > 0)
            AuditLog.Record(db, clock, actor, "notices.close", "billing_period", month.ToString(), new { school = schoolCode, schools_closed = closedNow });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return closedNow;
    }
}
