using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Application.Billing;
using TdmEdu.Fees.Api.Application.Payments;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Files;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Domain.Notices;
using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Api.Application.Pupils;

/// <summary>What leaving did: the notices withdrawn, the months billed again, what the pupil now holds and what was paid back.</summary>
public sealed record LeaveResult(string StudentCode, DateOnly LastDay, IReadOnlyList<string> Withdrawn, string? Reissued, long HeldVnd, long PaidBackVnd, bool Undone = false,
    IReadOnlyList<int>? ClosedWaiting = null)
{
    private string ClosedMonths => LeaverWaiting.MonthsText(ClosedWaiting ?? []);

    public string En => (Undone ? $"Pupil {StudentCode} stays: the leave after {LastDay:dd/MM/yyyy} is undone." : $"Pupil {StudentCode} leaves after {LastDay:dd/MM/yyyy}.")
        + (Withdrawn.Count > 0 ? $" Withdrawn: {string.Join(", ", Withdrawn)}." : "")
        + (Reissued is not null ? $" Billed again as {Reissued}." : "")
        + (PaidBackVnd > 0 ? $" Paid back in cash: {Values.Money(PaidBackVnd)}." : "")
        + $" Held for the pupil: {Values.Money(HeldVnd)}."
        + (ClosedWaiting is { Count: > 0 } ? $" Warning: the days absent in {ClosedMonths} are not given back, as that month is closed and no later notice will come." : "");

    public string Vi => (Undone ? $"Học sinh {StudentCode} tiếp tục đi học: đã huỷ ghi nghỉ học sau ngày {LastDay:dd/MM/yyyy}." : $"Học sinh {StudentCode} nghỉ học sau ngày {LastDay:dd/MM/yyyy}.")
        + (Withdrawn.Count > 0 ? $" Đã huỷ thông báo: {string.Join(", ", Withdrawn)}." : "")
        + (Reissued is not null ? $" Lập lại thành {Reissued}." : "")
        + (PaidBackVnd > 0 ? $" Đã trả lại tiền mặt: {Values.Money(PaidBackVnd)}." : "")
        + $" Tiền còn giữ cho học sinh: {Values.Money(HeldVnd)}."
        + (ClosedWaiting is { Count: > 0 } ? $" Lưu ý: chưa hoàn được tiền những ngày nghỉ tháng {ClosedMonths} vì kỳ thu tháng đó đã khoá sổ và không còn thông báo nào sau." : "");
}

/// <summary>
/// A pupil leaves the school: no month after their last day is billed. Notices already issued for later months are
/// withdrawn; the last month's notice, if issued, is withdrawn and billed again by each item's part-month rule, with
/// every absence still waiting (that month's too) given back on it, since no later notice will come. What the family
/// paid beyond it is held for the pupil (credit), or paid back in cash at once. Nothing issued is edited: each step is
/// a new entry linked in the audit log.
/// </summary>
public sealed class Leavers(FeesDb db, BusinessClock clock, Actor actor)
{
    public async Task<LeaveResult> LeaveAsync(string studentCode, DateOnly lastDay, string reason, bool payBackInCash, string? onlySchool = null, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(reason)) throw new BadInputException("--reason", null, null, "say why the pupil leaves.", "Hãy ghi lý do học sinh nghỉ học.");
        if (reason.Length > 500) throw new BadInputException("--reason", null, null, "the reason is longer than 500 characters.", "Lý do dài quá 500 ký tự.");
        await using var tx = await UnitOfWork.BeginAsync(db, ct);
        await LeaverRest.LockAsync(db, clock, studentCode, ct);
        var student = await db.Students.SingleOrDefaultAsync(s => s.StudentCode == studentCode, ct)
            ?? throw new BadInputException("--student", null, null, $"there is no student {studentCode}.", $"không có học sinh {studentCode}.");
        var school = await db.Schools.AsNoTracking().Where(s => s.Id == student.SchoolId).Select(s => s.Code).SingleAsync(ct);
        // A school's page acts for its own pupils only, and says nothing of another's.
        if (onlySchool is not null && !string.Equals(onlySchool, school, StringComparison.OrdinalIgnoreCase))
            throw new BadInputException("--student", null, null, $"there is no student {studentCode}.", $"không có học sinh {studentCode}.");
        if (student.EnrolledOn is { } enrolled && lastDay < enrolled)
            throw new BadInputException("--on", null, null, $"{lastDay:dd/MM/yyyy} is before the pupil enrolled ({enrolled:dd/MM/yyyy}).",
                $"ngày {lastDay:dd/MM/yyyy} trước ngày nhập học ({enrolled:dd/MM/yyyy}).");
        if (lastDay > clock.Today.AddMonths(3))
            throw new BadInputException("--on", null, null, $"{lastDay:dd/MM/yyyy} is more than three months ahead.", $"Ngày {lastDay:dd/MM/yyyy} xa quá ba tháng.");
        // A leaving day is this school year's: an earlier year's months were billed and closed as they stood.
        var yearStart = new BillingMonth(SchoolYear.Containing(BillingMonth.Of(clock.Today)).StartYear, SchoolYear.FirstMonth).FirstDay;
        if (lastDay < yearStart.AddDays(-1))
            throw new BadInputException("--on", null, null, $"{lastDay:dd/MM/yyyy} is before this school year (from {yearStart:dd/MM/yyyy}).",
                $"Ngày {lastDay:dd/MM/yyyy} trước năm học này (từ {yearStart:dd/MM/yyyy}).");

        var last = BillingMonth.Of(lastDay);
        // A closed month stays as it was closed: its notices are neither withdrawn nor billed again.
        var closedKeys = await db.BillingPeriods.AsNoTracking().Where(p => p.SchoolId == student.SchoolId && p.ClosedAt != null && p.PeriodKey >= last.Key)
            .Select(p => p.PeriodKey).OrderBy(k => k).ToListAsync(ct);
        var touched = await db.Notices.AsNoTracking().Where(n => n.StudentId == student.Id && n.SchoolId == student.SchoolId && closedKeys.Contains(n.PeriodKey)
            && n.Status != NoticeStatus.Cancelled && n.Status != NoticeStatus.Refunded).Select(n => n.PeriodKey).OrderBy(k => k).FirstOrDefaultAsync(ct);
        if (closedKeys.Contains(last.Key) || touched != 0)
        {
            var m = BillingMonth.FromKey(closedKeys.Contains(last.Key) ? last.Key : touched);
            throw new BusinessRuleException($"The {m} period is closed; a leaving day in it or before it would change it. Give a day in a month still open.",
                $"Kỳ thu tháng {m.Month:D2}/{m.Year} đã khoá sổ; ngày nghỉ học trong hoặc trước tháng đó sẽ làm thay đổi kỳ đã khoá. Hãy chọn ngày trong tháng chưa khoá sổ.");
        }
        var why = $"Học sinh nghỉ học sau ngày {lastDay:dd/MM/yyyy}: {reason.Trim()}";
        var earlierDay = student.LeftOn;
        student.LeftOn = lastDay;
        await db.SaveChangesAsync(ct);

        var ledger = new Ledger(db, clock, actor);
        var billing = new MonthlyBilling(db, clock, actor);
        var rest = new LeaverRest(db, clock, actor);
        var closed = (await db.BillingPeriods.AsNoTracking().Where(p => p.SchoolId == student.SchoolId && p.ClosedAt != null)
            .Select(p => p.PeriodKey).ToListAsync(ct)).ToHashSet();
        // From the month of an earlier leaving day (the day moved later) or the last month: what may bill otherwise now.
        var from = earlierDay is { } was && BillingMonth.Of(was) < last ? BillingMonth.Of(was) : last;
        var standing = await db.Notices.AsNoTracking().Include(n => n.Lines)
            .Where(n => n.StudentId == student.Id && n.SchoolId == student.SchoolId && n.PeriodKey >= from.Key
                        && n.Status != NoticeStatus.Cancelled && n.Status != NoticeStatus.Refunded)
            .OrderBy(n => n.PeriodKey).ToListAsync(ct);
        var withdrawn = new List<string>();
        var billAgain = new List<int>();
        // Later months first: withdrawing them makes what they gave back owed again, which the last month then carries.
        foreach (var n in standing.Where(n => n.PeriodKey > last.Key))
        {
            await ledger.CancelNoticeAsync(n.NoticeNo, why, ct, byLeave: true);
            withdrawn.Add(n.NoticeNo);
        }
        // A day moved later: months the leave had left unbilled (their absences settled as nothing to give back) are billed
        // again, so their absences wait again for the next notice.
        if (from < last)
            await db.Database.ExecuteSqlInterpolatedAsync($"""
                UPDATE attendance_months SET settled = false WHERE student_id = {student.Id} AND school_id = {student.SchoolId}
                   AND settled AND period_key > {from.Key} AND period_key <= {last.Key}
                """, ct);
        // A closed month's days are never billed again: they are said, not a reason to bill the last month again (found by
        // attack: every leave and import withdrew and billed it again while a closed month waited).
        var waiting = await db.Attendance.AnyAsync(a => a.StudentId == student.Id && a.SchoolId == student.SchoolId && !a.Settled && a.PeriodKey <= last.Key
            && !closed.Contains(a.PeriodKey), ct);
        var ownRefunds = (await db.AbsenceRefunds.AsNoTracking().Where(r => r.StudentId == student.Id)
            .Join(db.Notices.AsNoTracking(), r => r.NoticeId, n => n.Id, (r, n) => new { n.Id, Refunded = r.PeriodKey, Billed = n.PeriodKey })
            .Where(x => x.Refunded == x.Billed).Select(x => x.Id).ToListAsync(ct)).ToHashSet();
        foreach (var n in standing.Where(n => n.PeriodKey <= last.Key && !closed.Contains(n.PeriodKey)))
        {
            // Billed again when it would bill otherwise now, when (the last month) absences wait to be given back, or
            // when it gave back its own month's absences as a last month and no longer is one: a second call with
            // nothing new changes nothing.
            var again = await BillsOtherwiseNowAsync(billing, n, ct) || (n.PeriodKey == last.Key && waiting) || (n.PeriodKey < last.Key && ownRefunds.Contains(n.Id) && earlierDay is { } e && BillingMonth.Of(e).Key == n.PeriodKey);
            if (!again) continue;
            billAgain.Add(n.PeriodKey);
            await ledger.CancelNoticeAsync(n.NoticeNo, why, ct, byLeave: true);
            withdrawn.Add(n.NoticeNo);
        }
        // Months an earlier leave withdrew that the pupil now attended are billed again too; oldest first, so credit
        // goes on them in order.
        billAgain.AddRange(await MonthsToBillAsync(student.Id, student.SchoolId, from, last, ct));
        var reissuedNos = new List<string>();
        foreach (var key in billAgain.Distinct().Order())
        {
            // A notice billed again keeps its due date while it is ahead; past it, the family gets a week from today (within the
            // three months a due date may run), so money newly owed is not overdue the day it is billed.
            var no = await rest.BillAgainAsync(student.Id, school, BillingMonth.FromKey(key), standing.Where(n => n.PeriodKey == key).Select(n => (DateOnly?)n.DueDate).FirstOrDefault(), false, ct);
            if (no is not null) reissuedNos.Add(no);
        }
        var (restWithdrawn, restReissued, closedWaiting) = await rest.InsideAsync(student.Id, student.SchoolId, school, last, ct);
        withdrawn.AddRange(restWithdrawn);
        reissuedNos.AddRange(restReissued);
        // Absences of months after the last day (or of a last month never billed) were never billed: nothing to give back,
        // and no notice will come to settle them (found by attack: they waited for ever).
        var lastStands = await db.Notices.AsNoTracking().AnyAsync(n => n.StudentId == student.Id && n.SchoolId == student.SchoolId && n.PeriodKey == last.Key
            && n.Status != NoticeStatus.Cancelled && n.Status != NoticeStatus.Refunded, ct);
        var lastNeverBilled = !lastStands && await rest.NoLaterNoticeAsync(student.Id, student.SchoolId, last, ct);
        // An earlier month the pupil holds no standing notice of, and no standing notice gives anything back for, is
        // never billed now that no later notice comes (a month the accountant cancelled): nothing to give back (found by
        // attack: it stayed waiting for ever once September was cancelled after the leave).
        if (lastStands || lastNeverBilled)
            await db.Database.ExecuteSqlInterpolatedAsync($"""
                UPDATE attendance_months a SET settled = true WHERE a.student_id = {student.Id} AND a.school_id = {student.SchoolId} AND NOT a.settled AND a.period_key < {last.Key}
                   AND NOT EXISTS (SELECT 1 FROM notices n WHERE n.student_id = a.student_id AND n.school_id = a.school_id AND n.period_key = a.period_key
                                   AND n.status NOT IN ('cancelled', 'refunded'))
                   AND NOT EXISTS (SELECT 1 FROM absence_refunds r JOIN notices c ON c.id = r.notice_id AND c.status NOT IN ('cancelled', 'refunded')
                                   WHERE r.student_id = a.student_id AND r.period_key = a.period_key)
                """, ct);
        var settleFrom = lastNeverBilled ? last.Key : last.Key + 1;
        await db.Database.ExecuteSqlInterpolatedAsync($"""
            UPDATE attendance_months SET settled = true WHERE student_id = {student.Id} AND school_id = {student.SchoolId} AND NOT settled AND period_key >= {settleFrom}
            """, ct);
        var reissued = reissuedNos.Count > 0 ? string.Join(", ", reissuedNos.Order(StringComparer.Ordinal)) : null;

        // What the pupil holds pays what is still owed first, oldest month first; only the rest is credit or cash.
        await ledger.ApplyCreditAsync([student.Id], ct);
        var held = await ledger.CreditAtAsync(student.Id, student.SchoolId, ct);
        long paidBack = 0;
        if (payBackInCash && held > 0)
        {
            await ledger.RefundCreditAsync(studentCode, held, why, ct, PaymentMethods.Cash, student.SchoolId);
            (paidBack, held) = (held, 0);
        }
        AuditLog.Record(db, clock, actor, "students.leave", "student", student.Id.ToString(),
            new { last_day = lastDay, withdrawn, reissued, held_vnd = held, paid_back_vnd = paidBack, closed_waiting = closedWaiting, reason });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new LeaveResult(student.StudentCode, lastDay, withdrawn.Order(StringComparer.Ordinal).ToList(), reissued, held, paidBack, ClosedWaiting: closedWaiting);
    }

    /// <summary>
    /// A leave recorded by mistake, undone: the pupil stays. The leaving day is
    /// cleared; the months from the leaving month to the last one the school billed are billed as if the pupil never
    /// left: a notice that would bill otherwise now (a part month, a month that gave back its own absences as a leaver's)
    /// is withdrawn and billed again, a month the leave withdrew or a run left out is billed, and what the pupil holds
    /// pays what is owed, oldest first. Refused when a month it would change is closed.
    /// </summary>
    public async Task<LeaveResult> ReturnAsync(string studentCode, string reason, string? onlySchool = null, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(reason)) throw new BadInputException("--reason", null, null, "say why the leave is undone.", "Hãy ghi lý do huỷ ghi nghỉ học.");
        if (reason.Length > 500) throw new BadInputException("--reason", null, null, "the reason is longer than 500 characters.", "Lý do dài quá 500 ký tự.");
        await using var tx = await UnitOfWork.BeginAsync(db, ct);
        await LeaverRest.LockAsync(db, clock, studentCode, ct);
        var student = await db.Students.SingleOrDefaultAsync(s => s.StudentCode == studentCode, ct)
            ?? throw new BadInputException("--student", null, null, $"there is no student {studentCode}.", $"không có học sinh {studentCode}.");
        var school = await db.Schools.AsNoTracking().Where(s => s.Id == student.SchoolId).Select(s => s.Code).SingleAsync(ct);
        if (onlySchool is not null && !string.Equals(onlySchool, school, StringComparison.OrdinalIgnoreCase))
            throw new BadInputException("--student", null, null, $"there is no student {studentCode}.", $"không có học sinh {studentCode}.");
        if (student.LeftOn is not { } leftOn)
            throw new BusinessRuleException($"Pupil {studentCode} has no leaving day recorded; there is nothing to undo.",
                $"Học sinh {studentCode} chưa ghi nghỉ học; không có gì để huỷ.");
        var from = BillingMonth.Of(leftOn);
        // What undoing changes: the notices from the leaving month on, and earlier ones that gave back their own days as a leaver's.
        var standing = await db.Notices.AsNoTracking().Include(n => n.Lines)
            .Where(n => n.StudentId == student.Id && n.SchoolId == student.SchoolId && n.Status != NoticeStatus.Cancelled && n.Status != NoticeStatus.Refunded)
            .OrderBy(n => n.PeriodKey).ToListAsync(ct);
        var ownRefunds = (await db.AbsenceRefunds.AsNoTracking().Where(r => r.StudentId == student.Id)
            .Join(db.Notices.AsNoTracking(), r => r.NoticeId, n => n.Id, (r, n) => new { n.Id, Refunded = r.PeriodKey, Billed = n.PeriodKey })
            .Where(x => x.Refunded == x.Billed).Select(x => x.Id).ToListAsync(ct)).ToHashSet();
        var closed = (await db.BillingPeriods.AsNoTracking().Where(p => p.SchoolId == student.SchoolId && p.ClosedAt != null)
            .Select(p => p.PeriodKey).ToListAsync(ct)).ToHashSet();
        var stuck = standing.Where(n => closed.Contains(n.PeriodKey) && (n.PeriodKey >= from.Key || ownRefunds.Contains(n.Id))).Select(n => n.PeriodKey)
            .Concat(closed.Where(k => k == from.Key)).Order().ToList();
        if (stuck.Count > 0)
        {
            var m = BillingMonth.FromKey(stuck[0]);
            throw new BusinessRuleException($"The {m} period is closed; undoing the leave would change it. Nothing was changed.",
                $"Kỳ thu tháng {m.Month:D2}/{m.Year} đã khoá sổ; huỷ ghi nghỉ học sẽ làm thay đổi kỳ đã khoá. Chưa thay đổi gì.");
        }
        student.LeftOn = null;
        await db.SaveChangesAsync(ct);
        // Months after the leaving one are billed again: their absences, settled as never billed, wait again for the next notice.
        await db.Database.ExecuteSqlInterpolatedAsync($"""
            UPDATE attendance_months SET settled = false WHERE student_id = {student.Id} AND school_id = {student.SchoolId} AND settled AND period_key > {from.Key}
            """, ct);

        var why = $"Huỷ ghi nghỉ học sau ngày {leftOn:dd/MM/yyyy}: {reason.Trim()}";
        var ledger = new Ledger(db, clock, actor);
        var billing = new MonthlyBilling(db, clock, actor);
        var rest = new LeaverRest(db, clock, actor);
        var withdrawn = new List<string>();
        var billAgain = new List<int>();
        foreach (var n in standing.Where(n => n.PeriodKey >= from.Key || ownRefunds.Contains(n.Id)))
        {
            if (!ownRefunds.Contains(n.Id) && !await BillsOtherwiseNowAsync(billing, n, ct)) continue;
            billAgain.Add(n.PeriodKey);
            await ledger.CancelNoticeAsync(n.NoticeNo, why, ct, byLeave: true);
            withdrawn.Add(n.NoticeNo);
        }
        var lastBilled = await db.Notices.AsNoTracking().Where(n => n.SchoolId == student.SchoolId).MaxAsync(n => (int?)n.PeriodKey, ct) ?? from.Key;
        billAgain.AddRange(await MonthsToBillAsync(student.Id, student.SchoolId, from, BillingMonth.FromKey(Math.Max(lastBilled, from.Key)), ct));
        var reissued = new List<string>();
        foreach (var key in billAgain.Distinct().Order())
        {
            var no = await rest.BillAgainAsync(student.Id, school, BillingMonth.FromKey(key), standing.Where(n => n.PeriodKey == key).Select(n => (DateOnly?)n.DueDate).FirstOrDefault(), false, ct);
            if (no is not null) reissued.Add(no);
        }
        await ledger.ApplyCreditAsync([student.Id], ct);
        var held = await ledger.CreditAtAsync(student.Id, student.SchoolId, ct);
        AuditLog.Record(db, clock, actor, "students.return", "student", student.Id.ToString(),
            new { was_last_day = leftOn, withdrawn, reissued, held_vnd = held, reason });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new LeaveResult(student.StudentCode, leftOn, withdrawn.Order(StringComparer.Ordinal).ToList(),
            reissued.Count > 0 ? string.Join(", ", reissued.Order(StringComparer.Ordinal)) : null, held, 0, Undone: true);
    }

    /// <summary>Whether billing the notice's month now would give other lines (items, quantities, amounts) than it has.</summary>
    private static async Task<bool> BillsOtherwiseNowAsync(MonthlyBilling billing, Notice n, CancellationToken ct)
    {
        var now = (await billing.WouldBillAsync(n.StudentId, BillingMonth.FromKey(n.PeriodKey), ct))?.Lines
            .Select(l => (l.ItemCode.ToUpperInvariant(), l.Quantity, l.GrossVnd)).ToList() ?? [];
        var had = n.Lines.OrderBy(l => l.LineNo).Select(l => (l.ItemCode.ToUpperInvariant(), l.Quantity, l.GrossVnd)).ToList();
        return !now.SequenceEqual(had);
    }

    /// <summary>
    /// The open months from <paramref name="from"/> to the last one that the school has billed, where this pupil has no
    /// standing notice: never billed (a run left them out as gone) or withdrawn by an earlier leave. A notice the
    /// accountant cancelled for another reason stays cancelled.
    /// </summary>
    private async Task<List<int>> MonthsToBillAsync(Guid studentId, Guid schoolId, BillingMonth from, BillingMonth last, CancellationToken ct)
    {
        var closed = await db.BillingPeriods.AsNoTracking().Where(p => p.SchoolId == schoolId && p.ClosedAt != null).Select(p => p.PeriodKey).ToListAsync(ct);
        var billedHere = await db.Notices.AsNoTracking().Where(n => n.SchoolId == schoolId && n.PeriodKey >= from.Key && n.PeriodKey <= last.Key)
            .Select(n => n.PeriodKey).Distinct().ToListAsync(ct);
        var mine = await db.Notices.AsNoTracking().Where(n => n.StudentId == studentId && n.SchoolId == schoolId && n.PeriodKey >= from.Key && n.PeriodKey <= last.Key)
            .Select(n => new { n.NoticeNo, n.PeriodKey, n.Status, n.WithdrawnByLeave }).ToListAsync(ct);
        var needed = billedHere
            .Where(k => mine.Where(n => n.PeriodKey == k).ToList() is var had
                        && !had.Any(n => n.Status is not (NoticeStatus.Cancelled or NoticeStatus.Refunded))
                        // The month's latest notice says: withdrawn by a leave is billed again, cancelled by the accountant stays so.
                        && (had.Count == 0 || had.MaxBy(n => n.NoticeNo, StringComparer.Ordinal)!.WithdrawnByLeave))
            .Order().ToList();
        // A closed month the pupil now attended but that holds no notice of theirs would go unbilled for ever: refused
        // (found by attack: a leave withdrew November, November was closed, and undoing the leave never billed it).
        var billing = new MonthlyBilling(db, clock, actor);
        foreach (var k in needed.Where(closed.Contains))
            if (await billing.WouldBillAsync(studentId, BillingMonth.FromKey(k), ct) is not null)
            {
                var m = BillingMonth.FromKey(k);
                throw new BusinessRuleException($"The {m} period is closed and holds no notice of this pupil, who would now be billed for it. Nothing was changed.",
                    $"Kỳ thu tháng {m.Month:D2}/{m.Year} đã khoá sổ mà chưa có thông báo của học sinh, nay học sinh phải nộp cho tháng đó. Chưa thay đổi gì.");
            }
        return needed.Where(k => !closed.Contains(k)).ToList();
    }
}
