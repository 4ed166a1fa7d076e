using System.Text.Json;
using static TdmEdu.Fees.Api.Tests.Support.Aggregators;
using TdmEdu.Fees.BankAdapters.Aggregators;

namespace TdmEdu.Fees.Api.Tests.Banks;

/// <summary>An outsider's attack on the aggregator channels with one school's keys (issue 16): each finding a test, then a fix.</summary>
public sealed class AggregatorAttackTests
{
    // 1. payOS: a captured, genuinely signed call is replayed with its reference "absorbing" the next key=value pair.
    //    The signed text (key=value joined by &, nothing escaped) is identical, so the signature still matches, but the
    //    reference (the idempotency key and the bank-ref claim) is new: the same money is applied a second time.
    [Fact]
    public async Task Payos_ReplayWithReferenceSplicedOverTheNextField_IsNoSecondPayment()
    {
        await using var host = await StartAsync();
        var code = await host.PaymentCodeAsync("7900000001");
        var data = PayosData("TF250910001", 1_371_800, $"{code} hoc phi");
        var signature = PayosSign(data);
        var genuine = PayosEnvelope(data, signature);

        var spliced = new Dictionary<string, object?>(data);
        spliced["reference"] = "TF250910001&transactionDateTime=2025-09-10 09:30:00";
        spliced.Remove("transactionDateTime");
        // Written as payOS writes it, the spliced data is the genuine call's text exactly; the reader now refuses an & in a value.
        Assert.Throws<TdmEdu.Fees.BankAdapters.Inbound.MalformedBankCallException>(() => PayosWebhook.Signed(JsonDocument.Parse(JsonSerializer.Serialize(spliced)).RootElement));

        var first = await host.PostAsync("/api/banks/payos/notify", genuine);
        var replay = await host.PostAsync("/api/banks/payos/notify", PayosEnvelope(spliced, signature));
        await host.ProcessInboxAsync();

        Assert.Equal(200, first.Status);
        Assert.Equal(0, (await host.Fees.RunAsync("audit")).ExitCode); // the audit passes either way
        Assert.Equal(1_371_800, await MoneyInAsync(host));
        Assert.NotEqual(200, replay.Status);
    }

    // 2. SePay without referenceCode, then the statement line of the same credit (with the bank's reference).
    [Fact]
    public async Task Sepay_WithoutReferenceCode_AndTheSameCreditOnTheStatement_IsPaidOnce()
    {
        await using var host = await StartAsync();
        var code = await host.PaymentCodeAsync("7900000001");
        var r = await SepayAsync(host, SepayBody(92710, 1_371_800, $"{code} hoc phi", reference: null));
        // Without the bank's reference the call could never be joined with its statement line: refused, nothing stored.
        Assert.Equal(400, r.Status);
        Assert.Equal(0L, await ScalarLong(host, "SELECT count(*) FROM bank_inbox WHERE bank = 'SEPAY'"));
        await host.ProcessInboxAsync();
        var statement = host.Fees.File("icb.sta", $":20:S1\n:25:{SepayAccount}\n:60F:C250909VND0,\n:61:2509100910C1371800,00NTRFNONREF//FT92710\n:86:{code} hoc phi\n:62F:C250910VND1371800,\n");
        await host.Fees.OkAsync("statements", "import", statement, "--bank", "ICB", "--account", SepayAccount);
        await host.Fees.OkAsync("reconcile");
        Assert.Equal(0, (await host.Fees.RunAsync("audit")).ExitCode);
        Assert.Equal(1_371_800, await MoneyInAsync(host));
    }

    // 3. Money to TS01's account naming a TS02 pupil's payment code must not pay TS02's pupil.
    [Fact]
    public async Task Sepay_ToTs01Account_NamingTs02Pupil_DoesNotPayTs02()
    {
        await using var host = await StartAsync();
        var code = await host.PaymentCodeAsync("7900000040");
        var r = await SepayAsync(host, SepayBody(92711, 500_000, $"{code} hoc phi"));
        await host.ProcessInboxAsync();
        Assert.Equal(200, r.Status);
        var ts02Paid = await ScalarLong(host, "SELECT coalesce(sum(n.amount_paid_vnd),0) FROM notices n WHERE n.notice_no LIKE 'TS02-%'");
        Assert.Equal(0, ts02Paid);
    }

    // 4. SePay: an "out" then an "in" with the same id: the credit answered 200 must be applied or held.
    [Fact]
    public async Task Sepay_OutThenInWithTheSameId_CreditIsNotSilentlyDropped()
    {
        await using var host = await StartAsync();
        var code = await host.PaymentCodeAsync("7900000001");
        await SepayAsync(host, SepayBody(92712, 1_371_800, $"{code} hoc phi", type: "out"));
        var credit = await SepayAsync(host, SepayBody(92712, 1_371_800, $"{code} hoc phi", type: "in"));
        await host.ProcessInboxAsync();
        // Another call under a stored call's key is no repeat: refused, so SePay retries and a person sees it; the first call stands.
        Assert.Equal(400, credit.Status);
        Assert.Equal(1L, await ScalarLong(host, "SELECT count(*) FROM bank_inbox WHERE bank = 'SEPAY'"));
    }

    // 5. 10 concurrent copies of the same call, on all three channels.
    [Fact]
    public async Task Concurrent_Duplicates_PayOnce()
    {
        await using var host = await StartAsync();
        var code = await host.PaymentCodeAsync("7900000001");
        var s = SepayBody(92713, 1_371_800, $"{code} hoc phi");
        var c = CassoBody(5013, 1_371_800, $"{code} hoc phi");
        var pd = PayosData("TF250910013", 1_371_800, $"{code} hoc phi");
        var p = PayosEnvelope(pd, PayosSign(pd));
        var all = await Task.WhenAll(Enumerable.Range(0, 10).SelectMany(_ => new[] { SepayAsync(host, s), CassoAsync(host, c), host.PostAsync("/api/banks/payos/notify", p) }));
        await host.ProcessInboxAsync();
        Assert.All(all, r => Assert.Equal(200, r.Status));
        Assert.Equal(1_371_800, await PaidAsync(host));
        Assert.Equal(3 * 1_371_800, await MoneyInAsync(host)); // three different credits, each once
    }

    // 6. Casso: deeply nested data; payOS nested arrays.
    [Fact]
    public async Task Casso_DeepNesting_IsNot500()
    {
        await using var host = await StartAsync();
        var code = await host.PaymentCodeAsync("7900000001");
        var nest = new string('[', 14) + new string(']', 14);
        var body = CassoBody(5014, 1_371_800, $"{code} hoc phi").Replace("\"virtualAccountName\":\"\"", "\"virtualAccountName\":" + nest);
        var r = await CassoAsync(host, body);
        var arr = PayosData("TF250910014", 1_371_800, $"{code} hoc phi");
        var pbody = PayosEnvelope(arr, PayosSign(arr)).Replace("\"virtualAccountName\":\"\"", "\"virtualAccountName\":" + new string('[', 14) + "{\"a\":1}" + new string(']', 14));
        var p = await host.PostAsync("/api/banks/payos/notify", pbody);
        await host.ProcessInboxAsync();
        Console.WriteLine($"casso {r.Status} payos {p.Status}");
        Assert.NotEqual(500, r.Status);
        Assert.NotEqual(500, p.Status);
    }

    // 7. The statement first, then Casso/payOS/SePay of the same credit.
    [Fact]
    public async Task Statement_First_ThenWebhook_IsPaidOnce()
    {
        await using var host = await StartAsync();
        var code = await host.PaymentCodeAsync("7900000001");
        var statement = host.Fees.File("icb.sta", $":20:S1\n:25:{SepayAccount}\n:60F:C250909VND0,\n:61:2509100910C1371800,00NTRFNONREF//FT92715\n:86:{code} hoc phi\n:62F:C250910VND1371800,\n");
        await host.Fees.OkAsync("statements", "import", statement, "--bank", "ICB", "--account", SepayAccount);
        await host.Fees.OkAsync("reconcile");
        var r = await SepayAsync(host, SepayBody(92715, 1_371_800, $"{code} hoc phi"));
        await host.ProcessInboxAsync();
        Assert.Equal(200, r.Status);
        Assert.Equal(1_371_800, await MoneyInAsync(host));
    }

    // 8. The same SePay id on TS01's and TS02's accounts: both are real money, each to its own school.
    [Fact]
    public async Task Sepay_SameIdOnTwoSchoolsAccounts_BothApplied_EachToItsSchool()
    {
        await using var host = await StartAsync();
        var c1 = await host.PaymentCodeAsync("7900000001");
        var c2 = await host.PaymentCodeAsync("7900000040");
        var a = await SepayAsync(host, SepayBody(92716, 1_371_800, $"{c1} hoc phi"));
        var b = await SepayAsync(host, SepayBody(92716, 300_000, $"{c2} hoc phi", account: Ts02Sepay), key: SepayOtherKey);
        var b2 = await SepayAsync(host, SepayBody(92716, 300_000, $"{c2} hoc phi", account: Ts02Sepay), key: SepayOtherKey);
        await host.ProcessInboxAsync();
        Assert.Equal((200, 200, 200), (a.Status, b.Status, b2.Status));
        Assert.Equal(1_371_800, await PaidAsync(host));
        Assert.Equal(300_000, await ScalarLong(host, "SELECT coalesce(sum(n.amount_paid_vnd),0) FROM notices n WHERE n.notice_no LIKE 'TS02-%'"));
        Assert.Equal(1_671_800, await MoneyInAsync(host));
    }
}
