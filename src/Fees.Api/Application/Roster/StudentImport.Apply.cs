using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Domain.Notices;
using TdmEdu.Fees.Domain.Schedule;
using TdmEdu.Fees.Api.Persistence;

namespace TdmEdu.Fees.Api.Application.Roster;

/// <summary>How a roster row becomes a pupil's record: what changes it, and a school's upload kept to its own pupils.</summary>
public sealed partial class StudentImport
{
    /// <summary>
    /// A school's upload names a pupil of another school: refused before anything is written, naming the line and
    /// nothing about that pupil (not the name, the birth date, nor which school), since the uploader may not see them.
    /// </summary>
    private static void RefuseOtherSchoolsPupils(IReadOnlyList<Row> rows, Dictionary<string, Student> existing, Dictionary<string, Guid> schools, string source)
    {
        var problems = rows.Where(r => existing.TryGetValue(r.StudentCode, out var s) && s.SchoolId != schools[r.SchoolCode])
            .Select(r => new InputProblem(source, r.Line, "student_code",
                $"student {r.StudentCode} belongs to another school; a transfer is made by the administrator.",
                $"học sinh {r.StudentCode} thuộc trường khác; việc chuyển trường do quản trị viên thực hiện."))
            .ToList();
        if (problems.Count > 0) throw new BadInputException(problems);
    }

    private static void Apply(Student s, Row r, Guid schoolId, Guid classId, Guid? guardianId)
    {
        s.SchoolId = schoolId;
        s.ClassId = classId;
        s.FullName = r.FullName;
        s.DateOfBirth = r.DateOfBirth;
        s.Gender = r.Gender;
        s.Grade = r.Grade;
        s.GuardianId = guardianId;
        s.EnrolledOn = r.EnrolledOn;
        if (r.LeftColumn) s.LeftOn = r.LeftOn;
        s.OptionalItems = r.OptionalItems.ToArray();
        ApplyPolicies(s, r);
    }

    private static bool Differs(Student s, Row r, Guid schoolId, Guid classId, Guid? guardianId) =>
        s.SchoolId != schoolId || s.ClassId != classId || s.FullName != r.FullName || s.DateOfBirth != r.DateOfBirth
        || s.Gender != r.Gender || s.Grade != r.Grade || s.GuardianId != guardianId
        || s.EnrolledOn != r.EnrolledOn || (r.LeftColumn && s.LeftOn != r.LeftOn) || !s.OptionalItems.SequenceEqual(r.OptionalItems) || PoliciesDiffer(s, r);

    /// <summary>A move to another school the old school is not ready for (<see cref="StudentTransfers.NotYetAsync"/>), refused by line.</summary>
    private static async Task RefuseMovesTooEarlyAsync(IReadOnlyList<Row> rows, Dictionary<string, Student> existing, Dictionary<string, Guid> schools,
        Dictionary<Guid, string> schoolCodes, StudentTransfers transfers, string source, CancellationToken ct)
    {
        var problems = new List<InputProblem>();
        foreach (var r in rows)
            if (existing.TryGetValue(r.StudentCode, out var s) && s.SchoolId != schools[r.SchoolCode]
                && await transfers.NotYetAsync(s.Id, s.SchoolId, schoolCodes[s.SchoolId], s.LeftOn, ct) is { } notYet)
                problems.Add(new InputProblem(source, r.Line, "school_code", $"pupil {r.StudentCode} cannot move to {r.SchoolCode} yet: {notYet.En}",
                    $"chưa chuyển được học sinh {r.StudentCode} sang trường {r.SchoolCode}: {notYet.Vi}"));
        if (problems.Count > 0) throw new BadInputException(problems);
    }

    /// <summary>
    /// The roster sets a leaving day only where nothing was billed after it, and never moves or clears one already
    /// set: that is the leave page's (`students leave`), which withdraws and bills again as the day requires. A class
    /// move is never dated before the pupil's last one.
    /// </summary>
    private async Task RefuseLeavingAndMovesOutOfOrderAsync(IReadOnlyList<Row> rows, Dictionary<string, Student> existing, string source, CancellationToken ct)
    {
        var problems = new List<InputProblem>();
        var ids = rows.Where(r => existing.ContainsKey(r.StudentCode)).Select(r => existing[r.StudentCode].Id).ToArray();
        var lastMoves = await db.StudentClassMoves.AsNoTracking().Where(m => ids.Contains(m.StudentId)).GroupBy(m => m.StudentId)
            .Select(g => new { g.Key, On = g.Max(m => m.On) }).ToDictionaryAsync(x => x.Key, x => x.On, ct);
        foreach (var r in rows)
        {
            if (!existing.TryGetValue(r.StudentCode, out var s)) continue;
            if (r.LeftColumn && s.LeftOn != r.LeftOn)
            {
                if (s.LeftOn is { } was)
                    problems.Add(new InputProblem(source, r.Line, "left_on",
                        $"pupil {r.StudentCode} already left after {was:dd/MM/yyyy}; change that on the pupil's leaving page (fees students leave).",
                        $"học sinh {r.StudentCode} đã ghi nghỉ học sau ngày {was:dd/MM/yyyy}; sửa ở trang Học sinh nghỉ học."));
                else if (r.LeftOn is { } day)
                {
                    var after = BillingMonth.Of(day).Key;
                    if (await db.Notices.AnyAsync(n => n.StudentId == s.Id && n.PeriodKey > after && n.Status != NoticeStatus.Cancelled && n.Status != NoticeStatus.Refunded, ct))
                        problems.Add(new InputProblem(source, r.Line, "left_on",
                            $"pupil {r.StudentCode} has notices for months after {day:dd/MM/yyyy}; record the leaving on the pupil's leaving page (fees students leave).",
                            $"học sinh {r.StudentCode} đã có thông báo cho các tháng sau ngày {day:dd/MM/yyyy}; hãy ghi nghỉ học ở trang Học sinh nghỉ học."));
                }
            }
            if (r.ClassSince is { } since && lastMoves.TryGetValue(s.Id, out var lastMove) && since < lastMove)
                problems.Add(new InputProblem(source, r.Line, "class_since",
                    $"pupil {r.StudentCode} last changed class on {lastMove:dd/MM/yyyy}; a later move cannot start before it.",
                    $"học sinh {r.StudentCode} chuyển lớp lần gần nhất ngày {lastMove:dd/MM/yyyy}; lần chuyển sau không thể trước ngày đó."));
        }
        if (problems.Count > 0) throw new BadInputException(problems);
    }
}
