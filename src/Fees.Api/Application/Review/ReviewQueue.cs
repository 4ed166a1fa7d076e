using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Application.Matching;
using TdmEdu.Fees.Api.Application.Payments;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Reconciliation.Credits;
using TdmEdu.Fees.Reconciliation.Matching;

namespace TdmEdu.Fees.Api.Application.Review;

/// <summary>A subject with a decision in force: what was decided, for whom, why and by whom.</summary>
public sealed record DecidedItem(string Id, string Bank, DateOnly BookingDate, long AmountVnd, string Content, Guid DecisionId, string Action,
    string Students, bool MovedMoney, string Reason, string Actor, DateTimeOffset At);

public sealed record QueueItem(string Id, string Bank, DateOnly BookingDate, long AmountVnd, string Content, string Outcome, string Reason, string Suggestions,
    string Kind = "line", bool Credit = true, string? ReasonVi = null);

/// <summary>
/// Everything that waits for a person, and the decisions on it: statement lines the matcher would not apply, money
/// parked from a bank call, and bank calls that need attention (a reversal not applied, a call that failed, a flagged
/// one). Confirm (pay a pupil), reassign (move money to another pupil), split (over several pupils), ignore (not a
/// fee, returned, or seen and settled), undo (the last decision, by a linked reversal). Every decision has a reason
/// and is kept; money moves only through <see cref="BankCredits"/> and the ledger.
/// </summary>
public sealed partial class ReviewQueue(FeesDb db, BusinessClock clock, Actor actor)
{
    private ReviewSubjects Subjects => new(db);

    /// <summary>The queue of every school, or of the school whose accounts received the money.</summary>
    public async Task<List<QueueItem>> ListAsync(string? schoolCode = null, CancellationToken ct = default) =>
        (await Subjects.WaitingAsync(schoolCode, ct)).Select(s => new QueueItem(s.ShortId, s.Bank, s.Date, s.AmountVnd, s.Content, s.Outcome, s.Reason,
            s.Suggestions, s.Kind.ToString().ToLowerInvariant(), s.Credit, s.ReasonVi)).ToList();

    /// <summary>The subject a decision is about, read again under a lock on it for the caller's transaction: two decisions on
    /// one line (a double click, two tabs, two clerks) take turns, and the second sees the first's instead of paying again.</summary>
    private async Task<Subject> FindLockedAsync(string id, CancellationToken ct)
    {
        var first = await Subjects.FindAsync(id, ct);
        await ReviewLock.TakeAsync(db, first.Id, ct);
        return await Subjects.FindAsync(id, ct);
    }

    /// <summary>Whether the subject (as `review list` names it) came to an account of this school.</summary>
    public async Task<bool> BelongsToAsync(string id, string schoolCode, CancellationToken ct = default)
    {
        var s = await Subjects.FindAsync(id, ct);
        return await db.BankAccounts.AnyAsync(a => a.Id == s.AccountId && db.Schools.Any(sc => sc.Id == a.SchoolId && sc.Code == schoolCode), ct);
    }

    public async Task<Said> ConfirmAsync(string id, string? studentCode, string reason, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(reason)) throw NoReason();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var s = await FindLockedAsync(id, ct);
        MayPay(s, id);
        if (s.AutoPaymentId is not null || s.Outcome is "duplicate")
            throw new BusinessRuleException($"Line {id} was already applied ({s.Outcome}); use `review reassign` to move it.",
                $"Giao dịch {id} đã được ghi nhận tự động; hãy dùng \"chuyển sang học sinh khác\" nếu cần.");
        if (await CurrentAsync(s.Id, ct) is { } current) throw AlreadyDecided(id, current);
        var student = await StudentAsync(studentCode ?? SingleSuggestion(s.Suggestions, id), s, ct);
        var payments = await PayAsync(s, [(student, s.AmountVnd)], reason, ct);
        return await DecideAsync(s, "confirm", student.Id, payments[0].Id, null, null, reason,
            new($"{Noun(s)} {id}: {Money(s.AmountVnd)} paid for student {student.StudentCode}.", $"{NounVi(s)} {id}: {Money(s.AmountVnd)} đã ghi nhận cho học sinh {student.StudentCode} ({student.FullName})."), tx, ct);
    }

    public async Task<Said> ReassignAsync(string id, string studentCode, string reason, CancellationToken ct = default, Guid? seenDecision = null)
    {
        if (string.IsNullOrWhiteSpace(reason)) throw NoReason();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var s = await FindLockedAsync(id, ct);
        MayPay(s, id);
        var current = await CurrentAsync(s.Id, ct);
        Unchanged(id, current, seenDecision);
        var paymentId = current?.PaymentId ?? (current is null ? s.AutoPaymentId : null);
        if (paymentId is { } held && await TakenBackAsync([held], ct)) throw TakenBack(s, id);
        if (paymentId is null) throw new BusinessRuleException($"{Noun(s)} {id} moved no money; use `review confirm` instead.",
            $"{NounVi(s)} {id} chưa ghi nhận cho ai; hãy dùng \"xác nhận cho học sinh\".");
        if (current?.Parts is not null) throw new BusinessRuleException($"{Noun(s)} {id} was split; undo the split first.",
            $"{NounVi(s)} {id} đã được chia cho nhiều học sinh; hãy hoàn tác việc chia trước.");
        var student = await StudentAsync(studentCode, s, ct);
        await new Ledger(db, clock, actor).ReverseBankPaymentAsync(paymentId.Value, reason, null, ct);
        var payments = await PayAsync(s, [(student, s.AmountVnd)], reason, ct);
        return await DecideAsync(s, "reassign", student.Id, payments[0].Id, null, null, reason,
            new($"{Noun(s)} {id}: the payment is reversed and {Money(s.AmountVnd)} now pays for student {student.StudentCode}.",
                $"{NounVi(s)} {id}: khoản đã ghi được đảo lại và {Money(s.AmountVnd)} nay ghi nhận cho học sinh {student.StudentCode} ({student.FullName})."), tx, ct);
    }

    /// <summary>Spreads money that moved nothing over several pupils, an amount each; the amounts add up to the whole.</summary>
    public async Task<Said> SplitAsync(string id, IReadOnlyList<(string Student, long AmountVnd)> parts, string reason, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(reason)) throw NoReason();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var s = await FindLockedAsync(id, ct);
        MayPay(s, id);
        if (s.AutoPaymentId is not null || s.Outcome is "duplicate")
            throw new BusinessRuleException($"Line {id} was already applied ({s.Outcome}); undo or reassign it instead of splitting it.",
                $"Giao dịch {id} đã được ghi nhận; hãy hoàn tác hoặc chuyển nó thay vì chia.");
        if (await CurrentAsync(s.Id, ct) is { } current) throw AlreadyDecided(id, current);
        CheckParts(parts, s.AmountVnd);
        var students = new List<Student>();
        foreach (var p in parts) students.Add(await StudentAsync(p.Student, s, ct));
        if (students.Select(x => x.Id).Distinct().Count() != students.Count)
            throw new BadInputException("--to", null, null, "a student appears twice; give each student one part.", "một học sinh có hai phần; mỗi học sinh một phần.");
        var payments = await PayAsync(s, students.Select((x, k) => (x, parts[k].AmountVnd)).ToList(), reason, ct);
        var partsJson = JsonSerializer.Serialize(payments.Select(p => new { student_id = p.StudentId, amount_vnd = p.AmountVnd, payment_id = p.Id }));
        var over = string.Join(", ", students.Select((x, k) => $"{x.StudentCode} ({Money(parts[k].AmountVnd)})"));
        return await DecideAsync(s, "split", null, payments[0].Id, null, partsJson, reason,
            new($"{Noun(s)} {id}: {Money(s.AmountVnd)} split over {over}.", $"{NounVi(s)} {id}: {Money(s.AmountVnd)} đã chia cho {over}."), tx, ct);
    }

    /// <summary>Not a fee (a line), returned to the payer (parked money), or seen and settled (a bank call needing attention).</summary>
    public async Task<Said> IgnoreAsync(string id, string reason, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(reason)) throw NoReason();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var s = await FindLockedAsync(id, ct);
        var current = await CurrentAsync(s.Id, ct);
        if (s.AutoPaymentId is not null && current is null || current is { PaymentId: not null })
            throw new BusinessRuleException($"{Noun(s)} {id} moved money; undo or reassign it instead of ignoring it.",
                $"{NounVi(s)} {id} đã được ghi nhận cho học sinh; hãy hoàn tác hoặc chuyển nó.");
        if (current is not null) throw AlreadyDecided(id, current);
        if (s.Kind == SubjectKind.Call && !await Subjects.IsWaitingAsync(s, ct))
            throw new BusinessRuleException($"Bank call {id} needs no decision.", $"Giao dịch ngân hàng {id} không cần xử lý.");
        var said = s.Kind switch
        {
            SubjectKind.Line => new Said($"Line {id} is marked as not a fee payment.", $"Giao dịch {id} đã đánh dấu không phải khoản thu."),
            SubjectKind.Parked => new Said($"Money {id} is marked as returned or not a fee payment.", $"Khoản tiền {id} đã đánh dấu trả lại hoặc không phải khoản thu."),
            _ => new Said($"Bank call {id} is marked as seen and settled.", $"Giao dịch ngân hàng {id} đã đánh dấu đã xem và xử lý xong."),
        };
        return await DecideAsync(s, "ignore", null, null, null, null, reason, said, tx, ct);
    }

    public async Task<Said> UndoAsync(string id, string reason, CancellationToken ct = default, Guid? seenDecision = null)
    {
        if (string.IsNullOrWhiteSpace(reason)) throw NoReason();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var s = await FindLockedAsync(id, ct);
        var current = await CurrentAsync(s.Id, ct);
        Unchanged(id, current, seenDecision);
        if (current is null) throw new BusinessRuleException($"{Noun(s)} {id} has no decision to undo.", $"{NounVi(s)} {id} chưa có quyết định nào để hoàn tác.");
        var paid = PaymentsOf(current);
        if (ParkedTakenBack(s) || await TakenBackAsync(paid, ct))
            throw TakenBack(s, id);
        foreach (var pid in paid) await new Ledger(db, clock, actor).ReverseBankPaymentAsync(pid, reason, null, ct);
        return await DecideAsync(s, "undo", null, null, current.Id, null, reason,
            new($"{Noun(s)} {id}: the {current.Action} is undone; it waits for review again.", $"{NounVi(s)} {id}: đã hoàn tác ({ActionVi(current.Action)}); mục này chờ quyết định lại."), tx, ct);
    }

    /// <summary>The decision in force on a subject, if any (used by <see cref="BankCredits"/> for parked money).</summary>
    private async Task<Said> DecideAsync(Subject s, string action, Guid? student, Guid? payment, Guid? undoes, string? parts, string reason, Said message,
        Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction tx, CancellationToken ct)
    {
        var d = new ReviewDecision
        {
            Id = Guid.CreateVersion7(), Action = action, StudentId = student, PaymentId = payment, UndoesDecisionId = undoes, Parts = parts,
            Reason = reason, Actor = actor.Name, At = clock.Now,
            StatementLineId = s.Kind == SubjectKind.Line ? s.Id : null, ParkedId = s.Kind == SubjectKind.Parked ? s.Id : null, InboxId = s.Kind == SubjectKind.Call ? s.Id : null,
        };
        db.ReviewDecisions.Add(d);
        AuditLog.Record(db, clock, actor, "review." + action, s.Kind switch { SubjectKind.Line => "statement_line", SubjectKind.Parked => "parked_money", _ => "bank_call" },
            s.Id.ToString(), new { decision = d.Id, payment, undoes, reason });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return message;
    }

    /// <summary>Only credits pay pupils: not a debit line, not a bank call that needs attention, not money the bank took back.</summary>
    private static void MayPay(Subject s, string id)
    {
        if (s.Kind == SubjectKind.Call)
            throw new BusinessRuleException($"Bank call {id} moved no money that could pay a pupil; mark it as seen with `review ignore` once it is settled.",
                $"Giao dịch ngân hàng {id} không mang khoản tiền nào để ghi cho học sinh; hãy đánh dấu đã xử lý khi xong.");
        if (!s.Credit)
            throw new BusinessRuleException($"Line {id} is money taken out of the account (a debit or a reversal); it cannot pay a pupil.",
                $"Giao dịch {id} là tiền ra khỏi tài khoản (ghi nợ hoặc đảo giao dịch); không thể ghi nhận cho học sinh.");
        if (ParkedTakenBack(s))
            throw new BusinessRuleException($"The bank took back money {id}; it cannot pay a pupil.", $"Ngân hàng đã thu hồi khoản tiền {id}; không thể ghi nhận cho học sinh.");
    }

    /// <summary>
    /// A person's decision pays through the same rule as the matcher's: the pupils must be of the school whose account
    /// received the money, and the bank reference must not have moved money by another channel already.
    /// </summary>
    private async Task<List<Payment>> PayAsync(Subject s, IReadOnlyList<(Student Student, long AmountVnd)> parts, string reason, CancellationToken ct)
    {
        var account = await db.BankAccounts.AsNoTracking().SingleAsync(a => a.Id == s.AccountId, ct);
        var (reference, channel, source) = s.Kind == SubjectKind.Line
            ? (s.Line!.BankRef, BankRefClaims.Statement, s.Line.Id) : (s.Call!.BankRef, BankRefClaims.Notification, s.Call.Id);
        if (parts.FirstOrDefault(p => p.Student.SchoolId != account.SchoolId) is { Student: not null } other)
            throw new BusinessRuleException($"Student {other.Student.StudentCode} is not a pupil of the school whose account received this money; a school's money pays its own pupils.",
                $"Học sinh {other.Student.StudentCode} không học ở trường nhận khoản tiền này; tiền của trường chỉ ghi cho học sinh của trường.");
        var claim = await new BankCredits(db, clock, actor).ClaimAsync(account.Id, reference, channel, source, ct);
        var match = new MatchDecision(MatchOutcome.Matched,
            parts.Select(p => new StudentFacts(p.Student.Id, p.Student.PaymentCode, "", "", 0, p.Student.SchoolId != account.SchoolId)).ToList(), [],
            new Words($"decided by {actor.Name}", $"do {actor.Name} quyết định"));
        var decision = CreditPolicy.Decide(new CreditFacts(s.AmountVnd, claim.State, match, BankRef: reference, HolderAmountVnd: claim.HolderAmountVnd, ByPerson: true));
        if (decision.Action != CreditAction.Apply)
            throw new BusinessRuleException($"The credit {reference} cannot be paid again: {decision.Reason}.",
                $"Khoản có {reference} đã được ghi nhận từ kênh khác của ngân hàng; ghi thêm sẽ tính tiền hai lần.");
        // Each decision that moves money has its own key, so money can be moved more than once, each time after a reversal.
        var n = await db.ReviewDecisions.CountAsync(d => d.StatementLineId == s.Id || d.ParkedId == s.Id, ct);
        var (paymentSource, key, inboxId) = s.Kind == SubjectKind.Line
            ? (BankCredits.StatementSource(s.Bank), s.Id.ToString(), (Guid?)null) : (s.Call!.Bank, s.Call.IdempotencyKey, (Guid?)s.Call.Id);
        var payments = parts.Select((p, k) => BankCredits.NewPayment(account, p.Student.Id, p.AmountVnd, paymentSource,
            parts.Count == 1 ? $"{key}#review{n + 1}" : $"{key}#review{n + 1}.{k + 1}", actor.Name, clock.Now, inboxId, reason)).ToList();
        await new Ledger(db, clock, actor).RecordBankManyAsync(payments.Select(p => new BankCredit(p, [p.StudentId])).ToList(), ct);
        return payments;
    }

    /// <summary>The decision in force: the latest one not undone (undo decisions themselves are not in force).</summary>
    private Task<ReviewDecision?> CurrentAsync(Guid subjectId, CancellationToken ct) => DecisionsInForce.OfAsync(db, subjectId, ct);

    /// <summary>Whether a payment of the decision was already reversed: the bank took the money back after it was decided.</summary>
    private async Task<bool> TakenBackAsync(List<Guid> payments, CancellationToken ct) => (await ReversedAmongAsync(payments, ct)).Count > 0;

    /// <summary>Those of the payments that are reversed.</summary>
    private async Task<HashSet<Guid>> ReversedAmongAsync(List<Guid> payments, CancellationToken ct) =>
        (await db.Payments.AsNoTracking().Where(r => r.ReversesPaymentId != null && payments.Contains(r.ReversesPaymentId.Value))
            .Select(r => r.ReversesPaymentId!.Value).ToListAsync(ct)).ToHashSet();

    /// <summary>Parked money the bank took back (by a call or a statement line).</summary>
    private static bool ParkedTakenBack(Subject s) => s.Parked is { } p && (p.ReversedByInboxId is not null || p.ReversedByStatementLineId is not null);

    private static BusinessRuleException TakenBack(Subject s, string id) =>
        new($"The bank took back the money of {Noun(s).ToLowerInvariant()} {id} after it was decided; there is nothing left to undo or move.",
            $"Ngân hàng đã thu hồi khoản tiền của {NounVi(s).ToLowerInvariant()} {id} sau khi đã xử lý; không còn gì để hoàn tác hay chuyển.");

    private static string Noun(Subject s) => s.Kind switch { SubjectKind.Line => "Line", SubjectKind.Parked => "Money", _ => "Bank call" };

    private static string NounVi(Subject s) => s.Kind switch { SubjectKind.Line => "Giao dịch", SubjectKind.Parked => "Khoản tiền", _ => "Giao dịch ngân hàng" };

    /// <summary>
    /// A pupil of the school whose account received the money, by student or payment code. A pupil of another school is
    /// answered exactly like a code nobody holds: a review form must not turn a payment code into another school's data.
    /// </summary>
    private async Task<Student> StudentAsync(string code, Subject s, CancellationToken ct)
    {
        var school = await db.BankAccounts.AsNoTracking().Where(a => a.Id == s.AccountId).Select(a => a.SchoolId).SingleAsync(ct);
        var typed = code.Trim();
        return await db.Students.AsNoTracking()
                   .SingleOrDefaultAsync(x => x.SchoolId == school && (x.StudentCode == typed || x.PaymentCode == typed.ToUpperInvariant()), ct)
               ?? throw new BusinessRuleException(
                   $"There is no pupil {typed} at the school whose account received this money (give the student code or the payment code); a school's money pays its own pupils.",
                   $"Không có học sinh {typed} ở trường nhận khoản tiền này (nhập mã học sinh hoặc mã thanh toán); tiền của trường chỉ ghi cho học sinh của trường.");
    }

    private static string SingleSuggestion(string suggestions, string id)
    {
        var codes = SuggestionJson.Read(suggestions).Select(s => s.PaymentCode).Distinct().ToList();
        return codes.Count == 1 ? codes[0] : throw new BadInputException("--student", null, null, $"line {id} has {codes.Count} suggestions; name the student.",
            $"giao dịch {id} có {codes.Count} gợi ý; hãy nhập mã học sinh.");
    }

    private static BadInputException NoReason() => new("--reason", null, null, "say why.", "hãy ghi lý do.");

    private static BusinessRuleException AlreadyDecided(string id, ReviewDecision current) =>
        new($"Line {id} already has a decision ({current.Action}); undo it first.",
            $"Giao dịch {id} đã có quyết định ({ActionVi(current.Action)}); hãy hoàn tác trước.");

    /// <summary>A page shows the decision in force when it was drawn; if another user decided since, nothing is done.</summary>
    private static void Unchanged(string id, ReviewDecision? current, Guid? seen)
    {
        if (seen is { } s && current?.Id != (s == Guid.Empty ? null : s))
            throw new BusinessRuleException($"Line {id} was decided by someone else since the page was opened; look at it again.",
                $"Giao dịch {id} vừa được người khác xử lý sau khi trang này được mở; hãy xem lại.");
    }

    public static string ActionVi(string action) => action switch
    {
        "confirm" => "xác nhận cho học sinh", "reassign" => "chuyển sang học sinh khác", "split" => "chia cho nhiều học sinh",
        "ignore" => "không phải khoản thu", "undo" => "hoàn tác", _ => action,
    };

    private static string Money(long v) => Files.Values.Money(v);
}
