using Microsoft.EntityFrameworkCore;

namespace TdmEdu.Fees.Api.Persistence.Mapping;

/// <summary>Fee schedules, their items and policy groups.</summary>
internal static class SchedulesMapping
{
    public static void Map(ModelBuilder b)
    {
        b.Entity<ScheduleRow>(e =>
        {
            e.ToTable("schedules");
            e.HasIndex(x => x.StartYear).IsUnique();
            e.HasMany(x => x.Items).WithOne().HasForeignKey(x => x.ScheduleId);
            e.HasMany(x => x.Policies).WithOne().HasForeignKey(x => x.ScheduleId);
        });
        b.Entity<FeeItemRow>(e =>
        {
            e.ToTable("fee_items");
            e.HasIndex(x => new { x.ScheduleId, x.Code }).IsUnique();
        });
        b.Entity<FeeCeilingRow>(e =>
        {
            e.ToTable("fee_ceilings", t => t.HasCheckConstraint("ck_fee_ceilings_values",
                "max_amount_vnd > 0 AND (max_rise_percent IS NULL OR max_rise_percent BETWEEN 0 AND 1000) AND area IN ('Ward', 'Commune')"));
            e.HasIndex(x => new { x.StartYear, x.Code, x.Area, x.Level, x.Unit }).IsUnique();
        });
        b.Entity<PolicyGroupRow>(e =>
        {
            e.ToTable("policy_groups");
            e.HasIndex(x => new { x.ScheduleId, x.Code }).IsUnique();
        });
    }
}
