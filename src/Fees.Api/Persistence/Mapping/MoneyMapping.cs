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
            e.HasIndex(x => new { x.NoticeLineId, x.NoticeId });
            e.HasIndex(x => x.NoticeId);
            // An allocation is reversed at most once.
            e.HasIndex(x => x.ReversesAllocationId).IsUnique();
            e.HasOne<Payment>().WithMany().HasForeignKey(x => x.PaymentId);
            // The line and its notice together: an allocation's notice is its line's notice (the line's own key to its
            // notice then holds the notice), one check per allocation where two separate keys made two.
            e.HasOne<NoticeLine>().WithMany().HasForeignKey(x => new { x.NoticeLineId, x.NoticeId }).HasPrincipalKey(l => new { l.Id, l.NoticeId })
                .HasConstraintName("fk_allocations_notice_lines_notice_line_id_notice_id");
            e.HasOne<Allocation>().WithMany().HasForeignKey(x => x.ReversesAllocationId);
        });
        b.Entity<VoucherAccount>(e =>
        {
            e.ToTable("voucher_accounts", t => t.HasCheckConstraint("ck_voucher_accounts_channel", "channel IN ('cash', 'bank', '*')"));
            e.HasIndex(x => new { x.SchoolCode, x.ItemCode, x.Channel }).IsUnique();
        });
        b.Entity<Refund>(e =>
        {
            e.ToTable("refunds", t =>
            {
                t.HasCheckConstraint("ck_refunds_amount", "amount_vnd > 0");
                t.HasCheckConstraint("ck_refunds_method", "method IN ('cash', 'bank')");
            });
            e.Property(x => x.Method).HasDefaultValue(PaymentMethods.Cash);
            e.HasIndex(x => x.CorrectionRequestId);
            e.HasOne<CorrectionRequest>().WithMany().HasForeignKey(x => x.CorrectionRequestId);
            e.HasIndex(x => x.PaymentId);
            e.HasOne<Payment>().WithMany().HasForeignKey(x => x.PaymentId);
        });
        b.Entity<ReceiptRow>(e =>
        {
            e.ToTable("receipts", t =>
            {
                t.HasCheckConstraint("ck_receipts_status", "status IN ('pending_signature', 'issued', 'sent', 'accepted', 'rejected', 'cancelled', 'replaced')");
                t.HasCheckConstraint("ck_receipts_amount", "amount_vnd > 0 AND amount_vnd < 1000000000000");
                // A signed receipt has all of its signature's facts; an unsigned one none.
                t.HasCheckConstraint("ck_receipts_signed", "(signed_xml IS NULL) = (xml_sha256 IS NULL) AND (signed_xml IS NULL) = (signing_time IS NULL) AND (signed_xml IS NULL) = (cert_serial IS NULL)");
                // Receipts from before e-receipts have no lookup code and no signature; an e-receipt is signed once it leaves pending_signature
                // for issued; one cancelled or replaced before it was signed keeps its number and row, and is never signed.
                t.HasCheckConstraint("ck_receipts_state", "lookup_code IS NULL AND status IN ('issued', 'cancelled') AND signed_xml IS NULL"
                    + " OR lookup_code IS NOT NULL AND (status = 'pending_signature' AND signed_xml IS NULL OR status IN ('issued', 'sent', 'accepted', 'rejected') AND signed_xml IS NOT NULL OR status IN ('cancelled', 'replaced'))");
            });
            // Gap-free numbering is kept by the series counter; uniqueness is kept here.
            e.HasIndex(x => new { x.SeriesId, x.Number }).IsUnique();
            e.HasIndex(x => new { x.SchoolId, x.LookupCode }).IsUnique().HasFilter("lookup_code IS NOT NULL");
            // The signer's queue: numbered, not yet signed.
            e.HasIndex(x => x.SchoolId).HasDatabaseName("ix_receipts_unsigned").HasFilter("lookup_code IS NOT NULL AND signed_xml IS NULL");
            e.HasOne<Student>().WithMany().HasForeignKey(x => x.StudentId);
            e.HasIndex(x => x.ReplacesReceiptId).IsUnique();
            e.HasIndex(x => x.PaymentId);
            e.HasOne<ReceiptSeriesRow>().WithMany().HasForeignKey(x => x.SeriesId);
            e.HasOne<Payment>().WithMany().HasForeignKey(x => x.PaymentId);
            e.HasOne<ReceiptRow>().WithMany().HasForeignKey(x => x.ReplacesReceiptId);
        });
        b.Entity<ReceiptItemRow>(e =>
        {
            e.ToTable("receipt_items", t => t.HasCheckConstraint("ck_receipt_items_amount", "amount_vnd > 0"));
            e.HasIndex(x => new { x.ReceiptId, x.Position }).IsUnique();
            e.HasIndex(x => x.NoticeLineId);
            e.HasOne<ReceiptRow>().WithMany().HasForeignKey(x => x.ReceiptId);
            e.HasOne<NoticeLine>().WithMany().HasForeignKey(x => x.NoticeLineId);
        });
        b.Entity<ReceiptEventRow>(e =>
        {
            e.ToTable("receipt_events");
            e.HasIndex(x => x.ReceiptId);
            e.HasOne<ReceiptRow>().WithMany().HasForeignKey(x => x.ReceiptId);
        });
        b.Entity<ItemDocumentKind>(e =>
        {
            e.ToTable("item_document_kinds", t => t.HasCheckConstraint("ck_item_document_kinds_kind", "document_kind IN ('receipt', 'invoice_sales', 'invoice_vat')"));
            e.HasIndex(x => new { x.SchoolId, x.ItemCode, x.FromAt }).IsUnique();
            e.HasOne<School>().WithMany().HasForeignKey(x => x.SchoolId);
        });
        b.Entity<TvanDocumentRow>(e =>
        {
            e.ToTable("ereceipt_outbox", t =>
            {
                t.HasCheckConstraint("ck_ereceipt_outbox_kind", "kind IN ('receipt', 'error_notice', 'usage_report')");
                t.HasCheckConstraint("ck_ereceipt_outbox_state", "state IN ('pending', 'sent', 'accepted', 'rejected', 'conflict')");
                t.HasCheckConstraint("ck_ereceipt_outbox_xml", "(kind = 'receipt') = (xml IS NULL) AND (kind = 'usage_report') = (receipt_id IS NULL)");
                t.HasCheckConstraint("ck_ereceipt_outbox_sent", "state = 'pending' OR provider_id IS NOT NULL OR state = 'conflict' OR state = 'rejected'");
            });
            e.HasIndex(x => x.IdempotencyKey).IsUnique();
            e.HasIndex(x => x.ProviderId).IsUnique();
            // One upload per receipt and one error notice per receipt.
            e.HasIndex(x => new { x.ReceiptId, x.Kind }).IsUnique().HasFilter("receipt_id IS NOT NULL");
            e.HasIndex(x => x.NextAt).HasFilter("state = 'pending'").HasDatabaseName("ix_ereceipt_outbox_due");
            e.HasIndex(x => new { x.SchoolId, x.State });
            e.Property(x => x.Kind).HasMaxLength(20);
            e.Property(x => x.IdempotencyKey).HasMaxLength(100);
            e.Property(x => x.ProviderId).HasMaxLength(200);
            e.HasOne<School>().WithMany().HasForeignKey(x => x.SchoolId);
            e.HasOne<ReceiptRow>().WithMany().HasForeignKey(x => x.ReceiptId);
        });
        b.Entity<TvanEventRow>(e =>
        {
            e.ToTable("ereceipt_provider_events");
            e.HasIndex(x => x.DocumentId);
            e.HasOne<TvanDocumentRow>().WithMany().HasForeignKey(x => x.DocumentId);
        });
        b.Entity<CorrectionRequest>(e =>
        {
            e.ToTable("correction_requests", t =>
            {
                t.HasCheckConstraint("ck_correction_requests_kind", "kind IN ('reverse_payment', 'replace_receipt', 'refund_credit')");
                t.HasCheckConstraint("ck_correction_requests_status", "status IN ('pending', 'done', 'rejected')");
                t.HasCheckConstraint("ck_correction_requests_amount", "amount_vnd > 0");
                t.HasCheckConstraint("ck_correction_requests_subject", "(kind = 'refund_credit') = (student_id IS NOT NULL AND receipt_id IS NULL)");
            });
            // One open request per receipt (or per pupil's credit) and kind: a second click does not queue a second one.
            e.HasIndex(x => new { x.Kind, x.ReceiptId }).IsUnique().HasFilter("status = 'pending' AND receipt_id IS NOT NULL");
            e.HasIndex(x => new { x.Kind, x.StudentId }).IsUnique().HasFilter("status = 'pending' AND student_id IS NOT NULL");
            e.HasIndex(x => new { x.SchoolId, x.Status });
            e.HasOne<School>().WithMany().HasForeignKey(x => x.SchoolId);
            e.HasOne<ReceiptRow>().WithMany().HasForeignKey(x => x.ReceiptId);
            e.HasOne<Student>().WithMany().HasForeignKey(x => x.StudentId);
        });
    }
}
