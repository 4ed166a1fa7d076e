using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using TdmEdu.Fees.Domain.Notices;

namespace TdmEdu.Fees.Api.Persistence;

public sealed class FeesDb(DbContextOptions<FeesDb> options)
    : Microsoft.AspNetCore.Identity.EntityFrameworkCore.IdentityDbContext<FeesUser, Microsoft.AspNetCore.Identity.IdentityRole<Guid>, Guid>(options),
      Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.IDataProtectionKeyContext
{
    /// <summary>ASP.NET Core's data-protection keys (sign-in cookies, antiforgery, the parent session), shared by every instance, sealed under the master key.</summary>
    public DbSet<Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey> DataProtectionKeys => Set<Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey>();

    public DbSet<Authority> Authorities => Set<Authority>();
    public DbSet<Ward> Wards => Set<Ward>();
    public DbSet<School> Schools => Set<School>();
    public DbSet<SchoolBankAccount> BankAccounts => Set<SchoolBankAccount>();
    public DbSet<ReceiptSeriesRow> ReceiptSeries => Set<ReceiptSeriesRow>();
    public DbSet<ScheduleRow> Schedules => Set<ScheduleRow>();
    public DbSet<FeeItemRow> FeeItems => Set<FeeItemRow>();
    public DbSet<PolicyGroupRow> PolicyGroups => Set<PolicyGroupRow>();
    public DbSet<SchoolClass> Classes => Set<SchoolClass>();
    public DbSet<Student> Students => Set<Student>();
    public DbSet<StudentPolicy> StudentPolicies => Set<StudentPolicy>();
    public DbSet<StudentTransfer> StudentTransfers => Set<StudentTransfer>();
    public DbSet<BillingPeriodRow> BillingPeriods => Set<BillingPeriodRow>();
    public DbSet<BillingRun> BillingRuns => Set<BillingRun>();
    public DbSet<Notice> Notices => Set<Notice>();
    public DbSet<NoticeLine> NoticeLines => Set<NoticeLine>();
    public DbSet<Payment> Payments => Set<Payment>();
    public DbSet<Allocation> Allocations => Set<Allocation>();
    public DbSet<Refund> Refunds => Set<Refund>();
    public DbSet<ReceiptRow> Receipts => Set<ReceiptRow>();
    public DbSet<AuditEntry> AuditLog => Set<AuditEntry>();
    public DbSet<LookupLimit> LookupLimits => Set<LookupLimit>();
    public DbSet<SandboxKey> SandboxKeys => Set<SandboxKey>();
    public DbSet<InboxMessage> Inbox => Set<InboxMessage>();
    public DbSet<UnidentifiedMoney> Unidentified => Set<UnidentifiedMoney>();
    public DbSet<StatementImport> StatementImports => Set<StatementImport>();
    public DbSet<StatementLineRow> StatementLines => Set<StatementLineRow>();
    public DbSet<LineDecision> LineDecisions => Set<LineDecision>();
    public DbSet<CrossCheckFinding> CrossCheckFindings => Set<CrossCheckFinding>();
    public DbSet<BankRefClaim> BankRefClaims => Set<BankRefClaim>();
    public DbSet<ReviewDecision> ReviewDecisions => Set<ReviewDecision>();

    /// <summary>Notice states are stored by their file names (issued, partially_paid, ...).</summary>
    public static readonly ValueConverter<NoticeStatus, string> StatusConverter = new(
        s => s.ToWire(),
        s => FromWire(s));

    public static NoticeStatus FromWire(string s) => s switch
    {
        "draft" => NoticeStatus.Draft,
        "issued" => NoticeStatus.Issued,
        "partially_paid" => NoticeStatus.PartiallyPaid,
        "paid" => NoticeStatus.Paid,
        "cancelled" => NoticeStatus.Cancelled,
        "refunded" => NoticeStatus.Refunded,
        _ => throw new InvalidOperationException($"Unknown notice status '{s}' in the database."),
    };

    protected override void OnModelCreating(ModelBuilder b)
    {
        base.OnModelCreating(b);
        // Identity's tables, under our names; columns and keys are snake_cased below like every other table.
        b.Entity<FeesUser>(e =>
        {
            e.ToTable("users");
            e.HasOne<School>().WithMany().HasForeignKey(x => x.SchoolId);
        });
        b.Entity<Microsoft.AspNetCore.Identity.IdentityRole<Guid>>().ToTable("roles");
        b.Entity<Microsoft.AspNetCore.Identity.IdentityUserRole<Guid>>().ToTable("user_roles");
        b.Entity<Microsoft.AspNetCore.Identity.IdentityUserClaim<Guid>>().ToTable("user_claims");
        b.Entity<Microsoft.AspNetCore.Identity.IdentityUserLogin<Guid>>().ToTable("user_logins");
        b.Entity<Microsoft.AspNetCore.Identity.IdentityUserToken<Guid>>().ToTable("user_tokens");
        b.Entity<Microsoft.AspNetCore.Identity.IdentityRoleClaim<Guid>>().ToTable("role_claims");
        b.Entity<Authority>(e =>
        {
            e.ToTable("authorities");
            e.HasIndex(x => x.Code).IsUnique();
        });
        b.Entity<Ward>(e =>
        {
            e.ToTable("wards");
            e.HasIndex(x => new { x.AuthorityId, x.Name }).IsUnique();
            e.HasOne<Authority>().WithMany().HasForeignKey(x => x.AuthorityId);
        });
        b.Entity<School>(e =>
        {
            e.ToTable("schools");
            e.HasIndex(x => x.Code).IsUnique();
            e.HasOne<Authority>().WithMany().HasForeignKey(x => x.AuthorityId);
            e.HasOne<Ward>().WithMany().HasForeignKey(x => x.WardId);
        });
        b.Entity<SchoolBankAccount>(e =>
        {
            e.ToTable("school_bank_accounts");
            e.HasIndex(x => new { x.SchoolId, x.Bank }).IsUnique();
            e.HasIndex(x => new { x.Bin, x.AccountNo }).IsUnique();
            e.HasOne<School>().WithMany().HasForeignKey(x => x.SchoolId);
        });
        b.Entity<ReceiptSeriesRow>(e =>
        {
            e.ToTable("receipt_series");
            e.HasIndex(x => new { x.SchoolId, x.Template, x.Series }).IsUnique();
            e.HasIndex(x => x.SchoolId).IsUnique().HasFilter("is_default");
            e.HasOne<School>().WithMany().HasForeignKey(x => x.SchoolId);
        });
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
        b.Entity<SchoolClass>(e =>
        {
            e.ToTable("classes");
            e.HasIndex(x => new { x.SchoolId, x.Name }).IsUnique();
            e.HasOne<School>().WithMany().HasForeignKey(x => x.SchoolId);
        });
        b.Entity<Student>(e =>
        {
            e.ToTable("students");
            e.HasIndex(x => x.StudentCode).IsUnique();
            e.HasIndex(x => x.PaymentCode).IsUnique();
            e.HasIndex(x => x.SchoolId);
            e.HasOne<School>().WithMany().HasForeignKey(x => x.SchoolId);
            e.HasOne<SchoolClass>().WithMany().HasForeignKey(x => x.ClassId);
            e.HasMany(x => x.Policies).WithOne().HasForeignKey(x => x.StudentId);
        });
        b.Entity<StudentPolicy>(e =>
        {
            e.ToTable("student_policies");
            e.HasKey(x => new { x.StudentId, x.PolicyCode });
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
            // One notice per student and month: the billing run's idempotency key.
            e.HasIndex(x => new { x.StudentId, x.PeriodKey }).IsUnique();
            e.HasIndex(x => new { x.SchoolId, x.PeriodKey });
            e.Property(x => x.Status).HasConversion(StatusConverter).HasMaxLength(20);
            e.HasOne<Student>().WithMany().HasForeignKey(x => x.StudentId);
            e.HasOne<School>().WithMany().HasForeignKey(x => x.SchoolId);
            e.HasOne<BillingRun>().WithMany().HasForeignKey(x => x.BillingRunId);
            e.HasMany(x => x.Lines).WithOne().HasForeignKey(x => x.NoticeId);
        });
        b.Entity<NoticeLine>(e =>
        {
            e.ToTable("notice_lines", t => t.HasCheckConstraint("ck_notice_lines_amount", "amount_vnd >= 0 AND amount_vnd <= gross_vnd"));
            e.HasIndex(x => new { x.NoticeId, x.LineNo }).IsUnique();
        });
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
        b.Entity<SandboxKey>(e =>
        {
            e.ToTable("sandbox_keys");
            e.HasKey(x => x.AccountId);
            e.HasOne<SchoolBankAccount>().WithMany().HasForeignKey(x => x.AccountId);
        });
        b.Entity<InboxMessage>(e =>
        {
            e.ToTable("bank_inbox");
            e.HasIndex(x => new { x.Bank, x.Kind, x.IdempotencyKey }).IsUnique();
            e.HasIndex(x => new { x.Bank, x.BankRef });
            e.HasIndex(x => x.ReceivedAt).HasFilter("processed_at IS NULL").HasDatabaseName("ix_bank_inbox_pending");
            e.Property(x => x.Headers).HasColumnType("jsonb");
            e.HasOne<SchoolBankAccount>().WithMany().HasForeignKey(x => x.AccountId);
        });
        b.Entity<UnidentifiedMoney>(e =>
        {
            e.ToTable("unidentified_money", t => t.HasCheckConstraint("ck_unidentified_amount", "amount_vnd > 0"));
            e.HasIndex(x => x.InboxId).IsUnique();
            e.HasOne<InboxMessage>().WithMany().HasForeignKey(x => x.InboxId);
            e.HasOne<SchoolBankAccount>().WithMany().HasForeignKey(x => x.AccountId);
        });
        b.Entity<StatementImport>(e =>
        {
            e.ToTable("statement_imports");
            e.HasOne<SchoolBankAccount>().WithMany().HasForeignKey(x => x.AccountId);
        });
        b.Entity<StatementLineRow>(e =>
        {
            e.ToTable("statement_lines", t => t.HasCheckConstraint("ck_statement_lines_amount", "amount_vnd > 0"));
            e.HasIndex(x => new { x.AccountId, x.DedupeKey }).IsUnique();
            e.HasIndex(x => new { x.AccountId, x.BookingDate });
            e.HasIndex(x => x.BankRef);
            e.HasOne<SchoolBankAccount>().WithMany().HasForeignKey(x => x.AccountId);
            e.HasOne<StatementImport>().WithMany().HasForeignKey(x => x.ImportId);
        });
        b.Entity<LineDecision>(e =>
        {
            e.ToTable("reconciliations");
            e.HasKey(x => x.StatementLineId);
            e.Property(x => x.Suggestions).HasColumnType("jsonb");
            e.HasOne<StatementLineRow>().WithMany().HasForeignKey(x => x.StatementLineId);
            e.HasOne<Payment>().WithMany().HasForeignKey(x => x.PaymentId);
            e.HasIndex(x => x.Outcome);
        });
        b.Entity<BankRefClaim>(e =>
        {
            e.ToTable("bank_ref_claims");
            e.HasKey(x => new { x.AccountId, x.BankRef });
            e.HasOne<SchoolBankAccount>().WithMany().HasForeignKey(x => x.AccountId);
        });
        b.Entity<CrossCheckFinding>(e =>
        {
            e.ToTable("crosscheck_findings");
            e.HasIndex(x => new { x.Kind, x.SourceId }).IsUnique();
            e.HasIndex(x => x.ResolvedAt);
            e.HasOne<SchoolBankAccount>().WithMany().HasForeignKey(x => x.AccountId);
        });
        b.Entity<ReviewDecision>(e =>
        {
            e.Property(x => x.Parts).HasColumnType("jsonb");
            e.ToTable("review_decisions", t => t.HasCheckConstraint("ck_review_decisions_one_subject",
                "num_nonnulls(statement_line_id, parked_id, inbox_id) = 1"));
            e.Ignore(x => x.SubjectId);
            e.HasIndex(x => x.StatementLineId);
            e.HasIndex(x => x.ParkedId);
            e.HasIndex(x => x.InboxId);
            e.HasOne<UnidentifiedMoney>().WithMany().HasForeignKey(x => x.ParkedId);
            e.HasOne<InboxMessage>().WithMany().HasForeignKey(x => x.InboxId);
            e.HasIndex(x => x.UndoesDecisionId).IsUnique();
            e.HasOne<StatementLineRow>().WithMany().HasForeignKey(x => x.StatementLineId);
            e.HasOne<Payment>().WithMany().HasForeignKey(x => x.PaymentId);
            e.HasOne<Student>().WithMany().HasForeignKey(x => x.StudentId);
            e.HasOne<ReviewDecision>().WithMany().HasForeignKey(x => x.UndoesDecisionId);
        });
        b.Entity<Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey>(e => e.ToTable("data_protection_keys"));
        b.Entity<LookupLimit>(e =>
        {
            e.ToTable("lookup_limits");
            e.HasKey(x => new { x.Key, x.WindowStart });
        });
        b.Entity<AuditEntry>(e =>
        {
            e.ToTable("audit_log");
            e.Property(x => x.Id).UseIdentityAlwaysColumn();
            e.Property(x => x.Details).HasColumnType("jsonb");
            e.HasIndex(x => x.At);
        });

        foreach (var entity in b.Model.GetEntityTypes())
        {
            foreach (var p in entity.GetProperties())
            {
                if (p.Name == nameof(Student.Version)) continue; // xmin keeps its system name
                p.SetColumnName(Snake(p.Name));
            }
            foreach (var k in entity.GetKeys()) k.SetName(Snake(k.GetName() ?? ""));
            foreach (var fk in entity.GetForeignKeys()) fk.SetConstraintName(Snake(fk.GetConstraintName() ?? ""));
            foreach (var ix in entity.GetIndexes()) ix.SetDatabaseName(Snake(ix.GetDatabaseName() ?? ""));
        }
    }

    public static string Snake(string name)
    {
        var sb = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0 && name[i - 1] != '_' && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]))))
                    sb.Append('_');
                sb.Append(char.ToLowerInvariant(c));
            }
            else sb.Append(c);
        }
        return sb.ToString();
    }
}
