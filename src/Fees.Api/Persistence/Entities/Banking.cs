namespace TdmEdu.Fees.Api.Persistence;

public static class InboxKinds
{
    public const string BidvPay = "paybill";
    public const string BidvRevert = "revertbill";
    public const string Notify = "notify";
}

/// <summary>Keys of stored bank calls beyond the bank's own transaction id.</summary>
public static class InboxKeys
{
    /// <summary>
    /// A notification whose transaction id a call on another account already holds: kept under this key, of its own
    /// account, so the money that came to this account is stored, applied and retried like any other call.
    /// </summary>
    public static string Clash(string transactionId, Guid accountId) => $"{transactionId}{Separator}{accountId:N}";

    /// <summary>
    /// A payment's reference as people read it (voucher numbers, the bank book): the bank's own transaction id, without the
    /// account a clash key adds. That suffix would tell a school that another school's call held the id (found by attack).
    /// </summary>
    public static string Shown(string reference)
    {
        var at = reference.IndexOf(Separator, StringComparison.Ordinal);
        var account = at < 0 || reference.Length < at + 33 ? default : reference.AsSpan(at + 1, 32);
        if (account.IsEmpty) return reference;
        foreach (var c in account)
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c)) return reference;
        return string.Concat(reference.AsSpan(0, at), reference.AsSpan(at + 33));
    }

    /// <summary>Never in a bank's own transaction id (every door refuses it, <c>InboxAnswers.StoreAsync</c>), so no call can take another account's clash key first.</summary>
    public const char Separator = '@';

    /// <summary>
    /// Marks the references of payments a person decided in the review queue (KEY#review1, KEY#review1.2): never in a
    /// bank's own key (every door refuses it, <c>InboxAnswers.StoreAsync</c>), so no bank call can take such a reference
    /// first and block another school's decision.
    /// </summary>
    public const char ReviewMark = '#';

    /// <summary>
    /// Whether a bank's transaction id holds a character kept for our own keys (<see cref="Separator"/> of clash keys,
    /// <see cref="ReviewMark"/> of review decisions): such a call is refused at every door, whether the id is the call's
    /// own or the one a reversal names.
    /// </summary>
    public static bool Reserved(string? transactionId) =>
        transactionId is not null && (transactionId.Contains(Separator, StringComparison.Ordinal) || transactionId.Contains(ReviewMark, StringComparison.Ordinal));
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
    /// <summary>A reversal's: the transaction id of the credit it takes back (notifications), kept when it is applied.</summary>
    public string? OriginalKey { get; set; }
    /// <summary>The W3C trace context of the request that stored the call (00-trace-span-flags), for the worker's span to link to.</summary>
    public string? TraceParent { get; set; }
    public int AnswerStatus { get; set; }
    public string AnswerBody { get; set; } = "";
    public DateTimeOffset? ProcessedAt { get; set; }
    /// <summary>applied, unidentified, reversed, ignored, failed.</summary>
    public string? Outcome { get; set; }
    public string? OutcomeReason { get; set; }
    /// <summary>The same reason in Vietnamese, for the pages (null on calls decided before reasons were written twice).</summary>
    public string? OutcomeReasonVi { get; set; }
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
    public string? ReasonVi { get; set; }
    /// <summary>Pupils the matcher proposes for the review queue, as JSON [{"payment_code","why","why_vi","best"}], best first.</summary>
    public string Suggestions { get; set; } = "[]";
    /// <summary>Set when a later debit of the bank reversed it: a bank call, or a line of the account statement.</summary>
    public Guid? ReversedByInboxId { get; set; }
    public Guid? ReversedByStatementLineId { get; set; }
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
