using System.Globalization;

namespace TdmEdu.Fees.NotifyAdapters.Esms;

/// <summary>An eSMS delivery callback as the host should record it; <see cref="Problem"/> set when it is not well formed.</summary>
public sealed record EsmsDelivery(string? SmsId, string? RequestId, DeliveryState State, long? TotalPriceVnd, string? SendStatus, string? Problem);

/// <summary>
/// The GET callback of §8: <c>SendStatus</c> 5 with <c>SendSuccess</c> ≥ 1 is delivered; 5 with <c>SendFailed</c> ≥ 1,
/// or 4, failed; 1, 2, 7 still sent. eSMS signs nothing, so the host's URL carries a secret; this only reads.
/// </summary>
public static class EsmsCallback
{
    private const int MaxValueLength = 100;

    public static EsmsDelivery Parse(Func<string, string?> query)
    {
        string? Get(string name) => query(name) is { } v && v.Length <= MaxValueLength ? v.Trim() : null;
        var smsId = Get("SMSID");
        var requestId = Get("RequestId");
        var status = Get("SendStatus");
        EsmsDelivery Bad(string why) => new(smsId, requestId, DeliveryState.NoAnswer, null, status, why);

        if (string.IsNullOrEmpty(smsId) && string.IsNullOrEmpty(requestId)) return Bad("neither SMSID nor RequestId is given");
        if (string.IsNullOrEmpty(status)) return Bad("SendStatus is missing");
        var success = Count(Get("SendSuccess"));
        var failed = Count(Get("SendFailed"));
        var state = status switch
        {
            "5" when success >= 1 => DeliveryState.Delivered,
            "5" when failed >= 1 => DeliveryState.Failed,
            "4" => DeliveryState.Failed,
            "1" or "2" or "7" or "5" => DeliveryState.Sent,
            _ => DeliveryState.NoAnswer,
        };
        if (state == DeliveryState.NoAnswer) return Bad($"SendStatus \"{status}\" is not one eSMS documents");
        return new EsmsDelivery(smsId, requestId, state, Price(Get("TotalPrice")), status, null);
    }

    private static int Count(string? text) => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;

    /// <summary>Whole đồng ("700" or "700.0"); anything else is no price rather than a guess.</summary>
    private static long? Price(string? text) =>
        decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var d) && d == decimal.Truncate(d) && d < 1_000_000_000
            ? (long)d : null;
}
