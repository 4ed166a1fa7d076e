using TdmEdu.Fees.Api.Application.Statements;
using TdmEdu.Fees.Api.Tests.Support;
using TdmEdu.Fees.BankAdapters.Bidv;

namespace TdmEdu.Fees.Api.Tests.Banks;

public sealed class BidvBillPaymentTests
{
    private static string Code(System.Text.Json.JsonElement body) => body.GetProperty("result_code").GetString()!;

    [Fact]
    public async Task GetBill_KnownCustomer_ListsOpenNoticesWithNameInCapitalsWithoutMarks()
    {
        await using var host = await BankHost.StartAsync();
        var token = await host.BidvTokenAsync();
        var b = host.Account("TS02", "BIDV").Bidv!;
        var code = await host.PaymentCodeAsync("7900000040");

        var (status, body) = await host.BidvAsync("getbill", new { customer_id = code.ToLowerInvariant(), service_id = b.ServiceId,
            checksum = BidvBillPayment.InquiryChecksum(b.Secret, b.ServiceId, code.ToLowerInvariant()) }, token);

        Assert.Equal(200, status);
        Assert.Equal("000", Code(body));
        Assert.Equal("DANG QUOC BAO", body.GetProperty("customer_name").GetString());
        Assert.Equal("TRUONG THCS THU NGHIEM - 6A1", body.GetProperty("customer_addr").GetString());
        var bill = body.GetProperty("data")[0];
        Assert.Equal("TS02-202509-00001", bill.GetProperty("bill_id").GetString());
        Assert.Equal(1_371_800, bill.GetProperty("amount").GetInt64());
    }

    [Fact]
    public async Task GetBill_EachRefusal_HasItsResultCode()
    {
        await using var host = await BankHost.StartAsync();
        var token = await host.BidvTokenAsync();
        var b = host.Account("TS02", "BIDV").Bidv!;
        var code = await host.PaymentCodeAsync("7900000040");
        object Q(string customer, string service, string? checksum = null) =>
            new { customer_id = customer, service_id = service, checksum = checksum ?? BidvBillPayment.InquiryChecksum(b.Secret, service, customer) };

        Assert.Equal("003", Code((await host.BidvAsync("getbill", Q(code, b.ServiceId), "not-a-token")).Body));
        Assert.Equal("003", Code((await host.BidvAsync("getbill", Q(code, b.ServiceId), token + "x")).Body));
        Assert.Equal("001", Code((await host.BidvAsync("getbill", new { customer_id = code }, token)).Body));
        Assert.Equal("006", Code((await host.BidvAsync("getbill", Q(code, "OTHER_SERVICE"), token)).Body));
        Assert.Equal("004", Code((await host.BidvAsync("getbill", Q(code, b.ServiceId, "0123456789abcdef0123456789abcdef"), token)).Body));
        // A code with a wrong check digit names no child; nor does a valid code nobody holds.
        var mangled = code[..^1] + (char)('0' + (code[^1] - '0' + 1) % 10);
        Assert.Equal("011", Code((await host.BidvAsync("getbill", Q(mangled, b.ServiceId), token)).Body));
        // A VCB school's pupil is not a customer of this BIDV service.
        Assert.Equal("011", Code((await host.BidvAsync("getbill", Q(await host.PaymentCodeAsync("7900000001"), b.ServiceId), token)).Body));
        var (status, _) = await host.BidvAsync("getbill", Q(code, "OTHER_SERVICE"), token);
        Assert.Equal(400, status);
    }

    [Fact]
    public async Task TokenGenerate_WrongPassword_Is003AndAnExpiredTokenToo()
    {
        await using var host = await BankHost.StartAsync();

        Assert.Equal("", await host.BidvTokenAsync(password: "wrong"));
        var token = await host.BidvTokenAsync();
        host.Fees.Clock.Now = host.Fees.Clock.Now.AddSeconds(301);
        var b = host.Account("TS02", "BIDV").Bidv!;
        var code = await host.PaymentCodeAsync("7900000040");
        var (_, body) = await host.BidvAsync("getbill", new { customer_id = code, service_id = b.ServiceId,
            checksum = BidvBillPayment.InquiryChecksum(b.Secret, b.ServiceId, code) }, token);

        Assert.Equal("003", Code(body));
    }

    [Fact]
    public async Task PayBill_AppliedFromTheInbox_PaysTheNoticeWithAReceipt()
    {
        await using var host = await BankHost.StartAsync();
        var token = await host.BidvTokenAsync();
        var code = await host.PaymentCodeAsync("7900000040");

        var (status, body) = await host.BidvAsync("paybill", host.PayBill("T1001", code, "TS02-202509-00001", "1371800"), token);
        Assert.Equal((200, "000"), (status, Code(body)));
        Assert.Equal(0, await host.Fees.Db.ScalarAsync("SELECT count(*) FROM payments"));
        // The school's transactions page lists the call while it waits (found by attack: a waiting call made the page fail).
        Assert.Equal([("bidv-bill", "credit", false, "pending")], await TransactionsAsync(host));

        Assert.Equal(1, await host.ProcessInboxAsync());

        Assert.Equal([("bidv-bill", "credit", false, "applied")], await TransactionsAsync(host));
        Assert.Equal(1_371_800, await host.Fees.Db.ScalarAsync("SELECT amount_paid_vnd FROM notices WHERE notice_no = 'TS02-202509-00001'"));
        Assert.Equal(1, await host.Fees.Db.ScalarAsync("SELECT count(*) FROM receipts r JOIN payments p ON p.id = r.payment_id WHERE p.source = 'BIDV'"));
        Assert.Equal(0, (await host.Fees.RunAsync("audit")).ExitCode);
    }

    private static async Task<List<(string, string, bool, string)>> TransactionsAsync(BankHost host)
    {
        await using var db = host.Fees.Db.Open();
        return (await new BankTransactions(db).ListAsync(new TransactionFilter("TS02"))).Select(t => (t.Channel, t.Direction, t.Reversal, t.Outcome)).ToList();
    }

    [Fact]
    public async Task PayBill_WithTheHmacChecksumForm_IsAccepted()
    {
        await using var host = await BankHost.StartAsync();
        var token = await host.BidvTokenAsync();
        var b = host.Account("TS02", "BIDV").Bidv!;
        var code = await host.PaymentCodeAsync("7900000040");

        var (_, body) = await host.BidvAsync("paybill", host.PayBill("T1002", code, "TS02-202509-00001", "1000",
            BidvBillPayment.PaymentChecksumHmac(b.Secret, "T1002", "TS02-202509-00001", "1000")), token);
        await host.ProcessInboxAsync();

        Assert.Equal("000", Code(body));
        Assert.Equal(1000, await host.Fees.Db.ScalarAsync("SELECT amount_paid_vnd FROM notices WHERE notice_no = 'TS02-202509-00001'"));
    }

    [Theory]
    [InlineData("\"1000.5\"")]
    [InlineData("\"-1000\"")]
    [InlineData("\"1.000\"")]
    [InlineData("\"\"")]
    [InlineData("\"1000000000000\"")]
    public async Task PayBill_MalformedAmount_Is001AndStoresNothing(string amountJson)
    {
        await using var host = await BankHost.StartAsync();
        var token = await host.BidvTokenAsync();
        var code = await host.PaymentCodeAsync("7900000040");
        var amount = System.Text.Json.JsonDocument.Parse(amountJson).RootElement.GetString()!;

        var (status, body) = await host.BidvAsync("paybill", host.PayBill("T2000", code, "TS02-202509-00001", amount), token);

        Assert.Equal((400, "001"), (status, Code(body)));
        Assert.Equal(0, await host.Fees.Db.ScalarAsync("SELECT count(*) FROM bank_inbox"));
    }

    [Theory]
    [InlineData("T2100@X2")]
    [InlineData("T2100#review1")]
    public async Task PayBill_ATransIdWithAReservedCharacter_Is001AndStoresNothing(string transId)
    {
        await using var host = await BankHost.StartAsync();
        var token = await host.BidvTokenAsync();
        var code = await host.PaymentCodeAsync("7900000040");

        var b = host.Account("TS02", "BIDV").Bidv!;

        var (status, body) = await host.BidvAsync("paybill", host.PayBill(transId, code, "TS02-202509-00001", "1000"), token);
        // A reversal naming such a trans_id is refused the same way, not answered "unknown transaction".
        var revert = await host.BidvAsync("revertbill", new
        {
            trans_id = transId, service_id = b.ServiceId, bill_id = "TS02-202509-00001", amount = "1000", reason = "khiếu nại",
            checksum = BidvBillPayment.PaymentChecksumMd5(b.Secret, transId, "TS02-202509-00001", "1000"),
        }, token);

        Assert.Equal((400, "001"), (status, Code(body)));
        Assert.Contains("@ or #", body.GetProperty("result_desc").GetString());
        Assert.Equal((400, "001"), (revert.Status, Code(revert.Body)));
        Assert.Contains("@ or #", revert.Body.GetProperty("result_desc").GetString());
        Assert.Equal(0, await host.Fees.Db.ScalarAsync("SELECT count(*) FROM bank_inbox"));
    }

    [Fact]
    public async Task PayBill_BadChecksumOrUnknownCustomer_StoresNothing()
    {
        await using var host = await BankHost.StartAsync();
        var token = await host.BidvTokenAsync();
        var code = await host.PaymentCodeAsync("7900000040");

        var bad = await host.BidvAsync("paybill", host.PayBill("T3000", code, "TS02-202509-00001", "1000", "00000000000000000000000000000000"), token);
        var unknown = await host.BidvAsync("paybill", host.PayBill("T3001", "HS99999990", "TS02-202509-00001", "1000"), token);

        Assert.Equal("004", Code(bad.Body));
        Assert.Equal("011", Code(unknown.Body));
        Assert.Equal(0, await host.Fees.Db.ScalarAsync("SELECT count(*) FROM bank_inbox"));
    }

    [Fact]
    public async Task PayBill_TenCopiesAtOnce_AreAppliedOnce()
    {
        await using var host = await BankHost.StartAsync();
        var token = await host.BidvTokenAsync();
        var code = await host.PaymentCodeAsync("7900000040");
        var pay = host.PayBill("T4000", code, "TS02-202509-00001", "300000");

        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => host.BidvAsync("paybill", pay, token)));
        await host.ProcessInboxAsync();

        Assert.All(answers, a => Assert.Equal((200, "000"), (a.Status, Code(a.Body))));
        Assert.Equal(1, await host.Fees.Db.ScalarAsync("SELECT count(*) FROM bank_inbox"));
        Assert.Equal(1, await host.Fees.Db.ScalarAsync("SELECT count(*) FROM payments"));
        Assert.Equal(300_000, await host.Fees.Db.ScalarAsync("SELECT amount_paid_vnd FROM notices WHERE notice_no = 'TS02-202509-00001'"));
    }

    [Fact]
    public async Task PayBill_AStoredTransIdWithOtherContents_IsRefused_NotAnsweredWithTheFirstSuccess()
    {
        await using var host = await BankHost.StartAsync();
        var token = await host.BidvTokenAsync();
        var code = await host.PaymentCodeAsync("7900000040");
        Assert.Equal("000", Code((await host.BidvAsync("paybill", host.PayBill("T4100", code, "TS02-202509-00001", "100000"), token)).Body));

        var otherAmount = await host.BidvAsync("paybill", host.PayBill("T4100", code, "TS02-202509-00001", "900000"), token);
        var same = await host.BidvAsync("paybill", host.PayBill("T4100", code, "TS02-202509-00001", "100000"), token);
        await host.ProcessInboxAsync();

        Assert.Equal((400, "001"), (otherAmount.Status, Code(otherAmount.Body)));
        Assert.Equal((200, "000"), (same.Status, Code(same.Body)));
        Assert.Equal(100_000, await host.Fees.Db.ScalarAsync("SELECT sum(amount_vnd) FROM payments"));
    }

    [Fact]
    public async Task PayBill_ForAPaidBill_IsNeverRefusedAndTheMoneyBecomesFlaggedCredit()
    {
        await using var host = await BankHost.StartAsync();
        var token = await host.BidvTokenAsync();
        var code = await host.PaymentCodeAsync("7900000040");
        await host.BidvAsync("paybill", host.PayBill("T5000", code, "TS02-202509-00001", "1371800"), token);
        await host.ProcessInboxAsync();

        var (status, body) = await host.BidvAsync("paybill", host.PayBill("T5001", code, "TS02-202509-00001", "1371800"), token);
        await host.ProcessInboxAsync();

        Assert.Equal((200, "000"), (status, Code(body)));
        Assert.Equal(1, await host.Fees.Db.ScalarAsync("SELECT count(*) FROM payments WHERE flag IS NOT NULL"));
        Assert.Equal(1_371_800, await host.Fees.Db.ScalarAsync("SELECT sum(amount_vnd) FROM payments") - await host.Fees.Db.ScalarAsync("SELECT sum(amount_vnd) FROM allocations"));
        Assert.Equal(0, (await host.Fees.RunAsync("audit")).ExitCode);
    }

    [Fact]
    public async Task UnknownBankRouteAndHugeBody_AnswerInTheBanksFormat()
    {
        await using var host = await BankHost.StartAsync();
        var token = await host.BidvTokenAsync();

        var unknown = await host.PostAsync("/api/banks/bidv/nothing", "{}");
        var huge = await host.BidvAsync("paybill", new { trans_id = new string('9', 100_000) }, token);
        var notJson = await host.PostAsync("/api/banks/bidv/paybill", "{not json", r => r.Headers.Authorization = new("Bearer", token));

        Assert.Equal(404, unknown.Status);
        Assert.Equal("001", Code(huge.Body));
        Assert.Equal("001", Code(notJson.Body));
    }
}
