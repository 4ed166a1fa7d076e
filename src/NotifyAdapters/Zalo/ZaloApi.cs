using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Refit;

namespace TdmEdu.Fees.NotifyAdapters.Zalo;

// Zalo's OAuth and ZNS calls as §7 describes them. These DTOs stay inside the adapter; the outbox sees SendOutcome.

public interface IZaloOAuthApi
{
    [Post("/v4/oa/access_token")]
    Task<IApiResponse<ZaloTokenAnswer>> RefreshAsync([Header("secret_key")] string appSecret,
        [Body(BodySerializationMethod.UrlEncoded)] Dictionary<string, string> form, CancellationToken ct);
}

public interface IZaloZnsApi
{
    [Post("/message/template")]
    Task<IApiResponse<ZaloAnswer<ZaloSendData>>> SendAsync([Header("access_token")] string accessToken, [Body] ZaloSendRequest request, CancellationToken ct);

    [Get("/message/status")]
    Task<IApiResponse<ZaloAnswer<ZaloStatusData>>> StatusAsync([Header("access_token")] string accessToken,
        [AliasAs("message_id")] string messageId, [AliasAs("phone")] string phone, CancellationToken ct);

    [Get("/message/quota")]
    Task<IApiResponse<ZaloAnswer<ZaloQuota>>> QuotaAsync([Header("access_token")] string accessToken, CancellationToken ct);
}

public sealed class ZaloTokenAnswer
{
    [JsonPropertyName("access_token")] public string? AccessToken { get; set; }
    [JsonPropertyName("refresh_token")] public string? RefreshToken { get; set; }
    // Zalo writes expires_in as a string in some answers and a number in others.
    [JsonPropertyName("expires_in")] public JsonElement ExpiresIn { get; set; }
    [JsonPropertyName("error")] public JsonElement Error { get; set; }
}

public sealed class ZaloSendRequest
{
    [JsonPropertyName("phone")] public required string Phone { get; init; }
    [JsonPropertyName("template_id")] public required string TemplateId { get; init; }
    [JsonPropertyName("template_data")] public required IReadOnlyDictionary<string, string> TemplateData { get; init; }
    [JsonPropertyName("tracking_id")] public required string TrackingId { get; init; }
    [JsonPropertyName("mode"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Mode { get; init; }
}

public sealed class ZaloAnswer<T>
{
    [JsonPropertyName("error")] public JsonElement Error { get; set; }
    [JsonPropertyName("message")] public string? Message { get; set; }
    [JsonPropertyName("data")] public T? Data { get; set; }
}

public sealed class ZaloSendData
{
    [JsonPropertyName("msg_id")] public string? MsgId { get; set; }
    [JsonPropertyName("sent_time")] public JsonElement SentTime { get; set; }
    [JsonPropertyName("quota")] public ZaloQuota? Quota { get; set; }
}

public sealed class ZaloQuota
{
    [JsonPropertyName("dailyQuota")] public JsonElement DailyQuota { get; set; }
    [JsonPropertyName("remainingQuota")] public JsonElement RemainingQuota { get; set; }

    internal ProviderQuota? Read() =>
        ZaloJson.Long(DailyQuota) is { } daily && ZaloJson.Long(RemainingQuota) is { } left ? new ProviderQuota(daily, left) : null;
}

public sealed class ZaloStatusData
{
    [JsonPropertyName("delivery_time")] public JsonElement DeliveryTime { get; set; }
    [JsonPropertyName("status")] public JsonElement Status { get; set; }
    [JsonPropertyName("message")] public string? Message { get; set; }
}

/// <summary>Zalo writes numbers both as JSON numbers and as strings; each reads as a whole number or not at all.</summary>
internal static class ZaloJson
{
    public static long? Long(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Number when e.TryGetInt64(out var n) => n,
        JsonValueKind.String when long.TryParse(e.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) => n,
        _ => null,
    };

    /// <summary>An epoch-milliseconds field as an instant.</summary>
    public static DateTimeOffset? Millis(JsonElement e) =>
        Long(e) is { } ms && ms > 0 && ms < 253_402_300_800_000 ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
}
