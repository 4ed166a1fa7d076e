using TdmEdu.Fees.Api.Tests.Support;
using TdmEdu.Fees.BankAdapters.Bidv;

namespace TdmEdu.Fees.Api.Tests.Banks;

/// <summary>BIDV's revertbill: a reversal undoes its own payment once, and what it reopens is paid from credit the school holds.</summary>
public sealed class BidvRevertBillTests
{
    private static string Code(System.Text.Json.JsonElement body) => body.GetProperty("result_code").GetString()!;

    private static object Revert(Api.Sandbox.BidvSandbox b, string trans, string bill, string amount) => new
    {
        trans_id = trans, service_id = b.ServiceId, bill_id = bill, amount, reason = "khiếu nại",
        checksum = BidvBillPayment.PaymentChecksumMd5(b.Secret, trans, bill, amount),
    };

    [Fact]
    public async Task PaymentsAndReversalsOfOneNotice_AppliedInOneStretch_LeaveItsPaidAmountEqualToItsAllocations()
    {
        // Found by attack (round 6): pay, revert, pay, revert on one notice, applied together, left the notice 3,001 paid
        // with no allocation behind it. The second reversal read the notice the first had loaded and saw no change to write.
        await using var host = await BankHost.StartAsync();
        var token = await host.BidvTokenAsync();
        var b = host.Account("TS02", "BIDV").Bidv!;
        var code = await host.PaymentCodeAsync("7900000040");
        const string Bill = "TS02-202509-00001";
        foreach (var trans in new[] { "T7001", "T7002", "T7003" })
        {
            Assert.Equal("000", Code((await host.BidvAsync("paybill", host.PayBill(trans, code, Bill, "3001"), token)).Body));
            Assert.Equal("000", Code((await host.BidvAsync("revertbill", Revert(b, trans, Bill, "3001"), token)).Body));
        }
        Assert.Equal("000", Code((await host.BidvAsync("paybill", host.PayBill("T7004", code, Bill, "1000"), token)).Body));

        await host.ProcessInboxAsync();

        Assert.Equal(1000, await host.Fees.Db.ScalarAsync($"SELECT amount_paid_vnd FROM notices WHERE notice_no = '{Bill}'"));
        Assert.Equal(1000, await host.Fees.Db.ScalarAsync($"SELECT sum(a.amount_vnd) FROM allocations a JOIN notices n ON n.id = a.notice_id WHERE n.notice_no = '{Bill}'"));
        Assert.Equal(0, (await host.Fees.RunAsync("audit")).ExitCode);
    }

    [Fact]
    public async Task RevertBill_OfAPaymentWhoseNoticeAnotherPaymentOverpaid_PaysTheReopenedNoticeFromThatCredit()
    {
        // Found by attack (round 7): pay, pay again (credit), revert the first: the notice stood open, asked for again by
        // BIDV and the parents' page, while the school held the second payment as the pupil's credit.
        await using var host = await BankHost.StartAsync();
        var token = await host.BidvTokenAsync();
        var b = host.Account("TS02", "BIDV").Bidv!;
        var code = await host.PaymentCodeAsync("7900000040");
        const string Bill = "TS02-202509-00001";
        Assert.Equal("000", Code((await host.BidvAsync("paybill", host.PayBill("T8001", code, Bill, "1371800"), token)).Body));
        Assert.Equal("000", Code((await host.BidvAsync("paybill", host.PayBill("T8002", code, Bill, "1371800"), token)).Body));
        await host.ProcessInboxAsync();
        Assert.Equal(["paid 1371800"], await host.Fees.Db.ListAsync($"SELECT status || ' ' || amount_paid_vnd FROM notices WHERE notice_no = '{Bill}'"));

        Assert.Equal("000", Code((await host.BidvAsync("revertbill", Revert(b, "T8001", Bill, "1371800"), token)).Body));
        await host.ProcessInboxAsync();

        Assert.Equal(["paid 1371800"], await host.Fees.Db.ListAsync($"SELECT status || ' ' || amount_paid_vnd FROM notices WHERE notice_no = '{Bill}'"));
        Assert.Equal(1_371_800, await host.Fees.Db.ScalarAsync("""
            SELECT sum(a.amount_vnd) FROM allocations a JOIN payments p ON p.id = a.payment_id JOIN bank_inbox m ON m.id = p.inbox_id
            WHERE m.idempotency_key LIKE '%T8002'
            """));
        var (_, bill) = await host.BidvAsync("getbill", new { customer_id = code, service_id = b.ServiceId,
            checksum = BidvBillPayment.InquiryChecksum(b.Secret, b.ServiceId, code) }, token);
        Assert.DoesNotContain(Bill, bill.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(0, (await host.Fees.RunAsync("audit")).ExitCode);
    }

    [Fact]
    public async Task RevertBill_UndoesThePaymentOnceAndRefusesWhatItCannotMatch()
    {
        await using var host = await BankHost.StartAsync();
        var token = await host.BidvTokenAsync();
        var b = host.Account("TS02", "BIDV").Bidv!;
        var code = await host.PaymentCodeAsync("7900000040");
        await host.BidvAsync("paybill", host.PayBill("T6000", code, "TS02-202509-00001", "1371800"), token);
        await host.ProcessInboxAsync();

        Assert.Equal("021", Code((await host.BidvAsync("revertbill", Revert(b, "T6999", "TS02-202509-00001", "1371800"), token)).Body));
        Assert.Equal("022", Code((await host.BidvAsync("revertbill", Revert(b, "T6000", "TS02-202509-00001", "100"), token)).Body));
        // Found by attack (round 14): a reversal naming another bill, or none that exists, undid the payment and then
        // stood as the first answer, so the bank's true reversal was refused: its books said refused, ours reversed.
        Assert.Equal("021", Code((await host.BidvAsync("revertbill", Revert(b, "T6000", "TS02-202509-00002", "1371800"), token)).Body));
        Assert.Equal("021", Code((await host.BidvAsync("revertbill", Revert(b, "T6000", "BILLX", "1371800"), token)).Body));
        Assert.Equal("000", Code((await host.BidvAsync("revertbill", Revert(b, "T6000", "TS02-202509-00001", "1371800"), token)).Body));
        Assert.Equal("000", Code((await host.BidvAsync("revertbill", Revert(b, "T6000", "TS02-202509-00001", "1371800"), token)).Body));
        // The stored reversal's trans_id with another amount is not a repeat: refused, not answered with its success.
        Assert.Equal("001", Code((await host.BidvAsync("revertbill", Revert(b, "T6000", "TS02-202509-00001", "100"), token)).Body));
        await host.ProcessInboxAsync();

        Assert.Equal(0, await host.Fees.Db.ScalarAsync("SELECT amount_paid_vnd FROM notices WHERE notice_no = 'TS02-202509-00001'"));
        Assert.Equal(1, await host.Fees.Db.ScalarAsync("SELECT count(*) FROM payments WHERE reverses_payment_id IS NOT NULL"));
        Assert.Equal(0, (await host.Fees.RunAsync("audit")).ExitCode);
    }
}
