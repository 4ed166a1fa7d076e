namespace TdmEdu.Fees.Api.Persistence;

public sealed class ScheduleRow
{
    public Guid Id { get; set; }
    public int StartYear { get; set; }
    public int[] Months { get; set; } = [];
    public int DueDay { get; set; }
    public DateTimeOffset ImportedAt { get; set; }
    public List<FeeItemRow> Items { get; set; } = [];
    public List<PolicyGroupRow> Policies { get; set; } = [];
}

public sealed class FeeItemRow
{
    public Guid Id { get; set; }
    public Guid ScheduleId { get; set; }
    public int Position { get; set; }
    public string Code { get; set; } = "";
    public string Name { get; set; } = "";
    public string Kind { get; set; } = "";
    public string Unit { get; set; } = "";
    public long AmountVnd { get; set; }
    public bool Reducible { get; set; }
    public string? LegalBasis { get; set; }
    public string[] ScopeSchools { get; set; } = [];
    public string[] ScopeLevels { get; set; } = [];
    public int[] ScopeGrades { get; set; } = [];
    public string[] ScopeClasses { get; set; } = [];
    /// <summary>School days per month number, as "9:18,10:22"; only for items priced per day.</summary>
    public string SchoolDays { get; set; } = "";
    public int[] OnceMonths { get; set; } = [];
    /// <summary>For a per-day item: days absent with notice are given back from this day of absence on; null gives nothing back.</summary>
    public int? RefundFromDay { get; set; }
    public bool RefundWithoutNotice { get; set; }
    /// <summary>The kind of item the city's ceilings name it by (fee_ceilings.code); null: its own code.</summary>
    public string? CeilingCode { get; set; }
    /// <summary>Prices from a month on, as "202601:35000,202603:36000"; empty when the year's price holds all year.</summary>
    public string PriceChanges { get; set; } = "";
    /// <summary>How a month the pupil is in for only part of is billed: full, days or half (PartMonthRule).</summary>
    public string PartMonth { get; set; } = "full";
    /// <summary>False once a re-import drops the item; issued notices keep their copied lines.</summary>
    public bool Active { get; set; } = true;
}

public sealed class PolicyGroupRow
{
    public Guid Id { get; set; }
    public Guid ScheduleId { get; set; }
    public int Position { get; set; }
    public string Code { get; set; } = "";
    public string Name { get; set; } = "";
    public int Percent { get; set; }
    public string[] Items { get; set; } = [];
    public string? LegalBasis { get; set; }
    public bool Active { get; set; } = true;
    /// <summary>"reduction" or "support" (<see cref="Domain.Schedule.PolicyKind"/>); a support's amount a month, or its percent, and its month cap.</summary>
    public string Kind { get; set; } = "reduction";
    public long? SupportVnd { get; set; }
    public int? MaxMonths { get; set; }
}

/// <summary>The city's ceiling for one kind of item in a school year, per area type, level ('' for every level) and unit.</summary>
public sealed class FeeCeilingRow
{
    public Guid Id { get; set; }
    public int StartYear { get; set; }
    public string Code { get; set; } = "";
    public string Name { get; set; } = "";
    public string Area { get; set; } = "";
    public string Level { get; set; } = "";
    public string Unit { get; set; } = "";
    public long MaxAmountVnd { get; set; }
    public int? MaxRisePercent { get; set; }
    public string LegalBasis { get; set; } = "";
    public DateTimeOffset ImportedAt { get; set; }
}
