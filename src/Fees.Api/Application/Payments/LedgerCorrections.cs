using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Application.Messages;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Files;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Domain.Ledger;

namespace TdmEdu.Fees.Api.Application.Payments;

/// <summary>Corrections as new linked entries: reversals, refunds of credit, receipts cancelled and replaced (notices withdrawn: LedgerNoticeCancel).</summary>
public sealed partial class Ledger
{
    /// <summary>Undoes a payment with new entries: negative allocations linked to the ones they undo, a reversal row, the receipt cancelled.</summary>
    public async Task<Payment> ReversePaymentAsync(string receiptNo, string reason, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(reason)) throw new BadInputException("--reason", null, null, "say why the payment is reversed.", "hãy ghi lý do huỷ khoản thu.");
        await using var tx = await UnitOfWork.BeginAsync(db, ct);
        var receipt = await FindReceiptAsync(receiptNo, ct);
        var payment = await db.Payments.AsNoTracking().SingleAsync(p => p.Id == receipt.PaymentId, ct);
        var reversal = await ReverseAsync(payment, reason, null, $"receipt {receiptNo}", ct);
        await tx.CommitAsync(ct);
        return reversal;
    }

    /// <summary>
    /// Undoes a bank payment as a whole: for a bank's reversal (decided by <see cref="BankCredits"/>) or an accountant's
    /// review decision being moved or undone.
    /// </summary>
    public async Task<Payment> ReverseBankPaymentAsync(Guid paymentId, string reason, Guid? inboxId, CancellationToken ct = default)
    {
        await using var tx = await UnitOfWork.BeginAsync(db, ct);
        var payment = await db.Payments.AsNoTracking().SingleAsync(p => p.Id == paymentId, ct);
        var reversal = await ReverseAsync(payment, reason, inboxId, $"{payment.Source} transaction", ct);
        await tx.CommitAsync(ct);
        return reversal;
    }

    private async Task<Payment> ReverseAsync(Payment payment, string reason, Guid? inboxId, string what, CancellationToken ct)
    {
        // Every pupil whose notice the payment paid uses their credit below: all are locked now, in one order.
        await LockPupilsAsync(async () => (await db.Database.SqlQuery<Guid>($"""
            SELECT n.student_id AS "Value" FROM allocations a JOIN notices n ON n.id = a.notice_id WHERE a.payment_id = {payment.Id}
            """).ToListAsync(ct)).Append(payment.StudentId), ct);
        if (await db.Payments.AnyAsync(p => p.ReversesPaymentId == payment.Id, ct))
            throw new BusinessRuleException($"The payment of {what} is already reversed.", "Khoản thu này đã được huỷ trước đó.");
        if (await db.Refunds.AnyAsync(r => r.PaymentId == payment.Id, ct))
            throw new BusinessRuleException($"Part of the payment of {what} was refunded; it cannot be reversed as a whole.", "Một phần khoản thu này đã được hoàn trả; không thể huỷ cả khoản.");

        var open = await LiveAllocationsAsync(a => a.PaymentId == payment.Id, ct);
        // The reversal and the entries undoing its allocations share one instant: the books show them as one voucher.
        var now = clock.Now;
        AddReversals(open, now);
        var reversal = new Payment
        {
            Id = Guid.CreateVersion7(), SchoolId = payment.SchoolId, StudentId = payment.StudentId, Method = PaymentMethods.Reversal,
            AmountVnd = -payment.AmountVnd, ReceivedAt = now, ReversesPaymentId = payment.Id,
            Source = "reversal", ExternalRef = payment.Id.ToString(), Actor = actor.Name, Reason = reason, InboxId = inboxId,
        };
        db.Payments.Add(reversal);
        await db.SaveChangesAsync(ct);
        await RefreshNoticesAsync(open.Select(a => a.NoticeId).Distinct().ToList(), ct);

        var cancelled = await db.Receipts.Where(r => r.PaymentId == payment.Id && ReceiptStates.Live.Contains(r.Status)).ToListAsync(ct);
        foreach (var r in cancelled) MoveReceipt(r, ReceiptStates.Cancelled, reason);
        AuditLog.Record(db, clock, actor, "payments.reverse", "payment", payment.Id.ToString(),
            new { what, amount_vnd = payment.AmountVnd, reversal = reversal.Id, reason });
        await db.SaveChangesAsync(ct);
        // The guardians hear that the receipt they were sent no longer holds, in the same transaction; what they were
        // about to hear of this payment is not sent.
        await OutboxQueue.WithdrawUnsentAsync(db, payment.Id, ct);
        await OutboxQueue.QueueForCancelledReceiptsAsync(db, cancelled.Select(r => r.Id).ToArray(), clock.Now, ct);
        // A notice the reversal reopened is paid from the credit the pupil holds at that school, as the next notice would be
        // (found by attack: the bank and the parents' page asked again for money the school held).
        // A payment may have paid siblings' notices: each pupil whose notice reopened uses their own credit.
        var reopened = open.Select(a => a.NoticeId).Distinct().ToList();
        var pupils = await db.Notices.AsNoTracking().Where(n => reopened.Contains(n.Id)).Select(n => n.StudentId).ToListAsync(ct);
        await ApplyCreditAsync(pupils.Append(payment.StudentId).Distinct().ToList(), ct);
        return reversal;
    }

    /// <summary>
    /// Pays back part or all of the credit a student holds, oldest credit first: in cash at the counter or by bank
    /// transfer. Given a school, only money that school received is paid back (a pupil who moved may hold credit at both).
    /// </summary>
    public async Task<long> RefundCreditAsync(string studentCode, long amountVnd, string reason, CancellationToken ct = default,
        string method = PaymentMethods.Cash, Guid? schoolId = null, Guid? requestId = null)
    {
        if (string.IsNullOrWhiteSpace(reason)) throw new BadInputException("--reason", null, null, "say why the money is refunded.", "hãy ghi lý do hoàn tiền.");
        if (amountVnd <= 0 || amountVnd > Values.MaxAmountVnd)
            throw new BadInputException("--amount", null, null, "a refund is a whole number of đồng above 0.", "số tiền hoàn là số đồng lớn hơn 0.");
        if (method is not (PaymentMethods.Cash or PaymentMethods.Bank))
            throw new BadInputException("--method", null, null, "a refund is paid in cash or by bank transfer.", "tiền hoàn trả bằng tiền mặt hoặc chuyển khoản.");
        await using var tx = await UnitOfWork.BeginAsync(db, ct);
        var student = await db.Students.AsNoTracking().SingleOrDefaultAsync(s => s.StudentCode == studentCode, ct)
            ?? throw new BadInputException("--student", null, null, $"there is no student {studentCode}.", $"không có học sinh {studentCode}.");
        await LockStudentsAsync([student.Id], ct);
        // Credit pays what the pupil still owes first, oldest first: a family in arrears is not paid out.
        var owing = await ApplyCreditAsync([student.Id], ct) > 0;
        var sources = (await CreditSourcesAsync([student.Id], ct)).Where(s => schoolId is null || s.SchoolId == schoolId).ToList();
        IReadOnlyList<CreditUse> uses;
        try
        {
            uses = Allocator.PlanRefund(amountVnd, sources.Select(s => new CreditSource(s.PaymentId, s.RemainderVnd)));
        }
        catch (LedgerRuleException e)
        {
            var held = sources.Sum(s => s.RemainderVnd);
            throw owing
                ? new BusinessRuleException($"{e.Message} The credit first pays what the pupil still owes on earlier notices.",
                    $"Tiền thừa được trừ trước vào các thông báo học sinh còn nợ; sau đó chỉ còn {Values.Money(held)}, không hoàn được {Values.Money(amountVnd)}.")
                : new BusinessRuleException(e.Message, $"Học sinh chỉ còn {Values.Money(held)} tiền thừa; không hoàn được {Values.Money(amountVnd)}.");
        }
        foreach (var u in uses)
            db.Refunds.Add(new Refund
            {
                Id = Guid.CreateVersion7(), PaymentId = u.PaymentId, AmountVnd = u.AmountVnd, At = clock.Now, Reason = reason, Actor = actor.Name,
                Method = method, CorrectionRequestId = requestId,
            });
        AuditLog.Record(db, clock, actor, "payments.refund", "student", student.Id.ToString(), new { amount_vnd = amountVnd, method, reason, request = requestId });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return sources.Sum(s => s.RemainderVnd) - amountVnd;
    }

    /// <summary>Cancels a receipt and issues its replacement under the next number of the series.</summary>
    public async Task<string> CancelReceiptAsync(string receiptNo, string reason, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(reason)) throw new BadInputException("--reason", null, null, "say why the receipt is cancelled.", "hãy ghi lý do huỷ biên lai.");
        await using var tx = await UnitOfWork.BeginAsync(db, ct);
        var old = await FindReceiptAsync(receiptNo, ct);
        if (!ReceiptStates.IsLive(old.Status)) throw new BusinessRuleException($"Receipt {receiptNo} is already cancelled.", $"Biên lai {receiptNo} đã bị huỷ trước đó.");
        var payment = await db.Payments.AsNoTracking().SingleAsync(p => p.Id == old.PaymentId, ct);
        var items = await db.ReceiptItems.AsNoTracking().Where(i => i.ReceiptId == old.Id).OrderBy(i => i.Position)
            .Select(i => new { i.Name, i.AmountVnd, i.NoticeLineId }).ToListAsync(ct);
        var series = await db.ReceiptSeries.AsNoTracking().SingleAsync(x => x.Id == old.SeriesId, ct);
        // A receipt from before e-receipts listed no items: its replacement lists the money under the old receipt's name.
        List<(string, long, Guid?)> lines = items.Count > 0
            ? items.Select(i => (i.Name, i.AmountVnd, i.NoticeLineId)).ToList()
            : [($"Các khoản thu của biên lai {Domain.Receipts.Receipt.Format(series.Template, series.Series, old.Number)}", old.AmountVnd, null)];
        // An e-receipt is replaced; one from before e-receipts was cancelled and replaced, as it always was.
        MoveReceipt(old, old.LookupCode is null ? ReceiptStates.Cancelled : ReceiptStates.Replaced, reason);
        var issued = (await IssueReceiptsAsync([new ReceiptDraft(payment, old.StudentId ?? payment.StudentId, lines, old.Id, old.PayerName)], ct))[0];
        await StoreReceiptsAsync([issued], ct);
        var replacement = issued.Reference;
        AuditLog.Record(db, clock, actor, "receipts.cancel", "receipt", old.Id.ToString(), new { receipt = receiptNo, replacement, reason });
        await db.SaveChangesAsync(ct);
        // A family told of the old receipt hears it was replaced; one not told yet hears of the payment with the new one.
        var told = await OutboxQueue.ToldOfPaymentAsync(db, payment.Id, ct);
        await OutboxQueue.WithdrawUnsentAsync(db, payment.Id, ct);
        if (told) await OutboxQueue.QueueForCancelledReceiptsAsync(db, [old.Id], clock.Now, ct);
        else await OutboxQueue.QueueForPaymentsAsync(db, [payment.Id], clock.Now, ct);
        await tx.CommitAsync(ct);
        return replacement;
    }

    /// <summary>A receipt's new state, with the event that records who moved it and why.</summary>
    private void MoveReceipt(ReceiptRow r, string to, string reason)
    {
        db.ReceiptEvents.Add(new ReceiptEventRow { Id = Guid.CreateVersion7(), ReceiptId = r.Id, At = clock.Now, FromStatus = r.Status, ToStatus = to, Actor = actor.Name, Reason = reason });
        r.Status = to;
        r.CancelledAt = clock.Now;
        r.CancelReason = reason;
    }

    /// <summary>Allocations that put money on a line and have not been undone yet.</summary>
    private Task<List<Allocation>> LiveAllocationsAsync(System.Linq.Expressions.Expression<Func<Allocation, bool>> which, CancellationToken ct) =>
        db.Allocations.AsNoTracking().Where(which)
            .Where(a => a.AmountVnd > 0 && !db.Allocations.Any(r => r.ReversesAllocationId == a.Id))
            .ToListAsync(ct);

    /// <summary>Undoes allocations with new entries of the opposite sign, each pointing at the one it undoes.</summary>
    private void AddReversals(IEnumerable<Allocation> live, DateTimeOffset? at = null)
    {
        foreach (var a in live)
            db.Allocations.Add(new Allocation
            {
                Id = Guid.CreateVersion7(), PaymentId = a.PaymentId, NoticeId = a.NoticeId, NoticeLineId = a.NoticeLineId,
                AmountVnd = -a.AmountVnd, At = at ?? clock.Now, Kind = AllocationKinds.Reversal, ReversesAllocationId = a.Id,
            });
    }
}
