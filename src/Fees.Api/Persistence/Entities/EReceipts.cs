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
