using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Api.Application.Reports;

/// <summary>
/// A notice line as the family sees it: the reduction by its percent and document, never its ground (poverty,
/// disability, ethnicity stay with the school's reduction work); what the state pays in their place, with its document.
/// </summary>
public sealed record NoticeLineView(string Item, string Kind, int Quantity, long UnitPriceVnd, long GrossVnd, int ReductionPercent, string? ReductionBasis, long AmountVnd,
    IReadOnlyList<Billing.RefundNote>? Refunds = null, string? LegalBasis = null, long SupportVnd = 0, string? SupportBasis = null,
    string? PartMonth = null, int? DaysIn = null, int? DaysOf = null)
{
    public string? PartNote(bool english) => Billing.PartMonthNote.Text(PartMonth, DaysIn, DaysOf, english);
}

public sealed record BankOption(string Bank, string Bin, string BankName, string AccountNo, string AccountName, string? VirtualAccount);

/// <summary>A school money is paid to, with its accounts in the school's order: the first is the one its QR codes name.</summary>
public sealed record PaySchool(Guid Id, string Code, string Name, IReadOnlyList<BankOption> Banks)
{
    public BankOption? QrAccount => Banks.Count > 0 ? Banks[0] : null;
}

/// <summary>
/// A notice as the parent sees it, with the school that issued it (the pupil's earlier school after a transfer): its QR
/// and accounts are that school's. <see cref="TransferText"/> is exactly the purpose its QR carries.
/// </summary>
public sealed record ParentNotice(string NoticeNo, BillingMonth Month, DateOnly DueDate, long DueVnd, long PaidVnd, long BalanceVnd, string Status, bool Overdue,
    IReadOnlyList<NoticeLineView> Lines, string? VietQr, string TransferText, PaySchool School, bool IssuedByAnotherSchool);

/// <summary>
/// What one school is owed for the pupil: every open month of the notices it issued, and one QR that pays all of it to
/// that school's account. Its purpose is the payment code alone, which the ledger applies oldest month first.
/// </summary>
public sealed record ParentTotal(PaySchool School, long OwedVnd, IReadOnlyList<BillingMonth> Months, string? VietQr, string TransferText, bool IssuedByAnotherSchool);

/// <summary>How a payment was put on the months, in the words the page uses.</summary>
public enum PaymentApplied
{
    /// <summary>The transfer named a month (the bank path set the preferred notice) and the money went there first.</summary>
    NamedMonth,
    /// <summary>The transfer named a month that was already paid: the money went to the oldest open months.</summary>
    NamedMonthAlreadyPaid,
    /// <summary>No month named: oldest open months first.</summary>
    OldestFirst,
    /// <summary>Cash at the school's counter, for the notice the accountant took it for.</summary>
    AtTheCounter,
}

public sealed record PaidMonth(BillingMonth Month, long AmountVnd);

/// <summary>
/// A payment in the pupil's history: the months of this pupil it paid (from its allocations, net of any taken back),
/// what it paid for other pupils named in the same transfer, what it still holds as credit, and how it was applied.
/// </summary>
public sealed record ParentPayment(DateTimeOffset At, long AmountVnd, string Method, string? Receipt, Guid? ReceiptId,
    IReadOnlyList<PaidMonth> Months, long OtherPupilsVnd, long HeldVnd, PaymentApplied Applied, BillingMonth? NamedMonth)
{
    /// <summary>The receipt's state (contracts/ereceipts.md §8) and, for an e-receipt, its verification page (the signed XML is there).</summary>
    public string? ReceiptStatus { get; init; }
    public string? VerifyPath { get; init; }
}

/// <summary>The pupil's page: what is owed (one total per school owed), the months, the payments, and the current school.</summary>
public sealed record ParentView(Guid StudentId, string StudentName, string ClassName, string PaymentCode, PaySchool School,
    IReadOnlyList<ParentTotal> Totals, IReadOnlyList<ParentNotice> Notices, IReadOnlyList<ParentPayment> Payments)
{
    public long OwedVnd => Totals.Sum(t => t.OwedVnd);
}
