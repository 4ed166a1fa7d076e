using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Application.Billing;
using TdmEdu.Fees.Api.Application.Payments;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Domain.Notices;
using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Api.Application.Pupils;

/// <summary>What cancelling a notice did: its state, the money taken off it, and for a pupil who left, the leave applied again.</summary>
public sealed record NoticeWithdrawal(NoticeStatus Status, long ReleasedVnd, LeaveResult? Leave);

/// <summary>
/// A notice cancelled by the accountant (`notices cancel` and the notice page's form). A leaver's months up to the
/// leaving one were billed knowing each other: a later notice gave back this month's days, and the last one gave back
/// what no later notice would. So after the cancel, in the same transaction, the leave is applied again: what the
/// withdrawn month no longer charged is taken back, and what now waits is given back. When the leave cannot be applied
/// again (a month it would change is closed), nothing is cancelled.
/// </summary>
public sealed class NoticeWithdrawals(FeesDb db, BusinessClock clock, Actor actor)
{
    public async Task<NoticeWithdrawal> CancelAsync(string noticeNo, string reason, CancellationToken ct = default, NoticeCancelGuard? guard = null)
    {
        try
        {
            await using var tx = await UnitOfWork.BeginAsync(db, ct);
            var before = await PupilOfAsync(noticeNo, ct);
            // Leaving's locks first (every month's, then the pupil's), as leaving takes them, when the leave may run again.
            if (before?.LeftOn is not null) await LeaverRest.LockAsync(db, clock, before.StudentCode, ct);
            var waitingBefore = before is null ? 0 : await WaitingAtAsync(before, ct);
            var (status, released) = await new Ledger(db, clock, actor).CancelNoticeAsync(noticeNo, reason, ct, guard);
            // Read again under the pupil's lock, which the cancel holds.
            var now = (await PupilOfAsync(noticeNo, ct))!;
            // Only the school that billed a month gives its days back: a pupil who moved away gets no later notice there
            // (found by attack: cancelling the old school's last notice left the days it gave back waiting for ever).
            if (now.SchoolId != now.NoticeSchoolId && await WaitingAtAsync(now, ct) > waitingBefore)
                throw new BusinessRuleException(
                    $"Notice {noticeNo} gave back days absent at the school that issued it, where pupil {now.StudentCode} no longer is: no later notice of that school would give them back. Nothing was cancelled.",
                    $"Thông báo {noticeNo} đã trừ tiền những ngày nghỉ ở trường lập thông báo, nơi học sinh {now.StudentCode} không còn học: không còn thông báo nào của trường đó để trừ lại. Chưa huỷ gì.");
            LeaveResult? leave = null;
            if (now.LeftOn is { } left && now.PeriodKey <= BillingMonth.Of(left).Key)
            {
                if (before!.LeftOn is null)
                    throw new BusinessRuleException($"Pupil {now.StudentCode} was recorded as leaving while notice {noticeNo} was being cancelled. Nothing was cancelled; try again.",
                        $"Học sinh {now.StudentCode} vừa được ghi nghỉ học trong khi huỷ thông báo {noticeNo}. Chưa huỷ gì; hãy thử lại.");
                leave = await ReapplyAsync(noticeNo, now.StudentCode, left, reason, ct);
            }
            await tx.CommitAsync(ct);
            return new NoticeWithdrawal(status, released, leave);
        }
        catch
        {
            // Nothing of a refused cancel stays in the context either: the page draws the notice again from it.
            db.ChangeTracker.Clear();
            throw;
        }
    }

    private sealed record Pupil(Guid Id, string StudentCode, DateOnly? LeftOn, int PeriodKey, Guid SchoolId, Guid NoticeSchoolId);

    private Task<Pupil?> PupilOfAsync(string noticeNo, CancellationToken ct) =>
        (from n in db.Notices.AsNoTracking()
         join s in db.Students.AsNoTracking() on n.StudentId equals s.Id
         where n.NoticeNo == noticeNo
         select new Pupil(s.Id, s.StudentCode, s.LeftOn, n.PeriodKey, s.SchoolId, n.SchoolId)).SingleOrDefaultAsync(ct);

    /// <summary>The pupil's months not settled at the school that issued the notice.</summary>
    private Task<int> WaitingAtAsync(Pupil p, CancellationToken ct) =>
        db.Attendance.AsNoTracking().CountAsync(a => a.StudentId == p.Id && a.SchoolId == p.NoticeSchoolId && !a.Settled, ct);

    private async Task<LeaveResult> ReapplyAsync(string noticeNo, string studentCode, DateOnly left, string reason, CancellationToken ct)
    {
        var why = $"Huỷ thông báo {noticeNo}: {reason.Trim()}";
        try
        {
            return await new Leavers(db, clock, actor).LeaveAsync(studentCode, left, why.Length > 500 ? why[..500] : why, payBackInCash: false, ct: ct);
        }
        catch (Exception e) when (e is BusinessRuleException or BadInputException)
        {
            var vi = e is BusinessRuleException b ? b.Vietnamese : string.Join(" ", ((BadInputException)e).Problems.Select(p => p.ReasonVi ?? p.Reason));
            throw new BusinessRuleException(
                $"Notice {noticeNo} is of a pupil who left after {left:dd/MM/yyyy}; cancelling it means applying the leave again, which is refused: {e.Message} Nothing was cancelled.",
                $"Thông báo {noticeNo} của học sinh đã nghỉ học sau ngày {left:dd/MM/yyyy}; huỷ thông báo này phải tính lại việc nghỉ học, mà việc đó không làm được: {vi} Chưa huỷ gì.");
        }
    }
}
