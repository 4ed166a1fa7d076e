namespace TdmEdu.Fees.Api.Persistence;

/// <summary>
/// A pupil's guardian as a school knows them: one row per school and phone (or e-mail, for a guardian without a
/// phone), so siblings at one school share it. Contacts are children's-data adjacent: never logged.
/// </summary>
public sealed class Guardian
{
    public Guid Id { get; set; }
    public Guid SchoolId { get; set; }
    public string? FullName { get; set; }
    /// <summary>A Vietnamese mobile number as 0 + 9 digits; the outbox writes it as 84 + 9 digits.</summary>
    public string? Phone { get; set; }
    /// <summary>Lower case, trimmed.</summary>
    public string? Email { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>Consent and opt-out per guardian and channel (contracts/notifications.md §3).</summary>
public sealed class GuardianChannel
{
    public Guid GuardianId { get; set; }
    public string Channel { get; set; } = "";
    /// <summary>allowed, opted_out (nothing on this channel) or unreachable.</summary>
    public string State { get; set; } = "";
    /// <summary>The guardian switched reminders off on this channel (the parent's page, the e-mail's one-click link); notices and receipts still come.</summary>
    public bool RemindersOff { get; set; }
    public DateTimeOffset? ConsentAt { get; set; }
    public string? ConsentSource { get; set; }
    public int? ConsentTextVersion { get; set; }
    public DateTimeOffset ChangedAt { get; set; }
}

/// <summary>How a school reaches its families; a school without a row uses the defaults.</summary>
public sealed class SchoolMessaging
{
    public Guid SchoolId { get; set; }
    /// <summary>The name in messages (at most 30 characters); the school's name when empty.</summary>
    public string? ShortName { get; set; }
    /// <summary>The school has a Zalo Official Account with approved ZNS templates: Zalo goes first, SMS only when Zalo cannot reach.</summary>
    public bool ZaloEnabled { get; set; }
    public bool SmsEnabled { get; set; } = true;
    public bool EmailEnabled { get; set; } = true;
    public string? ReplyToEmail { get; set; }
    /// <summary>What SMS may cost the school in a month; when spent, SMS rows are suppressed and the others go on.</summary>
    public long? SmsMonthlyBudgetVnd { get; set; }
    public int DueReminderDays { get; set; } = 3;
    /// <summary>Days after the due date for the overdue reminders (at most two).</summary>
    public int[] OverdueReminderDays { get; set; } = [3, 10];
    public bool SendOnSunday { get; set; }
}

/// <summary>One message to one guardian on one channel (contracts/notifications.md §2): the outbox.</summary>
public sealed class OutboxMessage
{
    public Guid Id { get; set; }
    public Guid SchoolId { get; set; }
    public Guid GuardianId { get; set; }
    public Guid StudentId { get; set; }
    public Guid? NoticeId { get; set; }
    public Guid? ReceiptId { get; set; }
    public Guid? PaymentId { get; set; }
    public string Kind { get; set; } = "";
    public string Variant { get; set; } = "";
    public string Channel { get; set; } = "";
    public string IdempotencyKey { get; set; } = "";
    public string Destination { get; set; } = "";
    public string? TemplateCode { get; set; }
    public int? TemplateVersion { get; set; }
    /// <summary>The rendered text as sent; emptied after 90 days, its hash stays as proof.</summary>
    public string? Body { get; set; }
    public string? BodySha256 { get; set; }
    public string Status { get; set; } = "queued";
    public int Attempts { get; set; }
    public DateTimeOffset? NextAttemptAt { get; set; }
    public DateTimeOffset? NotBefore { get; set; }
    public DateTimeOffset? LeaseUntil { get; set; }
    public string? Provider { get; set; }
    public string? ProviderMessageId { get; set; }
    public string? ProviderRequestId { get; set; }
    public string? LastErrorCode { get; set; }
    public string? LastErrorText { get; set; }
    public int? Segments { get; set; }
    public long? CostVnd { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }
    public DateTimeOffset? FailedAt { get; set; }
}

/// <summary>What a provider answered or called back about a message (append-only; the raw payload kept 90 days).</summary>
public sealed class MessageEvent
{
    public Guid Id { get; set; }
    public Guid? MessageId { get; set; }
    public string Provider { get; set; } = "";
    public string EventName { get; set; } = "";
    public string? ProviderMessageId { get; set; }
    public string? Payload { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
}

/// <summary>A signed link to a pupil's page (contracts/notifications.md §4): the row makes it revocable.</summary>
public sealed class PortalLinkRow
{
    public string Lid { get; set; } = "";
    public Guid StudentId { get; set; }
    public Guid GuardianId { get; set; }
    /// <summary>What the link was sent about: N{notice_no}, R{template}/{series}/{number} or P{payment_id}.</summary>
    public string Subject { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}

/// <summary>
/// The Zalo Official Account's token pair (one row): its refresh token works once, so the pair that replaced it must
/// survive a restart and be shared by every instance. Both tokens are sealed with the master key.
/// </summary>
public sealed class ZaloToken
{
    public short Id { get; set; }
    public string? AccessSealed { get; set; }
    public string? RefreshSealed { get; set; }
    public DateTimeOffset? AccessExpiresAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
