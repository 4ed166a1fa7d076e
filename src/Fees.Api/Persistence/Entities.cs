using System.ComponentModel.DataAnnotations;
using TdmEdu.Fees.Domain.Notices;

namespace TdmEdu.Fees.Api.Persistence;

// Persistence shapes. Money is bigint đồng; financial rows (notices, lines, payments, allocations, refunds,
// receipts, audit) are only ever inserted, except the derived notice columns (amount paid, status) that the
// ledger keeps in step with the allocations, guarded by xmin.

public sealed class Authority
{
    public Guid Id { get; set; }
    public string Code { get; set; } = "";
    public string Name { get; set; } = "";
    public string PaymentCodePrefix { get; set; } = "HS";
    public int NextPaymentSequence { get; set; }
    [Timestamp] public uint Version { get; set; }
}

public sealed class Ward
{
    public Guid Id { get; set; }
    public Guid AuthorityId { get; set; }
    public string Name { get; set; } = "";
}

public sealed class School
{
    public Guid Id { get; set; }
    public Guid AuthorityId { get; set; }
    public Guid? WardId { get; set; }
    public string Code { get; set; } = "";
    public string Name { get; set; } = "";
    public string Level { get; set; } = "";
    [Timestamp] public uint Version { get; set; }
}

public sealed class SchoolBankAccount
{
    public Guid Id { get; set; }
    public Guid SchoolId { get; set; }
    public string Bank { get; set; } = "";
    public string Bin { get; set; } = "";
    public string AccountNo { get; set; } = "";
    public string AccountName { get; set; } = "";
    /// <summary>Order in which the school listed its accounts; the first is printed on notices.</summary>
    public int Position { get; set; }

    /// <summary>BIDV bill payment: the service id the bank calls with (several schools may share one).</summary>
    public string? BidvServiceId { get; set; }
    public string? BidvUsername { get; set; }
    /// <summary>Secrets are stored sealed (AES-GCM under FEES_MASTER_KEY), never in clear.</summary>
    public string? BidvPasswordSealed { get; set; }
    public string? BidvSecretSealed { get; set; }
    /// <summary>Virtual-account prefix: 4 characters at BIDV, 6 digits at MSB.</summary>
    public string? VaPrefix { get; set; }
    /// <summary>Vietcombank's public key (PEM) that verifies its notifications; public, so not sealed.</summary>
    public string? VcbPublicKeyPem { get; set; }
    public string? MsbSecretSealed { get; set; }
    /// <summary>Vietcombank statement API: OAuth2 client credentials (the secret sealed).</summary>
    public string? VcbClientId { get; set; }
    public string? VcbClientSecretSealed { get; set; }
    /// <summary>The last day whose statement was pulled complete from the bank's API; the next pull starts there.</summary>
    public DateOnly? StatementsPulledThrough { get; set; }
}

/// <summary>Keys the sandbox banks sign with (VCB's private key). Local only; never production credentials.</summary>
public sealed class SandboxKey
{
    public Guid AccountId { get; set; }
    public string VcbPrivateKeySealed { get; set; } = "";
}

public static class InboxKinds
{
    public const string BidvPay = "paybill";
    public const string BidvRevert = "revertbill";
    public const string Notify = "notify";
}

/// <summary>
/// Every verified bank call, stored raw before it is answered; a worker applies it afterwards from this copy.
/// (bank, kind, idempotency key) is unique: a retry finds the first row and gets the first answer.
/// </summary>
public sealed class InboxMessage
{
    public Guid Id { get; set; }
    public string Bank { get; set; } = "";
    public string Kind { get; set; } = "";
    public string IdempotencyKey { get; set; } = "";
    /// <summary>The reference the same money carries on the account statement (VCB referenceNumber, MSB transactionId, BIDV trans_bidv).</summary>
    public string? BankRef { get; set; }
    public Guid AccountId { get; set; }
    public string RawBody { get; set; } = "";
    /// <summary>The headers that matter (signature, timestamp), as JSON.</summary>
    public string Headers { get; set; } = "{}";
    public DateTimeOffset ReceivedAt { get; set; }
    public int AnswerStatus { get; set; }
    public string AnswerBody { get; set; } = "";
    public DateTimeOffset? ProcessedAt { get; set; }
    /// <summary>applied, unidentified, reversed, ignored, failed.</summary>
    public string? Outcome { get; set; }
    public string? OutcomeReason { get; set; }
    public int Attempts { get; set; }
    public bool Flagged { get; set; }
    /// <summary>What the call is, once read by the worker: credit, reversal or debit.</summary>
    public string? Event { get; set; }
    /// <summary>The amount the call names, once read by the worker.</summary>
    public long? AmountVnd { get; set; }
}

public static class InboxOutcomes
{
    public const string Applied = "applied", Unidentified = "unidentified", Duplicate = "duplicate", Reversed = "reversed",
        Held = "held", Ignored = "ignored", Failed = "failed";
}

/// <summary>Money that reached a school account but names no student we can be sure of: parked for review, never dropped.</summary>
public sealed class UnidentifiedMoney
{
    public Guid Id { get; set; }
    public Guid InboxId { get; set; }
    public Guid AccountId { get; set; }
    public string Bank { get; set; } = "";
    public string BankRef { get; set; } = "";
    public long AmountVnd { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
    public string Reason { get; set; } = "";
    /// <summary>Set when a later debit of the bank reversed it: a bank call, or a line of the account statement.</summary>
    public Guid? ReversedByInboxId { get; set; }
    public Guid? ReversedByStatementLineId { get; set; }
}

public sealed class ReceiptSeriesRow
{
    public Guid Id { get; set; }
    public Guid SchoolId { get; set; }
    public string Template { get; set; } = "";
    public string Series { get; set; } = "";
    public long NextNumber { get; set; } = 1;
    public bool IsDefault { get; set; }
}

public sealed class ScheduleRow
{
    public Guid Id { get; set; }
    public int StartYear { get; set; }
    public int[] Months { get; set; } = [];
    public int DueDay { get; set; }
    public DateTimeOffset ImportedAt { get; set; }
    public List<FeeItemRow> Items { get; set; } = [];
    public List<PolicyGroupRow> Policies { get; set; } = [];
}

public sealed class FeeItemRow
{
    public Guid Id { get; set; }
    public Guid ScheduleId { get; set; }
    public int Position { get; set; }
    public string Code { get; set; } = "";
    public string Name { get; set; } = "";
    public string Kind { get; set; } = "";
    public string Unit { get; set; } = "";
    public long AmountVnd { get; set; }
    public bool Reducible { get; set; }
    public string? LegalBasis { get; set; }
    public string[] ScopeSchools { get; set; } = [];
    public string[] ScopeLevels { get; set; } = [];
    public int[] ScopeGrades { get; set; } = [];
    public string[] ScopeClasses { get; set; } = [];
    /// <summary>School days per month number, as "9:18,10:22"; only for items priced per day.</summary>
    public string SchoolDays { get; set; } = "";
    public int[] OnceMonths { get; set; } = [];
    /// <summary>False once a re-import drops the item; issued notices keep their copied lines.</summary>
    public bool Active { get; set; } = true;
}

public sealed class PolicyGroupRow
{
    public Guid Id { get; set; }
    public Guid ScheduleId { get; set; }
    public int Position { get; set; }
    public string Code { get; set; } = "";
    public string Name { get; set; } = "";
    public int Percent { get; set; }
    public string[] Items { get; set; } = [];
    public string? LegalBasis { get; set; }
    public bool Active { get; set; } = true;
}

public sealed class SchoolClass
{
    public Guid Id { get; set; }
    public Guid SchoolId { get; set; }
    public string Name { get; set; } = "";
    public int Grade { get; set; }
}

public sealed class Student
{
    public Guid Id { get; set; }
    public string StudentCode { get; set; } = "";
    public string PaymentCode { get; set; } = "";
    public Guid SchoolId { get; set; }
    public Guid ClassId { get; set; }
    public string FullName { get; set; } = "";
    public DateOnly DateOfBirth { get; set; }
    public string? Gender { get; set; }
    public int Grade { get; set; }
    public string? GuardianName { get; set; }
    public string? GuardianPhone { get; set; }
    public DateOnly? EnrolledOn { get; set; }
    public string[] OptionalItems { get; set; } = [];
    public List<StudentPolicy> Policies { get; set; } = [];
    [Timestamp] public uint Version { get; set; }
}

public sealed class StudentPolicy
{
    public Guid StudentId { get; set; }
    public string PolicyCode { get; set; } = "";
    public DateOnly? ValidUntil { get; set; }
}

/// <summary>A pupil's move between schools: who moved them, when, from where, to where and why (append-only).</summary>
public sealed class StudentTransfer
{
    public Guid Id { get; set; }
    public Guid StudentId { get; set; }
    public Guid FromSchoolId { get; set; }
    public Guid ToSchoolId { get; set; }
    public DateTimeOffset At { get; set; }
    /// <summary>The administrator's login or the CLI user (Actor.Name), as in the audit log.</summary>
    public string Actor { get; set; } = "";
    public string Reason { get; set; } = "";
}

public sealed class BillingPeriodRow
{
    public Guid Id { get; set; }
    public Guid SchoolId { get; set; }
    public int PeriodKey { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    public string? ClosedBy { get; set; }
    [Timestamp] public uint Version { get; set; }
}

public sealed class BillingRun
{
    public Guid Id { get; set; }
    public int PeriodKey { get; set; }
    public string? SchoolCode { get; set; }
    public DateTimeOffset At { get; set; }
    public int NoticesCreated { get; set; }
    public long AmountDueVnd { get; set; }
    public string Actor { get; set; } = "";
}

public sealed class Notice
{
    public Guid Id { get; set; }
    public string NoticeNo { get; set; } = "";
    public Guid StudentId { get; set; }
    public Guid SchoolId { get; set; }
    public string ClassName { get; set; } = "";
    public int PeriodKey { get; set; }
    public DateOnly DueDate { get; set; }
    public long AmountDueVnd { get; set; }
    public long AmountPaidVnd { get; set; }
    public NoticeStatus Status { get; set; }
    public Guid BillingRunId { get; set; }
    public DateTimeOffset IssuedAt { get; set; }
    /// <summary>The first day the notice was found overdue (by the daily job); kept once set, for ageing and reminders.</summary>
    public DateOnly? OverdueSince { get; set; }
    public List<NoticeLine> Lines { get; set; } = [];
    [Timestamp] public uint Version { get; set; }
}

public sealed class NoticeLine
{
    public Guid Id { get; set; }
    public Guid NoticeId { get; set; }
    public int LineNo { get; set; }
    public string ItemCode { get; set; } = "";
    public string ItemName { get; set; } = "";
    public string Kind { get; set; } = "";
    public int Quantity { get; set; }
    public long UnitPriceVnd { get; set; }
    public long GrossVnd { get; set; }
    public int ReductionPercent { get; set; }
    public string? ReductionPolicy { get; set; }
    public long AmountVnd { get; set; }
}

public static class PaymentMethods
{
    public const string Cash = "cash";
    public const string Bank = "bank";
    public const string Reversal = "reversal";
}

public sealed class Payment
{
    public Guid Id { get; set; }
    public Guid SchoolId { get; set; }
    /// <summary>The student whose credit holds whatever the payment did not allocate.</summary>
    public Guid StudentId { get; set; }
    public string Method { get; set; } = "";
    /// <summary>Positive for money received; a reversal row carries the negative of what it undoes.</summary>
    public long AmountVnd { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
    public string? PayerName { get; set; }
    public Guid? PreferredNoticeId { get; set; }
    public Guid? ReversesPaymentId { get; set; }
    /// <summary>Where the money came from (cash desk, a bank) and its own id there: the idempotency key.</summary>
    public string Source { get; set; } = "";
    public string ExternalRef { get; set; } = "";
    public string Actor { get; set; } = "";
    public string? Reason { get; set; }
    /// <summary>The bank call the money came with, when it came from a bank.</summary>
    public Guid? InboxId { get; set; }
    /// <summary>Set when an accountant should look at it: paid more than owed, a bill already paid, a very large sum.</summary>
    public string? Flag { get; set; }
}

public sealed class Allocation
{
    public Guid Id { get; set; }
    public Guid PaymentId { get; set; }
    public Guid NoticeId { get; set; }
    public Guid NoticeLineId { get; set; }
    /// <summary>Positive when money goes on the line; a reversing entry is negative and points at what it undoes.</summary>
    public long AmountVnd { get; set; }
    public DateTimeOffset At { get; set; }
    public string Kind { get; set; } = "";
    public Guid? ReversesAllocationId { get; set; }
}

public static class AllocationKinds
{
    public const string Payment = "payment";
    public const string Credit = "credit";
    public const string Reversal = "reversal";
}

public sealed class Refund
{
    public Guid Id { get; set; }
    public Guid PaymentId { get; set; }
    public long AmountVnd { get; set; }
    public DateTimeOffset At { get; set; }
    public string Reason { get; set; } = "";
    public string Actor { get; set; } = "";
}

public sealed class ReceiptRow
{
    public Guid Id { get; set; }
    public Guid SeriesId { get; set; }
    public Guid SchoolId { get; set; }
    public long Number { get; set; }
    public Guid PaymentId { get; set; }
    public long AmountVnd { get; set; }
    public string? PayerName { get; set; }
    public DateTimeOffset IssuedAt { get; set; }
    public string Status { get; set; } = "issued";
    public Guid? ReplacesReceiptId { get; set; }
    public DateTimeOffset? CancelledAt { get; set; }
    public string? CancelReason { get; set; }
    [Timestamp] public uint Version { get; set; }
}

public sealed class AuditEntry
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }
    public string Actor { get; set; } = "";
    public string Action { get; set; } = "";
    public string Entity { get; set; } = "";
    public string? EntityKey { get; set; }
    /// <summary>JSON: counts, identifiers and amounts; never names, phone numbers or account numbers.</summary>
    public string Details { get; set; } = "{}";
}

/// <summary>One import of a statement file: who, when, what it held and what was new.</summary>
public sealed class StatementImport
{
    public Guid Id { get; set; }
    public Guid AccountId { get; set; }
    public string FileName { get; set; } = "";
    public string FileSha256 { get; set; } = "";
    public string Format { get; set; } = "";
    public int Lines { get; set; }
    public int Inserted { get; set; }
    public int Skipped { get; set; }
    /// <summary>The first opening and the last closing balance the file states, as decimal text; null when it states none.</summary>
    public string? OpeningBalance { get; set; }
    public string? ClosingBalance { get; set; }
    public DateTimeOffset At { get; set; }
    public string Actor { get; set; } = "";
}

/// <summary>
/// A bank statement line of a school account, as imported. (account, dedupe key) is unique: the bank
/// reference when there is one, else booking date, amount, content and its occurrence in the file.
/// </summary>
public sealed class StatementLineRow
{
    public Guid Id { get; set; }
    public Guid AccountId { get; set; }
    public Guid ImportId { get; set; }
    public string Bank { get; set; } = "";
    public string DedupeKey { get; set; } = "";
    public string? BankRef { get; set; }
    public string? CustomerRef { get; set; }
    public string? StatementId { get; set; }
    public DateOnly BookingDate { get; set; }
    public DateOnly? ValueDate { get; set; }
    public string Direction { get; set; } = "";
    public bool Reversal { get; set; }
    public long AmountVnd { get; set; }
    public string? Type { get; set; }
    public string Content { get; set; } = "";
    public string? CounterpartyName { get; set; }
    public string? CounterpartyAccount { get; set; }
    public int FileLine { get; set; }
    /// <summary>The virtual account the money was paid to, when the bank says (MSB's statement API does).</summary>
    public string? VirtualAccount { get; set; }
}

/// <summary>
/// One credit, whichever channel brings it first: a bank reference on an account is claimed once, by the
/// notification or the statement line that moves its money. The primary key makes a second channel's attempt
/// (even a concurrent one) a duplicate instead of a second payment.
/// </summary>
public sealed class BankRefClaim
{
    public Guid AccountId { get; set; }
    public string BankRef { get; set; } = "";
    /// <summary>"notification" (SourceId is the bank call) or "statement" (SourceId is the statement line).</summary>
    public string Channel { get; set; } = "";
    public Guid SourceId { get; set; }
    public DateTimeOffset At { get; set; }
}

/// <summary>
/// A finding of the cross-check job: a notification no statement confirmed after the settlement window, or a
/// statement credit no notification announced. One per (kind, source); resolved when it no longer holds.
/// </summary>
public sealed class CrossCheckFinding
{
    public Guid Id { get; set; }
    public string Kind { get; set; } = "";
    /// <summary>The bank call (inbox message) or the statement line the finding is about.</summary>
    public Guid SourceId { get; set; }
    public Guid AccountId { get; set; }
    public string Bank { get; set; } = "";
    public string? BankRef { get; set; }
    public DateTimeOffset At { get; set; }
    public long AmountVnd { get; set; }
    public string Reason { get; set; } = "";
    public DateTimeOffset FoundAt { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }
}

/// <summary>What reconciliation decided for one statement line, once: the line id is the key.</summary>
public sealed class Reconciliation
{
    public Guid StatementLineId { get; set; }
    /// <summary>matched, partial, overpaid, multi, duplicate, suggested, unmatched, reversed, ignored.</summary>
    public string Outcome { get; set; } = "";
    public string Reason { get; set; } = "";
    public Guid? PaymentId { get; set; }
    /// <summary>Suggested students for the review queue, as JSON [{"payment_code","why"}].</summary>
    public string Suggestions { get; set; } = "[]";
    public DateTimeOffset DecidedAt { get; set; }
}

/// <summary>
/// An accountant's decision on something waiting for a person: a statement line the matcher would not apply, money
/// parked from a bank call, or a bank call that needs attention (a reversal not applied, a failed or flagged call).
/// Exactly one of the three subjects is set. Undone only by a later, linked decision.
/// </summary>
public sealed class ReviewDecision
{
    public Guid Id { get; set; }
    public Guid? StatementLineId { get; set; }
    /// <summary>Parked money (unidentified_money) the decision assigns or returns.</summary>
    public Guid? ParkedId { get; set; }
    /// <summary>A bank call needing attention that the decision settles.</summary>
    public Guid? InboxId { get; set; }
    public Guid SubjectId => StatementLineId ?? ParkedId ?? InboxId ?? Guid.Empty;
    /// <summary>confirm, reassign, ignore, undo.</summary>
    public string Action { get; set; } = "";
    public Guid? StudentId { get; set; }
    /// <summary>The payment the decision made (confirm, reassign).</summary>
    public Guid? PaymentId { get; set; }
    public Guid? UndoesDecisionId { get; set; }
    /// <summary>For a split: [{"student_id", "amount_vnd", "payment_id"}], one payment per part.</summary>
    public string? Parts { get; set; }
    public string Reason { get; set; } = "";
    public string Actor { get; set; } = "";
    public DateTimeOffset At { get; set; }
}

/// <summary>
/// A person who signs in: a system administrator, a school's accountant or principal (SchoolId set), or an
/// auditor of the education office. Passwords are hashed by ASP.NET Core Identity (PBKDF2), never stored.
/// </summary>
public sealed class FeesUser : Microsoft.AspNetCore.Identity.IdentityUser<Guid>
{
    public Guid? SchoolId { get; set; }
    public string DisplayName { get; set; } = "";
}

/// <summary>How many parent look-ups a (hashed) address or payment code made in a window; shared by every instance.</summary>
public sealed class LookupLimit
{
    public string Key { get; set; } = "";
    public DateTimeOffset WindowStart { get; set; }
    public int Count { get; set; }
}
