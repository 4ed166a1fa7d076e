using Microsoft.EntityFrameworkCore;

namespace TdmEdu.Fees.Api.Persistence.Mapping;

/// <summary>Payments, their allocations, refunds and receipts: append-only entries, corrections are new linked rows.</summary>
internal static class MoneyMapping
{
    public static void Map(ModelBuilder b)
    {
        b.Entity<Payment>(e =>
        {
            e.ToTable("payments", t => t.HasCheckConstraint("ck_payments_amount", "amount_vnd <> 0"));
            e.HasIndex(x => new { x.Source, x.ExternalRef }).IsUnique();
            // A payment is reversed at most once.
            e.HasIndex(x => x.ReversesPaymentId).IsUnique();
            e.HasIndex(x => x.StudentId);
            e.HasOne<School>().WithMany().HasForeignKey(x => x.SchoolId);
            e.HasOne<Student>().WithMany().HasForeignKey(x => x.StudentId);
            e.HasOne<Payment>().WithMany().HasForeignKey(x => x.ReversesPaymentId);
            e.HasOne<Notice>().WithMany().HasForeignKey(x => x.PreferredNoticeId);
            e.HasOne<InboxMessage>().WithMany().HasForeignKey(x => x.InboxId);
        });
        b.Entity<Allocation>(e =>
        {
            e.ToTable("allocations", t => t.HasCheckConstraint("ck_allocations_amount", "amount_vnd <> 0"));
            e.HasIndex(x => x.PaymentId);
            e.HasIndex(x => x.NoticeLineId);
            e.HasIndex(x => x.NoticeId);
            // An allocation is reversed at most once.
            e.HasIndex(x => x.ReversesAllocationId).IsUnique();
            e.HasOne<Payment>().WithMany().HasForeignKey(x => x.PaymentId);
            e.HasOne<Notice>().WithMany().HasForeignKey(x => x.NoticeId);
            e.HasOne<NoticeLine>().WithMany().HasForeignKey(x => x.NoticeLineId);
            e.HasOne<Allocation>().WithMany().HasForeignKey(x => x.ReversesAllocationId);
        });
        b.Entity<Refund>(e =>
        {
            e.ToTable("refunds", t => t.HasCheckConstraint("ck_refunds_amount", "amount_vnd > 0"));
            e.HasIndex(x => x.PaymentId);
            e.HasOne<Payment>().WithMany().HasForeignKey(x => x.PaymentId);
        });
        b.Entity<ReceiptRow>(e =>
        {
            e.ToTable("receipts");
            // Gap-free numbering is kept by the series counter; uniqueness is kept here.
            e.HasIndex(x => new { x.SeriesId, x.Number }).IsUnique();
            e.HasIndex(x => x.ReplacesReceiptId).IsUnique();
            e.HasIndex(x => x.PaymentId);
            e.HasOne<ReceiptSeriesRow>().WithMany().HasForeignKey(x => x.SeriesId);
            e.HasOne<Payment>().WithMany().HasForeignKey(x => x.PaymentId);
            e.HasOne<ReceiptRow>().WithMany().HasForeignKey(x => x.ReplacesReceiptId);
        });
    }
}
