using Microsoft.EntityFrameworkCore;

namespace TdmEdu.Fees.Api.Persistence.Mapping;

/// <summary>Guardians, their consent, the schools' messaging settings, the outbox and its provider events, and the parent links.</summary>
internal static class MessagesMapping
{
    public static void Map(ModelBuilder b)
    {
        b.Entity<Guardian>(e =>
        {
            e.ToTable("guardians", t => t.HasCheckConstraint("ck_guardians_contact", "phone IS NOT NULL OR email IS NOT NULL"));
            e.HasOne<School>().WithMany().HasForeignKey(x => x.SchoolId);
            e.Property(x => x.FullName).HasMaxLength(100);
            e.Property(x => x.Phone).HasMaxLength(10);
            e.Property(x => x.Email).HasMaxLength(254);
            // One guardian per school and phone; a guardian known only by e-mail is one per school and address.
            e.HasIndex(x => new { x.SchoolId, x.Phone }).IsUnique().HasFilter("phone IS NOT NULL");
            e.HasIndex(x => new { x.SchoolId, x.Email }).IsUnique().HasFilter("phone IS NULL");
        });
        b.Entity<GuardianChannel>(e =>
        {
            e.ToTable("guardian_channels", t => t.HasCheckConstraint("ck_guardian_channels_state", "state IN ('allowed', 'opted_out', 'unreachable')"));
            e.HasKey(x => new { x.GuardianId, x.Channel });
            e.HasOne<Guardian>().WithMany().HasForeignKey(x => x.GuardianId);
        });
        b.Entity<ZaloToken>(e =>
        {
            e.ToTable("zalo_tokens", t => t.HasCheckConstraint("ck_zalo_tokens_one_row", "id = 1"));
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).ValueGeneratedNever();
        });
        b.Entity<SchoolMessaging>(e =>
        {
            e.ToTable("school_messaging");
            e.HasKey(x => x.SchoolId);
            e.HasOne<School>().WithOne().HasForeignKey<SchoolMessaging>(x => x.SchoolId);
            e.Property(x => x.ShortName).HasMaxLength(30);
            e.Property(x => x.ReplyToEmail).HasMaxLength(254);
        });
        b.Entity<OutboxMessage>(e =>
        {
            e.ToTable("messages", t =>
            {
                t.HasCheckConstraint("ck_messages_status", "status IN ('queued', 'sending', 'sent', 'delivered', 'failed', 'unknown', 'suppressed', 'cancelled')");
                t.HasCheckConstraint("ck_messages_channel", "channel IN ('zalo_zns', 'sms', 'email')");
            });
            e.HasIndex(x => x.IdempotencyKey).IsUnique();
            // The sender's claim: the due rows of a channel, oldest first.
            e.HasIndex(x => new { x.Channel, x.NextAttemptAt }, "ix_messages_due").HasFilter("status = 'queued'");
            e.HasIndex(x => new { x.SchoolId, x.CreatedAt });
            // Leases that may run out, and the day's count per guardian, without reading the whole outbox.
            e.HasIndex(x => x.LeaseUntil).HasFilter("status = 'sending'").HasDatabaseName("ix_messages_leased");
            e.HasIndex(x => new { x.GuardianId, x.SentAt }).HasDatabaseName("ix_messages_guardian_sent");
            // Named: the same columns as ix_messages_due, another filter (an unnamed index would be the same one).
            e.HasIndex(x => new { x.Channel, x.NextAttemptAt }, "ix_messages_unknown").HasFilter("status = 'unknown'");
            e.HasIndex(x => x.NoticeId);
            e.HasIndex(x => x.ProviderMessageId);
            e.HasOne<School>().WithMany().HasForeignKey(x => x.SchoolId);
            e.HasOne<Guardian>().WithMany().HasForeignKey(x => x.GuardianId);
            e.HasOne<Student>().WithMany().HasForeignKey(x => x.StudentId);
            e.HasOne<Notice>().WithMany().HasForeignKey(x => x.NoticeId);
            e.HasOne<ReceiptRow>().WithMany().HasForeignKey(x => x.ReceiptId);
            e.HasOne<Payment>().WithMany().HasForeignKey(x => x.PaymentId);
        });
        b.Entity<MessageEvent>(e =>
        {
            e.ToTable("message_events");
            e.HasOne<OutboxMessage>().WithMany().HasForeignKey(x => x.MessageId);
            // A provider's retried callback is recorded once.
            e.HasIndex(x => new { x.Provider, x.EventName, x.ProviderMessageId }).IsUnique();
        });
        b.Entity<PortalLinkRow>(e =>
        {
            e.ToTable("portal_links");
            e.HasKey(x => x.Lid);
            e.Property(x => x.Lid).HasMaxLength(22);
            e.HasOne<Student>().WithMany().HasForeignKey(x => x.StudentId);
            e.HasOne<Guardian>().WithMany().HasForeignKey(x => x.GuardianId);
            e.HasIndex(x => new { x.StudentId, x.GuardianId, x.Subject }).IsUnique();
        });
    }
}
