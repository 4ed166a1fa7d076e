using System.Text;
using System.Text.Json;
using TdmEdu.Fees.BankAdapters.Vcb;

namespace TdmEdu.Fees.Api.Tests.Support;

/// <summary>A Vietcombank credit notification as the bank sends it, and its signed sending (contracts/banks.md).</summary>
public static class VcbCalls
{
    public static string Body(string account, string transactionId, long amount, string content, string creditDebit = "C", string? original = null) =>
        JsonSerializer.Serialize(new
        {
            transactionId, transactionTime = "2025-09-10 09:30:00", valueDate = "2025-09-10", referenceNumber = "FT" + transactionId,
            accountNumber = account, amount, currency = "VND", creditDebit, content,
            payerAccount = "0123456789", payerName = "NGUYEN VAN A", originalTransactionId = original,
        });

    /// <summary>Posts a body signed with the account's key; the HTTP status the service answered.</summary>
    /// <remarks>With <paramref name="traceParent"/>, the call carries a W3C trace context, as a bank's gateway may send one.</remarks>
    public static async Task<int> SendAsync(HttpClient client, string key, string body, string? traceParent = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/banks/vcb/notify") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add(VcbNotification.SignatureHeader, VcbNotification.Sign(key, Encoding.UTF8.GetBytes(body)));
        if (traceParent is not null) request.Headers.Add("traceparent", traceParent);
        using var response = await client.SendAsync(request);
        return (int)response.StatusCode;
    }
}
