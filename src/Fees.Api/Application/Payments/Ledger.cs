using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Application.Messages;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Domain.Ledger;
using TdmEdu.Fees.Domain.Notices;

namespace TdmEdu.Fees.Api.Application.Payments;

public sealed record NoticePaid(string NoticeNo, long AmountVnd, long BalanceVnd, string Status);

/// <summary>What a payment did; OwedBeforeVnd is what the paid students owed just before it.</summary>
public sealed record PaymentResult(Guid PaymentId, string ReceiptNo, long AmountVnd, IReadOnlyList<NoticePaid> Notices, long CreditVnd, long OwedBeforeVnd = 0);

/// <summary>Money a bank brought for these students, siblings in the order their codes appeared.</summary>
public sealed record BankCredit(Payment Payment, IReadOnlyList<Guid> Students);

/// <summary>
/// Moves money: payments allocated by the domain's rules, credit held and used, reversals and refunds as new
/// linked entries, receipts numbered without gaps. Every operation locks the student's row first, so two
/// payments for one student never interleave.
/// </summary>
public sealed partial class Ledger(FeesDb db, BusinessClock clock, Actor actor)
{
    private sealed record OpenLineRow(Guid LineId, Guid NoticeId, Guid StudentId, Guid SchoolId, int PeriodKey, string NoticeNo, int LineNo, long OutstandingVnd,
        string ItemCode = "", string ItemName = "");

    private sealed record SourceRow(Guid PaymentId, Guid StudentId, Guid SchoolId, long RemainderVnd);

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

    private async Task<PaymentResult> ApplyAsync(Payment payment, IReadOnlyList<Guid> students, CancellationToken ct) =>
        (await ApplyManyAsync([new BankCredit(payment, students)], null, ct))[0];

    /// <summary>
    /// Many bank credits at once, in the given order, each as <see cref="RecordBankAsync"/> would apply it alone:
    /// the reconciliation of a statement uses it so that a month of lines is a few statements, not a few per line.
    /// </summary>
    public async Task<IReadOnlyList<PaymentResult>> RecordBankManyAsync(IReadOnlyList<BankCredit> credits, CancellationToken ct = default)
    {
        await using var tx = await UnitOfWork.BeginAsync(db, ct);
        var results = await ApplyManyAsync(credits, "payments.bank", ct);
        await tx.CommitAsync(ct);
        return results;
    }

    /// <summary>
    /// The one place money is put on notices: students locked in one order, their open lines read once, each
    /// payment planned by the domain's allocation rules against what the payments before it left open, receipts
    /// numbered from a block taken per school, notices brought in line with their money.
    /// </summary>
    private async Task<List<PaymentResult>> ApplyManyAsync(IReadOnlyList<BankCredit> credits, string? auditAction, CancellationToken ct)
    {
        if (credits.Count == 0) return [];
        var studentIds = credits.SelectMany(c => c.Students).Distinct().ToArray();
        await LockStudentsAsync(studentIds, ct);
        var rows = await OpenLinesAsync(studentIds, ct);
        var outstanding = rows.ToDictionary(r => r.LineId, r => r.OutstandingVnd);
        var linesOf = rows.ToLookup(r => r.StudentId);
        var noticeIds = rows.Select(r => r.NoticeId).Distinct().ToList();
        var notices = await db.Notices.AsNoTracking().Where(n => noticeIds.Contains(n.Id)).ToDictionaryAsync(n => n.Id, ct);

        var allocations = new List<Allocation>();
        var planned = new List<(Payment Payment, long Owed, long Left, List<LineAllocation> Allocations)>();
        foreach (var (payment, students) in credits)
        {
            var left = payment.AmountVnd;
            long owed = 0;
            var mine = new List<LineAllocation>();
            foreach (var student in students.Distinct())
            {
                // Money received by a school pays only that school's notices: a pupil who moved keeps the old school's
                // notices, and those are paid to the old school's accounts.
                var open = linesOf[student].Where(r => r.SchoolId == payment.SchoolId)
                    .Select(r => ToDomain(r) with { OutstandingVnd = outstanding[r.LineId] }).ToList();
                owed += open.Sum(o => o.OutstandingVnd);
                if (left == 0) continue;
                var plan = Allocator.Plan(left, open, payment.PreferredNoticeId);
                foreach (var a in plan.Allocations) outstanding[a.LineId] -= a.AmountVnd;
                mine.AddRange(plan.Allocations);
                left = plan.RemainderVnd;
            }
            if (left > 0 && payment.Flag is null && payment.Method == PaymentMethods.Bank) payment.Flag = "paid more than owed; the rest is held as credit";
            allocations.AddRange(mine.Select(a => new Allocation
            {
                Id = Guid.CreateVersion7(), PaymentId = payment.Id, NoticeId = a.NoticeId, NoticeLineId = a.LineId,
                AmountVnd = a.AmountVnd, At = clock.Now, Kind = AllocationKinds.Payment,
            }));
            planned.Add((payment, owed, left, mine));
        }

        var lineRows = rows.ToDictionary(r => r.LineId);
        var drafts = await DraftReceiptsAsync(planned.Select((p, i) => (p.Payment, credits[i].Students, p.Allocations, p.Left)).ToList(), lineRows, ct);
        var issued = await IssueReceiptsAsync(drafts, ct);
        var byPayment = issued.ToLookup(r => r.Row.PaymentId);
        var receipts = credits.Select(c => string.Join(", ", byPayment[c.Payment.Id].Select(r => r.Reference))).ToList();
        foreach (var (id, paid) in allocations.GroupBy(a => a.NoticeId).Select(g => (g.Key, g.Sum(a => a.AmountVnd))))
        {
            var n = notices[id];
            n.AmountPaidVnd += paid;
            new NoticeLifecycle(() => n.Status, s => n.Status = s, () => n.AmountPaidVnd, $"notice {n.NoticeNo}").SyncWithMoney(n.AmountDueVnd, n.AmountPaidVnd);
        }
        var touched = allocations.Select(a => a.NoticeId).Distinct().Select(id => notices[id]).ToList();

        await BulkCopy.InsertAsync(db, credits.Select(c => c.Payment).ToList(), ct);
        await BulkCopy.InsertAsync(db, allocations, ct);
        await StoreReceiptsAsync(issued, ct);
        if (auditAction is not null)
            await BulkCopy.InsertAsync(db, planned.Select((p, i) => AuditLog.Entry(clock, actor, auditAction, "payment", p.Payment.Id.ToString(),
                new { bank = p.Payment.Source, inbox = p.Payment.InboxId, amount_vnd = p.Payment.AmountVnd, students = credits[i].Students.Count, credit_vnd = p.Left, receipt = receipts[i] })).ToList(), ct);
        await db.Database.ExecuteSqlAsync($"""
            UPDATE notices n SET amount_paid_vnd = u.paid, status = u.status
            FROM unnest({touched.Select(n => n.Id).ToArray()}::uuid[], {touched.Select(n => n.AmountPaidVnd).ToArray()}::bigint[],
                        {touched.Select(n => n.Status.ToWire()).ToArray()}::text[]) AS u(id, paid, status)
            WHERE n.id = u.id
            """, ct);
        // The context may hold older copies of these notices (a reversal's refresh earlier in this unit of work).
        ForgetNotices(touched.Select(n => n.Id).ToList());
        // The guardians hear of each payment with its receipt, in the transaction that applied it.
        await OutboxQueue.QueueForPaymentsAsync(db, credits.Select(c => c.Payment.Id).ToArray(), clock.Now, ct);

        return planned.Select((p, i) => new PaymentResult(p.Payment.Id, receipts[i], p.Payment.AmountVnd,
            Describe(p.Allocations, notices), p.Left, p.Owed)).ToList();
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
        // Credit a school holds is used on that school's notices only.
        foreach (var g in sources.GroupBy(s => (s.StudentId, s.SchoolId)))
        {
            var uses = Allocator.PlanCreditUse(g.Select(s => new CreditSource(s.PaymentId, s.RemainderVnd)),
                lines[g.Key.StudentId].Where(l => l.SchoolId == g.Key.SchoolId).Select(ToDomain));
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

    /// <summary>
    /// Uses the credit pupils hold on their open notices at the same school, wherever the two stand side by side (a
    /// reversal or a cancelled notice before 2026-12-07 could leave them so); returns the pupils and the đồng applied.
    /// </summary>
    public async Task<(int Pupils, long AppliedVnd)> UseCreditBesideOpenNoticesAsync(CancellationToken ct = default)
    {
        var pupils = await db.Database.SqlQuery<Guid>($$"""
            SELECT DISTINCT p.student_id AS "Value" FROM payments p
            WHERE p.amount_vnd > 0 AND NOT EXISTS (SELECT 1 FROM payments r WHERE r.reverses_payment_id = p.id)
              AND p.amount_vnd > COALESCE((SELECT SUM(a.amount_vnd) FROM allocations a WHERE a.payment_id = p.id), 0)
                               + COALESCE((SELECT SUM(f.amount_vnd) FROM refunds f WHERE f.payment_id = p.id), 0)
              AND EXISTS (SELECT 1 FROM notices n WHERE n.student_id = p.student_id AND n.school_id = p.school_id
                          AND n.status IN ('issued', 'partially_paid') AND n.amount_due_vnd > n.amount_paid_vnd)
            """).ToListAsync(ct);
        long applied = 0;
        // A few pupils at a time, each group in its own transaction: nothing half-applied, no lock held long.
        foreach (var group in pupils.Chunk(100))
        {
            await using var tx = await UnitOfWork.BeginAsync(db, ct);
            applied += await ApplyCreditAsync(group, ct);
            await tx.CommitAsync(ct);
        }
        return (pupils.Count, applied);
    }

    /// <summary>
    /// Locks every pupil a change will touch before it writes, all in one order, so two changes reaching the same pupils
    /// wait in turn instead of deadlocking: who they are is read, locked, and read again until no one new appears (only a
    /// change committed meanwhile can add someone, who is then locked after the others).
    /// </summary>
    private async Task LockPupilsAsync(Func<Task<IEnumerable<Guid>>> who, CancellationToken ct)
    {
        var locked = new HashSet<Guid>();
        while ((await who()).Where(id => !locked.Contains(id)).Distinct().ToArray() is { Length: > 0 } more)
        {
            await LockStudentsAsync(more, ct);
            locked.UnionWith(more);
        }
    }

    private async Task LockStudentsAsync(Guid[] ids, CancellationToken ct) =>
        await db.Database.SqlQuery<Guid>($"SELECT id AS \"Value\" FROM students WHERE id = ANY({ids}) ORDER BY id FOR UPDATE").ToListAsync(ct);

    private async Task<List<OpenLineRow>> OpenLinesAsync(Guid[] studentIds, CancellationToken ct) =>
        await db.Database.SqlQuery<OpenLineRow>($"""
            SELECT l.id AS "LineId", n.id AS "NoticeId", n.student_id AS "StudentId", n.school_id AS "SchoolId", n.period_key AS "PeriodKey",
                   n.notice_no AS "NoticeNo", l.line_no AS "LineNo", l.item_code AS "ItemCode", l.item_name AS "ItemName",
                   l.amount_vnd - COALESCE((SELECT SUM(a.amount_vnd) FROM allocations a WHERE a.notice_line_id = l.id), 0) AS "OutstandingVnd"
            FROM notices n JOIN notice_lines l ON l.notice_id = n.id
            WHERE n.student_id = ANY({studentIds}) AND n.status IN ('issued', 'partially_paid')
            """).ToListAsync(ct);

    /// <summary>The money a pupil holds at a school (paid and not on any notice, nor refunded).</summary>

    private async Task<List<SourceRow>> CreditSourcesAsync(Guid[] studentIds, CancellationToken ct) =>
        await db.Database.SqlQuery<SourceRow>($"""
            SELECT p.id AS "PaymentId", p.student_id AS "StudentId", p.school_id AS "SchoolId",
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
        // Read from the database, never from the context's memory: a notice loaded earlier in this unit of work may
        // have been paid since by the set-based write (ApplyManyAsync), and a stale copy whose amount already equals
        // the new one would be "unchanged" and not written (found by attack: pay, revert, pay, revert applied together).
        await db.SaveChangesAsync(ct);
        ForgetNotices(noticeIds);
        var notices = await db.Notices.Where(n => noticeIds.Contains(n.Id)).ToListAsync(ct);
        foreach (var n in notices)
        {
            n.AmountPaidVnd = paid.GetValueOrDefault(n.Id);
            new NoticeLifecycle(() => n.Status, s => n.Status = s, () => n.AmountPaidVnd, $"notice {n.NoticeNo}").SyncWithMoney(n.AmountDueVnd, n.AmountPaidVnd);
        }
        await db.SaveChangesAsync(ct);
        return notices;
    }

    /// <summary>Drops the context's copies of these notices, so that the next read takes them from the database.</summary>
    private void ForgetNotices(IReadOnlyCollection<Guid> noticeIds)
    {
        foreach (var entry in db.ChangeTracker.Entries<Notice>().Where(e => noticeIds.Contains(e.Entity.Id)).ToList())
            entry.State = EntityState.Detached;
    }

    private static OpenLine ToDomain(OpenLineRow r) => new(r.NoticeId, r.LineId, r.PeriodKey, r.NoticeNo, r.LineNo, r.OutstandingVnd);

    /// <summary>The notices a payment touched, as they stand after it.</summary>
    private static List<NoticePaid> Describe(List<LineAllocation> allocations, Dictionary<Guid, Notice> notices) =>
        allocations.GroupBy(a => a.NoticeId).Select(g => (Notice: notices[g.Key], Amount: g.Sum(a => a.AmountVnd)))
            .OrderBy(x => x.Notice.PeriodKey).ThenBy(x => x.Notice.NoticeNo, StringComparer.Ordinal)
            .Select(x => new NoticePaid(x.Notice.NoticeNo, x.Amount, x.Notice.AmountDueVnd - x.Notice.AmountPaidVnd, x.Notice.Status.ToWire())).ToList();

    private async Task<PaymentResult> DescribeExistingAsync(Payment p, CancellationToken ct)
    {
        var receipt = await (from r in db.Receipts join s in db.ReceiptSeries on r.SeriesId equals s.Id
                             join sc in db.Schools on s.SchoolId equals sc.Id
                             where r.PaymentId == p.Id
                             where r.ReplacesReceiptId == null
                             orderby r.Number
                             select new { sc.Code, s.Template, s.Series, r.Number }).ToListAsync(ct);
        var allocated = await db.Allocations.Where(a => a.PaymentId == p.Id).SumAsync(a => a.AmountVnd, ct);
        return new PaymentResult(p.Id, string.Join(", ", receipt.Select(x => Reference(x.Code, x.Template, x.Series, x.Number))), p.AmountVnd, [], p.AmountVnd - allocated);
    }
}
