using System.Text.Json.Serialization;
using Refit;

namespace TdmEdu.Fees.TvanAdapters;

// The T-VAN provider's calls as contracts/ereceipts.md §10 models them [M]: every name here is ours until a
// provider hands over its own, and only this folder changes then.

public interface ITvanClient
{
    /// <summary>Uploads one signed document; the key is the document's identity, so a repeat is answered, not filed twice.</summary>
    [Post("/v1/documents")]
    Task<IApiResponse<TvanReceived>> SubmitAsync([Header("Idempotency-Key")] string idempotencyKey, [Body] TvanDocument document, CancellationToken ct);

    [Get("/v1/documents/{providerId}")]
    Task<IApiResponse<TvanStatus>> StatusAsync(string providerId, CancellationToken ct);
}

/// <summary>The kinds of document the provider takes from us.</summary>
public static class TvanKinds
{
    public const string Receipt = "receipt";
    public const string ErrorNotice = "error_notice";
    public const string UsageReport = "usage_report";
}

/// <summary>The provider's states of a document.</summary>
public static class TvanStates
{
    public const string Received = "received";
    public const string Submitted = "submitted";
    public const string Accepted = "accepted";
    public const string Rejected = "rejected";
}

/// <summary>One upload: the signed XML with the facts the provider files it under.</summary>
public sealed class TvanDocument
{
    [JsonPropertyName("taxCode")] public required string TaxCode { get; init; }
    [JsonPropertyName("kind")] public required string Kind { get; init; }
    [JsonPropertyName("template"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Template { get; init; }
    [JsonPropertyName("series"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Series { get; init; }
    [JsonPropertyName("number"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public long? Number { get; init; }
    [JsonPropertyName("issuedOn")] public required string IssuedOn { get; init; }
    [JsonPropertyName("totalVnd")] public long TotalVnd { get; init; }
    [JsonPropertyName("sha256")] public required string Sha256 { get; init; }
    [JsonPropertyName("xmlBase64")] public required string XmlBase64 { get; init; }
}

public sealed class TvanReceived
{
    [JsonPropertyName("providerId")] public string? ProviderId { get; set; }
    [JsonPropertyName("status")] public string? Status { get; set; }
}

/// <summary>What the provider says of a document, by GET or by its callback (the same body).</summary>
public sealed class TvanStatus
{
    [JsonPropertyName("providerId")] public string? ProviderId { get; set; }
    [JsonPropertyName("status")] public string? Status { get; set; }
    [JsonPropertyName("messageId")] public string? MessageId { get; set; }
    [JsonPropertyName("errors")] public List<TvanError>? Errors { get; set; }
    [JsonPropertyName("updatedAt")] public string? UpdatedAt { get; set; }
}

/// <summary>One error: the provider's or the tax office's code and text. Also the body of a refused upload.</summary>
public sealed class TvanError
{
    [JsonPropertyName("code")] public string? Code { get; set; }
    [JsonPropertyName("text")] public string? Text { get; set; }
}
