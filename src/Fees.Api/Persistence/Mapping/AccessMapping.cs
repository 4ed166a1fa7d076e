using Microsoft.EntityFrameworkCore;

namespace TdmEdu.Fees.Api.Persistence.Mapping;

/// <summary>Sign-in, the data-protection keys, look-up limits, the audit log and the ledger audit's runs. Identity's tables keep our names.</summary>
internal static class AccessMapping
{
    public static void Map(ModelBuilder b)
    {
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
        b.Entity<LedgerAuditRun>(e =>
        {
            e.ToTable("ledger_audit_runs");
            e.Property(x => x.Id).UseIdentityAlwaysColumn();
            e.Property(x => x.Seconds).HasColumnType("jsonb");
            e.HasIndex(x => x.FinishedAt);
        });
    }
}
