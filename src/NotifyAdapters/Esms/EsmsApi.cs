using System.Text.Json;
using System.Text.Json.Serialization;
using Refit;

namespace TdmEdu.Fees.NotifyAdapters.Esms;

// eSMS.vn's brandname SMS calls as §8 describes them. These DTOs stay inside the adapter.

public interface IEsmsApi
{
    [Post("/MainService.svc/json/SendMultipleMessage_V4_post_json/")]
    Task<IApiResponse<EsmsSendAnswer>> SendAsync([Body] EsmsSendRequest request, CancellationToken ct);

    [Get("/MainService.svc/json/GetSmsReceiverStatus_get")]
    Task<IApiResponse<EsmsStatusAnswer>> StatusAsync([AliasAs("ApiKey")] string apiKey, [AliasAs("SecretKey")] string secretKey,
        [AliasAs("RefId")] string smsId, CancellationToken ct);
}

/// <summary>Every value a string, as eSMS wants them (§8).</summary>
public sealed class EsmsSendRequest
{
    [JsonPropertyName("ApiKey")] public required string ApiKey { get; init; }
    [JsonPropertyName("SecretKey")] public required string SecretKey { get; init; }
    [JsonPropertyName("Brandname")] public required string Brandname { get; init; }
    [JsonPropertyName("SmsType")] public required string SmsType { get; init; }
    [JsonPropertyName("Phone")] public required string Phone { get; init; }
    [JsonPropertyName("Content")] public required string Content { get; init; }
    [JsonPropertyName("IsUnicode")] public string IsUnicode { get; init; } = "0";
    [JsonPropertyName("RequestId")] public required string RequestId { get; init; }
    [JsonPropertyName("CallbackUrl"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? CallbackUrl { get; init; }
    [JsonPropertyName("Sandbox")] public required string Sandbox { get; init; }
}

public sealed class EsmsSendAnswer
{
    [JsonPropertyName("CodeResult")] public JsonElement CodeResult { get; set; }
    [JsonPropertyName("SMSID")] public string? SmsId { get; set; }
    [JsonPropertyName("ErrorMessage")] public string? ErrorMessage { get; set; }
}

public sealed class EsmsStatusAnswer
{
    [JsonPropertyName("CodeResult")] public JsonElement CodeResult { get; set; }
    [JsonPropertyName("ReceiverList")] public List<EsmsReceiver>? ReceiverList { get; set; }
}

public sealed class EsmsReceiver
{
    [JsonPropertyName("IsSent")] public JsonElement IsSent { get; set; }
    [JsonPropertyName("SentResult")] public JsonElement SentResult { get; set; }
}

/// <summary>Where eSMS is and who we are to it.</summary>
public sealed record EsmsOptions
{
    public static readonly Uri DefaultApiBase = new("https://rest.esms.vn");

    public Uri ApiBase { get; init; } = DefaultApiBase;
    public required string ApiKey { get; init; }
    public required string SecretKey { get; init; }
    public required string Brandname { get; init; }

    /// <summary>2: customer care, the type for messages that are not advertising (§8, §12).</summary>
    public string SmsType { get; init; } = "2";

    /// <summary>"1": accepted but neither delivered nor charged; the sandbox profile sets it.</summary>
    public bool Sandbox { get; init; }

    /// <summary>Our <c>/api/notify/esms/callback/{hookSecret}</c>, absolute; without it eSMS calls nobody and the job polls.</summary>
    public Uri? CallbackUrl { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>eSMS writes booleans and codes both as JSON values and as strings.</summary>
internal static class EsmsJson
{
    public static string? Text(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Number => e.GetRawText(),
        _ => null,
    };

    public static bool? Bool(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.String when bool.TryParse(e.GetString(), out var b) => b,
        _ => null,
    };
}
