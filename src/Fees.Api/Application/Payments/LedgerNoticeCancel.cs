using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Files;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Domain.Notices;

namespace TdmEdu.Fees.Api.Application.Payments;

/// <summary>
/// What the notice page's cancel form showed the accountant: the school whose page it was, and the notice's state and
/// paid amount then. A notice that changed since (a payment came, a colleague cancelled it) is not cancelled.
/// </summary>
public sealed record NoticeCancelGuard(string SchoolCode, NoticeStatus SeenStatus, long SeenPaidVnd);

/// <summary>Notices withdrawn: `notices cancel` and the notice page's cancel form, one path.</summary>
public sealed partial class Ledger
{
    /// <summary>
    /// Withdraws a notice. Money on it goes back to the payments it came from (the student's credit) and the notice is
    /// refunded; a notice without money is cancelled. A notice already withdrawn is refused. With a guard (the screen),
    /// the notice must be the school's and as the form showed it.
    /// </summary>
    public async Task<(NoticeStatus Status, long ReleasedVnd)> CancelNoticeAsync(string noticeNo, string reason, CancellationToken ct = default,
        NoticeCancelGuard? guard = null, bool byLeave = false)
    {
        if (string.IsNullOrWhiteSpace(reason)) throw new BadInputException("--reason", null, null, "say why the notice is cancelled.", "hãy ghi lý do huỷ thông báo.");
        await using var tx = await UnitOfWork.BeginAsync(db, ct);
        var notice = await db.Notices.SingleOrDefaultAsync(n => n.NoticeNo == noticeNo, ct)
            ?? throw new BadInputException("--notice", null, null, $"there is no notice {noticeNo}.", $"không có thông báo {noticeNo}.");
        // The pupils whose payments paid the notice use the money it releases below: all are locked now, in one order.
        await LockPupilsAsync(async () => (await db.Database.SqlQuery<Guid>($"""
            SELECT p.student_id AS "Value" FROM allocations a JOIN payments p ON p.id = a.payment_id WHERE a.notice_id = {notice.Id}
            """).ToListAsync(ct)).Append(notice.StudentId), ct);
        await db.Entry(notice).ReloadAsync(ct);
        if (guard is not null) await CheckAsync(notice, guard, ct);
        var open = await LiveAllocationsAsync(a => a.NoticeId == notice.Id, ct);
        var lifecycle = new NoticeLifecycle(() => notice.Status, s => notice.Status = s, () => open.Sum(a => a.AmountVnd), $"notice {noticeNo}");
        var was = notice.Status;
        try
        {
            lifecycle.Fire(open.Count == 0 ? NoticeTrigger.Cancel : NoticeTrigger.CancelWithRefund);
        }
        catch (IllegalNoticeTransitionException e)
        {
            throw new BusinessRuleException(e.Message, was switch
            {
                NoticeStatus.Cancelled => $"Thông báo {noticeNo} đã huỷ trước đó; thông báo đã đóng không thay đổi được nữa (lập thông báo mới nếu cần).",
                NoticeStatus.Refunded => $"Thông báo {noticeNo} đã huỷ và hoàn tiền trước đó; thông báo đã đóng không thay đổi được nữa (lập thông báo mới nếu cần).",
                _ => $"Thông báo {noticeNo} không huỷ được ở trạng thái hiện tại ({was.ToWire()}).",
            });
        }
        AddReversals(open);
        // Days given back on this notice are owed again, and days of this month given back later are taken back: the next notice settles both.
        // A billing run carrying refunds holds this lock exclusively: the cancel waits for it to commit (and it for the cancel),
        // so a run never settles a month on what it read before the cancel.
        await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock_shared(7310002, 0)", ct);
        await db.Database.ExecuteSqlInterpolatedAsync($"""
            UPDATE attendance_months SET settled = false WHERE student_id = {notice.StudentId} AND settled
               AND (period_key = {notice.PeriodKey} OR period_key IN (SELECT period_key FROM absence_refunds WHERE notice_id = {notice.Id}))
            """, ct);
        var released = open.Sum(a => a.AmountVnd);
        notice.AmountPaidVnd = 0;
        notice.WithdrawnByLeave = byLeave;
        AuditLog.Record(db, clock, actor, "notices.cancel", "notice", notice.Id.ToString(), new { notice = noticeNo, released_vnd = released, reason });
        await db.SaveChangesAsync(ct);
        // The money released is credit of the payments it came from: it pays what their pupils still owe at the school, as
        // the next notice would be paid (found by attack: a cancelled notice's money sat beside an open one).
        var payers = open.Select(a => a.PaymentId).Distinct().ToList();
        var holders = await db.Payments.AsNoTracking().Where(p => payers.Contains(p.Id)).Select(p => p.StudentId).ToListAsync(ct);
        await ApplyCreditAsync(holders.Append(notice.StudentId).Distinct().ToList(), ct);
        await tx.CommitAsync(ct);
        return (notice.Status, released);
    }

    /// <summary>The screen's checks, under the pupil's lock: the school's own notice, unchanged since the form was drawn.</summary>
    private async Task CheckAsync(Notice notice, NoticeCancelGuard guard, CancellationToken ct)
    {
        var school = await db.Schools.AsNoTracking().Where(s => s.Id == notice.SchoolId).Select(s => s.Code).SingleAsync(ct);
        if (!string.Equals(school, guard.SchoolCode, StringComparison.OrdinalIgnoreCase))
            throw new BadInputException("--notice", null, null, $"school {guard.SchoolCode} has no notice {notice.NoticeNo}.",
                $"trường {guard.SchoolCode} không có thông báo {notice.NoticeNo}.");
        // A notice already withdrawn is refused as such (below), whatever the form showed.
        if (notice.Status is NoticeStatus.Cancelled or NoticeStatus.Refunded) return;
        if (notice.Status != guard.SeenStatus || notice.AmountPaidVnd != guard.SeenPaidVnd)
            throw new BusinessRuleException(
                $"Notice {notice.NoticeNo} changed since the form was opened: it is {notice.Status.ToWire()} with {Values.Money(notice.AmountPaidVnd)} paid. Nothing was cancelled; look at it again.",
                $"Thông báo {notice.NoticeNo} vừa thay đổi sau khi mở trang: đã nộp {Values.Money(notice.AmountPaidVnd)}. Chưa huỷ gì; hãy xem lại thông báo.");
    }
}
