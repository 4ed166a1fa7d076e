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
        b.Entity<PolicyGroupRow>(e =>
        {
            e.ToTable("policy_groups");
            e.HasIndex(x => new { x.ScheduleId, x.Code }).IsUnique();
        });
    }
}
