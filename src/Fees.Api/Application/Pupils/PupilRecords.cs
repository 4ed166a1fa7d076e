using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Api.Application.Pupils;

// What a school's staff see of one pupil and of one notice: the school's own records only (a pupil who moved has
// notices, payments and messages at each school, each school sees its own).

/// <summary>The pupil; <see cref="NowAt"/> names the school the pupil moved to, when not this one.</summary>
public sealed record PupilFacts(Guid Id, string FullName, string StudentCode, string PaymentCode, string ClassName, int Grade, string? NowAt, DateOnly? LeftOn = null);

public sealed record PupilNotice(string NoticeNo, BillingMonth Month, DateOnly DueDate, long DueVnd, long PaidVnd, long BalanceVnd, string Status, bool Overdue);

/// <summary>What a payment put on one notice, net of anything taken back.</summary>
public sealed record PaidNotice(string NoticeNo, long AmountVnd);

/// <summary>
/// A payment the school received for the pupil (or one that paid the pupil's notices): its live receipt, the pupil's
/// notices it paid, what it paid for other pupils, what it holds as credit, and whether it was reversed.
/// </summary>
public sealed record PupilPayment(Guid Id, DateTimeOffset At, string Method, long AmountVnd, string? Payer, string? Receipt, Guid? ReceiptId,
    IReadOnlyList<PaidNotice> Paid, long OtherPupilsVnd, long HeldVnd, long RefundedVnd, DateTimeOffset? ReversedAt, string? Flag);

/// <summary>A receipt of the pupil's payments; <see cref="Replaces"/> is the reference of the cancelled receipt it replaced.</summary>
public sealed record PupilReceipt(Guid Id, string Reference, DateTimeOffset IssuedAt, long AmountVnd, string? Payer, string Status, string? Replaces,
    DateTimeOffset? CancelledAt, string? CancelReason);

public sealed record PupilRefund(DateTimeOffset At, long AmountVnd, string Reason);

/// <summary>One way of reaching the guardian: the contact (whole or half hidden, as the viewer may see it) and what the guardian chose.</summary>
public sealed record GuardianWay(string Kind, string Shown, string? Whole, string Choice);

public sealed record GuardianCard(string? Name, IReadOnlyList<GuardianWay> Ways);

/// <summary>A move between schools; <see cref="In"/> when the pupil came to this school.</summary>
public sealed record PupilTransfer(DateTimeOffset At, string FromSchool, string ToSchool, string Reason, bool In);

/// <summary>A message about the pupil, as the messages page shows it: never where it went nor what it said.</summary>
public sealed record PupilMessage(DateTimeOffset At, string Kind, string Channel, string Status, string? NoticeNo);

/// <summary>
/// The pupil's page. <see cref="Guardian"/> is null for a pupil who moved away (the new school keeps the contacts), and
/// when the roster names none. <see cref="MessagesCut"/> when only the latest <see cref="PupilFiles.MaxMessages"/> are listed.
/// </summary>
public sealed record PupilRecord(PupilFacts Pupil, IReadOnlyList<PupilNotice> Notices, IReadOnlyList<PupilPayment> Payments,
    IReadOnlyList<PupilReceipt> Receipts, IReadOnlyList<PupilRefund> Refunds, long CreditVnd, GuardianCard? Guardian,
    IReadOnlyList<PupilTransfer> Transfers, IReadOnlyList<PupilMessage> Messages, bool MessagesCut)
{
    public long OwedVnd => Notices.Where(n => n.Status is "issued" or "partially_paid").Sum(n => n.BalanceVnd);
}

/// <summary>A notice line; <see cref="AdjustVnd"/> is what earlier months' absences took off it (see <see cref="Refunds"/>).</summary>
public sealed record NoticeLineRow(int LineNo, string Item, string Kind, int Quantity, long UnitPriceVnd, long GrossVnd, int ReductionPercent, long AmountVnd,
    long AdjustVnd = 0, IReadOnlyList<Billing.RefundNote>? Refunds = null, string? LegalBasis = null,
    long SupportVnd = 0, string? SupportBasis = null, string? ReductionBasis = null, string? PartMonth = null, int? DaysIn = null, int? DaysOf = null)
{
    public string? PartNote(bool english) => Billing.PartMonthNote.Text(PartMonth, DaysIn, DaysOf, english);
    public long ReductionVnd => GrossVnd - AmountVnd - AdjustVnd - SupportVnd;
}

/// <summary>Money on a notice from one payment, by kind (a payment, credit carried over, a reversal), net.</summary>
public sealed record NoticeMoney(Guid PaymentId, DateTimeOffset At, string Method, string Kind, long AmountVnd, string? Receipt);

/// <summary>A notice's page: its lines, amounts, state, the money on it and the messages about it.</summary>
public sealed record NoticeRecord(string NoticeNo, BillingMonth Month, DateOnly DueDate, DateTimeOffset IssuedAt, string Status, bool Overdue,
    long DueVnd, long PaidVnd, string PupilName, string PaymentCode, string ClassName, IReadOnlyList<NoticeLineRow> Lines,
    IReadOnlyList<NoticeMoney> Money, IReadOnlyList<PupilMessage> Messages)
{
    public long BalanceVnd => TdmEdu.Fees.Domain.Notices.NoticeStatusNames.LeftToPay(Status, DueVnd, PaidVnd);
    public long GrossVnd => Lines.Sum(l => l.GrossVnd);
    public long ReductionVnd => Lines.Sum(l => l.ReductionVnd);
    public long AdjustVnd => Lines.Sum(l => l.AdjustVnd);
    public long SupportVnd => Lines.Sum(l => l.SupportVnd);
}
