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

    /// <summary>Overdue when the due date has passed and money is still owed.</summary>
    public static bool IsOverdue(NoticeStatus status, DateOnly dueDate, long balanceVnd, DateOnly today) =>
        status is NoticeStatus.Issued or NoticeStatus.PartiallyPaid && balanceVnd > 0 && today > dueDate;
}
