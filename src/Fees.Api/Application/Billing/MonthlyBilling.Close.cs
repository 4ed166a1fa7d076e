using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Api.Application.Billing;

/// <summary>Closing a month: after it no run bills it; payments still apply.</summary>
public sealed partial class MonthlyBilling
{
    /// <summary>
    /// Closes the month: no more billing for it. Payments still apply. A pupil leaving in the month gets no later notice
    /// now: what their earlier months' days still give back is given back on those months (after the close commits, under
    /// leaving's locks), and what no notice can give back is said.
    /// </summary>
    public async Task<CloseResult> CloseAsync(BillingMonth month, string? schoolCode, CancellationToken ct = default)
    {
        var closed = await CloseOnlyAsync(month, schoolCode, ct);
        var leavers = await (from s in db.Students.AsNoTracking()
                             join sc in db.Schools.AsNoTracking() on s.SchoolId equals sc.Id
                             where s.LeftOn >= month.FirstDay && s.LeftOn < month.FirstDay.AddMonths(1) && (schoolCode == null || sc.Code == schoolCode)
                                   && db.Attendance.Any(a => a.StudentId == s.Id && a.SchoolId == s.SchoolId && !a.Settled && a.PeriodKey < month.Key)
                             select new { s.Id, s.StudentCode }).ToListAsync(ct);
        var waiting = new List<LeaverWaiting>();
        foreach (var l in leavers)
            try
            {
                if (await new LeaverRest(db, clock, actor).GiveBackAsync(l.Id, ct) is { Count: > 0 } months) waiting.Add(new LeaverWaiting(l.StudentCode, months));
            }
            catch (BusinessRuleException e)
            {
                waiting.Add(new LeaverWaiting(l.StudentCode, [], e.Message, e.Vietnamese));
            }
        return new CloseResult(closed, waiting);
    }

    private async Task<int> CloseOnlyAsync(BillingMonth month, string? schoolCode, CancellationToken ct)
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

/// <summary>What closing did: how many schools' months it closed, and leavers whose days no notice can give back now.</summary>
public sealed record CloseResult(int Closed, IReadOnlyList<LeaverWaiting> Waiting);
