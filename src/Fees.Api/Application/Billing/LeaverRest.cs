using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Application.Payments;
using TdmEdu.Fees.Api.Application.Roster;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Domain.Notices;
using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Api.Application.Billing;

/// <summary>
/// What a leaver's last notice could not take: the days an earlier month still gives back, given back on that month's
/// own notice billed again (<see cref="GiveBackAsync"/>); and the steps leaving shares with it: its locks and billing a
/// pupil's month again.
/// </summary>
public sealed class LeaverRest(FeesDb db, BusinessClock clock, Actor actor)
{
    /// <summary>
    /// A leaver whose last notice stands with days of an earlier month still waiting (its lines were smaller than what
    /// that month gives back): no later notice will come, so the earlier month is billed again giving back its own days,
    /// and what was paid on it beyond is the pupil's credit, put on what is still owed first. Called by a billing run
    /// that bills a leaver's last month; leaving does the same inside its own transaction. Says which months' days stay
    /// waiting because their month is closed (billed as it was closed, so no notice can give them back).
    /// </summary>
    public async Task<List<int>> GiveBackAsync(Guid studentId, CancellationToken ct = default)
    {
        await using var tx = await UnitOfWork.BeginAsync(db, ct);
        var code = await db.Students.AsNoTracking().Where(s => s.Id == studentId).Select(s => s.StudentCode).SingleAsync(ct);
        await LockAsync(db, clock, code, ct);
        var student = await db.Students.AsNoTracking().SingleAsync(s => s.Id == studentId, ct);
        if (student.LeftOn is not { } left) return [];
        var school = await db.Schools.AsNoTracking().Where(s => s.Id == student.SchoolId).Select(s => s.Code).SingleAsync(ct);
        var (withdrawn, reissued, waiting) = await InsideAsync(student.Id, student.SchoolId, school, BillingMonth.Of(left), ct);
        if (withdrawn.Count == 0) return waiting;
        await new Ledger(db, clock, actor).ApplyCreditAsync([student.Id], ct);
        AuditLog.Record(db, clock, actor, "students.leave_rest", "student", student.Id.ToString(),
            new { last_day = left, withdrawn, reissued, waiting, held_vnd = await new Ledger(db, clock, actor).CreditAtAsync(student.Id, student.SchoolId, ct) });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return waiting;
    }

    internal async Task<(List<string> Withdrawn, List<string> Reissued, List<int> Waiting)> InsideAsync(Guid studentId, Guid schoolId, string school, BillingMonth last, CancellationToken ct)
    {
        // Only once no later notice will come: before the last month's notice, that notice is where the days go.
        if (!await NoLaterNoticeAsync(studentId, schoolId, last, ct)) return ([], [], []);
        var found = await db.Database.SqlQuery<WaitingMonth>($"""
            SELECT DISTINCT a.period_key AS "Key",
                   EXISTS (SELECT 1 FROM billing_periods p WHERE p.school_id = a.school_id AND p.period_key = a.period_key AND p.closed_at IS NOT NULL) AS "Closed"
            FROM attendance_months a
            WHERE a.student_id = {studentId} AND a.school_id = {schoolId} AND NOT a.settled AND a.period_key < {last.Key}
              AND EXISTS (SELECT 1 FROM notices n WHERE n.student_id = a.student_id AND n.school_id = a.school_id AND n.period_key = a.period_key
                          AND n.status NOT IN ('cancelled', 'refunded'))
            ORDER BY 1
            """).ToListAsync(ct);
        // A closed month is not billed again: its days wait, and whoever left or billed is told (found by attack: they waited silently).
        var months = found.Where(m => !m.Closed).Select(m => m.Key).ToList();
        var ledger = new Ledger(db, clock, actor);
        var (withdrawn, reissued) = (new List<string>(), new List<string>());
        foreach (var key in months)
        {
            var month = BillingMonth.FromKey(key);
            var n = await db.Notices.AsNoTracking().Where(x => x.StudentId == studentId && x.SchoolId == schoolId && x.PeriodKey == key
                && x.Status != NoticeStatus.Cancelled && x.Status != NoticeStatus.Refunded).Select(x => new { x.NoticeNo, x.DueDate }).SingleAsync(ct);
            await ledger.CancelNoticeAsync(n.NoticeNo, $"Học sinh đã nghỉ học; trả lại tiền những ngày nghỉ tháng {month.Month:D2}/{month.Year} mà thông báo tháng cuối không đủ để trừ", ct, byLeave: true);
            withdrawn.Add(n.NoticeNo);
            if (await BillAgainAsync(studentId, school, month, n.DueDate, true, ct) is { } no) reissued.Add(no);
        }
        return (withdrawn, reissued, found.Where(m => m.Closed).Select(m => m.Key).ToList());
    }

    private sealed record WaitingMonth(int Key, bool Closed);

    /// <summary>
    /// Whether a leaver will get no notice after those that stand: the leaving month's notice stands; or that month is
    /// not billed at all (not a billing month of its year's schedule, as June, or a year without one); or the school
    /// billed it and this pupil holds no notice of it that stands (a run bills each pupil once: a notice the accountant
    /// cancelled, or a month the run left the pupil out of, is not billed again); or the school closed it.
    /// </summary>
    public async Task<bool> NoLaterNoticeAsync(Guid studentId, Guid schoolId, BillingMonth last, CancellationToken ct)
    {
        if (await db.Notices.AsNoTracking().AnyAsync(n => n.StudentId == studentId && n.SchoolId == schoolId && n.PeriodKey == last.Key
                && n.Status != NoticeStatus.Cancelled && n.Status != NoticeStatus.Refunded, ct)) return true;
        if (await db.Notices.AsNoTracking().AnyAsync(n => n.SchoolId == schoolId && n.PeriodKey == last.Key, ct)) return true;
        // A month closed unbilled is never billed (found by attack: closing the leaving month left earlier days waiting).
        if (await db.BillingPeriods.AsNoTracking().AnyAsync(p => p.SchoolId == schoolId && p.PeriodKey == last.Key && p.ClosedAt != null, ct)) return true;
        var schedule = await ScheduleStore.LoadAsync(db, SchoolYear.Containing(last), ct);
        return schedule is null || !schedule.BillsMonth(last.Month);
    }

    /// <summary>
    /// Bills one pupil's month again. A notice billed again keeps its due date while it is ahead; past it, the family gets
    /// a week from today (within the three months a due date may run), so money newly owed is not overdue the day it is billed.
    /// </summary>
    internal async Task<string?> BillAgainAsync(Guid studentId, string school, BillingMonth month, DateOnly? before, bool giveBackOwnMonth, CancellationToken ct)
    {
        var (fresh, cap) = (clock.Today.AddDays(7), month.FirstDay.AddMonths(3).AddDays(-1));
        DateOnly? due = before is { } b && b >= clock.Today ? b : fresh <= cap ? fresh : null;
        var run = await new MonthlyBilling(db, clock, actor).IssueAsync(month, school, dryRun: false, ct, dueDate: due, onlyStudent: studentId, giveBackOwnMonth: giveBackOwnMonth);
        return run.NoticesCreated != 1 ? null : await db.Notices.AsNoTracking()
            .Where(n => n.StudentId == studentId && n.PeriodKey == month.Key && n.Status != NoticeStatus.Cancelled && n.Status != NoticeStatus.Refunded)
            .Select(n => n.NoticeNo).SingleAsync(ct);
    }

    /// <summary>
    /// Billing runs take a month's lock, then the refunds' lock; leaving bills and withdraws months of this school year,
    /// so it takes every month's lock first, in order, and then the pupil's row: a run and a leave never interleave, and
    /// never wait on each other crosswise.
    /// </summary>
    internal static async Task LockAsync(FeesDb db, BusinessClock clock, string studentCode, CancellationToken ct)
    {
        await LockMonthsAsync(db, clock, ct);
        await db.Database.ExecuteSqlInterpolatedAsync($"SELECT 1 FROM students WHERE student_code = {studentCode} FOR UPDATE", ct);
    }

    /// <summary>Every billing month's lock from the year before this school year to the year after, in order.</summary>
    internal static async Task LockMonthsAsync(FeesDb db, BusinessClock clock, CancellationToken ct)
    {
        var thisYear = SchoolYear.Containing(BillingMonth.Of(clock.Today));
        await db.Database.ExecuteSqlInterpolatedAsync($"""
            SELECT pg_advisory_xact_lock(7310001, k) FROM (SELECT (y * 100 + m) AS k FROM generate_series({thisYear.StartYear - 1}, {thisYear.StartYear + 1}) y,
                   generate_series(1, 12) m ORDER BY 1) months
            """, ct);
    }
}
