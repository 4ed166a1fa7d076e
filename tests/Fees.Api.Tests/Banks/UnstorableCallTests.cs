using System.Text.Json;
using TdmEdu.Fees.Api.Tests.Support;
using TdmEdu.Fees.BankAdapters.Bidv;

namespace TdmEdu.Fees.Api.Tests.Banks;

/// <summary>
/// A call signed by the bank but holding what we cannot store and decide (a NUL, half a surrogate pair, an
/// identifier longer than our keys hold) is refused with the bank's own code, so the bank does not take it as
/// applied; nothing is stored, and the correct call afterwards goes through.
/// </summary>
public sealed class UnstorableCallTests
{
    private static string Code(JsonElement body) => body.GetProperty("result_code").GetString()!;

    [Theory]
    [InlineData("customer_id")]
    [InlineData("bill_id")]
    [InlineData("trans_bidv")]
    [InlineData("additionalData")]
    public async Task PayBill_ControlCharacterInAField_Is001NamingItAndStoresNothing(string field)
    {
        await using var host = await BankHost.StartAsync();
        var token = await host.BidvTokenAsync();
        var code = await host.PaymentCodeAsync("7900000040");
        var b = host.Account("TS02", "BIDV").Bidv!;
        var customer = field == "customer_id" ? code + "\0" : code;
        var bill = field == "bill_id" ? "TS02-202509-00001\0" : "TS02-202509-00001";
        var call = new Dictionary<string, string>
        {
            ["trans_id"] = "N100", ["trans_date"] = "20250910093000", ["customer_id"] = customer, ["service_id"] = b.ServiceId, ["bill_id"] = bill,
            ["amount"] = "1371800", ["checksum"] = BidvBillPayment.PaymentChecksumMd5(b.Secret, "N100", bill, "1371800"),
            ["trans_bidv"] = field == "trans_bidv" ? "BN\u0000100" : "BN100", ["additionalData"] = field == "additionalData" ? "ghi chú\u0007" : "ghi chú",
        };

        var (status, body) = await host.BidvAsync("paybill", call, token);

        Assert.Equal((400, "001"), (status, Code(body)));
        Assert.Contains(field, body.GetProperty("result_desc").GetString());
        Assert.Equal(0, await host.Fees.Db.ScalarAsync("SELECT count(*) FROM bank_inbox"));

        var (okStatus, okBody) = await host.BidvAsync("paybill", host.PayBill("N100", code, "TS02-202509-00001", "1371800"), token);
        await host.ProcessInboxAsync();
        Assert.Equal((200, "000"), (okStatus, Code(okBody)));
        Assert.Equal(1_371_800, await host.Fees.Db.ScalarAsync("SELECT amount_paid_vnd FROM notices WHERE notice_no = 'TS02-202509-00001'"));
    }

    [Fact]
    public async Task PayBill_TransIdOverTheIdentifierLimit_Is001AndStoresNothing()
    {
        await using var host = await BankHost.StartAsync();
        var token = await host.BidvTokenAsync();
        var code = await host.PaymentCodeAsync("7900000040");
        var longId = string.Concat(Enumerable.Range(0, 101).Select(i => (char)('A' + i * 7 % 26)));

        var (status, body) = await host.BidvAsync("paybill", host.PayBill(longId, code, "TS02-202509-00001", "1000"), token);

        Assert.Equal((400, "001"), (status, Code(body)));
        Assert.Contains("trans_id", body.GetProperty("result_desc").GetString());
        Assert.Equal(0, await host.Fees.Db.ScalarAsync("SELECT count(*) FROM bank_inbox"));
    }

    [Fact]
    public async Task RevertBill_ControlCharacterInTheReason_Is001AndThePaymentStays()
    {
        await using var host = await BankHost.StartAsync();
        var token = await host.BidvTokenAsync();
        var b = host.Account("TS02", "BIDV").Bidv!;
        await host.BidvAsync("paybill", host.PayBill("N200", await host.PaymentCodeAsync("7900000040"), "TS02-202509-00001", "1371800"), token);
        await host.ProcessInboxAsync();
        object Revert(string reason) => new
        {
            trans_id = "N200", service_id = b.ServiceId, bill_id = "TS02-202509-00001", amount = "1371800", reason,
            checksum = BidvBillPayment.PaymentChecksumMd5(b.Secret, "N200", "TS02-202509-00001", "1371800"),
        };

        var (status, body) = await host.BidvAsync("revertbill", Revert("khiếu\0nại"), token);
        Assert.Equal((400, "001"), (status, Code(body)));
        Assert.Equal(0, await host.Fees.Db.ScalarAsync("SELECT count(*) FROM bank_inbox WHERE kind = 'revertbill'"));

        var (okStatus, okBody) = await host.BidvAsync("revertbill", Revert("khiếu nại"), token);
        await host.ProcessInboxAsync();
        Assert.Equal((200, "000"), (okStatus, Code(okBody)));
        Assert.Equal(0, await host.Fees.Db.ScalarAsync("SELECT amount_paid_vnd FROM notices WHERE notice_no = 'TS02-202509-00001'"));
    }

    /// <summary>The description as the bank's JSON writes it: a NUL, an escape sequence, half a surrogate pair.</summary>
    [Theory]
    [InlineData(@"\u0000")]
    [InlineData(@"\u001b[0m")]
    [InlineData(@"\ud800")]
    public async Task VcbNotify_UnstorableDescription_Is01AndStoresNothing_ThenTheCorrectCallIsAccepted(string escaped)
    {
        await using var host = await BankHost.StartAsync();
        var content = await host.PaymentCodeAsync("7900000001") + " hoc phi";
        var bad = host.VcbBody("VN1", 1_371_800, content).Replace("hoc phi", "hoc" + escaped + "phi", StringComparison.Ordinal);

        var (status, answer) = await host.VcbAsync(bad);

        Assert.Equal((400, "01"), (status, answer.GetProperty("code").GetString()));
        Assert.Equal(0, await host.Fees.Db.ScalarAsync("SELECT count(*) FROM bank_inbox"));
        var (okStatus, okAnswer) = await host.VcbAsync(host.VcbBody("VN1", 1_371_800, content));
        await host.ProcessInboxAsync();
        Assert.Equal((200, "00"), (okStatus, okAnswer.GetProperty("code").GetString()));
        Assert.Equal(1, await host.Fees.Db.ScalarAsync("SELECT count(*) FROM payments WHERE source = 'VCB'"));
    }

    [Fact]
    public async Task MsbNotify_NulInTheRemark_Is01AndStoresNothing_ThenTheCorrectCallIsAccepted()
    {
        await using var host = await BankHost.StartAsync();
        var va = host.Account("TS02", "MSB").Msb!.VaPrefix + (await host.PaymentCodeAsync("7900000040"))[^8..];
        var good = host.MsbBody("FTN1", 500_000, va);
        var bad = good.Replace("hoc phi", "hoc\\u0000phi", StringComparison.Ordinal);
        Assert.NotEqual(good, bad);

        var (status, answer) = await host.MsbAsync(bad);

        Assert.Equal((400, "01"), (status, answer.GetProperty("code").GetString()));
        Assert.Equal(0, await host.Fees.Db.ScalarAsync("SELECT count(*) FROM bank_inbox"));
        var (okStatus, okAnswer) = await host.MsbAsync(good);
        await host.ProcessInboxAsync();
        Assert.Equal((200, "00"), (okStatus, okAnswer.GetProperty("code").GetString()));
        Assert.Equal(1, await host.Fees.Db.ScalarAsync("SELECT count(*) FROM payments WHERE source = 'MSB'"));
    }

    [Fact]
    public async Task VcbNotify_TrailingBytesAfterTheJson_Is01AndStoresNothing()
    {
        await using var host = await BankHost.StartAsync();
        var body = host.VcbBody("VN2", 1000, "hoc phi") + "\0";

        var (status, answer) = await host.VcbAsync(body);

        Assert.Equal((400, "01"), (status, answer.GetProperty("code").GetString()));
        Assert.Equal(0, await host.Fees.Db.ScalarAsync("SELECT count(*) FROM bank_inbox"));
    }
}
