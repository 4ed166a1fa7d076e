namespace TdmEdu.Fees.Api.Persistence;

/// <summary>
/// A pupil's absences in one month, as the school last recorded them (a file or the class grid). The days are
/// kept when they are known (a day file or the grid), else only the counts. A change after billing is never an
/// edit of a notice: <see cref="Settled"/> goes back to false and the next notice carries the difference.
/// </summary>
public sealed class AttendanceMonth
{
    public Guid Id { get; set; }
    public Guid SchoolId { get; set; }
    public Guid StudentId { get; set; }
    public int PeriodKey { get; set; }
    public int AbsentWithNotice { get; set; }
    public int AbsentWithoutNotice { get; set; }
    public int[]? DaysWithNotice { get; set; }
    public int[]? DaysWithoutNotice { get; set; }
    /// <summary>True once notices carry every đồng these absences give back.</summary>
    public bool Settled { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
    public string Actor { get; set; } = "";
    public string Source { get; set; } = "";
    [System.ComponentModel.DataAnnotations.Timestamp] public uint Version { get; set; }
}

/// <summary>
/// Money an earlier month's absences took off (positive) or put back on (negative) a line of a later notice,
/// append-only. The refund due for a month less the sum of these rows is what is still to come.
/// </summary>
public sealed class AbsenceRefundRow
{
    public Guid Id { get; set; }
    public Guid SchoolId { get; set; }
    public Guid StudentId { get; set; }
    /// <summary>The month of the absences.</summary>
    public int PeriodKey { get; set; }
    public string ItemCode { get; set; } = "";
    public int Days { get; set; }
    public long AmountVnd { get; set; }
    /// <summary>
    /// The state's share of the days not eaten, when the month's line was partly paid by the state: not the family's to
    /// get back, it comes off the school's claim for that month (docs/contracts/support.md).
    /// </summary>
    public long StateVnd { get; set; }
    public Guid NoticeId { get; set; }
    public Guid NoticeLineId { get; set; }
    public int FromDay { get; set; }
    public bool WithoutNotice { get; set; }
    public DateTimeOffset At { get; set; }
}
