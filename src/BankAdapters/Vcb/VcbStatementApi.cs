using System.Globalization;
using System.Text.Json.Serialization;
using Refit;
using TdmEdu.Fees.BankAdapters.Banks;
using TdmEdu.Fees.BankAdapters.Inbound;
using TdmEdu.Fees.BankAdapters.Statements;

namespace TdmEdu.Fees.BankAdapters.Vcb;

// Vietcombank's statement API as contracts/banks.md models it. These DTOs stay inside the adapter; callers
// get StatementLine.

public interface IVcbStatementApi
{
    [Post("/oauth2/token")]
    Task<VcbTokenDto> TokenAsync([Body(BodySerializationMethod.UrlEncoded)] Dictionary<string, string> form, CancellationToken ct);

    [Get("/api/v1/accounts/{accountNumber}/transactions")]
    Task<VcbPageDto> TransactionsAsync(string accountNumber, [AliasAs("fromDate")] string fromDate, [AliasAs("toDate")] string toDate,
        int page, int size, [Header("Authorization")] string authorization, CancellationToken ct);
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
    [JsonPropertyName("runningBalance")] public System.Text.Json.JsonElement RunningBalance { get; set; }
}

/// <summary>Vietcombank statement pull: OAuth2 client credentials, then every page of transactions.</summary>
public sealed class VcbStatementClient(IVcbStatementApi api, string clientId, string clientSecret)
{
    public const int PageSize = 500;
    public const int MaxPages = 1000;

    public async Task<IReadOnlyList<StatementLine>> FetchAsync(string account, DateOnly from, DateOnly to, CancellationToken ct = default)
    {
        var token = await Call(() => api.TokenAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = clientSecret,
        }, ct), "token");
        if (string.IsNullOrEmpty(token.AccessToken)) throw new BankAnswerException("Vietcombank gave no access token.");

        var lines = new List<StatementLine>();
        for (var page = 1; ; page++)
        {
            var p = await Call(() => api.TransactionsAsync(account, Iso(from), Iso(to), page, PageSize, "Bearer " + token.AccessToken, ct), $"page {page}");
            foreach (var (item, i) in (p.Items ?? []).Select((x, i) => (x, i)))
                lines.Add(Map(item, account, $"page {page}, item {i + 1}"));
            if (p.TotalPages < 0 || p.TotalPages > MaxPages) throw new BankAnswerException($"Vietcombank reported {p.TotalPages} pages; refusing to follow.");
            if (page >= p.TotalPages) break;
        }
        return lines;
    }

    private static StatementLine Map(VcbItemDto x, string account, string where)
    {
        string Need(string? v, string field) => string.IsNullOrWhiteSpace(v) ? throw new BankAnswerException($"Vietcombank statement, {where}: {field} is missing.") : v;
        var amount = StatementAmount.Read(x.Amount) ?? throw new BankAnswerException($"Vietcombank statement, {where}: amount is not whole đồng above 0.");
        if ((x.Currency ?? "VND") != "VND") throw new BankAnswerException($"Vietcombank statement, {where}: currency {x.Currency} is not VND.");
        var time = Need(x.TransactionTime, "transactionTime");
        var booking = DateOnly.TryParseExact(time.Length >= 10 ? time[..10] : time, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d : throw new BankAnswerException($"Vietcombank statement, {where}: transactionTime \"{time}\" is not yyyy-MM-dd HH:mm:ss.");
        return new StatementLine(BankDirectory.Vcb, account, Need(x.ReferenceNumber, "referenceNumber"), booking, BankJson.Date(x.ValueDate),
            Need(x.CreditDebit, "creditDebit") == "C", amount, x.Content ?? "", null, x.PayerAccount, x.PayerName, StatementAmount.Balance(x.RunningBalance));
    }

    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static async Task<T> Call<T>(Func<Task<T>> call, string what)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (e is not BankAnswerException)
        {
            throw StatementFailure.Describe("Vietcombank", $"the statement {what}", e);
        }
    }
}
