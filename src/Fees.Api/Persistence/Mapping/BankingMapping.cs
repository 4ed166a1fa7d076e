using Microsoft.EntityFrameworkCore;

namespace TdmEdu.Fees.Api.Persistence.Mapping;

/// <summary>What banks sent and what was decided about it: calls, parked money, statements, claims, review decisions.</summary>
internal static class BankingMapping
{
    public static void Map(ModelBuilder b)
    {
        b.Entity<InboxMessage>(e =>
        {
            e.ToTable("bank_inbox");
            e.HasIndex(x => new { x.Bank, x.Kind, x.IdempotencyKey }).IsUnique();
            e.HasIndex(x => new { x.Bank, x.BankRef });
            e.HasIndex(x => x.ReceivedAt).HasFilter("processed_at IS NULL").HasDatabaseName("ix_bank_inbox_pending");
            // Each account's waiting calls in their order: what the parallel workers take, one account each.
            e.HasIndex(x => x.AccountId).HasDatabaseName("ix_bank_inbox_account_id");
            e.HasIndex(x => new { x.AccountId, x.ReceivedAt, x.Id }).HasFilter("processed_at IS NULL").HasDatabaseName("ix_bank_inbox_pending_by_account");
            e.Property(x => x.Headers).HasColumnType("jsonb");
            e.Property(x => x.TraceParent).HasMaxLength(55);
            // Reversals held on an account, by the credit they name: what a later credit of that id is checked against.
            e.HasIndex(x => new { x.AccountId, x.OriginalKey }).HasFilter("event = 'reversal' AND outcome = 'held'").HasDatabaseName("ix_bank_inbox_held_reversals");
            e.HasOne<SchoolBankAccount>().WithMany().HasForeignKey(x => x.AccountId);
        });
        b.Entity<UnidentifiedMoney>(e =>
        {
            e.ToTable("unidentified_money", t => t.HasCheckConstraint("ck_unidentified_amount", "amount_vnd > 0"));
            e.HasIndex(x => x.InboxId).IsUnique();
            e.HasOne<InboxMessage>().WithMany().HasForeignKey(x => x.InboxId);
            e.HasOne<SchoolBankAccount>().WithMany().HasForeignKey(x => x.AccountId);
            e.Property(x => x.Suggestions).HasColumnType("jsonb").HasDefaultValueSql("'[]'::jsonb");
        });
        b.Entity<StatementUpload>(e =>
        {
            e.ToTable("statement_uploads");
            e.HasIndex(x => x.At);
            e.Property(x => x.Columns).HasColumnType("jsonb");
            e.HasOne<School>().WithMany().HasForeignKey(x => x.SchoolId);
            e.HasOne<SchoolBankAccount>().WithMany().HasForeignKey(x => x.AccountId);
        });
        b.Entity<StatementColumnMapRow>(e =>
        {
            e.ToTable("statement_column_maps");
            e.HasKey(x => x.AccountId);
            e.Property(x => x.Map).HasColumnType("jsonb");
            e.HasOne<SchoolBankAccount>().WithMany().HasForeignKey(x => x.AccountId);
        });
        b.Entity<StatementImport>(e =>
        {
            e.ToTable("statement_imports");
            e.HasOne<SchoolBankAccount>().WithMany().HasForeignKey(x => x.AccountId);
        });
        b.Entity<StatementBalanceRow>(e =>
        {
            e.ToTable("statement_balances");
            e.HasIndex(x => new { x.AccountId, x.Day });
            e.HasOne<SchoolBankAccount>().WithMany().HasForeignKey(x => x.AccountId);
            e.HasOne<StatementImport>().WithMany().HasForeignKey(x => x.ImportId);
        });
        b.Entity<StatementImportLine>(e =>
        {
            e.ToTable("statement_import_lines");
            e.HasKey(x => new { x.ImportId, x.LineId });
            e.HasIndex(x => x.LineId);
            e.HasOne<StatementImport>().WithMany().HasForeignKey(x => x.ImportId);
            e.HasOne<StatementLineRow>().WithMany().HasForeignKey(x => x.LineId);
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
    }
}
