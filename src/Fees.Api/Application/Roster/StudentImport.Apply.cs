using TdmEdu.Fees.Api.Common;
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
}
