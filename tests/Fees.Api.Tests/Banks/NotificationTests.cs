using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Banks;

public sealed class NotificationTests
{
    private static string Code(System.Text.Json.JsonElement body) => body.GetProperty("code").GetString()!;

    [Fact]
    public async Task TwoCreditsOfOnePupil_AppliedInOneStretch_SayWhatEachDidAgainstWhatWasOwedThen()
    {
        // Found by attack (round 7): the second credit of a stretch said "pays 100000 of 1371800 owed" and, in the same
        // sentence, that its 100000 were held as credit: it was worded against what was owed before the first.
        await using var host = await BankHost.StartAsync();
        var code = await host.PaymentCodeAsync("7900000001");
        await host.VcbAsync(host.VcbBody("VCB0950", 1_371_800, code));
        await host.VcbAsync(host.VcbBody("VCB0951", 100_000, code));
        await host.ProcessInboxAsync();

        var said = await host.Fees.Db.ListAsync("SELECT outcome_reason FROM bank_inbox WHERE idempotency_key IN ('VCB0950', 'VCB0951') ORDER BY idempotency_key");
        Assert.Contains("amount equals balance", said[0], StringComparison.Ordinal);
        Assert.Contains("nothing is owed; all of it becomes credit", said[1], StringComparison.Ordinal);
        Assert.Contains("100000 đồng held as credit", said[1], StringComparison.Ordinal);
        Assert.DoesNotContain("owed;", said[1].Replace("nothing is owed;", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Vcb_CreditWithTheCodeInAWrappedDescription_PaysTheNotice()
    {
        await using var host = await BankHost.StartAsync();
        var code = await host.PaymentCodeAsync("7900000001");
        var spaced = $"{code[..2].ToLowerInvariant()} {code[2..6]} {code[6..]}";

        var (status, body) = await host.VcbAsync(host.VcbBody("VCB0001", 1_371_800, $"MBVCB.1234567.890123.{spaced} hoc phi.CT tu 0123456789 NGUYEN VAN A toi 0281000111222"));
        await host.ProcessInboxAsync();

        Assert.Equal((200, "00"), (status, Code(body)));
        Assert.True(Guid.TryParse(body.GetProperty("refId").GetString(), out _));
        Assert.Equal(1_371_800, await host.Fees.Db.ScalarAsync("SELECT amount_paid_vnd FROM notices WHERE notice_no = 'TS01-202509-00001'"));
        Assert.Equal(0, (await host.Fees.RunAsync("audit")).ExitCode);
    }

    [Fact]
    public async Task Vcb_Duplicate_GetsTheFirstRefIdAndChangesNothing()
    {
        await using var host = await BankHost.StartAsync();
        var code = await host.PaymentCodeAsync("7900000001");
        var body = host.VcbBody("VCB0002", 500_000, code);

        var first = await host.VcbAsync(body);
        var again = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => host.VcbAsync(body)));
        await host.ProcessInboxAsync();

        Assert.All(again, a => Assert.Equal(first.Body.GetProperty("refId").GetString(), a.Body.GetProperty("refId").GetString()));
        Assert.Equal(1, await host.Fees.Db.ScalarAsync("SELECT count(*) FROM payments"));
        Assert.Equal(500_000, await host.Fees.Db.ScalarAsync("SELECT amount_paid_vnd FROM notices WHERE notice_no = 'TS01-202509-00001'"));
    }

    [Theory]
    [InlineData("signature")]
    [InlineData("altered")]
    public async Task Vcb_ForgedOrAlteredBody_Is401AndStoresNothing(string how)
    {
        await using var host = await BankHost.StartAsync();
        var code = await host.PaymentCodeAsync("7900000001");
        var body = host.VcbBody("VCB0003", 500_000, code);
        var otherKey = System.Security.Cryptography.RSA.Create(2048).ExportPkcs8PrivateKeyPem();

        var (status, answer) = how == "signature"
            ? await host.VcbAsync(body, BankAdapters.Vcb.VcbNotification.Sign(otherKey, System.Text.Encoding.UTF8.GetBytes(body)))
            : await host.VcbAsync(body.Replace("500000", "900000"), BankAdapters.Vcb.VcbNotification.Sign(host.Account("TS01", "VCB").Vcb!.PrivateKeyPem, System.Text.Encoding.UTF8.GetBytes(body)));

        Assert.Equal((401, "05"), (status, Code(answer)));
        Assert.Equal(0, await host.Fees.Db.ScalarAsync("SELECT count(*) FROM bank_inbox"));
    }

    [Theory]
    [InlineData("{\"transactionId\": \"X\"")]
    [InlineData("[1, 2]")]
    [InlineData("unknown-account")]
    [InlineData("1000.5")]
    [InlineData("-5")]
    [InlineData("\"1.000\"")]
    [InlineData("missing")]
    [InlineData("USD")]
    public async Task Vcb_MalformedCall_Is400WithCode01(string what)
    {
        await using var host = await BankHost.StartAsync();
        var good = host.VcbBody("VCB0004", 1000, "HS");
        var body = what switch
        {
            "unknown-account" => host.VcbBody("VCB0004", 1000, "x", account: "9999999999"),
            "1000.5" or "-5" or "\"1.000\"" => good.Replace("\"amount\":1000", $"\"amount\":{what}"),
            "missing" => good.Replace("\"transactionId\":\"VCB0004\",", ""),
            "USD" => good.Replace("\"VND\"", "\"USD\""),
            _ => what,
        };

        var (status, answer) = await host.VcbAsync(body);

        Assert.Equal((400, "01"), (status, Code(answer)));
        Assert.Equal(0, await host.Fees.Db.ScalarAsync("SELECT count(*) FROM bank_inbox"));
    }

    [Fact]
    public async Task Vcb_DebitReversingACredit_UndoesIt()
    {
        await using var host = await BankHost.StartAsync();
        var code = await host.PaymentCodeAsync("7900000001");
        await host.VcbAsync(host.VcbBody("VCB0005", 1_371_800, code));
        await host.ProcessInboxAsync();

        var (status, _) = await host.VcbAsync(host.VcbBody("VCB0006", 1_371_800, "tra soat", "D", "VCB0005"));
        await host.ProcessInboxAsync();

        Assert.Equal(200, status);
        Assert.Equal(0, await host.Fees.Db.ScalarAsync("SELECT amount_paid_vnd FROM notices WHERE notice_no = 'TS01-202509-00001'"));
        Assert.Equal("reversed", await Outcome(host, "VCB0006"));
        Assert.Equal(0, (await host.Fees.RunAsync("audit")).ExitCode);
    }

    [Fact]
    public async Task Vcb_CreditWithNoUsableCode_IsParkedNotDropped()
    {
        await using var host = await BankHost.StartAsync();
        var code = await host.PaymentCodeAsync("7900000001");
        var mangled = code[..^2] + code[^1] + code[^2]; // neighbours swapped: the check digit catches it

        await host.VcbAsync(host.VcbBody("VCB0007", 200_000, $"hoc phi chau {mangled}"));
        await host.VcbAsync(host.VcbBody("VCB0008", 300_000, "tien lai thang 9"));
        await host.ProcessInboxAsync();

        Assert.Equal(500_000, await host.Fees.Db.ScalarAsync("SELECT sum(amount_vnd) FROM unidentified_money"));
        Assert.Equal(0, await host.Fees.Db.ScalarAsync("SELECT count(*) FROM payments"));
        Assert.Equal(0, (await host.Fees.RunAsync("audit")).ExitCode);
    }

    [Fact]
    public async Task Vcb_OneTransferNamingTwoSiblings_PaysBothInOrderAndCreditsTheFirst()
    {
        await using var host = await BankHost.StartAsync();
        var first = await host.PaymentCodeAsync("7900000001");
        var second = await host.PaymentCodeAsync("7900000002");
        await host.VcbAsync(host.VcbBody("VCB0009", 3_000_000, $"{first} va {second} hoc phi"));
        // TS02 pupils, paid into the TS01 account by a parent who knows only the codes: not moved between schools.
        var bao = await host.PaymentCodeAsync("7900000040");
        var thu = await host.PaymentCodeAsync("7900000041");
        await host.VcbAsync(host.VcbBody("VCB0010", 2_000_000, $"{bao} va {thu} hoc phi"));
        await host.ProcessInboxAsync();

        Assert.Equal(1_371_800, await host.Fees.Db.ScalarAsync("SELECT amount_paid_vnd FROM notices WHERE notice_no = 'TS01-202509-00001'"));
        Assert.Equal(1_001_800, await host.Fees.Db.ScalarAsync("SELECT amount_paid_vnd FROM notices WHERE notice_no = 'TS01-202509-00002'"));
        Assert.Equal(1, await host.Fees.Db.ScalarAsync($"SELECT count(*) FROM payments p JOIN students s ON s.id = p.student_id WHERE s.payment_code = '{first}'"));
        Assert.Equal(626_400, await host.Fees.Db.ScalarAsync("SELECT sum(amount_vnd) FROM payments") - await host.Fees.Db.ScalarAsync("SELECT sum(amount_vnd) FROM allocations"));
        Assert.Equal(2_000_000, await host.Fees.Db.ScalarAsync("SELECT sum(amount_vnd) FROM unidentified_money"));
        Assert.Equal(0, await host.Fees.Db.ScalarAsync("SELECT sum(amount_paid_vnd) FROM notices WHERE notice_no LIKE 'TS02-%'"));
        Assert.Equal(0, (await host.Fees.RunAsync("audit")).ExitCode);
    }

    [Fact]
    public async Task Msb_VirtualAccountCredit_PaysTheNotice()
    {
        await using var host = await BankHost.StartAsync();
        var code = await host.PaymentCodeAsync("7900000041");
        var va = host.Account("TS02", "MSB").Msb!.VaPrefix + code[^8..];

        var (status, body) = await host.MsbAsync(host.MsbBody("FT0001", 1_371_800, va));
        await host.ProcessInboxAsync();

        Assert.Equal((200, "00"), (status, Code(body)));
        Assert.Equal(1_371_800, await host.Fees.Db.ScalarAsync("SELECT amount_paid_vnd FROM notices WHERE notice_no = 'TS02-202509-00002'"));
    }

    [Fact]
    public async Task Msb_StaleForgedAndReplayed_MoveNoMoney()
    {
        await using var host = await BankHost.StartAsync();
        var code = await host.PaymentCodeAsync("7900000041");
        var va = host.Account("TS02", "MSB").Msb!.VaPrefix + code[^8..];
        var body = host.MsbBody("FT0002", 100_000, va);

        var stale = await host.MsbAsync(body, host.Fees.Clock.Now.ToUnixTimeSeconds() - 301);
        var forged = await host.MsbAsync(body, signature: new string('0', 64));
        var ok = await host.MsbAsync(body);
        var replay = await host.MsbAsync(body);
        await host.ProcessInboxAsync();

        Assert.Equal((401, "98"), (stale.Status, Code(stale.Body)));
        Assert.Equal((401, "97"), (forged.Status, Code(forged.Body)));
        Assert.Equal((200, "00"), (ok.Status, Code(ok.Body)));
        Assert.Equal((200, "00"), (replay.Status, Code(replay.Body)));
        Assert.Equal(100_000, await host.Fees.Db.ScalarAsync("SELECT sum(amount_vnd) FROM payments"));
    }

    [Fact]
    public async Task Msb_ReversalOfParkedMoney_ClosesIt()
    {
        await using var host = await BankHost.StartAsync();
        await host.MsbAsync(host.MsbBody("FT0003", 100_000, null));
        await host.MsbAsync(host.MsbBody("FT0004", 100_000, null, "D", "FT0003"));
        await host.ProcessInboxAsync();

        Assert.Equal(1, await host.Fees.Db.ScalarAsync("SELECT count(*) FROM unidentified_money WHERE reversed_by_inbox_id IS NOT NULL"));
        Assert.Equal("reversed", await Outcome(host, "FT0004"));
    }

    private static async Task<string> Outcome(BankHost host, string key)
    {
        await using var db = host.Fees.Db.Open();
        return db.Inbox.Single(m => m.IdempotencyKey == key).Outcome!;
    }
}
