using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;
using Refit;
using TdmEdu.Fees.BankAdapters.Banks;
using TdmEdu.Fees.BankAdapters.Inbound;
using TdmEdu.Fees.BankAdapters.Statements;

namespace TdmEdu.Fees.BankAdapters.Msb;

// MSB's statement API as contracts/banks.md models it. These DTOs stay inside the adapter; callers get
// StatementLine.

public interface IMsbStatementApi
{
    /// <summary>The body goes as the exact bytes that were signed.</summary>
    [Post("/statement/v1/query")]
    Task<MsbStatementDto> QueryAsync([Body] HttpContent body, [Header(MsbNotification.TimestampHeader)] string timestamp,
        [Header(MsbNotification.SignatureHeader)] string signature, CancellationToken ct);
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
    [JsonPropertyName("amount")] public JsonElement Amount { get; set; }
    [JsonPropertyName("dcSign")] public string? DcSign { get; set; }
    [JsonPropertyName("remark")] public string? Remark { get; set; }
    [JsonPropertyName("balance")] public System.Text.Json.JsonElement Balance { get; set; }
}

/// <summary>MSB statement pull: one signed query per page (timestamp + body under the shared secret).</summary>
public sealed class MsbStatementClient(IMsbStatementApi api, string secret, TimeProvider time)
{
    public const int PageSize = 500;

    public async Task<IReadOnlyList<StatementLine>> FetchAsync(string account, DateOnly from, DateOnly to, CancellationToken ct = default)
    {
        var lines = new List<StatementLine>();
        for (var page = 1; page <= 1000; page++)
        {
            var body = JsonSerializer.SerializeToUtf8Bytes(new
            {
                accountNumber = account, fromDate = from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                toDate = to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), pageIndex = page, pageSize = PageSize,
            });
            var ts = time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            MsbStatementDto answer;
            try
            {
                answer = await api.QueryAsync(content, ts, MsbNotification.Sign(secret, ts, body), ct);
            }
            catch (Exception e) when (e is not BankAnswerException)
            {
                throw StatementFailure.Describe("MSB", $"the statement query (page {page})", e);
            }
            if (answer.Code != "00") throw new BankAnswerException($"MSB answered the statement query with code {answer.Code ?? "(none)"}.");
            var records = answer.Data?.Records ?? [];
            foreach (var (r, i) in records.Select((x, i) => (x, i)))
            {
                var where = $"page {page}, record {i + 1}";
                var amount = StatementAmount.Read(r.Amount) ?? throw new BankAnswerException($"MSB statement, {where}: amount is not whole đồng above 0.");
                var id = string.IsNullOrWhiteSpace(r.TransactionId) ? throw new BankAnswerException($"MSB statement, {where}: transactionId is missing.") : r.TransactionId;
                var booking = BankJson.Date(r.TransactionTime?.Length >= 10 ? r.TransactionTime[..10] : r.TransactionTime)
                    ?? throw new BankAnswerException($"MSB statement, {where}: transactionTime is not yyyy-MM-dd HH:mm:ss.");
                lines.Add(new StatementLine(BankDirectory.Msb, account, id, booking, BankJson.Date(r.ValueDate), r.DcSign == "C", amount, r.Remark ?? "", r.VaNumber, null, null,
                    StatementAmount.Balance(r.Balance)));
            }
            if (records.Count < PageSize || lines.Count >= (answer.Data?.Total ?? 0)) break;
        }
        return lines;
    }
}
