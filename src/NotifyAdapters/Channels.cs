namespace TdmEdu.Fees.NotifyAdapters;

/// <summary>The ways a message reaches a guardian (contracts/notifications.md §2); the wire names are the outbox's.</summary>
public enum NotificationChannel
{
    ZaloZns,
    Sms,
    Email,
}

/// <summary>The kinds of message (§1); the wire names are the outbox's.</summary>
public enum MessageKind
{
    NoticeIssued,
    ReminderDue,
    ReminderOverdue,
    PaymentApplied,
    ReceiptChanged,
}

public static class WireNames
{
    public static string Of(NotificationChannel c) => c switch
    {
        NotificationChannel.ZaloZns => "zalo_zns",
        NotificationChannel.Sms => "sms",
        _ => "email",
    };

    public static string Of(MessageKind k) => k switch
    {
        MessageKind.NoticeIssued => "notice_issued",
        MessageKind.ReminderDue => "reminder_due",
        MessageKind.ReminderOverdue => "reminder_overdue",
        MessageKind.PaymentApplied => "payment_applied",
        _ => "receipt_changed",
    };

    public static NotificationChannel? ChannelOf(string? wire) => wire switch
    {
        "zalo_zns" => NotificationChannel.ZaloZns,
        "sms" => NotificationChannel.Sms,
        "email" => NotificationChannel.Email,
        _ => null,
    };

    public static MessageKind? KindOf(string? wire) => wire switch
    {
        "notice_issued" => MessageKind.NoticeIssued,
        "reminder_due" => MessageKind.ReminderDue,
        "reminder_overdue" => MessageKind.ReminderOverdue,
        "payment_applied" => MessageKind.PaymentApplied,
        "receipt_changed" => MessageKind.ReceiptChanged,
        _ => null,
    };
}

/// <summary>
/// The values a template is filled with (§5), taken from the state when the message is sent. Amounts are whole
/// đồng; each channel formats them its own way. <see cref="VerifyLink"/>: the public verification page of the
/// message's e-receipt (contracts/ereceipts.md §12), when it has one.
/// </summary>
public sealed record MessageValues(
    string School,
    string SchoolShortAscii,
    string FirstName,
    int PeriodMonth,
    int PeriodYear,
    long? AmountVnd,
    long? PaidVnd,
    long? LeftVnd,
    DateOnly? DueDate,
    string PaymentCode,
    string? Receipt,
    string Link,
    string? ReplyTo = null,
    string? UnsubscribeLink = null,
    string? VerifyLink = null);

/// <summary>One message as the outbox hands it to a channel: who, what, and our id (the provider's tracking id).</summary>
public sealed record OutboundMessage(
    Guid Id,
    NotificationChannel Channel,
    MessageKind Kind,
    string Variant,
    string Destination,
    MessageValues Values);

/// <summary>
/// What the outbox should record after a failure (§6): <see cref="Unreachable"/> and <see cref="OptedOut"/> set the
/// guardian's <c>guardian_channel</c> state; <see cref="DisableChannel"/> pauses the channel and alerts the administrator.
/// Whether the message itself moves on is <see cref="Failed.TryNextChannel"/>.
/// </summary>
public enum FailureHint
{
    None,
    NextChannel,
    Unreachable,
    OptedOut,
    DisableChannel,
}

/// <summary>A channel's answer (§6): accepted, try again later, failed for good, or no answer after the request left.</summary>
public abstract record SendOutcome(string? Body)
{
    /// <summary>The rendered text that went (or would have gone) out, kept with the message as proof.</summary>
    public string? Body { get; init; } = Body;
}

public sealed record Accepted(string ProviderMessageId, int Segments, long? CostVnd, string? Body) : SendOutcome(Body)
{
    /// <summary>ZNS: the OA's daily quota as this answer gave it; the host pauses ZNS when nothing remains (§3).</summary>
    public ProviderQuota? Quota { get; init; }
}

public sealed record Retry(string Code, DateTimeOffset? NotBefore, string? Body) : SendOutcome(Body)
{
    /// <summary>
    /// The whole channel waits until <see cref="Retry.NotBefore"/> (a daily quota is spent), not only this message:
    /// sending more now would only earn the same answer.
    /// </summary>
    public bool WholeChannel { get; init; }
}

public sealed record Failed(string Code, string Reason, FailureHint Hint, string? Body) : SendOutcome(Body)
{
    /// <summary>The message should go on the next channel of the school's order, when there is one.</summary>
    public bool TryNextChannel { get; init; }

    /// <summary>Only an administrator can fix this (a template, keys, balance): the host raises an alert.</summary>
    public bool Alert { get; init; }
}

/// <summary>A provider's daily sending quota as it last reported it.</summary>
public sealed record ProviderQuota(long Daily, long Remaining);

public sealed record Unknown(string Code, string? Body) : SendOutcome(Body);

/// <summary>One channel's adapter (Zalo ZNS, SMS, e-mail). Adapters never retry on their own: the outbox owns retries.</summary>
public interface INotificationChannel
{
    NotificationChannel Channel { get; }

    ValueTask<SendOutcome> SendAsync(OutboundMessage message, CancellationToken ct);
}
