using Microsoft.EntityFrameworkCore;

namespace TdmEdu.Fees.Api.Persistence.Mapping;

/// <summary>Students, their reductions and their transfers between schools.</summary>
internal static class StudentsMapping
{
    public static void Map(ModelBuilder b)
    {
        b.Entity<Student>(e =>
        {
            e.ToTable("students");
            e.HasIndex(x => x.StudentCode).IsUnique();
            e.HasIndex(x => x.PaymentCode).IsUnique();
            e.HasIndex(x => x.SchoolId);
            e.HasOne<School>().WithMany().HasForeignKey(x => x.SchoolId);
            e.HasOne<SchoolClass>().WithMany().HasForeignKey(x => x.ClassId);
            e.HasOne<Guardian>().WithMany().HasForeignKey(x => x.GuardianId);
            e.HasMany(x => x.Policies).WithOne().HasForeignKey(x => x.StudentId);
        });
        b.Entity<StudentPolicy>(e =>
        {
            e.ToTable("student_policies");
            e.HasKey(x => new { x.StudentId, x.PolicyCode });
        });
        b.Entity<StudentClassMove>(e =>
        {
            e.ToTable("student_class_moves");
            e.HasOne<Student>().WithMany().HasForeignKey(x => x.StudentId);
            e.HasIndex(x => new { x.StudentId, x.On });
            e.Property(x => x.FromClass).HasMaxLength(100);
            e.Property(x => x.ToClass).HasMaxLength(100);
            e.Property(x => x.Actor).HasMaxLength(300);
        });
        b.Entity<StudentTransfer>(e =>
        {
            e.ToTable("student_transfers");
            e.HasOne<Student>().WithMany().HasForeignKey(x => x.StudentId);
            e.HasOne<School>().WithMany().HasForeignKey(x => x.FromSchoolId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<School>().WithMany().HasForeignKey(x => x.ToSchoolId).OnDelete(DeleteBehavior.Restrict);
            e.Property(x => x.Actor).HasMaxLength(300);
            e.Property(x => x.Reason).HasMaxLength(500);
            // The administrator's page lists the latest transfers first.
            e.HasIndex(x => x.At);
        });
    }
}
