using Microsoft.EntityFrameworkCore;

namespace TdmEdu.Fees.Api.Persistence.Mapping;

/// <summary>Absences per pupil and month, and the append-only refunds they put on later notices.</summary>
internal static class AttendanceMapping
{
    public static void Map(ModelBuilder b)
    {
        b.Entity<AttendanceMonth>(e =>
        {
            e.ToTable("attendance_months", t => t.HasCheckConstraint("ck_attendance_days",
                "absent_with_notice BETWEEN 0 AND 31 AND absent_without_notice BETWEEN 0 AND 31 AND absent_with_notice + absent_without_notice <= 31"));
            // One row per pupil and month: an import or the grid replaces it.
            e.HasIndex(x => new { x.StudentId, x.PeriodKey }).IsUnique();
            e.HasIndex(x => new { x.SchoolId, x.PeriodKey });
            // Billing reads only what is still to settle.
            e.HasIndex(x => x.StudentId).HasFilter("NOT settled").HasDatabaseName("ix_attendance_months_unsettled");
            e.HasOne<School>().WithMany().HasForeignKey(x => x.SchoolId);
            e.HasOne<Student>().WithMany().HasForeignKey(x => x.StudentId);
        });
        b.Entity<AbsenceRefundRow>(e =>
        {
            e.ToTable("absence_refunds", t => t.HasCheckConstraint("ck_absence_refunds_amount", "amount_vnd <> 0"));
            e.HasIndex(x => new { x.StudentId, x.PeriodKey, x.ItemCode });
            e.HasIndex(x => x.NoticeLineId);
            e.HasOne<School>().WithMany().HasForeignKey(x => x.SchoolId);
            e.HasOne<Student>().WithMany().HasForeignKey(x => x.StudentId);
            e.HasOne<Notice>().WithMany().HasForeignKey(x => x.NoticeId);
            e.HasOne<NoticeLine>().WithMany().HasForeignKey(x => x.NoticeLineId);
        });
    }
}
