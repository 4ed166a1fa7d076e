using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using TdmEdu.Fees.Api.Persistence.Mapping;
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
    public DbSet<FeeCeilingRow> FeeCeilings => Set<FeeCeilingRow>();
    public DbSet<SchoolClass> Classes => Set<SchoolClass>();
    public DbSet<Student> Students => Set<Student>();
    public DbSet<StudentPolicy> StudentPolicies => Set<StudentPolicy>();
    public DbSet<StudentTransfer> StudentTransfers => Set<StudentTransfer>();
    public DbSet<StudentClassMove> StudentClassMoves => Set<StudentClassMove>();
    public DbSet<BillingPeriodRow> BillingPeriods => Set<BillingPeriodRow>();
    public DbSet<BillingRun> BillingRuns => Set<BillingRun>();
    public DbSet<Notice> Notices => Set<Notice>();
    public DbSet<NoticeLine> NoticeLines => Set<NoticeLine>();
    public DbSet<AttendanceMonth> Attendance => Set<AttendanceMonth>();
    public DbSet<AbsenceRefundRow> AbsenceRefunds => Set<AbsenceRefundRow>();
    public DbSet<Payment> Payments => Set<Payment>();
    public DbSet<Allocation> Allocations => Set<Allocation>();
    public DbSet<Refund> Refunds => Set<Refund>();
    public DbSet<VoucherAccount> VoucherAccounts => Set<VoucherAccount>();
    public DbSet<CorrectionRequest> CorrectionRequests => Set<CorrectionRequest>();
    public DbSet<ReceiptRow> Receipts => Set<ReceiptRow>();
    public DbSet<ReceiptItemRow> ReceiptItems => Set<ReceiptItemRow>();
    public DbSet<ReceiptEventRow> ReceiptEvents => Set<ReceiptEventRow>();
    public DbSet<ItemDocumentKind> ItemDocumentKinds => Set<ItemDocumentKind>();
    public DbSet<TvanDocumentRow> TvanDocuments => Set<TvanDocumentRow>();
    public DbSet<TvanEventRow> TvanEvents => Set<TvanEventRow>();
    public DbSet<AuditEntry> AuditLog => Set<AuditEntry>();
    public DbSet<LedgerAuditRun> LedgerAuditRuns => Set<LedgerAuditRun>();
    public DbSet<LookupLimit> LookupLimits => Set<LookupLimit>();
    public DbSet<SandboxKey> SandboxKeys => Set<SandboxKey>();
    public DbSet<InboxMessage> Inbox => Set<InboxMessage>();
    public DbSet<UnidentifiedMoney> Unidentified => Set<UnidentifiedMoney>();
    public DbSet<StatementImport> StatementImports => Set<StatementImport>();
    public DbSet<StatementImportLine> StatementImportLines => Set<StatementImportLine>();
    public DbSet<StatementBalanceRow> StatementBalances => Set<StatementBalanceRow>();
    public DbSet<StatementUpload> StatementUploads => Set<StatementUpload>();
    public DbSet<StatementColumnMapRow> StatementColumnMaps => Set<StatementColumnMapRow>();
    public DbSet<StatementLineRow> StatementLines => Set<StatementLineRow>();
    public DbSet<LineDecision> LineDecisions => Set<LineDecision>();
    public DbSet<CrossCheckFinding> CrossCheckFindings => Set<CrossCheckFinding>();
    public DbSet<BankRefClaim> BankRefClaims => Set<BankRefClaim>();
    public DbSet<ReviewDecision> ReviewDecisions => Set<ReviewDecision>();
    public DbSet<Guardian> Guardians => Set<Guardian>();
    public DbSet<GuardianChannel> GuardianChannels => Set<GuardianChannel>();
    public DbSet<SchoolMessaging> SchoolMessaging => Set<SchoolMessaging>();
    public DbSet<ZaloToken> ZaloTokens => Set<ZaloToken>();
    public DbSet<OutboxMessage> Messages => Set<OutboxMessage>();
    public DbSet<MessageEvent> MessageEvents => Set<MessageEvent>();
    public DbSet<PortalLinkRow> PortalLinks => Set<PortalLinkRow>();

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
        // One file per area (Mapping/), in the order the entity files are split.
        AccessMapping.Map(b);
        SchoolsMapping.Map(b);
        SchedulesMapping.Map(b);
        StudentsMapping.Map(b);
        NoticesMapping.Map(b);
        AttendanceMapping.Map(b);
        MoneyMapping.Map(b);
        BankingMapping.Map(b);
        MessagesMapping.Map(b);

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
