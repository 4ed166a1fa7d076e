using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Files;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Domain.Ledger;
using TdmEdu.Fees.Domain.Notices;

namespace TdmEdu.Fees.Api.Application.Payments;

/// <summary>
/// What the counter's form showed the accountant: the notice's paid amount then, and the đồng above what the notice
/// owed that the accountant confirmed (0 when the form asked for no confirmation).
/// </summary>
public sealed record CashGuard(long SeenPaidVnd, long ConfirmedExcessVnd);

/// <summary>Where cash taken for a notice would go: the notice itself, the pupil's other open notices at the school, credit.</summary>
public sealed record CashPlan(long NoticeBalanceVnd, IReadOnlyList<NoticePaid> Notices, long CreditVnd, long LimitVnd)
{
    /// <summary>The đồng above what the named notice owes: the part the accountant must confirm.</summary>
    public long ExcessVnd(long amountVnd) => Math.Max(0, amountVnd - NoticeBalanceVnd);
}

/// <summary>A cash payment above what the notice owes, or on a notice already paid, without the accountant's confirmation of that excess.</summary>
public sealed class ExcessNotConfirmedException(long excessVnd) : BusinessRuleException(
    $"The amount is {Values.Money(excessVnd)} more than the notice owes; confirm where the excess goes first. Nothing was recorded.",
    $"Số tiền nhiều hơn số thông báo còn phải nộp {Values.Money(excessVnd)}; hãy xác nhận phần tiền thừa đi đâu trước. Chưa ghi nhận gì.")
{
    public long ExcessVnd { get; } = excessVnd;
}

/// <summary>Cash at the counter: the school's limit for one payment, and what an amount above the notice's balance would pay.</summary>
public sealed partial class Ledger
{
    /// <summary>
    /// Records cash for a notice. With a guard (the counter's form), nothing is recorded if the notice was paid since
    /// the form was drawn (a parent's transfer, a colleague at the counter), or if the amount is above what the notice
    /// owes by other than the excess the accountant confirmed. Every path keeps the school's limit for one payment.
    /// </summary>
    public async Task<PaymentResult> RecordCashAsync(string noticeNo, long amountVnd, string? payerName, string? clientRef = null, CancellationToken ct = default,
        CashGuard? guard = null)
    {
        if (amountVnd <= 0 || amountVnd > Values.MaxAmountVnd)
            throw new BadInputException("--amount", null, null, "a payment is a whole number of đồng above 0 and below 1,000,000,000,000.",
                "số tiền phải là số đồng lớn hơn 0 và nhỏ hơn 1.000.000.000.000.");
        // The payer's name stands on a signed receipt: a character XML cannot hold would leave that receipt unsigned.
        if (TextRules.FirstRefused(payerName) is { } bad)
            throw new BadInputException("--payer", null, null, $"the payer's name holds a character no name may contain (code {(int)bad}).",
                $"tên người nộp có ký tự không được phép (mã {(int)bad}).");
        if (payerName is { Length: > 200 })
            throw new BadInputException("--payer", null, null, "the payer's name is at most 200 characters.", "tên người nộp tối đa 200 ký tự.");
        await using var tx = await UnitOfWork.BeginAsync(db, ct);
        var notice = await db.Notices.AsNoTracking().SingleOrDefaultAsync(n => n.NoticeNo == noticeNo, ct)
            ?? throw new BadInputException("--notice", null, null, $"there is no notice {noticeNo}.", $"không có thông báo {noticeNo}.");
        // The student's row first: a second copy of the same request (a double submit) waits here for the first,
        // then finds its payment by the client's key and answers with the same receipt.
        await LockStudentsAsync([notice.StudentId], ct);
        if (clientRef is not null)
        {
            var earlier = await db.Payments.AsNoTracking().FirstOrDefaultAsync(p => p.Source == "cash" && p.ExternalRef == clientRef, ct);
            if (earlier is not null)
            {
                // The key belongs to the form that made it: a form of another notice or amount is not this payment.
                if (earlier.PreferredNoticeId != notice.Id || earlier.AmountVnd != amountVnd)
                    throw new BusinessRuleException("The form's key belongs to another payment; open the form again. Nothing was recorded.",
                        "Mã biểu mẫu thuộc về một khoản thu khác; hãy mở lại trang. Chưa ghi nhận gì.");
                return await DescribeExistingAsync(earlier, ct);
            }
        }

        if (notice.Status is NoticeStatus.Cancelled or NoticeStatus.Refunded or NoticeStatus.Draft)
            throw new BusinessRuleException($"Notice {noticeNo} is {notice.Status.ToWire()}; it takes no payment.",
                $"Thông báo {noticeNo} {(notice.Status == NoticeStatus.Cancelled ? "đã huỷ" : notice.Status == NoticeStatus.Refunded ? "đã hoàn tiền" : "chưa phát hành")}; không thu tiền cho thông báo này.");
        var limit = await CashLimitAsync(notice.SchoolId, ct);
        if (amountVnd > limit)
            throw new BusinessRuleException(
                $"{Values.Money(amountVnd)} is above the school's limit for one cash payment ({Values.Money(limit)}). Nothing was recorded.",
                $"{Values.Money(amountVnd)} vượt hạn mức một lần thu tiền mặt của trường ({Values.Money(limit)}). Chưa ghi nhận gì.");
        if (guard is not null)
        {
            // Read again under the pupil's lock: the row read above may predate a payment that just committed.
            var paidNow = await db.Notices.AsNoTracking().Where(n => n.Id == notice.Id).Select(n => n.AmountPaidVnd).SingleAsync(ct);
            if (paidNow != guard.SeenPaidVnd)
                throw new BusinessRuleException(
                    $"Notice {noticeNo} changed since the form was opened: {Values.Money(paidNow)} is paid now, not {Values.Money(guard.SeenPaidVnd)}. Nothing was recorded; check what is left to pay.",
                    $"Thông báo {noticeNo} vừa thay đổi sau khi mở trang: đã nộp {Values.Money(paidNow)} (lúc mở trang là {Values.Money(guard.SeenPaidVnd)}). Chưa ghi nhận gì; hãy kiểm tra số còn phải nộp.");
            var excess = Math.Max(0, amountVnd - Math.Max(0, notice.AmountDueVnd - paidNow));
            if (excess > 0 && excess != guard.ConfirmedExcessVnd) throw new ExcessNotConfirmedException(excess);
        }

        var payment = new Payment
        {
            Id = Guid.CreateVersion7(), SchoolId = notice.SchoolId, StudentId = notice.StudentId, Method = PaymentMethods.Cash,
            AmountVnd = amountVnd, ReceivedAt = clock.Now, PayerName = payerName, PreferredNoticeId = notice.Id,
            Source = "cash", Actor = actor.Name,
        };
        payment.ExternalRef = clientRef ?? payment.Id.ToString();
        var result = await ApplyAsync(payment, [notice.StudentId], ct);
        AuditLog.Record(db, clock, actor, "payments.cash", "payment", payment.Id.ToString(),
            new { notice = noticeNo, amount_vnd = amountVnd, credit_vnd = result.CreditVnd, receipt = result.ReceiptNo });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return result;
    }

    /// <summary>
    /// What cash for a notice would pay, by the same rules and order the payment will use (the named notice, then the
    /// pupil's oldest open notices at that school, then credit); reads only, so the counter can show it before asking.
    /// </summary>
    public async Task<CashPlan?> PlanCashAsync(string noticeNo, long amountVnd, CancellationToken ct = default)
    {
        var notice = await db.Notices.AsNoTracking().SingleOrDefaultAsync(n => n.NoticeNo == noticeNo, ct);
        if (notice is null) return null;
        var limit = await CashLimitAsync(notice.SchoolId, ct);
        var balance = Math.Max(0, notice.AmountDueVnd - notice.AmountPaidVnd);
        if (amountVnd <= 0) return new CashPlan(balance, [], 0, limit);
        var rows = (await OpenLinesAsync([notice.StudentId], ct)).Where(r => r.SchoolId == notice.SchoolId).ToList();
        var plan = Allocator.Plan(amountVnd, rows.Select(ToDomain), notice.Id);
        var numbers = rows.GroupBy(r => r.NoticeId).ToDictionary(g => g.Key, g => (g.First().NoticeNo, Owed: g.Sum(r => r.OutstandingVnd)));
        var paid = plan.Allocations.GroupBy(a => a.NoticeId)
            .Select(g => new NoticePaid(numbers[g.Key].NoticeNo, g.Sum(a => a.AmountVnd), numbers[g.Key].Owed - g.Sum(a => a.AmountVnd), ""))
            .ToList();
        return new CashPlan(balance, paid, plan.RemainderVnd, limit);
    }

    /// <summary>The credit a pupil holds in money this school received (what a refund from this school may pay back).</summary>
    public async Task<long> CreditAtAsync(Guid studentId, Guid schoolId, CancellationToken ct = default) =>
        (await CreditSourcesAsync([studentId], ct)).Where(s => s.SchoolId == schoolId).Sum(s => s.RemainderVnd);

    /// <summary>What of that credit may be paid back: credit goes on the pupil's unpaid notices at the school first, oldest first.</summary>
    public async Task<long> RefundableAtAsync(Guid studentId, Guid schoolId, CancellationToken ct = default)
    {
        var owed = (await OpenLinesAsync([studentId], ct)).Where(l => l.SchoolId == schoolId).Sum(l => l.OutstandingVnd);
        return Math.Max(0, await CreditAtAsync(studentId, schoolId, ct) - owed);
    }

    private async Task<long> CashLimitAsync(Guid schoolId, CancellationToken ct) =>
        await db.Schools.AsNoTracking().Where(s => s.Id == schoolId).Select(s => s.CashLimitVnd).SingleAsync(ct) ?? School.DefaultCashLimitVnd;
}
