using System.ComponentModel.DataAnnotations;

namespace TdmEdu.Fees.Api.Persistence;

public sealed class Student
{
    public Guid Id { get; set; }
    public string StudentCode { get; set; } = "";
    public string PaymentCode { get; set; } = "";
    public Guid SchoolId { get; set; }
    public Guid ClassId { get; set; }
    public string FullName { get; set; } = "";
    public DateOnly DateOfBirth { get; set; }
    public string? Gender { get; set; }
    public int Grade { get; set; }
    /// <summary>The guardian the roster names (their name and contacts are in <see cref="Guardian"/>).</summary>
    public Guid? GuardianId { get; set; }
    public DateOnly? EnrolledOn { get; set; }
    /// <summary>The last day the pupil attends (nghỉ học); no month after it is billed.</summary>
    public DateOnly? LeftOn { get; set; }
    public string[] OptionalItems { get; set; } = [];
    public List<StudentPolicy> Policies { get; set; } = [];
    [Timestamp] public uint Version { get; set; }
}

public sealed class StudentPolicy
{
    public Guid StudentId { get; set; }
    public string PolicyCode { get; set; } = "";
    public DateOnly? ValidUntil { get; set; }
    /// <summary>The document that proves it (a certificate's number), for the claim to the budget; sensitive.</summary>
    public string? Evidence { get; set; }
}

/// <summary>A pupil's move to another class of the school from a day on, with the class before it (append-only).</summary>
public sealed class StudentClassMove
{
    public Guid Id { get; set; }
    public Guid StudentId { get; set; }
    /// <summary>The first day in the new class.</summary>
    public DateOnly On { get; set; }
    public int FromGrade { get; set; }
    public string FromClass { get; set; } = "";
    public int ToGrade { get; set; }
    public string ToClass { get; set; } = "";
    public DateTimeOffset At { get; set; }
    public string Actor { get; set; } = "";
}

/// <summary>A pupil's move between schools: who moved them, when, from where, to where and why (append-only).</summary>
public sealed class StudentTransfer
{
    public Guid Id { get; set; }
    public Guid StudentId { get; set; }
    public Guid FromSchoolId { get; set; }
    public Guid ToSchoolId { get; set; }
    public DateTimeOffset At { get; set; }
    /// <summary>The administrator's login or the CLI user (Actor.Name), as in the audit log.</summary>
    public string Actor { get; set; } = "";
    public string Reason { get; set; } = "";
}
