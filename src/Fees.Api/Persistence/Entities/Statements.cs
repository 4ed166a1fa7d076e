namespace TdmEdu.Fees.Api.Persistence;

// Statement files and what reconciliation decided for their lines (bank calls and review decisions: Banking.cs).

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
