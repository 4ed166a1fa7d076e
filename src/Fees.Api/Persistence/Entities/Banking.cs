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
    /// <summary>What the file's lines add up to, credits and debits, as read (each transaction once); the audit
    /// checks the stored lines of the import still add up to them. Null for imports made before they were kept.</summary>
    public long? FileCreditsVnd { get; set; }
    public long? FileDebitsVnd { get; set; }
    /// <summary>For a bank's statement API: the days the pull asked for and the bank answered in full (from its first
    /// day to the last complete one); null for a file. A day covered is one the bank reported every line of.</summary>
    public DateOnly? CoveredFrom { get; set; }
    public DateOnly? CoveredThrough { get; set; }
}

/// <summary>
/// A balance of a school account the bank stated, as the balance at the end of a day: a statement's closing balance
/// dated that day, its opening balance dated the next day, or (from a statement API) the balance after the day's last
/// line. The bank book reads a month's opening and closing from them.
/// </summary>
public sealed class StatementBalanceRow
{
    public Guid Id { get; set; }
    public Guid AccountId { get; set; }
    public Guid ImportId { get; set; }
    /// <summary>The balance is the account's at the end of this day.</summary>
    public DateOnly Day { get; set; }
    public long BalanceVnd { get; set; }
    /// <summary>What the bank stated: "opening" (of the next day), "closing", or "running" (after the day's last line).</summary>
    public string Stated { get; set; } = "";
    /// <summary>Where in the file, when it came from one.</summary>
    public int? FileLine { get; set; }
}

/// <summary>Which stored line each transaction of an import is: the new ones and those imported before.</summary>
public sealed class StatementImportLine
{
    public Guid ImportId { get; set; }
    public Guid LineId { get; set; }
    /// <summary>A bank's statement API that reported a line a file brought first, describing it otherwise: the API does
    /// not confirm that line (the bank book lists it unconfirmed).</summary>
    public bool Disagrees { get; set; }
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
public sealed class LineDecision
{
    public Guid StatementLineId { get; set; }
    /// <summary>matched, partial, overpaid, multi, duplicate, suggested, unmatched, reversed, ignored.</summary>
    public string Outcome { get; set; } = "";
    public string Reason { get; set; } = "";
    /// <summary>The same reason in Vietnamese, for the pages (null on lines decided before reasons were written twice).</summary>
    public string? ReasonVi { get; set; }
    public Guid? PaymentId { get; set; }
    /// <summary>Suggested students for the review queue, best first, as JSON [{"payment_code","why","why_vi","best"}].</summary>
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
/// A statement file an accountant uploaded on the page and previewed, kept until it is imported: the import takes
/// exactly these bytes (their SHA-256 is carried by the page and checked again). Not a financial row; removed once
/// imported, and uploads older than a day are removed by the next upload.
/// </summary>
public sealed class StatementUpload
{
    public Guid Id { get; set; }
    public Guid SchoolId { get; set; }
    public Guid AccountId { get; set; }
    public string FileName { get; set; } = "";
    public string Format { get; set; } = "";
    public string FileSha256 { get; set; } = "";
    public byte[] Content { get; set; } = [];
    /// <summary>The column map the preview read the file by (JSON), so the import reads it the same way; saved to the account when imported.</summary>
    public string? Columns { get; set; }
    public string Actor { get; set; } = "";
    public DateTimeOffset At { get; set; }
}

/// <summary>
/// How an account's statement exports are read when no bank layout knows them: the columns an accountant mapped once
/// on the statement page (<see cref="TdmEdu.Fees.BankAdapters.Statements.Files.ColumnMap"/> as JSON), one per account,
/// replaced when mapped again. Saved only by an import that used it.
/// </summary>
public sealed class StatementColumnMapRow
{
    public Guid AccountId { get; set; }
    public string Map { get; set; } = "";
    public string SavedBy { get; set; } = "";
    public DateTimeOffset SavedAt { get; set; }
}
