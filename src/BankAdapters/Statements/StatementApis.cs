using System.Text.Json.Serialization;
using Refit;

namespace TdmEdu.Fees.BankAdapters.Statements;

// The banks' statement APIs as contracts/banks.md models them. These DTOs stay inside the adapter; callers
// get StatementLine.

public interface IVcbStatementApi
{
    [Post("/oauth2/token")]
    Task<VcbTokenDto> TokenAsync([Body(BodySerializationMethod.UrlEncoded)] Dictionary<string, string> form, CancellationToken ct);

    [Get("/api/v1/accounts/{accountNumber}/transactions")]
    Task<VcbPageDto> TransactionsAsync(string accountNumber, [AliasAs("fromDate")] string fromDate, [AliasAs("toDate")] string toDate,
        int page, int size, [Header("Authorization")] string authorization, CancellationToken ct);
}

public interface IMsbStatementApi
{
    /// <summary>The body goes as the exact bytes that were signed.</summary>
    [Post("/statement/v1/query")]
    Task<MsbStatementDto> QueryAsync([Body] HttpContent body, [Header("X-MSB-Timestamp")] string timestamp,
        [Header("X-MSB-Signature")] string signature, CancellationToken ct);
}

public sealed class VcbTokenDto
{
    [JsonPropertyName("access_token")] public string? AccessToken { get; set; }
    [JsonPropertyName("expires_in")] public int ExpiresIn { get; set; }
}

public sealed class VcbPageDto
{
    [JsonPropertyName("page")] public int Page { get; set; }
    [JsonPropertyName("totalPages")] public int TotalPages { get; set; }
    [JsonPropertyName("items")] public List<VcbItemDto>? Items { get; set; }
}

public sealed class VcbItemDto
{
    [JsonPropertyName("transactionId")] public string? TransactionId { get; set; }
    [JsonPropertyName("transactionTime")] public string? TransactionTime { get; set; }
    [JsonPropertyName("valueDate")] public string? ValueDate { get; set; }
    [JsonPropertyName("referenceNumber")] public string? ReferenceNumber { get; set; }
    [JsonPropertyName("creditDebit")] public string? CreditDebit { get; set; }
    [JsonPropertyName("amount")] public System.Text.Json.JsonElement Amount { get; set; }
    [JsonPropertyName("currency")] public string? Currency { get; set; }
    [JsonPropertyName("content")] public string? Content { get; set; }
    [JsonPropertyName("payerAccount")] public string? PayerAccount { get; set; }
    [JsonPropertyName("payerName")] public string? PayerName { get; set; }
}

public sealed class MsbStatementDto
{
    [JsonPropertyName("code")] public string? Code { get; set; }
    [JsonPropertyName("data")] public MsbDataDto? Data { get; set; }
}

public sealed class MsbDataDto
{
    [JsonPropertyName("total")] public int Total { get; set; }
    [JsonPropertyName("records")] public List<MsbRecordDto>? Records { get; set; }
}

public sealed class MsbRecordDto
{
    [JsonPropertyName("transactionId")] public string? TransactionId { get; set; }
    [JsonPropertyName("referenceNo")] public string? ReferenceNo { get; set; }
    [JsonPropertyName("vaNumber")] public string? VaNumber { get; set; }
    [JsonPropertyName("transactionTime")] public string? TransactionTime { get; set; }
    [JsonPropertyName("valueDate")] public string? ValueDate { get; set; }
    [JsonPropertyName("amount")] public System.Text.Json.JsonElement Amount { get; set; }
    [JsonPropertyName("dcSign")] public string? DcSign { get; set; }
    [JsonPropertyName("remark")] public string? Remark { get; set; }
}
