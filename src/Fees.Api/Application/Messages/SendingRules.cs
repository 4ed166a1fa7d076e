namespace TdmEdu.Fees.Api.Application.Messages;

/// <summary>
/// When messages may leave and when to try again (contracts/notifications.md §2.1 and §3), in Asia/Ho_Chi_Minh
/// time from the business clock: nothing between 21:00 and 07:00, retries after 1 min, 5 min, 15 min, 1 h and 3 h
/// (±20 %), failed after the sixth attempt, at most three messages a guardian a day besides payments and receipts.
/// </summary>
public static class SendingRules
{
    public const int QuietFromHour = 21;
    public const int QuietUntilHour = 7;
    public const int MaxAttempts = 6;
    public const int DailyCapPerGuardian = 3;
    private static readonly TimeSpan[] Delays =
        [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15), TimeSpan.FromHours(1), TimeSpan.FromHours(3)];

    public static DateTimeOffset Local(DateTimeOffset now, TimeZoneInfo zone) => TimeZoneInfo.ConvertTime(now, zone);

    public static bool IsQuiet(DateTimeOffset now, TimeZoneInfo zone) => Local(now, zone).Hour is >= QuietFromHour or < QuietUntilHour;

    /// <summary>The next 07:00 local at or after now (today's when before 07:00, else tomorrow's).</summary>
    public static DateTimeOffset NextMorning(DateTimeOffset now, TimeZoneInfo zone)
    {
        var local = Local(now, zone);
        var day = local.Hour < QuietUntilHour ? local.Date : local.Date.AddDays(1);
        var at = day.AddHours(QuietUntilHour);
        return new DateTimeOffset(at, zone.GetUtcOffset(at)).ToUniversalTime();
    }

    /// <summary>The start of the local day now falls in, as an instant.</summary>
    public static DateTimeOffset DayStart(DateTimeOffset now, TimeZoneInfo zone)
    {
        var d = Local(now, zone).Date;
        return new DateTimeOffset(d, zone.GetUtcOffset(d)).ToUniversalTime();
    }

    /// <summary>When to try again after the given attempt failed for a passing reason; null when attempts are spent.</summary>
    public static DateTimeOffset? RetryAt(int attempt, DateTimeOffset now, double jitter)
    {
        if (attempt >= MaxAttempts) return null;
        var delay = Delays[Math.Clamp(attempt - 1, 0, Delays.Length - 1)];
        // jitter in [0, 1) spreads the retries ±20 %, so a provider that was down is not hit by every row at once.
        return now + delay * (0.8 + 0.4 * jitter);
    }

    /// <summary>Kinds a guardian's daily cap counts: what they owe, not what they paid.</summary>
    public static bool CountsTowardCap(string kind) => kind is not (OutboxQueue.PaymentApplied or OutboxQueue.ReceiptChanged);
}
