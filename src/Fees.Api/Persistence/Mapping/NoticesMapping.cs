using Microsoft.EntityFrameworkCore;

namespace TdmEdu.Fees.Api.Persistence.Mapping;

/// <summary>Billing periods and runs, notices and their lines.</summary>
internal static class NoticesMapping
{
    public static void Map(ModelBuilder b)
    {
        b.Entity<BillingPeriodRow>(e =>
        {
            e.ToTable("billing_periods");
            e.HasIndex(x => new { x.SchoolId, x.PeriodKey }).IsUnique();
            e.HasOne<School>().WithMany().HasForeignKey(x => x.SchoolId);
        });
        b.Entity<BillingRun>(e => e.ToTable("billing_runs"));
        b.Entity<Notice>(e =>
        {
            e.ToTable("notices", t =>
            {
                t.HasCheckConstraint("ck_notices_amounts", "amount_due_vnd >= 0 AND amount_paid_vnd >= 0 AND amount_paid_vnd <= amount_due_vnd");
            });
            e.HasIndex(x => x.NoticeNo).IsUnique();
            // One standing notice per student and month: the billing run's idempotency key. A withdrawn notice may be
            // followed by another for the month (a leaver's last month billed again), never by two.
            e.HasIndex(x => new { x.StudentId, x.PeriodKey }).IsUnique().HasFilter("status NOT IN ('cancelled', 'refunded')");
            e.HasIndex(x => new { x.SchoolId, x.PeriodKey });
            e.Property(x => x.Status).HasConversion(FeesDb.StatusConverter).HasMaxLength(20);
            e.HasOne<Student>().WithMany().HasForeignKey(x => x.StudentId);
            e.HasOne<School>().WithMany().HasForeignKey(x => x.SchoolId);
            e.HasOne<BillingRun>().WithMany().HasForeignKey(x => x.BillingRunId);
            e.HasMany(x => x.Lines).WithOne().HasForeignKey(x => x.NoticeId);
        });
        b.Entity<NoticeLine>(e =>
        {
            e.ToTable("notice_lines", t => t.HasCheckConstraint("ck_notice_lines_amount", "amount_vnd >= 0 AND support_vnd >= 0 AND amount_vnd + adjust_vnd + support_vnd <= gross_vnd"));
            e.HasIndex(x => new { x.NoticeId, x.LineNo }).IsUnique();
        });
    }
}
