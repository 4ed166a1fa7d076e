namespace TdmEdu.Fees.Api.Persistence;

/// <summary>
/// The states of a receipt (contracts/ereceipts.md §8). Receipts from before e-receipts are issued or cancelled; a
/// receipt replaced before e-receipts is cancelled with a replacement naming it.
/// </summary>
public static class ReceiptStates
{
    public const string PendingSignature = "pending_signature";
    public const string Issued = "issued";
    public const string Sent = "sent";
    public const string Accepted = "accepted";
    public const string Rejected = "rejected";
    public const string Cancelled = "cancelled";
    public const string Replaced = "replaced";

    /// <summary>The states in which a receipt still stands for its money.</summary>
    public static readonly string[] Live = [PendingSignature, Issued, Sent, Accepted, Rejected];

    /// <summary>The same list for SQL: <c>status IN {LiveSql}</c>.</summary>
    public const string LiveSql = "('pending_signature', 'issued', 'sent', 'accepted', 'rejected')";

    public static bool IsLive(string status) => Array.IndexOf(Live, status) >= 0;
}

/// <summary>Whether a fee item is receipted by the service or invoiced by the school's e-invoice provider (contracts/ereceipts.md §2).</summary>
public static class DocumentKinds
{
    public const string Receipt = "receipt";
    public const string InvoiceSales = "invoice_sales";
    public const string InvoiceVat = "invoice_vat";
    public static readonly string[] All = [Receipt, InvoiceSales, InvoiceVat];
}

/// <summary>One fee or charge on a receipt, as signed: its name, amount and, when it paid a notice line, that line.</summary>
public sealed class ReceiptItemRow
{
    public Guid Id { get; set; }
    public Guid ReceiptId { get; set; }
    public int Position { get; set; }
    public string Name { get; set; } = "";
    public long AmountVnd { get; set; }
    public Guid? NoticeLineId { get; set; }
}

/// <summary>A receipt's change of state, with who and why: only ever added.</summary>
public sealed class ReceiptEventRow
{
    public Guid Id { get; set; }
    public Guid ReceiptId { get; set; }
    public DateTimeOffset At { get; set; }
    public string FromStatus { get; set; } = "";
    public string ToStatus { get; set; } = "";
    public string Actor { get; set; } = "";
    public string? Reason { get; set; }
}

/// <summary>
/// A school's setting for a fee item, from an instant on: the document its money gets (no row: a receipt). Only ever
/// added, so the audit knows what the setting was when money came.
/// </summary>
public sealed class ItemDocumentKind
{
    public Guid Id { get; set; }
    public Guid SchoolId { get; set; }
    public string ItemCode { get; set; } = "";
    public string DocumentKind { get; set; } = DocumentKinds.Receipt;
    public DateTimeOffset FromAt { get; set; }
    public string ChangedBy { get; set; } = "";
}

/// <summary>Where a document sent to the T-VAN provider stands in our outbox (its receipt's own state is <see cref="ReceiptStates"/>).</summary>
public static class TvanDocumentStates
{
    /// <summary>Not yet taken by the provider: sent at <c>next_at</c>, again and again until it is.</summary>
    public const string Pending = "pending";
    /// <summary>The provider took it (202); its answer from the tax office is awaited.</summary>
    public const string Sent = "sent";
    public const string Accepted = "accepted";
    public const string Rejected = "rejected";
    /// <summary>The provider holds other content under this key (409): never sent again; an administrator looks.</summary>
    public const string Conflict = "conflict";
}

/// <summary>
/// One document for the tax office through the provider (contracts/ereceipts.md §10): a signed receipt, an error
/// notice 04/SS-CTĐT or a usage report BC26/BLĐT. Its key and content never change once queued, so a retry is always
/// the same document under the same key; only its delivery columns move.
/// </summary>
public sealed class TvanDocumentRow
{
    public Guid Id { get; set; }
    public Guid SchoolId { get; set; }
    public string Kind { get; set; } = "";
    /// <summary>The receipt sent, or the receipt an error notice is about; none for a usage report.</summary>
    public Guid? ReceiptId { get; set; }
    public string IdempotencyKey { get; set; } = "";
    public string? Template { get; set; }
    public string? Series { get; set; }
    public long? Number { get; set; }
    public DateOnly IssuedOn { get; set; }
    public long TotalVnd { get; set; }
    /// <summary>The signed XML of a notice or a report; a receipt's is its own row's <c>signed_xml</c>.</summary>
    public byte[]? Xml { get; set; }
    public string Sha256 { get; set; } = "";
    public string State { get; set; } = TvanDocumentStates.Pending;
    public int Attempts { get; set; }
    public DateTimeOffset NextAt { get; set; }
    public string? LastCode { get; set; }
    public string? LastError { get; set; }
    public string? ProviderId { get; set; }
    public string? ProviderStatus { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>What the provider said of a document, as it said it (a callback, a poll, an upload's answer): only ever added.</summary>
public sealed class TvanEventRow
{
    public Guid Id { get; set; }
    public Guid? DocumentId { get; set; }
    public string ProviderId { get; set; } = "";
    public string Status { get; set; } = "";
    public string? MessageId { get; set; }
    public string? Errors { get; set; }
    public string? ProviderUpdatedAt { get; set; }
    public string Source { get; set; } = "";
    public DateTimeOffset ReceivedAt { get; set; }
}
