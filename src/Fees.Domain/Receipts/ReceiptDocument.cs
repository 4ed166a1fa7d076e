namespace TdmEdu.Fees.Domain.Receipts;

/// <summary>The collecting unit as a receipt names it (contracts/ereceipts.md §4, row 4).</summary>
public sealed record ReceiptCollector(string Name, string TaxCode, string Address, string? Phone = null, string? BankAccount = null, string? BankName = null);

/// <summary>The payer: the guardian, or the payer's name the bank gave; a tax code and address only when known; the pupil's payment code.</summary>
public sealed record ReceiptPayer(string Name, string? TaxCode = null, string? Address = null, string? PaymentCode = null);

/// <summary>One fee or charge and its amount.</summary>
public sealed record ReceiptItem(string Name, long AmountVnd);

/// <summary>A fact of ours printed with the receipt (the pupil, the month, the notice), as `TTKhac/TTin`.</summary>
public sealed record ReceiptNote(string Field, string Value);

/// <summary>The receipt a replacement replaces: its symbols, number and day, and why.</summary>
public sealed record ReplacedReceipt(string Template, string Series, long Number, DateOnly IssuedOn, string Note);

/// <summary>
/// Everything a legal e-receipt carries (contracts/ereceipts.md §4), as the service decided it; written as XML by
/// <see cref="ReceiptXmlWriter"/>. Amounts are whole đồng; the total is the items' sum and is stated in words.
/// </summary>
public sealed record ReceiptDocument(
    string Template,
    string Series,
    long Number,
    DateOnly IssuedOn,
    bool Cash,
    string LookupCode,
    string LookupAddress,
    ReceiptCollector Collector,
    ReceiptPayer Payer,
    IReadOnlyList<ReceiptItem> Items,
    IReadOnlyList<ReceiptNote> Notes,
    ReplacedReceipt? Replaces = null)
{
    public long TotalVnd => Items.Sum(i => i.AmountVnd);
}
