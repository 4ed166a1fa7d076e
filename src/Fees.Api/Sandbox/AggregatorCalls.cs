using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using TdmEdu.Fees.BankAdapters.Aggregators;
using TdmEdu.Fees.BankAdapters.Banks;

namespace TdmEdu.Fees.Api.Sandbox;

/// <summary>
/// An aggregator's call for a credit to an account, written and signed as that aggregator does
/// (docs/contracts/aggregators.md), with the account's sandbox key: for `bank-sim` and the peak benchmark.
/// </summary>
public static class AggregatorCalls
{
    /// <param name="account">An account collected through an aggregator, with its key.</param>
    /// <param name="id">The aggregator's own transaction id (SePay's and Casso's are numbers).</param>
    /// <param name="reference">The bank's reference of the transfer.</param>
    /// <param name="amount">Whole đồng.</param>
    /// <param name="content">The transfer's text.</param>
    /// <param name="local">The transfer's time, in Vietnam.</param>
    /// <param name="now">The time the call is signed (Casso's window).</param>
    public static HttpRequestMessage Credit(SandboxCredentials account, long id, string reference, long amount, string content, DateTimeOffset local, DateTimeOffset now)
    {
        var key = account.Aggregator!.Key;
        var time = local.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        switch (account.Aggregator.Via)
        {
            case BankDirectory.Sepay:
            {
                var body = JsonSerializer.Serialize(new
                {
                    id, gateway = account.Bank, transactionDate = time, accountNumber = account.AccountNo, code = (string?)null, content, transferType = "in",
                    transferAmount = amount, accumulated = 0, subAccount = (string?)null, referenceCode = reference, description = content,
                });
                return Post("/api/banks/sepay/notify", body, r => r.Headers.TryAddWithoutValidation(SepayWebhook.AuthorizationHeader, SepayWebhook.Authorization(key)));
            }
            case BankDirectory.Casso:
            {
                var body = JsonSerializer.Serialize(new
                {
                    error = 0,
                    data = new
                    {
                        id, reference, description = content, amount, runningBalance = 0, transactionDateTime = time, accountNumber = account.AccountNo,
                        bankName = account.Bank, bankAbbreviation = account.Bank, virtualAccountNumber = "", virtualAccountName = "", counterAccountName = "NGUYEN VAN A",
                        counterAccountNumber = "0123456789", counterAccountBankId = "970415", counterAccountBankName = "VietinBank",
                    },
                });
                var t = now.ToUnixTimeMilliseconds();
                var v1 = CassoWebhook.Sign(key, t, JsonDocument.Parse(body).RootElement);
                return Post("/api/banks/casso/notify", body, r => r.Headers.Add(CassoWebhook.SignatureHeader, $"t={t},v1={v1}"));
            }
            default:
            {
                var data = new Dictionary<string, object?>
                {
                    ["orderCode"] = id, ["amount"] = amount, ["description"] = content, ["accountNumber"] = account.AccountNo, ["reference"] = reference,
                    ["transactionDateTime"] = time, ["currency"] = "VND", ["paymentLinkId"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(reference)))[..32],
                    ["code"] = "00", ["desc"] = "Thành công", ["counterAccountBankId"] = "", ["counterAccountBankName"] = "", ["counterAccountName"] = "",
                    ["counterAccountNumber"] = "", ["virtualAccountName"] = "", ["virtualAccountNumber"] = "",
                };
                var signature = PayosWebhook.Sign(key, JsonDocument.Parse(JsonSerializer.Serialize(data)).RootElement);
                return Post("/api/banks/payos/notify", JsonSerializer.Serialize(new { code = "00", desc = "success", success = true, data, signature }), _ => { });
            }
        }
    }

    private static HttpRequestMessage Post(string path, string body, Action<HttpRequestMessage> sign)
    {
        var r = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        sign(r);
        return r;
    }
}
