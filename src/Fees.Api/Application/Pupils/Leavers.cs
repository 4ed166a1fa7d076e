using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Application.Billing;
using TdmEdu.Fees.Api.Application.Payments;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Files;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Domain.Notices;
using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Api.Application.Pupils;

/// <summary>What leaving did: the notices withdrawn, the last month billed again, what the pupil now holds and what was paid back.</summary>
public sealed record LeaveResult(string StudentCode, DateOnly LastDay, IReadOnlyList<string> Withdrawn, string? Reissued, long HeldVnd, long PaidBackVnd)
{
    public string En => $"Pupil {StudentCode} leaves after {LastDay:dd/MM/yyyy}."
        + (Withdrawn.Count > 0 ? $" Withdrawn: {string.Join(", ", Withdrawn)}." : "")
        + (Reissued is not null ? $" Last month billed again as {Reissued}." : "")
        + (PaidBackVnd > 0 ? $" Paid back in cash: {Values.Money(PaidBackVnd)}." : "")
        + $" Held for the pupil: {Values.Money(HeldVnd)}.";

    public string Vi => $"Học sinh {StudentCode} nghỉ học sau ngày {LastDay:dd/MM/yyyy}."
        + (Withdrawn.Count > 0 ? $" Đã huỷ thông báo: {string.Join(", ", Withdrawn)}." : "")
        + (Reissued is not null ? $" Tháng cuối lập lại thành {Reissued}." : "")
        + (PaidBackVnd > 0 ? $" Đã trả lại tiền mặt: {Values.Money(PaidBackVnd)}." : "")
        + $" Tiền còn giữ cho học sinh: {Values.Money(HeldVnd)}.";
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
        if (string.IsNullOrWhiteSpace(reason)) throw new BadInputException("--reason", null, null, "say why the pupil leaves.", "hãy ghi lý do học sinh nghỉ học.");
        await using var tx = await UnitOfWork.BeginAsync(db, ct);
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
            throw new BadInputException("--on", null, null, $"{lastDay:dd/MM/yyyy} is more than three months ahead.", $"ngày {lastDay:dd/MM/yyyy} xa quá ba tháng.");

        var last = BillingMonth.Of(lastDay);
        var why = $"Học sinh nghỉ học sau ngày {lastDay:dd/MM/yyyy}: {reason.Trim()}";
        student.LeftOn = lastDay;
        await db.SaveChangesAsync(ct);

        var ledger = new Ledger(db, clock, actor);
        var standing = await db.Notices.AsNoTracking().Include(n => n.Lines)
            .Where(n => n.StudentId == student.Id && n.SchoolId == student.SchoolId && n.PeriodKey >= last.Key
                        && n.Status != NoticeStatus.Cancelled && n.Status != NoticeStatus.Refunded)
            .OrderBy(n => n.PeriodKey).ToListAsync(ct);

        // The last month is billed again (if billed here and still open) when it would bill otherwise now, or when
        // absences wait to be given back: a second call with nothing new changes nothing.
        var billing = new MonthlyBilling(db, clock, actor);
        var lastNotice = standing.FirstOrDefault(n => n.PeriodKey == last.Key);
        var closed = await db.BillingPeriods.AsNoTracking().AnyAsync(p => p.SchoolId == student.SchoolId && p.PeriodKey == last.Key && p.ClosedAt != null, ct);
        var again = false;
        if (lastNotice is not null && !closed)
        {
            var now = (await billing.WouldBillAsync(student.Id, last, ct))?.Lines.Select(l => (l.ItemCode.ToUpperInvariant(), l.Quantity, l.GrossVnd)).ToList() ?? [];
            var was = lastNotice.Lines.OrderBy(l => l.LineNo).Select(l => (l.ItemCode.ToUpperInvariant(), l.Quantity, l.GrossVnd)).ToList();
            again = !now.SequenceEqual(was)
                || await db.Attendance.AnyAsync(a => a.StudentId == student.Id && a.SchoolId == student.SchoolId && !a.Settled && a.PeriodKey <= last.Key, ct);
        }
        var withdrawn = new List<string>();
        foreach (var n in standing.Where(n => n.PeriodKey > last.Key || again))
        {
            await ledger.CancelNoticeAsync(n.NoticeNo, why, ct);
            withdrawn.Add(n.NoticeNo);
        }

        string? reissued = null;
        if (again)
        {
            var run = await billing.IssueAsync(last, school, dryRun: false, ct, onlyStudent: student.Id);
            if (run.NoticesCreated == 1)
                reissued = await db.Notices.AsNoTracking()
                    .Where(n => n.StudentId == student.Id && n.PeriodKey == last.Key && n.Status != NoticeStatus.Cancelled && n.Status != NoticeStatus.Refunded)
                    .Select(n => n.NoticeNo).SingleAsync(ct);
        }

        var held = await ledger.HeldAsync(student.Id, student.SchoolId, ct);
        long paidBack = 0;
        if (payBackInCash && held > 0)
        {
            await ledger.RefundCreditAsync(studentCode, held, why, ct, PaymentMethods.Cash, student.SchoolId);
            (paidBack, held) = (held, 0);
        }
        AuditLog.Record(db, clock, actor, "students.leave", "student", student.Id.ToString(),
            new { last_day = lastDay, withdrawn, reissued, held_vnd = held, paid_back_vnd = paidBack, reason });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new LeaveResult(student.StudentCode, lastDay, withdrawn, reissued, held, paidBack);
    }
}
