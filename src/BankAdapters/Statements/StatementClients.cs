using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Refit;
using TdmEdu.Fees.BankAdapters.Inbound;
using TdmEdu.Fees.BankAdapters.Msb;

namespace TdmEdu.Fees.BankAdapters.Statements;

/// <summary>One statement line, in our terms, whatever bank it came from.</summary>
public sealed record StatementLine(
    string Bank,
    string Account,
    string BankRef,
    DateOnly BookingDate,
    DateOnly? ValueDate,
    bool Credit,
    long AmountVnd,
    string Content,
    string? VirtualAccount,
    string? PayerAccount,
    string? PayerName);

/// <summary>A bank answered, but not with something we can use; the message says which bank, what and where.</summary>
public sealed class BankAnswerException(string message, Exception? inner = null) : Exception(message, inner);

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
        return new StatementLine("VCB", account, Need(x.ReferenceNumber, "referenceNumber"), booking, BankJson.Date(x.ValueDate),
            Need(x.CreditDebit, "creditDebit") == "C", amount, x.Content ?? "", null, x.PayerAccount, x.PayerName);
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

/// <summary>Turns what a failed call threw into a sentence for the accountant and the log.</summary>
public static class StatementFailure
{
    public static Exception Describe(string bank, string what, Exception e)
    {
        if (e is OperationCanceledException && e.GetType().Name != "TimeoutRejectedException") return e;
        // Refit and the resilience pipeline wrap what happened; the innermost known cause is the one to tell.
        var chain = new List<Exception>();
        for (var x = e; x is not null; x = x.InnerException) chain.Add(x);
        bool Has(string typeName) => chain.Any(x => x.GetType().Name == typeName);
        if (Has("BrokenCircuitException"))
            return new BankAnswerException($"Calls to {bank} are paused after repeated failures; {what} was not asked. They resume by themselves.", e);
        if (Has("TimeoutRejectedException") || chain.Any(x => x is TimeoutException))
            return new BankAnswerException($"{bank} did not answer {what} in time.", e);
        if (chain.Any(x => x is JsonException))
            return new BankAnswerException($"{bank}'s answer to {what} is not the JSON we expect.", e);
        if (chain.OfType<ApiException>().FirstOrDefault() is { } api && (int)api.StatusCode >= 300)
            return new BankAnswerException($"{bank} refused {what}: HTTP {(int)api.StatusCode}.", e);
        if (chain.OfType<HttpRequestException>().FirstOrDefault() is { } http)
            return new BankAnswerException($"{bank} could not be reached for {what}: {http.Message}", e);
        return new BankAnswerException($"{bank} failed on {what}: {chain[^1].GetType().Name}.", e);
    }
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
                lines.Add(new StatementLine("MSB", account, id, booking, BankJson.Date(r.ValueDate), r.DcSign == "C", amount, r.Remark ?? "", r.VaNumber, null, null));
            }
            if (records.Count < PageSize || lines.Count >= (answer.Data?.Total ?? 0)) break;
        }
        return lines;
    }
}

/// <summary>Statement amounts: whole đồng as a number or a string of digits; a fraction of .00 is tolerated, any other is not.</summary>
public static class StatementAmount
{
    public static long? Read(JsonElement v)
    {
        var text = v.ValueKind switch { JsonValueKind.Number => v.GetRawText(), JsonValueKind.String => v.GetString() ?? "", _ => "" };
        if (text.EndsWith(".00", StringComparison.Ordinal) || text.EndsWith(".0", StringComparison.Ordinal)) text = text[..text.IndexOf('.')];
        return BankJson.ParseAmount(text);
    }
}
