namespace TdmEdu.Fees.Domain.Notices;

/// <summary>The lifecycle state of a fee notice. Overdue is not a state: it follows from due date and balance.</summary>
public enum NoticeStatus { Draft, Issued, PartiallyPaid, Paid, Cancelled, Refunded }

public static class NoticeStatusNames
{
    /// <summary>The name used in files and on screens (cli.md): draft, issued, partially_paid, paid, cancelled, refunded.</summary>
    public static string ToWire(this NoticeStatus status) => status switch
    {
        NoticeStatus.Draft => "draft",
        NoticeStatus.Issued => "issued",
        NoticeStatus.PartiallyPaid => "partially_paid",
        NoticeStatus.Paid => "paid",
        NoticeStatus.Cancelled => "cancelled",
        NoticeStatus.Refunded => "refunded",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    /// <summary>What is left to pay on a notice: nothing on one withdrawn (cancelled, or refunded when it held money).</summary>
    public static long LeftToPay(NoticeStatus status, long dueVnd, long paidVnd) =>
        status is NoticeStatus.Cancelled or NoticeStatus.Refunded ? 0 : Math.Max(0, dueVnd - paidVnd);

    /// <summary>The same for a status in its wire name.</summary>
    public static long LeftToPay(string status, long dueVnd, long paidVnd) =>
        status is "cancelled" or "refunded" ? 0 : Math.Max(0, dueVnd - paidVnd);

    /// <summary>Overdue when the due date has passed and money is still owed.</summary>
    public static bool IsOverdue(NoticeStatus status, DateOnly dueDate, long balanceVnd, DateOnly today) =>
        status is NoticeStatus.Issued or NoticeStatus.PartiallyPaid && balanceVnd > 0 && today > dueDate;
}
