using System.Globalization;
using System.Text.Json;
using TdmEdu.Fees.BankAdapters.Aggregators;

namespace TdmEdu.Fees.Api.Tests.Support;

/// <summary>
/// The example schools with accounts through the aggregators, and the calls each aggregator makes, signed as it signs
/// them: TS01 at VietinBank through SePay, Techcombank through Casso and ACB through payOS; TS02 at VPBank through SePay.
/// </summary>
public static class Aggregators
{
    public const string Notice = "TS01-202509-00001";
    public const string SepayAccount = "1020304050", CassoAccount = "88888888", PayosAccount = "12345678", Ts02Sepay = "5566778899";
    public const string SepayKey = "sepay-key-TS01", SepayOtherKey = "sepay-key-TS02", CassoKey = "casso-checksum-TS01", PayosKey = "payos-checksum-TS01";

    public static Task<BankHost> StartAsync() => BankHost.StartAsync(before: async fees =>
    {
        _ = BankHost.Box; // the master key the CLI seals the keys with
        await fees.OkAsync("schools", "import", fees.File("aggregators.csv", """
            school_code,name,level,ward,bank,account_no,account_name,via
            TS01,Trường Tiểu học Thử Nghiệm,TH,Phú Cường,ICB,1020304050,TRUONG TIEU HOC THU NGHIEM,SePay
            TS01,Trường Tiểu học Thử Nghiệm,TH,Phú Cường,TCB,88888888,TRUONG TIEU HOC THU NGHIEM,casso
            TS01,Trường Tiểu học Thử Nghiệm,TH,Phú Cường,970416,12345678,TRUONG TIEU HOC THU NGHIEM,payOS
            TS02,Trường THCS Thử Nghiệm,THCS,Hiệp Thành,VPB,5566778899,TRUONG THCS THU NGHIEM,sepay

            """));
        foreach (var (school, bank, key) in new[] { ("TS01", "ICB", SepayKey), ("TS01", "TCB", CassoKey), ("TS01", "ACB", PayosKey), ("TS02", "VPB", SepayOtherKey) })
        {
            Environment.SetEnvironmentVariable("AGG_TEST_KEY", key);
            var r = await fees.RunAsync("banks", "configure", "--school", school, "--bank", bank, "--secret-env", "AGG_TEST_KEY");
            Assert.True(r.ExitCode == 0, r.Err);
        }
    });

    public static async Task<long> ScalarLong(BankHost host, string sql) => Convert.ToInt64(await host.Fees.Db.ScalarAsync(sql), CultureInfo.InvariantCulture);

    public static Task<long> PaidAsync(BankHost host, string notice = Notice) => ScalarLong(host, $"SELECT amount_paid_vnd FROM notices WHERE notice_no = '{notice}'");

    public static Task<long> StoredAsync(BankHost host, string channel) => ScalarLong(host, $"SELECT count(*) FROM bank_inbox WHERE bank = '{channel}'");

    public static Task<long> MoneyInAsync(BankHost host) => ScalarLong(host, "SELECT coalesce(sum(amount_vnd),0) FROM payments WHERE amount_vnd > 0");

    /// <summary>SePay's call; the bank's reference is "FT" and the id unless <c>reference</c> is given (null: a call without one).</summary>
    public static string SepayBody(long id, long amount, string content, string account = SepayAccount, string type = "in", string? reference = "default") => JsonSerializer.Serialize(new
    {
        id, gateway = "VietinBank", transactionDate = "2025-09-10 09:30:00", accountNumber = account, code = (string?)null, content, transferType = type,
        transferAmount = amount, accumulated = 5_000_000, subAccount = (string?)null, referenceCode = reference == "default" ? $"FT{id}" : reference, description = "",
    });

    public static Task<(int Status, JsonElement Body)> SepayAsync(BankHost host, string body, string? key = SepayKey) =>
        host.PostAsync("/api/banks/sepay/notify", body, r => { if (key is not null) r.Headers.TryAddWithoutValidation("Authorization", SepayWebhook.Authorization(key)); });

    public static string CassoBody(long id, long amount, string description, string? reference = "default") => JsonSerializer.Serialize(new
    {
        error = 0,
        data = new
        {
            id, reference = reference == "default" ? $"FT{id}" : reference, description, amount, runningBalance = 25_000_000, transactionDateTime = "2025-09-10 09:30:00",
            accountNumber = CassoAccount, bankName = "Techcombank", bankAbbreviation = "TCB", virtualAccountNumber = "", virtualAccountName = "",
            counterAccountName = "NGUYEN VAN A", counterAccountNumber = "8888888888", counterAccountBankId = "970415", counterAccountBankName = "VietinBank",
        },
    });

    /// <summary>Casso's call: <paramref name="signedBody"/> is what the signature covers (another body than the one sent, to alter it).</summary>
    public static Task<(int Status, JsonElement Body)> CassoAsync(BankHost host, string body, string? signedBody = null, string key = CassoKey, DateTimeOffset? at = null)
    {
        var t = (at ?? host.Fees.Clock.Now).ToUnixTimeMilliseconds();
        var v1 = CassoWebhook.Sign(key, t, JsonDocument.Parse(signedBody ?? body).RootElement);
        return host.PostAsync("/api/banks/casso/notify", body, r => r.Headers.Add(CassoWebhook.SignatureHeader, $"t={t},v1={v1}"));
    }

    public static Dictionary<string, object?> PayosData(string reference, long amount, string description) => new()
    {
        ["orderCode"] = 123, ["amount"] = amount, ["description"] = description, ["accountNumber"] = PayosAccount, ["reference"] = reference,
        ["transactionDateTime"] = "2025-09-10 09:30:00", ["currency"] = "VND", ["paymentLinkId"] = "124c33293c43417ab7879e14c8d9eb18", ["code"] = "00",
        ["desc"] = "Thành công", ["counterAccountBankId"] = "", ["counterAccountBankName"] = "", ["counterAccountName"] = null, ["counterAccountNumber"] = "",
        ["virtualAccountName"] = "", ["virtualAccountNumber"] = "",
    };

    public static string PayosSign(Dictionary<string, object?> data, string key = PayosKey) =>
        PayosWebhook.Sign(key, JsonDocument.Parse(JsonSerializer.Serialize(data)).RootElement);

    public static string PayosEnvelope(Dictionary<string, object?> data, string signature) =>
        JsonSerializer.Serialize(new { code = "00", desc = "success", success = true, data, signature });

    /// <summary>payOS's call, signed with <paramref name="key"/>; <paramref name="alter"/> changes the data after it is signed.</summary>
    public static string PayosBody(string reference, long amount, string description, string key = PayosKey, Action<Dictionary<string, object?>>? alter = null)
    {
        var data = PayosData(reference, amount, description);
        var signature = PayosSign(data, key);
        alter?.Invoke(data);
        return PayosEnvelope(data, signature);
    }
}
