using System.ComponentModel.DataAnnotations;

namespace TdmEdu.Fees.Api.Persistence;

// Persistence shapes. Money is bigint đồng; financial rows (notices, lines, payments, allocations, refunds,
// receipts, audit) are only ever inserted, except the derived notice columns (amount paid, status) that the
// ledger keeps in step with the allocations, guarded by xmin.

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
    /// <summary>How the money went back: cash at the counter (it leaves the cash book) or a bank transfer.</summary>
    public string Method { get; set; } = PaymentMethods.Cash;
    /// <summary>The accountant's request the refund carried out, when it came from the screens.</summary>
    public Guid? CorrectionRequestId { get; set; }
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
    /// <summary>One of <see cref="ReceiptStates"/>; receipts from before e-receipts are only issued or cancelled.</summary>
    public string Status { get; set; } = ReceiptStates.Issued;
    public Guid? ReplacesReceiptId { get; set; }
    public DateTimeOffset? CancelledAt { get; set; }
    public string? CancelReason { get; set; }
    /// <summary>The pupil the receipt is for (one receipt per payment and pupil); null on receipts from before e-receipts.</summary>
    public Guid? StudentId { get; set; }
    /// <summary>The day of issue the receipt states: the day the money was collected, in Vietnam.</summary>
    public DateOnly? IssuedOn { get; set; }
    /// <summary>Crockford base32, 12 characters, unique within the school; null on receipts from before e-receipts.</summary>
    public string? LookupCode { get; set; }
    /// <summary>The signed XML, the legal document; set once, with its hash, signing time and certificate.</summary>
    public byte[]? SignedXml { get; set; }
    public string? XmlSha256 { get; set; }
    public DateTimeOffset? SigningTime { get; set; }
    public string? CertSerial { get; set; }
    public string? CertSubject { get; set; }
    public bool SandboxCert { get; set; }
    /// <summary>Why the last signing attempt failed, in Vietnamese (the administrator's page shows it); cleared when signed.</summary>
    public string? SignProblem { get; set; }
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

/// <summary>
/// One run of the ledger audit (<c>Application/Reports/LedgerAudit</c>), by the scheduled job (once per cluster) or
/// <c>fees audit</c>: the vital signs read the last one, so the nodes do not each run it.
/// </summary>
public sealed class LedgerAuditRun
{
    public long Id { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset FinishedAt { get; set; }
    /// <summary>Who ran it: <c>job:ledger-audit</c> on a node, or <c>cli</c>.</summary>
    public string RunBy { get; set; } = "";
    public int Checks { get; set; }
    public int FailedChecks { get; set; }
    public int ReceiptGaps { get; set; }
    /// <summary>JSON: the seconds each check took, by its name; no rows, no personal data.</summary>
    public string Seconds { get; set; } = "{}";
}

/// <summary>
/// A correction an accountant asked for (a reversal, a replaced receipt, a refund of credit): done at once up to the
/// authority's limit, otherwise pending until the school's principal approves or rejects it. The request is the
/// record of who asked, who decided and why; the correction itself is the ledger's usual linked entries.
/// </summary>
public sealed class CorrectionRequest
{
    public Guid Id { get; set; }
    public Guid SchoolId { get; set; }
    /// <summary>reverse_payment, replace_receipt or refund_credit.</summary>
    public string Kind { get; set; } = "";
    public Guid? ReceiptId { get; set; }
    public Guid? StudentId { get; set; }
    public long AmountVnd { get; set; }
    public string? RefundMethod { get; set; }
    public string Reason { get; set; } = "";
    public string RequestedBy { get; set; } = "";
    public DateTimeOffset RequestedAt { get; set; }
    /// <summary>pending, done or rejected.</summary>
    public string Status { get; set; } = "pending";
    public string? DecidedBy { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    public string? DecisionNote { get; set; }
    /// <summary>What the correction made: the reversal's payment id, the replacement receipt's number, the credit left.</summary>
    public string? Result { get; set; }
}

/// <summary>
/// Which accounts a voucher posts to (docs/contracts/vouchers.md): for an item (or "*") and a channel (cash, bank or
/// "*"), the debit (the money account) and the credit (the item's account); the item code "_CREDIT" names the account
/// that holds a pupil's money not yet on a notice. A school's own row beats the authority's ("" school).
/// </summary>
public sealed class VoucherAccount
{
    public Guid Id { get; set; }
    public string SchoolCode { get; set; } = "";
    public string ItemCode { get; set; } = "*";
    public string Channel { get; set; } = "*";
    public string Debit { get; set; } = "";
    public string Credit { get; set; } = "";
}
