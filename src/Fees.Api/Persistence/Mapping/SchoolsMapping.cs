using Microsoft.EntityFrameworkCore;

namespace TdmEdu.Fees.Api.Persistence.Mapping;

/// <summary>Authorities, wards, schools, their bank accounts, receipt series and classes.</summary>
internal static class SchoolsMapping
{
    public static void Map(ModelBuilder b)
    {
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
            // One taxpayer, one school: the e-receipts' numbers are the taxpayer's.
            e.HasIndex(x => x.TaxCode).IsUnique().HasFilter("tax_code IS NOT NULL");
            e.HasOne<Authority>().WithMany().HasForeignKey(x => x.AuthorityId);
            e.HasOne<Ward>().WithMany().HasForeignKey(x => x.WardId);
        });
        b.Entity<SchoolBankAccount>(e =>
        {
            e.ToTable("school_bank_accounts");
            // One account in use per bank and school; retired ones stay beside it with their history.
            e.HasIndex(x => new { x.SchoolId, x.Bank }).IsUnique().HasFilter("retired_at IS NULL");
            e.HasIndex(x => new { x.Bin, x.AccountNo }).IsUnique();
            // An aggregator names the account by its number alone: one account per number and aggregator.
            e.HasIndex(x => new { x.Channel, x.AccountNo }).IsUnique().HasFilter("channel IS NOT NULL");
            e.HasOne<School>().WithMany().HasForeignKey(x => x.SchoolId);
        });
        b.Entity<ReceiptSeriesRow>(e =>
        {
            e.ToTable("receipt_series");
            e.HasIndex(x => new { x.SchoolId, x.Template, x.Series }).IsUnique();
            e.HasIndex(x => x.SchoolId).IsUnique().HasFilter("is_default");
            e.HasOne<School>().WithMany().HasForeignKey(x => x.SchoolId);
        });
        b.Entity<SchoolClass>(e =>
        {
            e.ToTable("classes");
            e.HasIndex(x => new { x.SchoolId, x.Name }).IsUnique();
            e.HasOne<School>().WithMany().HasForeignKey(x => x.SchoolId);
        });
        b.Entity<SandboxKey>(e =>
        {
            e.ToTable("sandbox_keys");
            e.HasKey(x => x.AccountId);
            e.HasOne<SchoolBankAccount>().WithMany().HasForeignKey(x => x.AccountId);
        });
    }
}
