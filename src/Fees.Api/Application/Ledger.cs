using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Files;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Domain.Ledger;
using TdmEdu.Fees.Domain.Notices;
using TdmEdu.Fees.Domain.Receipts;

namespace TdmEdu.Fees.Api.Application;

public sealed record NoticePaid(string NoticeNo, long AmountVnd, long BalanceVnd, string Status);

public sealed record PaymentResult(Guid PaymentId, string ReceiptNo, long AmountVnd, IReadOnlyList<NoticePaid> Notices, long CreditVnd);

/// <summary>
/// Moves money: payments allocated by the domain's rules, credit held and used, reversals and refunds as new
/// linked entries, receipts numbered without gaps. Every operation locks the student's row first, so two
/// payments for one student never interleave.
/// </summary>
public sealed class Ledger(FeesDb db, BusinessClock clock, Actor actor)
{
    private sealed record OpenLineRow(Guid LineId, Guid NoticeId, Guid StudentId, int PeriodKey, string NoticeNo, int LineNo, long OutstandingVnd);

    private sealed record SourceRow(Guid PaymentId, Guid StudentId, long RemainderVnd);

    public async Task<PaymentResult> RecordCashAsync(string noticeNo, long amountVnd, string? payerName, string? clientRef = null, CancellationToken ct = default)
    {
        if (amountVnd <= 0 || amountVnd > Values.MaxAmountVnd)
            throw new BadInputException("--amount", null, null, "a payment is a whole number of đồng above 0 and below 1,000,000,000,000.");
        await using var tx = await UnitOfWork.BeginAsync(db, ct);

        if (clientRef is not null)
        {
            var earlier = await db.Payments.AsNoTracking().FirstOrDefaultAsync(p => p.Source == "cash" && p.ExternalRef == clientRef, ct);
            if (earlier is not null) return await DescribeExistingAsync(earlier, ct);
        }

        var notice = await db.Notices.AsNoTracking().SingleOrDefaultAsync(n => n.NoticeNo == noticeNo, ct)
            ?? throw new BadInputException("--notice", null, null, $"there is no notice {noticeNo}.");
        if (notice.Status is NoticeStatus.Cancelled or NoticeStatus.Refunded or NoticeStatus.Draft)
            throw new BusinessRuleException($"Notice {noticeNo} is {notice.Status.ToWire()}; it takes no payment.");

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
    /// Money a bank brought for the given students (siblings in the order their codes appeared): each student's
    /// open notices are paid in turn, the named notice first; what is left is the first student's credit.
    /// </summary>
    public async Task<PaymentResult> RecordBankAsync(Payment payment, IReadOnlyList<Guid> students, CancellationToken ct = default)
    {
        await using var tx = await UnitOfWork.BeginAsync(db, ct);
        var result = await ApplyAsync(payment, students, ct);
        AuditLog.Record(db, clock, actor, "payments.bank", "payment", payment.Id.ToString(),
            new { bank = payment.Source, inbox = payment.InboxId, amount_vnd = payment.AmountVnd, students = students.Count, credit_vnd = result.CreditVnd, receipt = result.ReceiptNo });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return result;
    }

    private async Task<PaymentResult> ApplyAsync(Payment payment, IReadOnlyList<Guid> students, CancellationToken ct)
    {
        await LockStudentsAsync(students.ToArray(), ct);
        var lines = (await OpenLinesAsync(students.ToArray(), ct)).ToLookup(l => l.StudentId);
        var left = payment.AmountVnd;
        var allocations = new List<LineAllocation>();
        foreach (var student in students.Distinct())
        {
            if (left == 0) break;
            var plan = Allocator.Plan(left, lines[student].Select(ToDomain), payment.PreferredNoticeId);
            allocations.AddRange(plan.Allocations);
            left = plan.RemainderVnd;
        }
        if (left > 0 && payment.Flag is null && payment.Method == PaymentMethods.Bank) payment.Flag = "paid more than owed; the rest is held as credit";
        db.Payments.Add(payment);
        foreach (var a in allocations)
            db.Allocations.Add(new Allocation
            {
                Id = Guid.CreateVersion7(), PaymentId = payment.Id, NoticeId = a.NoticeId, NoticeLineId = a.LineId,
                AmountVnd = a.AmountVnd, At = clock.Now, Kind = AllocationKinds.Payment,
            });
        await db.SaveChangesAsync(ct);

        var touched = allocations.Select(a => a.NoticeId).Distinct().ToList();
        if (payment.PreferredNoticeId is { } pn && !touched.Contains(pn)) touched.Add(pn);
        var updated = await RefreshNoticesAsync(touched, ct);
        var receipt = await IssueReceiptAsync(payment, null, ct);
        var plan2 = new AllocationPlan(allocations, left);
        return new PaymentResult(payment.Id, receipt, payment.AmountVnd, Describe(updated, plan2), left);
    }

    /// <summary>Uses the credit the given students hold on their open notices; returns the đồng applied.</summary>
    public async Task<long> ApplyCreditAsync(IReadOnlyCollection<Guid> studentIds, CancellationToken ct = default)
    {
        var sources = await CreditSourcesAsync(studentIds.ToArray(), ct);
        if (sources.Count == 0) return 0;
        var holders = sources.Select(s => s.StudentId).Distinct().ToArray();
        await LockStudentsAsync(holders, ct);
        sources = await CreditSourcesAsync(holders, ct);
        var lines = (await OpenLinesAsync(holders, ct)).ToLookup(l => l.StudentId);

        long applied = 0;
        var touched = new HashSet<Guid>();
        foreach (var g in sources.GroupBy(s => s.StudentId))
        {
            var uses = Allocator.PlanCreditUse(g.Select(s => new CreditSource(s.PaymentId, s.RemainderVnd)), lines[g.Key].Select(ToDomain));
            foreach (var u in uses)
            {
                db.Allocations.Add(new Allocation
                {
                    Id = Guid.CreateVersion7(), PaymentId = u.PaymentId, NoticeId = u.NoticeId!.Value, NoticeLineId = u.LineId!.Value,
                    AmountVnd = u.AmountVnd, At = clock.Now, Kind = AllocationKinds.Credit,
                });
                touched.Add(u.NoticeId.Value);
                applied += u.AmountVnd;
            }
        }
        if (applied == 0) return 0;
        await db.SaveChangesAsync(ct);
        await RefreshNoticesAsync(touched.ToList(), ct);
        AuditLog.Record(db, clock, actor, "credit.apply", "student", null, new { students = holders.Length, applied_vnd = applied });
        await db.SaveChangesAsync(ct);
        return applied;
    }

    /// <summary>Undoes a payment with new entries: negative allocations linked to the ones they undo, a reversal row, the receipt cancelled.</summary>
    public async Task<Payment> ReversePaymentAsync(string receiptNo, string reason, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(reason)) throw new BadInputException("--reason", null, null, "say why the payment is reversed.");
        await using var tx = await UnitOfWork.BeginAsync(db, ct);
        var receipt = await FindReceiptAsync(receiptNo, ct);
        var payment = await db.Payments.AsNoTracking().SingleAsync(p => p.Id == receipt.PaymentId, ct);
        var reversal = await ReverseAsync(payment, reason, null, $"receipt {receiptNo}", ct);
        await tx.CommitAsync(ct);
        return reversal;
    }

    /// <summary>A bank took back a credit it had notified: the payment it made is reversed.</summary>
    public async Task<Payment?> ReverseBankPaymentAsync(string bank, string originalKey, Guid? inboxId, CancellationToken ct = default)
    {
        await using var tx = await UnitOfWork.BeginAsync(db, ct);
        var payment = await db.Payments.AsNoTracking().SingleOrDefaultAsync(p => p.Source == bank && p.ExternalRef == originalKey, ct);
        if (payment is null) return null;
        var reversal = await ReverseAsync(payment, $"reversed by {bank}", inboxId, $"{bank} transaction", ct);
        await tx.CommitAsync(ct);
        return reversal;
    }

    private async Task<Payment> ReverseAsync(Payment payment, string reason, Guid? inboxId, string what, CancellationToken ct)
    {
        await LockStudentsAsync([payment.StudentId], ct);
        if (await db.Payments.AnyAsync(p => p.ReversesPaymentId == payment.Id, ct))
            throw new BusinessRuleException($"The payment of {what} is already reversed.");
        if (await db.Refunds.AnyAsync(r => r.PaymentId == payment.Id, ct))
            throw new BusinessRuleException($"Part of the payment of {what} was refunded; it cannot be reversed as a whole.");

        var open = await LiveAllocationsAsync(a => a.PaymentId == payment.Id, ct);
        AddReversals(open);
        var reversal = new Payment
        {
            Id = Guid.CreateVersion7(), SchoolId = payment.SchoolId, StudentId = payment.StudentId, Method = PaymentMethods.Reversal,
            AmountVnd = -payment.AmountVnd, ReceivedAt = clock.Now, ReversesPaymentId = payment.Id,
            Source = "reversal", ExternalRef = payment.Id.ToString(), Actor = actor.Name, Reason = reason, InboxId = inboxId,
        };
        db.Payments.Add(reversal);
        await db.SaveChangesAsync(ct);
        await RefreshNoticesAsync(open.Select(a => a.NoticeId).Distinct().ToList(), ct);

        foreach (var r in await db.Receipts.Where(r => r.PaymentId == payment.Id && r.Status == "issued").ToListAsync(ct))
        {
            r.Status = "cancelled";
            r.CancelledAt = clock.Now;
            r.CancelReason = reason;
        }
        AuditLog.Record(db, clock, actor, "payments.reverse", "payment", payment.Id.ToString(),
            new { what, amount_vnd = payment.AmountVnd, reversal = reversal.Id, reason });
        await db.SaveChangesAsync(ct);
        return reversal;
    }

    /// <summary>Pays back part or all of the credit a student holds, oldest credit first.</summary>
    public async Task<long> RefundCreditAsync(string studentCode, long amountVnd, string reason, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(reason)) throw new BadInputException("--reason", null, null, "say why the money is refunded.");
        if (amountVnd <= 0 || amountVnd > Values.MaxAmountVnd)
            throw new BadInputException("--amount", null, null, "a refund is a whole number of đồng above 0.");
        await using var tx = await UnitOfWork.BeginAsync(db, ct);
        var student = await db.Students.AsNoTracking().SingleOrDefaultAsync(s => s.StudentCode == studentCode, ct)
            ?? throw new BadInputException("--student", null, null, $"there is no student {studentCode}.");
        await LockStudentsAsync([student.Id], ct);
        var sources = await CreditSourcesAsync([student.Id], ct);
        IReadOnlyList<CreditUse> uses;
        try
        {
            uses = Allocator.PlanRefund(amountVnd, sources.Select(s => new CreditSource(s.PaymentId, s.RemainderVnd)));
        }
        catch (LedgerRuleException e)
        {
            throw new BusinessRuleException(e.Message);
        }
        foreach (var u in uses)
            db.Refunds.Add(new Refund { Id = Guid.CreateVersion7(), PaymentId = u.PaymentId, AmountVnd = u.AmountVnd, At = clock.Now, Reason = reason, Actor = actor.Name });
        AuditLog.Record(db, clock, actor, "payments.refund", "student", student.Id.ToString(), new { amount_vnd = amountVnd, reason });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return sources.Sum(s => s.RemainderVnd) - amountVnd;
    }

    /// <summary>Cancels a receipt and issues its replacement under the next number of the series.</summary>
    public async Task<string> CancelReceiptAsync(string receiptNo, string reason, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(reason)) throw new BadInputException("--reason", null, null, "say why the receipt is cancelled.");
        await using var tx = await UnitOfWork.BeginAsync(db, ct);
        var old = await FindReceiptAsync(receiptNo, ct);
        if (old.Status != "issued") throw new BusinessRuleException($"Receipt {receiptNo} is already cancelled.");
        var payment = await db.Payments.AsNoTracking().SingleAsync(p => p.Id == old.PaymentId, ct);
        old.Status = "cancelled";
        old.CancelledAt = clock.Now;
        old.CancelReason = reason;
        var replacement = await IssueReceiptAsync(payment, old.Id, ct);
        AuditLog.Record(db, clock, actor, "receipts.cancel", "receipt", old.Id.ToString(), new { receipt = receiptNo, replacement, reason });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return replacement;
    }

    /// <summary>Withdraws a notice. Money on it goes back to the payments it came from (the student's credit).</summary>
    public async Task<(NoticeStatus Status, long ReleasedVnd)> CancelNoticeAsync(string noticeNo, string reason, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(reason)) throw new BadInputException("--reason", null, null, "say why the notice is cancelled.");
        await using var tx = await UnitOfWork.BeginAsync(db, ct);
        var notice = await db.Notices.SingleOrDefaultAsync(n => n.NoticeNo == noticeNo, ct)
            ?? throw new BadInputException("--notice", null, null, $"there is no notice {noticeNo}.");
        await LockStudentsAsync([notice.StudentId], ct);
        await db.Entry(notice).ReloadAsync(ct);
        var open = await LiveAllocationsAsync(a => a.NoticeId == notice.Id, ct);
        var lifecycle = new NoticeLifecycle(() => notice.Status, s => notice.Status = s, () => open.Sum(a => a.AmountVnd), $"notice {noticeNo}");
        try
        {
            lifecycle.Fire(open.Count == 0 ? NoticeTrigger.Cancel : NoticeTrigger.CancelWithRefund);
        }
        catch (IllegalNoticeTransitionException e)
        {
            throw new BusinessRuleException(e.Message);
        }
        AddReversals(open);
        var released = open.Sum(a => a.AmountVnd);
        notice.AmountPaidVnd = 0;
        AuditLog.Record(db, clock, actor, "notices.cancel", "notice", notice.Id.ToString(), new { notice = noticeNo, released_vnd = released, reason });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return (notice.Status, released);
    }

    /// <summary>
    /// Finds a receipt by the reference the CLI prints, SCHOOL/TEMPLATE/SERIES/NUMBER. Series symbols repeat
    /// between schools, so TEMPLATE/SERIES/NUMBER alone is accepted only when one school uses that series.
    /// </summary>
    /// <summary>Allocations that put money on a line and have not been undone yet.</summary>
    private Task<List<Allocation>> LiveAllocationsAsync(System.Linq.Expressions.Expression<Func<Allocation, bool>> which, CancellationToken ct) =>
        db.Allocations.AsNoTracking().Where(which)
            .Where(a => a.AmountVnd > 0 && !db.Allocations.Any(r => r.ReversesAllocationId == a.Id))
            .ToListAsync(ct);

    /// <summary>Undoes allocations with new entries of the opposite sign, each pointing at the one it undoes.</summary>
    private void AddReversals(IEnumerable<Allocation> live)
    {
        foreach (var a in live)
            db.Allocations.Add(new Allocation
            {
                Id = Guid.CreateVersion7(), PaymentId = a.PaymentId, NoticeId = a.NoticeId, NoticeLineId = a.NoticeLineId,
                AmountVnd = -a.AmountVnd, At = clock.Now, Kind = AllocationKinds.Reversal, ReversesAllocationId = a.Id,
            });
    }

    private async Task<ReceiptRow> FindReceiptAsync(string receiptNo, CancellationToken ct)
    {
        var parts = receiptNo.Trim().Split('/');
        if (parts.Length is < 3 or > 4 || !long.TryParse(parts[^1], out var number))
            throw new BadInputException("--receipt", null, null, $"\"{receiptNo}\" is not a receipt reference like TS01/01BLP0-001/AA-25E/0000012.");
        var school = parts.Length == 4 ? parts[0].ToUpperInvariant() : null;
        var (template, series) = (parts[^3], parts[^2]);
        var found = await (from r in db.Receipts
                           join s in db.ReceiptSeries on r.SeriesId equals s.Id
                           join sc in db.Schools on s.SchoolId equals sc.Id
                           where s.Template == template && s.Series == series && r.Number == number && (school == null || sc.Code == school)
                           select r).Take(2).ToListAsync(ct);
        return found.Count switch
        {
            1 => found[0],
            0 => throw new BadInputException("--receipt", null, null, $"there is no receipt {receiptNo}."),
            _ => throw new BadInputException("--receipt", null, null, $"several schools have a receipt {receiptNo}; put the school code in front, like TS01/{receiptNo}."),
        };
    }

    /// <summary>Takes the next number of the school's default series; the counter row is locked until commit, so numbers never skip.</summary>
    private async Task<string> IssueReceiptAsync(Payment payment, Guid? replaces, CancellationToken ct)
    {
        var taken = await db.Database.SqlQuery<SeriesNumber>($"""
            UPDATE receipt_series SET next_number = next_number + 1
            WHERE school_id = {payment.SchoolId} AND is_default
            RETURNING id AS "SeriesId", template AS "Template", series AS "Series", next_number - 1 AS "Number",
                      (SELECT code FROM schools WHERE id = school_id) AS "SchoolCode"
            """).ToListAsync(ct);
        if (taken.Count != 1) throw new BusinessRuleException("The school has no receipt series; import its schools row again to create one.");
        var t = taken[0];
        db.Receipts.Add(new ReceiptRow
        {
            Id = Guid.CreateVersion7(), SeriesId = t.SeriesId, SchoolId = payment.SchoolId, Number = t.Number, PaymentId = payment.Id,
            AmountVnd = payment.AmountVnd, PayerName = payment.PayerName, IssuedAt = clock.Now, ReplacesReceiptId = replaces,
        });
        return Reference(t.SchoolCode, t.Template, t.Series, t.Number);
    }

    /// <summary>The receipt as the CLI names it: the school, then the number printed on the receipt.</summary>
    public static string Reference(string schoolCode, string template, string series, long number) =>
        $"{schoolCode}/{Receipt.Format(template, series, number)}";

    private sealed record SeriesNumber(Guid SeriesId, string Template, string Series, long Number, string SchoolCode);

    private async Task LockStudentsAsync(Guid[] ids, CancellationToken ct) =>
        await db.Database.SqlQuery<Guid>($"SELECT id AS \"Value\" FROM students WHERE id = ANY({ids}) ORDER BY id FOR UPDATE").ToListAsync(ct);

    private async Task<List<OpenLineRow>> OpenLinesAsync(Guid[] studentIds, CancellationToken ct) =>
        await db.Database.SqlQuery<OpenLineRow>($"""
            SELECT l.id AS "LineId", n.id AS "NoticeId", n.student_id AS "StudentId", n.period_key AS "PeriodKey",
                   n.notice_no AS "NoticeNo", l.line_no AS "LineNo",
                   l.amount_vnd - COALESCE((SELECT SUM(a.amount_vnd) FROM allocations a WHERE a.notice_line_id = l.id), 0) AS "OutstandingVnd"
            FROM notices n JOIN notice_lines l ON l.notice_id = n.id
            WHERE n.student_id = ANY({studentIds}) AND n.status IN ('issued', 'partially_paid')
            """).ToListAsync(ct);

    private async Task<List<SourceRow>> CreditSourcesAsync(Guid[] studentIds, CancellationToken ct) =>
        await db.Database.SqlQuery<SourceRow>($"""
            SELECT p.id AS "PaymentId", p.student_id AS "StudentId",
                   p.amount_vnd - COALESCE((SELECT SUM(a.amount_vnd) FROM allocations a WHERE a.payment_id = p.id), 0)
                                - COALESCE((SELECT SUM(r.amount_vnd) FROM refunds r WHERE r.payment_id = p.id), 0) AS "RemainderVnd"
            FROM payments p
            WHERE p.student_id = ANY({studentIds}) AND p.amount_vnd > 0
              AND NOT EXISTS (SELECT 1 FROM payments x WHERE x.reverses_payment_id = p.id)
              AND p.amount_vnd > COALESCE((SELECT SUM(a.amount_vnd) FROM allocations a WHERE a.payment_id = p.id), 0)
                                + COALESCE((SELECT SUM(r.amount_vnd) FROM refunds r WHERE r.payment_id = p.id), 0)
            ORDER BY p.received_at, p.id
            """).ToListAsync(ct);

    /// <summary>Brings each notice's paid amount and state in line with its allocations.</summary>
    private async Task<List<Notice>> RefreshNoticesAsync(List<Guid> noticeIds, CancellationToken ct)
    {
        var paid = await db.Allocations.Where(a => noticeIds.Contains(a.NoticeId)).GroupBy(a => a.NoticeId)
            .Select(g => new { g.Key, Sum = g.Sum(a => a.AmountVnd) }).ToDictionaryAsync(x => x.Key, x => x.Sum, ct);
        var notices = await db.Notices.Where(n => noticeIds.Contains(n.Id)).ToListAsync(ct);
        foreach (var n in notices)
        {
            n.AmountPaidVnd = paid.GetValueOrDefault(n.Id);
            new NoticeLifecycle(() => n.Status, s => n.Status = s, () => n.AmountPaidVnd, $"notice {n.NoticeNo}").SyncWithMoney(n.AmountDueVnd, n.AmountPaidVnd);
        }
        await db.SaveChangesAsync(ct);
        return notices;
    }

    private static OpenLine ToDomain(OpenLineRow r) => new(r.NoticeId, r.LineId, r.PeriodKey, r.NoticeNo, r.LineNo, r.OutstandingVnd);

    private static List<NoticePaid> Describe(List<Notice> notices, AllocationPlan plan) =>
        notices.Where(n => plan.Allocations.Any(a => a.NoticeId == n.Id))
            .OrderBy(n => n.PeriodKey).ThenBy(n => n.NoticeNo, StringComparer.Ordinal)
            .Select(n => new NoticePaid(n.NoticeNo, plan.Allocations.Where(a => a.NoticeId == n.Id).Sum(a => a.AmountVnd),
                n.AmountDueVnd - n.AmountPaidVnd, n.Status.ToWire())).ToList();

    private async Task<PaymentResult> DescribeExistingAsync(Payment p, CancellationToken ct)
    {
        var receipt = await (from r in db.Receipts join s in db.ReceiptSeries on r.SeriesId equals s.Id
                             join sc in db.Schools on s.SchoolId equals sc.Id
                             where r.PaymentId == p.Id
                             orderby r.Number
                             select new { sc.Code, s.Template, s.Series, r.Number }).FirstAsync(ct);
        var allocated = await db.Allocations.Where(a => a.PaymentId == p.Id).SumAsync(a => a.AmountVnd, ct);
        return new PaymentResult(p.Id, Reference(receipt.Code, receipt.Template, receipt.Series, receipt.Number), p.AmountVnd, [], p.AmountVnd - allocated);
    }
}
