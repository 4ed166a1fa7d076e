using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using TdmEdu.Fees.Api.Sandbox;
using TdmEdu.Fees.BankAdapters.Bidv;
using TdmEdu.Fees.BankAdapters.Msb;
using TdmEdu.Fees.BankAdapters.Vcb;

/// <summary>The banks' calls the peak sends, signed with the sandbox's keys as each bank signs them.</summary>
internal static class PeakCalls
{
    public static HttpRequestMessage Vcb(SandboxCredentials c, string id, long amount, string content, string cd, string? original)
    {
        var body = JsonSerializer.Serialize(new
        {
            transactionId = id, transactionTime = "2025-09-10 09:30:00", valueDate = "2025-09-10", referenceNumber = "FT" + id, accountNumber = c.AccountNo,
            amount, currency = "VND", creditDebit = cd, content, payerAccount = "0123456789", payerName = "NGUYEN VAN A", originalTransactionId = original,
        });
        var r = new HttpRequestMessage(HttpMethod.Post, "/api/banks/vcb/notify") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        r.Headers.Add(VcbNotification.SignatureHeader, VcbNotification.Sign(c.Vcb!.PrivateKeyPem, Encoding.UTF8.GetBytes(body)));
        return r;
    }

    public static HttpRequestMessage Msb(SandboxCredentials c, string id, long amount, string va, string dc, string? original)
    {
        var body = JsonSerializer.Serialize(new
        {
            transactionId = id, referenceNo = "IB20SML247/" + id, vaNumber = va, accountNumber = c.AccountNo, amount, currency = "VND",
            transactionTime = "2025-09-10 09:30:00", valueDate = "2025-09-10", dcSign = dc, remark = "x-y-hoc phi", payerName = "TRAN THI B",
            payerAccount = "9876543210", payerBankCode = "970422", originalTransactionId = original,
        });
        var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var r = new HttpRequestMessage(HttpMethod.Post, "/api/banks/msb/notify") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        r.Headers.Add(MsbNotification.TimestampHeader, ts);
        r.Headers.Add(MsbNotification.SignatureHeader, MsbNotification.Sign(c.Msb!.Secret, ts, Encoding.UTF8.GetBytes(body)));
        return r;
    }

    public static HttpRequestMessage Bidv(SandboxCredentials c, string token, string id, string code, string bill, long amount)
    {
        var b = c.Bidv!;
        var text = amount.ToString(CultureInfo.InvariantCulture);
        var body = JsonSerializer.Serialize(new
        {
            trans_id = id, trans_date = "20250910093000", customer_id = code, service_id = b.ServiceId, bill_id = bill, amount = text,
            checksum = BidvBillPayment.PaymentChecksumMd5(b.Secret, id, bill, text), trans_bidv = "B" + id,
        });
        var r = new HttpRequestMessage(HttpMethod.Post, "/api/banks/bidv/paybill") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return r;
    }

    public static async Task<string> BidvTokenAsync(HttpClient http, BidvSandbox b)
    {
        using var r = new HttpRequestMessage(HttpMethod.Post, "/api/banks/bidv/token_generate") { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        r.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{b.Username}:{b.Password}")));
        using var response = await http.SendAsync(r);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("access_token").GetString()!;
    }
}
