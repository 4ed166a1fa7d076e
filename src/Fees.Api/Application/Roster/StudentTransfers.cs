using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Domain.Notices;
using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Api.Application.Roster;

/// <summary>What a pupil still owes the school they leave: those notices stay that school's, to be paid to it.</summary>
public sealed record OpenAtSchool(int Notices, long BalanceVnd);

/// <summary>A pupil as the administrator's transfer form shows them, with what is open at their current school.</summary>
public sealed record TransferCandidate(string StudentCode, string FullName, string SchoolCode, string SchoolName, string ClassName, OpenAtSchool Open);

public sealed record TransferDone(string StudentCode, string FromSchool, string ToSchool, string ClassName, OpenAtSchool LeftAtFrom, DateOnly? LastDayAtFrom = null)
{
    public Said Said => Moved + MonthNote;

    // A pupil holds one notice a month: the old school's for the month they left in stands, so the new school bills from the next.
    private Said MonthNote => LastDayAtFrom is not { } last || last.AddDays(1).Day == 1 ? new Said("", "")
        : new Said($" The days of {last.Month:D2}/{last.Year} after {last:dd/MM/yyyy} are not billed: a pupil holds one notice a month, and {FromSchool}'s stands; {ToSchool} bills from {last.AddMonths(1).Month:D2}/{last.AddMonths(1).Year}.",
            $" Những ngày của tháng {last.Month:D2}/{last.Year} sau ngày {last:dd/MM/yyyy} không thu: mỗi tháng học sinh có một thông báo, và thông báo của trường {FromSchool} vẫn giữ; trường {ToSchool} thu từ tháng {last.AddMonths(1).Month:D2}/{last.AddMonths(1).Year}.");

    private Said Moved => LeftAtFrom.Notices == 0
        ? new Said($"Student {StudentCode} moved from {FromSchool} to {ToSchool}, class {ClassName}; nothing was open at {FromSchool}.",
            $"Đã chuyển học sinh {StudentCode} từ trường {FromSchool} sang trường {ToSchool}, lớp {ClassName}; không còn khoản nào chưa nộp ở trường {FromSchool}.")
        : new Said($"Student {StudentCode} moved from {FromSchool} to {ToSchool}, class {ClassName}. {LeftAtFrom.Notices} notice(s) with {Files.Values.Money(LeftAtFrom.BalanceVnd)} still to pay stay with {FromSchool}: they are paid to {FromSchool}'s accounts; new notices come from {ToSchool}.",
            $"Đã chuyển học sinh {StudentCode} từ trường {FromSchool} sang trường {ToSchool}, lớp {ClassName}. {LeftAtFrom.Notices} thông báo còn {Files.Values.Money(LeftAtFrom.BalanceVnd)} chưa nộp vẫn thuộc trường {FromSchool} và được nộp vào tài khoản của trường {FromSchool}; các thông báo mới do trường {ToSchool} lập.");
}

public sealed record TransferEntry(DateTimeOffset At, string StudentCode, string FromSchool, string ToSchool, string Actor, string Reason);

/// <summary>
/// The one way a pupil changes school (docs/decisions, "transfers"): the administrator's command and page, and the administrator-wide
/// roster import, all record here who moved the pupil, when, from where, to where and why. The pupil keeps the
/// payment code and the history; notices stay with the school that issued them, open or not, and are paid to it.
/// A school's own upload never moves a pupil (StudentImport refuses the row).
/// </summary>
public sealed class StudentTransfers(FeesDb db, BusinessClock clock, Actor actor)
{
    public const int MaxReasonLength = 500;

    /// <summary>Moves the pupil; <c>seenFromSchool</c> is the school the administrator's form showed: if the pupil moved since, nothing is done.</summary>
    public async Task<TransferDone> TransferAsync(string studentCode, string toSchoolCode, string? className, string reason, CancellationToken ct = default,
        string? seenFromSchool = null)
    {
        var why = (reason ?? "").Trim().Normalize(System.Text.NormalizationForm.FormC);
        if (why.Length == 0)
            throw new BadInputException("--reason", null, null, "say why the pupil changes school.", "hãy ghi lý do chuyển trường.");
        if (why.Length > MaxReasonLength)
            throw new BadInputException("--reason", null, null, $"is longer than {MaxReasonLength} characters.", $"dài quá {MaxReasonLength} ký tự.");
        if (why.Any(char.IsControl))
            throw new BadInputException("--reason", null, null, "holds a control character; write the reason as plain text.", "có ký tự điều khiển; hãy ghi lý do bằng chữ thường.");
        var code = (studentCode ?? "").Trim();
        var toCode = (toSchoolCode ?? "").Trim().ToUpperInvariant();

        if (!IsCode(code))
            throw new BadInputException("--student", null, null, $"\"{code}\" is not a student code (letters and digits, at most 20).",
                $"\"{code}\" không phải là mã học sinh (chữ và số, tối đa 20 ký tự).");
        if (!IsCode(toCode))
            throw new BadInputException("--to", null, null, $"\"{toCode}\" is not a school code.", $"\"{toCode}\" không phải là mã trường.");

        await using var tx = await UnitOfWork.BeginAsync(db, ct);
        var id = await db.Students.AsNoTracking().Where(s => s.StudentCode == code).Select(s => (Guid?)s.Id).SingleOrDefaultAsync(ct)
            ?? throw new BadInputException("--student", null, null, $"there is no student {code}.", $"không có học sinh {code}.");
        // The pupil's row is locked as the ledger locks it: a payment being applied finishes before the pupil moves.
        await db.Database.SqlQuery<Guid>($"SELECT id AS \"Value\" FROM students WHERE id = {id} FOR UPDATE").ToListAsync(ct);
        var student = await db.Students.SingleAsync(s => s.Id == id, ct);
        var to = await db.Schools.AsNoTracking().SingleOrDefaultAsync(s => s.Code == toCode, ct)
            ?? throw new BadInputException("--to", null, null, $"there is no school {toCode}.", $"không có trường {toCode}.");
        var from = await db.Schools.AsNoTracking().SingleAsync(s => s.Id == student.SchoolId, ct);
        if (seenFromSchool is not null && !string.Equals(seenFromSchool, from.Code, StringComparison.OrdinalIgnoreCase))
            throw new BusinessRuleException($"Student {code} changed school since the form was opened (now at {from.Code}); nothing was done. Look the pupil up again.",
                $"Học sinh {code} đã đổi trường sau khi mở trang (nay thuộc trường {from.Code}); chưa thực hiện gì. Hãy tìm lại học sinh.");
        if (from.Id == to.Id)
            throw new BusinessRuleException($"Student {code} is already at school {to.Code}.", $"Học sinh {code} đã thuộc trường {to.Code}.");

        var wanted = className?.Trim() is { Length: > 0 } named ? named
            : await db.Classes.AsNoTracking().Where(c => c.Id == student.ClassId).Select(c => c.Name).SingleAsync(ct);
        // A class is matched, not made: a mistyped name must not open a class of one pupil at the new school.
        var classes = await db.Classes.AsNoTracking().Where(c => c.SchoolId == to.Id).ToListAsync(ct);
        var cls = classes.FirstOrDefault(c => c.Name == wanted) ?? classes.FirstOrDefault(c => string.Equals(c.Name, wanted, StringComparison.OrdinalIgnoreCase))
            ?? throw new BadInputException("--class", null, null,
                $"school {to.Code} has no class {wanted}; name one of its classes{(classes.Count == 0 ? "" : $" ({string.Join(", ", classes.Select(c => c.Name).Order(StringComparer.Ordinal).Take(40))})")}.",
                $"trường {to.Code} không có lớp {wanted}; hãy chọn một lớp của trường{(classes.Count == 0 ? "" : $" ({string.Join(", ", classes.Select(c => c.Name).Order(StringComparer.Ordinal).Take(40))})")}.");

        if (await NotYetAsync(student.Id, from.Id, from.Code, student.LeftOn, ct) is { } notYet)
            throw new BusinessRuleException($"Student {code} cannot move to {to.Code} yet: {notYet.En} Nothing was done.",
                $"Chưa chuyển được học sinh {code} sang trường {to.Code}: {notYet.Vi} Chưa thực hiện gì.");
        var open = await OpenAtAsync(student.Id, from.Id, ct);
        student.SchoolId = to.Id;
        student.ClassId = cls.Id;
        // The class decides the grade the schedule bills.
        student.Grade = cls.Grade;
        var wasLeft = Rejoin(student);
        Record(student.Id, (from.Id, from.Code), (to.Id, to.Code), why, open, wasLeft);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        // The note on the transfer month holds only when the old school's notice of it stands.
        var heldThere = wasLeft is { } l && await db.Notices.AsNoTracking().AnyAsync(n => n.StudentId == student.Id && n.SchoolId == from.Id
            && n.PeriodKey == BillingMonth.Of(l).Key && n.Status != NoticeStatus.Cancelled && n.Status != NoticeStatus.Refunded, ct);
        return new TransferDone(code, from.Code, to.Code, cls.Name, open, heldThere ? wasLeft : null);
    }

    /// <summary>
    /// Records a move its caller makes in the same unit of work (the roster import moves the pupil with the row's
    /// other fields): the transfer row and the audit entry. The audit entry holds codes and amounts; the reason
    /// stays in the transfer row, where only the administrator reads it.
    /// </summary>
    public void Record(Guid studentId, (Guid Id, string Code) from, (Guid Id, string Code) to, string reason, OpenAtSchool? leftAtFrom = null, DateOnly? wasLeftOn = null)
    {
        var row = new StudentTransfer
        {
            Id = Guid.CreateVersion7(), StudentId = studentId, FromSchoolId = from.Id, ToSchoolId = to.Id, At = clock.Now,
            Actor = actor.Name, Reason = reason.Length > MaxReasonLength ? reason[..MaxReasonLength] : reason,
        };
        db.StudentTransfers.Add(row);
        AuditLog.Record(db, clock, actor, "students.transfer", "student", studentId.ToString(), new
        {
            transfer_id = row.Id, from = from.Code, to = to.Code,
            open_notices_at_from = leftAtFrom?.Notices, open_balance_at_from_vnd = leftAtFrom?.BalanceVnd, left_old_school_on = wasLeftOn,
        });
    }

    /// <summary>
    /// A pupil who left their old school and now attends the new one is no leaver there: the leaving day is cleared and
    /// the new school bills from the day after it (not before the pupil enrolled). Says the day cleared, if any.
    /// </summary>
    public static DateOnly? Rejoin(Student student)
    {
        if (student.LeftOn is not { } left) return null;
        if (student.EnrolledOn is not { } enrolled || enrolled <= left) student.EnrolledOn = left.AddDays(1);
        student.LeftOn = null;
        return left;
    }

    /// <summary>
    /// Why the pupil cannot move yet, or null. Only the old school's notices give back what it billed, so a move must not
    /// leave money waiting there for ever (found by attack): absences it billed and has not given back wait for its own
    /// next notice, so its leaving day comes first (`students leave` gives them back); and a leaving day in a month it
    /// bills but has not billed yet is billed there by its days before the pupil goes.
    /// </summary>
    public async Task<Said?> NotYetAsync(Guid studentId, Guid fromSchoolId, string fromCode, DateOnly? leftOn, CancellationToken ct)
    {
        if (leftOn is not { } left)
        {
            var waiting = await db.Database.SqlQuery<int>($"""
                SELECT a.period_key AS "Value" FROM attendance_months a
                WHERE a.student_id = {studentId} AND a.school_id = {fromSchoolId} AND NOT a.settled
                  AND EXISTS (SELECT 1 FROM notices n WHERE n.student_id = a.student_id AND n.school_id = a.school_id AND n.period_key = a.period_key
                              AND n.status NOT IN ('cancelled', 'refunded'))
                ORDER BY 1 LIMIT 1
                """).ToListAsync(ct);
            if (waiting.Count == 0) return null;
            var m = BillingMonth.FromKey(waiting[0]);
            return new Said($"the days absent in {m.Month:D2}/{m.Year} at {fromCode} are not given back yet; record the pupil's last day there first (fees students leave), which gives them back.",
                $"tiền những ngày nghỉ tháng {m.Month:D2}/{m.Year} ở trường {fromCode} chưa được hoàn; hãy ghi ngày nghỉ học ở trường đó trước (trang Học sinh nghỉ học), việc đó sẽ hoàn lại.");
        }
        var last = BillingMonth.Of(left);
        var schedule = await ScheduleStore.LoadAsync(db, SchoolYear.Containing(last), ct);
        if (schedule is null || !schedule.BillsMonth(last.Month)) return null;
        if (await db.Notices.AsNoTracking().AnyAsync(n => n.SchoolId == fromSchoolId && n.PeriodKey == last.Key, ct)) return null;
        if (await db.BillingPeriods.AsNoTracking().AnyAsync(p => p.SchoolId == fromSchoolId && p.PeriodKey == last.Key && p.ClosedAt != null, ct)) return null;
        return new Said($"{fromCode} bills {last.Month:D2}/{last.Year} by the days up to the pupil's last day there ({left:dd/MM/yyyy}) and has not billed that month yet; run its billing for the month first, then move the pupil.",
            $"trường {fromCode} thu tháng {last.Month:D2}/{last.Year} theo số ngày học đến ngày nghỉ ({left:dd/MM/yyyy}) mà chưa lập thông báo tháng đó; hãy lập thông báo tháng đó trước, rồi mới chuyển trường.");
    }

    /// <summary>The pupil's notices at a school that still wait for money.</summary>
    public async Task<OpenAtSchool> OpenAtAsync(Guid studentId, Guid schoolId, CancellationToken ct = default)
    {
        var open = await db.Notices.AsNoTracking()
            .Where(n => n.StudentId == studentId && n.SchoolId == schoolId && (n.Status == NoticeStatus.Issued || n.Status == NoticeStatus.PartiallyPaid))
            .Select(n => n.AmountDueVnd - n.AmountPaidVnd).ToListAsync(ct);
        return new OpenAtSchool(open.Count, open.Sum());
    }

    public async Task<TransferCandidate?> FindAsync(string studentCode, CancellationToken ct = default)
    {
        var code = (studentCode ?? "").Trim();
        if (!IsCode(code)) return null;
        var s = await (from st in db.Students.AsNoTracking()
                       join c in db.Classes.AsNoTracking() on st.ClassId equals c.Id
                       join sc in db.Schools.AsNoTracking() on st.SchoolId equals sc.Id
                       where st.StudentCode == code
                       select new { st.Id, st.StudentCode, st.FullName, st.SchoolId, sc.Code, sc.Name, Class = c.Name }).SingleOrDefaultAsync(ct);
        return s is null ? null : new TransferCandidate(s.StudentCode, s.FullName, s.Code, s.Name, s.Class, await OpenAtAsync(s.Id, s.SchoolId, ct));
    }

    // Codes are letters and digits (as the roster import takes them); anything else is no code, and never reaches a query.
    private static bool IsCode(string text) => text.Length is > 0 and <= 20 && text.All(char.IsAsciiLetterOrDigit);

    public async Task<List<TransferEntry>> RecentAsync(int count, CancellationToken ct = default) =>
        await (from t in db.StudentTransfers.AsNoTracking()
               join s in db.Students.AsNoTracking() on t.StudentId equals s.Id
               join f in db.Schools.AsNoTracking() on t.FromSchoolId equals f.Id
               join to in db.Schools.AsNoTracking() on t.ToSchoolId equals to.Id
               orderby t.At descending, t.Id descending
               select new TransferEntry(t.At, s.StudentCode, f.Code, to.Code, t.Actor, t.Reason)).Take(count).ToListAsync(ct);
}
