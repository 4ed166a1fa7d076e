using System.Globalization;
using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Persistence;

namespace TdmEdu.Fees.Api.Application;

/// <summary>A line with a decision in force: what was decided, for whom, why and by whom.</summary>
public sealed record DecidedItem(string Id, string Bank, DateOnly BookingDate, long AmountVnd, string Content, Guid DecisionId, string Action,
    string Students, bool MovedMoney, string Reason, string Actor, DateTimeOffset At);

public sealed record QueueItem(string Id, string Bank, DateOnly BookingDate, long AmountVnd, string Content, string Outcome, string Reason, string Suggestions);

/// <summary>
/// The lines the matcher would not apply, and an accountant's decisions on them: confirm (pay a student),
/// reassign (move an applied line to another student), split (the money over several students, an amount
/// each), ignore (not a fee payment), undo (the last decision, by a linked reversal). Every decision has a reason and is kept; money moves only through the ledger.
/// </summary>
public sealed class ReviewQueue(FeesDb db, BusinessClock clock, Actor actor)
{
    /// <summary>The queue of every school, or of the school whose accounts received the lines.</summary>
    public async Task<List<QueueItem>> ListAsync(string? schoolCode = null, CancellationToken ct = default)
    {
        var rows = await (from l in db.StatementLines.AsNoTracking()
                          join r in db.Reconciliations.AsNoTracking() on l.Id equals r.StatementLineId
                          join a in db.BankAccounts.AsNoTracking() on l.AccountId equals a.Id
                          join sc in db.Schools.AsNoTracking() on a.SchoolId equals sc.Id
                          where (r.Outcome == "suggested" || r.Outcome == "unmatched") && (schoolCode == null || sc.Code == schoolCode)
                          orderby l.BookingDate, l.FileLine
                          select new { l.Id, l.Bank, l.BookingDate, l.AmountVnd, l.Content, r.Outcome, r.Reason, r.Suggestions }).ToListAsync(ct);
        var active = (await ActiveDecisionsAsync(rows.Select(r => r.Id).ToList(), ct)).Keys.ToHashSet();
        return rows.Where(r => !active.Contains(r.Id))
            .Select(r => new QueueItem(Short(r.Id), r.Bank, r.BookingDate, r.AmountVnd, r.Content, r.Outcome, r.Reason, r.Suggestions)).ToList();
    }

    /// <summary>The school's lines with a decision in force, latest first: what the page offers to undo or move.</summary>
    public async Task<List<DecidedItem>> DecidedAsync(string schoolCode, int take = 100, CancellationToken ct = default)
    {
        var lines = await (from d in db.ReviewDecisions.AsNoTracking()
                           join l in db.StatementLines.AsNoTracking() on d.StatementLineId equals l.Id
                           join a in db.BankAccounts.AsNoTracking() on l.AccountId equals a.Id
                           join sc in db.Schools.AsNoTracking() on a.SchoolId equals sc.Id
                           where sc.Code == schoolCode
                           select new { l.Id, l.Bank, l.BookingDate, l.AmountVnd, l.Content }).Distinct().ToListAsync(ct);
        var active = await ActiveDecisionsAsync(lines.Select(l => l.Id).ToList(), ct);
        var studentIds = active.Values.SelectMany(d => d.Parts is { } parts
            ? System.Text.Json.JsonDocument.Parse(parts).RootElement.EnumerateArray().Select(e => e.GetProperty("student_id").GetGuid()).ToList()
            : d.StudentId is { } one ? [one] : new List<Guid>()).Distinct().ToList();
        var codes = await db.Students.AsNoTracking().Where(s => studentIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.StudentCode, ct);
        string StudentsOf(ReviewDecision d) => d.Parts is { } parts
            ? string.Join(", ", System.Text.Json.JsonDocument.Parse(parts).RootElement.EnumerateArray()
                .Select(e => $"{codes.GetValueOrDefault(e.GetProperty("student_id").GetGuid())} ({Money(e.GetProperty("amount_vnd").GetInt64())})"))
            : d.StudentId is { } one ? codes.GetValueOrDefault(one, "") : "";
        return lines.Where(l => active.ContainsKey(l.Id)).Select(l => (l, d: active[l.Id])).OrderByDescending(x => x.d.At).Take(take)
            .Select(x => new DecidedItem(Short(x.l.Id), x.l.Bank, x.l.BookingDate, x.l.AmountVnd, x.l.Content, x.d.Id, x.d.Action, StudentsOf(x.d),
                x.d.PaymentId is not null, x.d.Reason, x.d.Actor, x.d.At)).ToList();
    }

    /// <summary>Whether the line (as `review list` names it) came to an account of this school.</summary>
    public async Task<bool> BelongsToAsync(string id, string schoolCode, CancellationToken ct = default)
    {
        var (line, _) = await FindAsync(id, ct);
        return await db.BankAccounts.AnyAsync(a => a.Id == line.AccountId && db.Schools.Any(s => s.Id == a.SchoolId && s.Code == schoolCode), ct);
    }

    public async Task<Said> ConfirmAsync(string id, string? studentCode, string reason, CancellationToken ct = default)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var (line, rec) = await FindAsync(id, ct);
        if (rec.PaymentId is not null || rec.Outcome is "duplicate")
            throw new BusinessRuleException($"Line {id} was already applied ({rec.Outcome}); use `review reassign` to move it.",
                $"Giao dịch {id} đã được ghi nhận tự động; hãy dùng \"chuyển sang học sinh khác\" nếu cần.");
        if (await CurrentAsync(line.Id, ct) is { } current) throw AlreadyDecided(id, current);
        var student = await StudentAsync(studentCode ?? SingleSuggestion(rec, id), ct);
        var payment = await PayAsync(line, student, reason, ct);
        return await DecideAsync(line, "confirm", student.Id, payment.Id, null, reason,
            new($"Line {id}: {Money(line.AmountVnd)} paid for student {student.StudentCode}.", $"Giao dịch {id}: {Money(line.AmountVnd)} đã ghi nhận cho học sinh {student.StudentCode}."), tx, ct);
    }

    public async Task<Said> ReassignAsync(string id, string studentCode, string reason, CancellationToken ct = default, Guid? seenDecision = null)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var (line, rec) = await FindAsync(id, ct);
        var current = await CurrentAsync(line.Id, ct);
        Unchanged(id, current, seenDecision);
        var paymentId = current?.PaymentId ?? (current is null ? rec.PaymentId : null);
        if (paymentId is null) throw new BusinessRuleException($"Line {id} moved no money; use `review confirm` instead.",
            $"Giao dịch {id} chưa ghi nhận cho ai; hãy dùng \"xác nhận cho học sinh\".");
        if (current?.Parts is not null) throw new BusinessRuleException($"Line {id} was split; undo the split first.",
            $"Giao dịch {id} đã được chia cho nhiều học sinh; hãy hoàn tác việc chia trước.");
        var old = await db.Payments.AsNoTracking().SingleAsync(p => p.Id == paymentId, ct);
        await new Ledger(db, clock, actor).ReverseBankPaymentAsync(old.Source, old.ExternalRef, null, ct);
        var student = await StudentAsync(studentCode, ct);
        var payment = await PayAsync(line, student, reason, ct);
        return await DecideAsync(line, "reassign", student.Id, payment.Id, null, reason,
            new($"Line {id}: the payment is reversed and {Money(line.AmountVnd)} now pays for student {student.StudentCode}.",
                $"Giao dịch {id}: khoản đã ghi được đảo lại và {Money(line.AmountVnd)} nay ghi nhận cho học sinh {student.StudentCode}."), tx, ct);
    }

    /// <summary>Spreads an unapplied line over several students, an amount each; the amounts add up to the line's.</summary>
    public async Task<Said> SplitAsync(string id, IReadOnlyList<(string Student, long AmountVnd)> parts, string reason, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(reason)) throw NoReason();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var (line, rec) = await FindAsync(id, ct);
        if (rec.PaymentId is not null || rec.Outcome is "duplicate")
            throw new BusinessRuleException($"Line {id} was already applied ({rec.Outcome}); undo or reassign it instead of splitting it.",
                $"Giao dịch {id} đã được ghi nhận; hãy hoàn tác hoặc chuyển nó thay vì chia.");
        if (await CurrentAsync(line.Id, ct) is { } current) throw AlreadyDecided(id, current);
        if (parts.Count < 2) throw new BadInputException("--to", null, null, "a split names at least two students, like --to 7900000001=500000,7900000002=371800.",
            "chia cho ít nhất hai học sinh.");
        if (parts.Any(p => p.AmountVnd <= 0)) throw new BadInputException("--to", null, null, "every part is a whole number of đồng above 0.",
            "mỗi phần là một số đồng lớn hơn 0.");
        var total = parts.Sum(p => p.AmountVnd);
        if (total != line.AmountVnd)
            throw new BadInputException("--to", null, null, $"the parts add up to {Money(total)} but the line brought {Money(line.AmountVnd)}; every đồng goes to exactly one student.",
                $"các phần cộng lại được {Money(total)} nhưng giao dịch là {Money(line.AmountVnd)}; mỗi đồng phải về đúng một học sinh.");
        var students = new List<Student>();
        foreach (var p in parts) students.Add(await StudentAsync(p.Student, ct));
        if (students.Select(s => s.Id).Distinct().Count() != students.Count)
            throw new BadInputException("--to", null, null, "a student appears twice; give each student one part.", "một học sinh có hai phần; mỗi học sinh một phần.");

        var account = await ClaimAsync(line, students, ct);
        var n = await db.ReviewDecisions.CountAsync(d => d.StatementLineId == line.Id, ct);
        var credits = students.Select((s, k) => new BankCredit(new Payment
        {
            Id = Guid.CreateVersion7(), SchoolId = account.SchoolId, StudentId = s.Id, Method = PaymentMethods.Bank, AmountVnd = parts[k].AmountVnd,
            ReceivedAt = clock.Now, Source = "STMT-" + line.Bank, ExternalRef = $"{line.Id}#review{n + 1}.{k + 1}", Actor = actor.Name, Reason = reason,
        }, [s.Id])).ToList();
        await new Ledger(db, clock, actor).RecordBankManyAsync(credits, ct);
        var d = new ReviewDecision
        {
            Id = Guid.CreateVersion7(), StatementLineId = line.Id, Action = "split", PaymentId = credits[0].Payment.Id, Reason = reason, Actor = actor.Name, At = clock.Now,
            Parts = System.Text.Json.JsonSerializer.Serialize(credits.Select(c => new { student_id = c.Payment.StudentId, amount_vnd = c.Payment.AmountVnd, payment_id = c.Payment.Id })),
        };
        db.ReviewDecisions.Add(d);
        AuditLog.Record(db, clock, actor, "review.split", "statement_line", line.Id.ToString(), new { decision = d.Id, parts = parts.Count, reason });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        var over = string.Join(", ", students.Select((s, k) => $"{s.StudentCode} ({Money(parts[k].AmountVnd)})"));
        return new($"Line {id}: {Money(line.AmountVnd)} split over {over}.", $"Giao dịch {id}: {Money(line.AmountVnd)} đã chia cho {over}.");
    }

    public async Task<Said> IgnoreAsync(string id, string reason, CancellationToken ct = default)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var (line, rec) = await FindAsync(id, ct);
        if (rec.PaymentId is not null || await CurrentAsync(line.Id, ct) is { PaymentId: not null })
            throw new BusinessRuleException($"Line {id} moved money; undo or reassign it instead of ignoring it.",
                $"Giao dịch {id} đã được ghi nhận cho học sinh; hãy hoàn tác hoặc chuyển nó.");
        if (await CurrentAsync(line.Id, ct) is { } current) throw AlreadyDecided(id, current);
        return await DecideAsync(line, "ignore", null, null, null, reason,
            new($"Line {id} is marked as not a fee payment.", $"Giao dịch {id} đã đánh dấu không phải khoản thu."), tx, ct);
    }

    public async Task<Said> UndoAsync(string id, string reason, CancellationToken ct = default, Guid? seenDecision = null)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var (line, _) = await FindAsync(id, ct);
        var current = await CurrentAsync(line.Id, ct);
        Unchanged(id, current, seenDecision);
        if (current is null) throw new BusinessRuleException($"Line {id} has no decision to undo.", $"Giao dịch {id} chưa có quyết định nào để hoàn tác.");
        var paid = current.Parts is { } parts
            ? System.Text.Json.JsonDocument.Parse(parts).RootElement.EnumerateArray().Select(e => e.GetProperty("payment_id").GetGuid()).ToList()
            : current.PaymentId is { } single ? [single] : new List<Guid>();
        foreach (var pid in paid)
        {
            var p = await db.Payments.AsNoTracking().SingleAsync(x => x.Id == pid, ct);
            await new Ledger(db, clock, actor).ReverseBankPaymentAsync(p.Source, p.ExternalRef, null, ct);
        }
        return await DecideAsync(line, "undo", null, null, current.Id, reason,
            new($"Line {id}: the {current.Action} is undone; the line waits for review again.", $"Giao dịch {id}: đã hoàn tác ({ActionVi(current.Action)}); giao dịch chờ quyết định lại."), tx, ct);
    }

    private async Task<Said> DecideAsync(StatementLineRow line, string action, Guid? student, Guid? payment, Guid? undoes, string reason, Said message,
        Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction tx, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(reason)) throw NoReason();
        var d = new ReviewDecision
        {
            Id = Guid.CreateVersion7(), StatementLineId = line.Id, Action = action, StudentId = student, PaymentId = payment, UndoesDecisionId = undoes,
            Reason = reason, Actor = actor.Name, At = clock.Now,
        };
        db.ReviewDecisions.Add(d);
        AuditLog.Record(db, clock, actor, "review." + action, "statement_line", line.Id.ToString(), new { decision = d.Id, payment, undoes, reason });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return message;
    }

    private async Task<Payment> PayAsync(StatementLineRow line, Student student, string reason, CancellationToken ct)
    {
        var account = await ClaimAsync(line, [student], ct);
        // Each decision that moves money has its own key, so a line can be moved more than once, each time after a reversal.
        var n = await db.ReviewDecisions.CountAsync(d => d.StatementLineId == line.Id, ct);
        var payment = new Payment
        {
            Id = Guid.CreateVersion7(), SchoolId = account.SchoolId, StudentId = student.Id, Method = PaymentMethods.Bank, AmountVnd = line.AmountVnd,
            ReceivedAt = clock.Now, Source = "STMT-" + line.Bank, ExternalRef = $"{line.Id}#review{n + 1}", Actor = actor.Name, Reason = reason,
        };
        await new Ledger(db, clock, actor).RecordBankAsync(payment, [student.Id], ct);
        return payment;
    }

    /// <summary>
    /// Before a line's money moves: the students must be pupils of the school whose account received it, and the
    /// line's bank reference must not have moved money by another channel already.
    /// </summary>
    private async Task<SchoolBankAccount> ClaimAsync(StatementLineRow line, IReadOnlyList<Student> students, CancellationToken ct)
    {
        var account = await db.BankAccounts.AsNoTracking().SingleAsync(a => a.Id == line.AccountId, ct);
        if (students.FirstOrDefault(s => s.SchoolId != account.SchoolId) is { } other)
            throw new BusinessRuleException($"Student {other.StudentCode} is not a pupil of the school whose account received this money; a school's money pays its own pupils.",
                $"Học sinh {other.StudentCode} không học ở trường nhận khoản tiền này; tiền của trường chỉ ghi cho học sinh của trường.");
        if (line.BankRef is { } reference
            && await BankRefClaims.ClaimAsync(db, line.AccountId, reference, BankRefClaims.Statement, line.Id, clock.Now, ct) is { } holder)
            throw new BusinessRuleException($"The credit {reference} was already applied from a bank {holder}; applying this line too would count the money twice.",
                $"Khoản có {reference} đã được ghi nhận từ kênh khác của ngân hàng; ghi thêm giao dịch này sẽ tính tiền hai lần.");
        return account;
    }

    /// <summary>The decision in force: the latest one not undone (undo decisions themselves are not in force).</summary>
    private async Task<ReviewDecision?> CurrentAsync(Guid lineId, CancellationToken ct) =>
        (await ActiveDecisionsAsync([lineId], ct)).GetValueOrDefault(lineId);

    private async Task<Dictionary<Guid, ReviewDecision>> ActiveDecisionsAsync(List<Guid> lineIds, CancellationToken ct)
    {
        var all = await db.ReviewDecisions.AsNoTracking().Where(d => lineIds.Contains(d.StatementLineId)).ToListAsync(ct);
        var undone = all.Where(d => d.UndoesDecisionId is not null).Select(d => d.UndoesDecisionId!.Value).ToHashSet();
        return all.Where(d => d.Action != "undo" && !undone.Contains(d.Id)).GroupBy(d => d.StatementLineId)
            .ToDictionary(g => g.Key, g => g.OrderBy(d => d.At).ThenBy(d => d.Id).Last());
    }

    private async Task<(StatementLineRow Line, Persistence.Reconciliation Rec)> FindAsync(string id, CancellationToken ct)
    {
        var prefix = id.Trim().ToLowerInvariant();
        if (prefix.Length < 8) throw new BadInputException("ID", null, null, "give the line id as `review list` shows it (at least its last 8 characters).",
            "mã giao dịch cần ít nhất 8 ký tự cuối.");
        var matches = await (from l in db.StatementLines join r in db.Reconciliations on l.Id equals r.StatementLineId
                             where l.Id.ToString().EndsWith(prefix) select new { l, r }).Take(2).ToListAsync(ct);
        return matches.Count switch
        {
            1 => (matches[0].l, matches[0].r),
            0 => throw new BadInputException("ID", null, null, $"no reconciled statement line has the id {id}.", $"không có giao dịch nào mã {id}."),
            _ => throw new BadInputException("ID", null, null, $"{id} names more than one line; give more characters.", $"{id} khớp nhiều giao dịch; hãy nhập thêm ký tự."),
        };
    }

    private async Task<Student> StudentAsync(string code, CancellationToken ct) =>
        await db.Students.AsNoTracking().SingleOrDefaultAsync(s => s.StudentCode == code || s.PaymentCode == code.ToUpperInvariant(), ct)
        ?? throw new BadInputException("--student", null, null, $"there is no student {code} (give the student code or the payment code).",
            $"không có học sinh {code} (nhập mã học sinh hoặc mã thanh toán).");

    private static string SingleSuggestion(Persistence.Reconciliation rec, string id)
    {
        var codes = System.Text.Json.JsonDocument.Parse(rec.Suggestions).RootElement.EnumerateArray().Select(e => e.GetProperty("payment_code").GetString()!).Distinct().ToList();
        return codes.Count == 1 ? codes[0] : throw new BadInputException("--student", null, null, $"line {id} has {codes.Count} suggestions; name the student.",
            $"giao dịch {id} có {codes.Count} gợi ý; hãy nhập mã học sinh.");
    }

    /// <summary>"STUDENT=AMOUNT" parts, separated by commas or new lines; amounts may carry thousands dots (500.000).</summary>
    public static List<(string Student, long AmountVnd)> ParseParts(string text)
    {
        var parts = new List<(string, long)>();
        foreach (var part in text.Split([',', '\n', ';'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.Split('=', StringSplitOptions.TrimEntries);
            if (eq.Length != 2 || eq[0].Length == 0
                || !long.TryParse(eq[1].Replace(".", "", StringComparison.Ordinal).Replace("₫", "", StringComparison.Ordinal).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
                throw new BadInputException("--to", null, null, $"\"{part}\" is not STUDENT=AMOUNT, like 7900000001=500000.",
                    $"\"{part}\" không đúng dạng MÃ HỌC SINH=SỐ TIỀN, ví dụ 7900000001=500.000.");
            parts.Add((eq[0], amount));
        }
        return parts;
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

    // Line ids are time-ordered (UUIDv7): lines of one import share their beginning, so the random end names them.
    private static string Short(Guid id) => id.ToString()[^12..];

    private static string Money(long v) => Files.Values.Money(v);
}
