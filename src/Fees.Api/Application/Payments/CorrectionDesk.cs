using Microsoft.EntityFrameworkCore;
using Npgsql;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;

namespace TdmEdu.Fees.Api.Application.Payments;

/// <summary>
/// Corrections asked for on the screens: a cash payment reversed (the money handed back), a receipt replaced by a new
/// number, a pupil's credit refunded. The school's accountant asks with a reason; up to the authority's limit it is
/// done at once, above it the request waits for the school's principal, who approves (and it is done then, in the
/// same transaction as the approval) or rejects. Every request stays as the record of who asked, who decided and why.
/// </summary>
public sealed class CorrectionDesk(FeesDb db, BusinessClock clock, Actor actor)
{
    public const string Reverse = "reverse_payment", Replace = "replace_receipt", Refund = "refund_credit";
    public const string Pending = "pending", Done = "done", Rejected = "rejected";
    public const int MaxReasonLength = 500;

    /// <summary>A receipt of the school: reverse its (cash) payment or replace it.</summary>
    public async Task<CorrectionRequest> AskForReceiptAsync(string schoolCode, string kind, Guid receiptId, string reason, CancellationToken ct)
    {
        if (kind is not (Reverse or Replace)) throw new ArgumentOutOfRangeException(nameof(kind), kind, "A receipt is reversed or replaced.");
        var why = Reason(reason);
        await using var tx = await UnitOfWork.BeginAsync(db, ct);
        var school = await SchoolAsync(schoolCode, ct);
        var receipt = await db.Receipts.AsNoTracking().SingleOrDefaultAsync(r => r.Id == receiptId && r.SchoolId == school.Id, ct)
            ?? throw new BadInputException("receipt", null, null, "the school has no such receipt.", "trường không có biên lai này.");
        if (!ReceiptStates.IsLive(receipt.Status)) throw new BusinessRuleException("The receipt is already cancelled.", "Biên lai này đã bị huỷ.");
        var payment = await db.Payments.AsNoTracking().SingleAsync(p => p.Id == receipt.PaymentId, ct);
        // Bank money is in the bank: undoing it here would make it vanish from the books. It is moved from the review queue.
        if (kind == Reverse && payment.Method != PaymentMethods.Cash)
            throw new BusinessRuleException("Only a cash payment is reversed here; a bank payment is moved or undone from the review queue.",
                "Chỉ huỷ được khoản thu tiền mặt ở đây; khoản chuyển khoản được chuyển hoặc hoàn tác ở trang đối soát.");
        var request = New(school.Id, kind, why, payment.AmountVnd);
        request.ReceiptId = receipt.Id;
        return await FileAsync(request, school, tx, ct);
    }

    /// <summary>Part or all of a pupil's credit at this school, paid back in cash or by transfer.</summary>
    public async Task<CorrectionRequest> AskForRefundAsync(string schoolCode, Guid studentId, long amountVnd, string method, string reason, CancellationToken ct)
    {
        var why = Reason(reason);
        if (amountVnd <= 0 || amountVnd > Files.Values.MaxAmountVnd)
            throw new BadInputException("amount", null, null, "a refund is a whole number of đồng above 0.", "số tiền hoàn là số đồng lớn hơn 0.");
        if (method is not (PaymentMethods.Cash or PaymentMethods.Bank))
            throw new BadInputException("method", null, null, "a refund is paid in cash or by bank transfer.", "tiền hoàn trả bằng tiền mặt hoặc chuyển khoản.");
        await using var tx = await UnitOfWork.BeginAsync(db, ct);
        var school = await SchoolAsync(schoolCode, ct);
        // The pupil must have had money at this school: a pupil of another school is not found here.
        if (!await db.Payments.AnyAsync(p => p.StudentId == studentId && p.SchoolId == school.Id, ct))
            throw new BadInputException("student", null, null, "the pupil holds no money at this school.", "học sinh không có tiền tại trường này.");
        var request = New(school.Id, Refund, why, amountVnd);
        request.StudentId = studentId;
        request.RefundMethod = method;
        return await FileAsync(request, school, tx, ct);
    }

    /// <summary>The principal's decision on a pending request of the school: approved is done now, rejected stays undone.</summary>
    public async Task<CorrectionRequest> DecideAsync(string schoolCode, Guid requestId, bool approve, string? note, CancellationToken ct)
    {
        await using var tx = await UnitOfWork.BeginAsync(db, ct);
        var school = await SchoolAsync(schoolCode, ct);
        var request = await db.CorrectionRequests.FromSql($"SELECT * FROM correction_requests WHERE id = {requestId} AND school_id = {school.Id} FOR UPDATE")
            .SingleOrDefaultAsync(ct) ?? throw new BadInputException("request", null, null, "the school has no such request.", "trường không có đề nghị này.");
        if (request.Status != Pending)
            throw new BusinessRuleException("The request was already decided.", "Đề nghị này đã được quyết định.");
        request.DecidedBy = actor.Name;
        request.DecidedAt = clock.Now;
        request.DecisionNote = string.IsNullOrWhiteSpace(note) ? null : note.Trim()[..Math.Min(note.Trim().Length, MaxReasonLength)];
        if (approve)
        {
            request.Result = await CarryOutAsync(request, school.Code, ct);
            request.Status = Done;
        }
        else request.Status = Rejected;
        AuditLog.Record(db, clock, actor, approve ? "corrections.approve" : "corrections.reject", "correction_request", request.Id.ToString(),
            new { kind = request.Kind, amount_vnd = request.AmountVnd, note = request.DecisionNote });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return request;
    }

    private CorrectionRequest New(Guid schoolId, string kind, string reason, long amountVnd) => new()
    {
        Id = Guid.CreateVersion7(), SchoolId = schoolId, Kind = kind, AmountVnd = amountVnd, Reason = reason,
        RequestedBy = actor.Name, RequestedAt = clock.Now, Status = Pending,
    };

    private async Task<CorrectionRequest> FileAsync(CorrectionRequest request, School school, UnitOfWork tx, CancellationToken ct)
    {
        var limit = await db.Authorities.AsNoTracking().Where(a => a.Id == school.AuthorityId).Select(a => a.CorrectionApprovalLimitVnd).SingleAsync(ct);
        db.CorrectionRequests.Add(request);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            throw new BusinessRuleException("The same correction is already waiting for the principal.", "Đề nghị này đang chờ hiệu trưởng duyệt.");
        }
        // Refunds to one pupil count together over 30 days: splitting one large refund into small ones still needs the
        // principal. Counted by when the money went back, whichever way (this desk, a leave paid back in cash, the CLI).
        var alreadyRefunded = 0L;
        if (request.Kind == Refund && request.StudentId is { } pupil)
        {
            await db.Database.ExecuteSqlInterpolatedAsync($"SELECT 1 FROM students WHERE id = {pupil} FOR UPDATE", ct);
            var since = clock.Now.AddDays(-30);
            alreadyRefunded = await (from r in db.Refunds.AsNoTracking()
                                     join p in db.Payments.AsNoTracking() on r.PaymentId equals p.Id
                                     where p.StudentId == pupil && p.SchoolId == request.SchoolId && r.At >= since
                                     select r.AmountVnd).SumAsync(ct);
        }
        if (request.AmountVnd + alreadyRefunded <= limit)
        {
            // Within the authority's limit the accountant's word is enough: done now, in the same transaction.
            request.Result = await CarryOutAsync(request, school.Code, ct);
            request.Status = Done;
            request.DecidedBy = actor.Name;
            request.DecidedAt = clock.Now;
        }
        AuditLog.Record(db, clock, actor, "corrections.ask", "correction_request", request.Id.ToString(),
            new { kind = request.Kind, amount_vnd = request.AmountVnd, status = request.Status, limit_vnd = limit, refunded_30_days_vnd = alreadyRefunded });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return request;
    }

    /// <summary>The correction itself, by the ledger's usual linked entries; returns what it made.</summary>
    private async Task<string> CarryOutAsync(CorrectionRequest r, string schoolCode, CancellationToken ct)
    {
        var ledger = new Ledger(db, clock, actor);
        var why = $"{r.Reason} (đề nghị của {r.RequestedBy})";
        switch (r.Kind)
        {
            case Reverse:
                return (await ledger.ReversePaymentAsync(await ReferenceAsync(r.ReceiptId!.Value, schoolCode, ct), why, ct)).Id.ToString();
            case Replace:
                return await ledger.CancelReceiptAsync(await ReferenceAsync(r.ReceiptId!.Value, schoolCode, ct), why, ct);
            default:
                var code = await db.Students.AsNoTracking().Where(s => s.Id == r.StudentId).Select(s => s.StudentCode).SingleAsync(ct);
                var left = await ledger.RefundCreditAsync(code, r.AmountVnd, why, ct, r.RefundMethod ?? PaymentMethods.Cash, r.SchoolId, r.Id);
                return left.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    private async Task<string> ReferenceAsync(Guid receiptId, string schoolCode, CancellationToken ct)
    {
        var r = await (from x in db.Receipts.AsNoTracking()
                       join s in db.ReceiptSeries on x.SeriesId equals s.Id
                       where x.Id == receiptId
                       select new { s.Template, s.Series, x.Number }).SingleAsync(ct);
        return Ledger.Reference(schoolCode, r.Template, r.Series, r.Number);
    }

    private async Task<School> SchoolAsync(string code, CancellationToken ct) =>
        await db.Schools.AsNoTracking().SingleOrDefaultAsync(s => s.Code == code.ToUpperInvariant(), ct)
        ?? throw new BadInputException("school", null, null, $"there is no school {code}.", $"không có trường {code}.");

    private static string Reason(string? reason)
    {
        var why = (reason ?? "").Trim();
        if (why.Length == 0) throw new BadInputException("reason", null, null, "say why.", "hãy ghi lý do.");
        if (why.Length > MaxReasonLength)
            throw new BadInputException("reason", null, null, $"the reason is at most {MaxReasonLength} characters.", $"lý do tối đa {MaxReasonLength} ký tự.");
        return why;
    }
}
