namespace TdmEdu.Fees.NotifyAdapters;

/// <summary>Where a sent message stands by a provider's callback or status poll (§2.1 <c>sent</c> → delivered / failed).</summary>
public enum DeliveryState
{
    /// <summary>Accepted, not yet delivered: ask again later.</summary>
    Sent,
    Delivered,
    Failed,
    /// <summary>The provider did not answer usefully (network, 5xx, an error code): nothing is known.</summary>
    NoAnswer,
}

/// <summary>A delivery report: the state, when, what it cost (eSMS <c>TotalPrice</c>), and the provider's code.</summary>
public sealed record DeliveryReport(DeliveryState State, DateTimeOffset? At, long? CostVnd, string? Code);

/// <summary>Vietnam's clock for the providers' night rules (§3, §7.4): UTC+7 all year, no daylight saving since 1975.</summary>
public static class VietnamTime
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(7);

    /// <summary>The next 07:00 in Vietnam strictly after <paramref name="now"/>.</summary>
    public static DateTimeOffset NextMorning(DateTimeOffset now)
    {
        var local = now.ToOffset(Offset);
        var seven = new DateTimeOffset(local.Year, local.Month, local.Day, 7, 0, 0, Offset);
        return seven > local ? seven : seven.AddDays(1);
    }
}
