using System.ComponentModel.DataAnnotations;
using TdmEdu.Fees.Domain.Notices;

namespace TdmEdu.Fees.Api.Persistence;

public sealed class BillingPeriodRow
{
    public Guid Id { get; set; }
    public Guid SchoolId { get; set; }
    public int PeriodKey { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    public string? ClosedBy { get; set; }
    [Timestamp] public uint Version { get; set; }
}

public sealed class BillingRun
{
    public Guid Id { get; set; }
    public int PeriodKey { get; set; }
    public string? SchoolCode { get; set; }
    public DateTimeOffset At { get; set; }
    public int NoticesCreated { get; set; }
    public long AmountDueVnd { get; set; }
    public string Actor { get; set; } = "";
}

public sealed class Notice
{
    public Guid Id { get; set; }
    public string NoticeNo { get; set; } = "";
    public Guid StudentId { get; set; }
    public Guid SchoolId { get; set; }
    public string ClassName { get; set; } = "";
    public int PeriodKey { get; set; }
    public DateOnly DueDate { get; set; }
    public long AmountDueVnd { get; set; }
    public long AmountPaidVnd { get; set; }
    public NoticeStatus Status { get; set; }
    public Guid BillingRunId { get; set; }
    public DateTimeOffset IssuedAt { get; set; }
    /// <summary>The first day the notice was found overdue (by the daily job); kept once set, for ageing and reminders.</summary>
    public DateOnly? OverdueSince { get; set; }
    /// <summary>Withdrawn by a pupil's leave (not by the accountant): a leave moved or undone bills that month again.</summary>
    public bool WithdrawnByLeave { get; set; }
    public List<NoticeLine> Lines { get; set; } = [];
    [Timestamp] public uint Version { get; set; }
}

public sealed class NoticeLine
{
    public Guid Id { get; set; }
    public Guid NoticeId { get; set; }
    public int LineNo { get; set; }
    public string ItemCode { get; set; } = "";
    public string ItemName { get; set; } = "";
    public string Kind { get; set; } = "";
    public int Quantity { get; set; }
    public long UnitPriceVnd { get; set; }
    public long GrossVnd { get; set; }
    public int ReductionPercent { get; set; }
    public string? ReductionPolicy { get; set; }
    public long AmountVnd { get; set; }
    /// <summary>What earlier months' attendance took off this line (negative: added back); see absence_refunds.</summary>
    public long AdjustVnd { get; set; }
    public int AdjustDays { get; set; }
    /// <summary>The item's legal basis when the notice was issued.</summary>
    public string? LegalBasis { get; set; }
    /// <summary>The document of the reduction that applied (notices show it, never the ground).</summary>
    public string? ReductionBasis { get; set; }
    /// <summary>What the state pays in the family's place (the school claims it from the budget), the support and its document.</summary>
    public long SupportVnd { get; set; }
    public string? SupportCode { get; set; }
    public string? SupportBasis { get; set; }
    /// <summary>
    /// The support's terms when the line was billed (the schedule may change later): a percent of what was left, or an
    /// amount a month for the notice; at most so many months a school year; the pupil's evidence (sensitive: the claim only).
    /// </summary>
    public int SupportPercent { get; set; }
    public long? SupportMonthVnd { get; set; }
    public int? SupportMaxMonths { get; set; }
    public string? SupportEvidence { get; set; }
    /// <summary>For a month the pupil was in for only part of: the item's rule (days, half) and the school days in of the month's.</summary>
    public string? PartMonth { get; set; }
    public int? DaysIn { get; set; }
    public int? DaysOf { get; set; }
}
