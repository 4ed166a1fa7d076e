using System.Globalization;
using TdmEdu.Fees.Api.Tests.Support;
using static TdmEdu.Fees.Api.Tests.Support.Aggregators;

namespace TdmEdu.Fees.Api.Tests.Banks;

/// <summary>
/// SePay, Casso and payOS as channels (issue 16): a school account at a bank the service has no channel with is
/// collected through an aggregator. A call verified with the account's key pays the notice through the one bank-money
/// path; forged, altered, stale, replayed and duplicated calls move nothing, and each is answered as its provider expects.
/// </summary>
public sealed class AggregatorWebhookTests
{
    // ---- SePay ----

    [Fact]
    public async Task Sepay_AVerifiedCredit_PaysTheNotice_AndIsAnsweredSuccessTrue_Once()
    {
        await using var host = await StartAsync();
        var code = await host.PaymentCodeAsync("7900000001");
        var body = SepayBody(92704, 1_371_800, $"{code} hoc phi");

        var (status, answer) = await SepayAsync(host, body);
        var again = await SepayAsync(host, body);
        await host.ProcessInboxAsync();

        Assert.Equal((200, true), (status, answer.GetProperty("success").GetBoolean()));
        Assert.Equal(200, again.Status);
        Assert.Equal(1_371_800, await PaidAsync(host));
        Assert.Equal(1, await StoredAsync(host, "SEPAY"));
        Assert.Equal(0, (await host.Fees.RunAsync("audit")).ExitCode);
    }

    [Fact]
    public async Task Sepay_NoKey_AnotherKey_OrAnotherSchoolsKey_MovesNothing()
    {
        await using var host = await StartAsync();
        var code = await host.PaymentCodeAsync("7900000001");
        var body = SepayBody(92705, 1_371_800, $"{code} hoc phi");

        var none = await SepayAsync(host, body, key: null);
        var wrong = await SepayAsync(host, body, key: SepayKey + "x");
        // TS02's own key, for a call naming TS01's account: a school's key acts only for its own accounts.
        var other = await SepayAsync(host, body, key: SepayOtherKey);
        await host.ProcessInboxAsync();

        Assert.All(new[] { none, wrong, other }, r => Assert.Equal((401, false), (r.Status, r.Body.GetProperty("success").GetBoolean())));
        Assert.Equal(0, await StoredAsync(host, "SEPAY"));
        Assert.Equal(0, await PaidAsync(host));
    }

    [Fact]
    public async Task Sepay_TheSameIdAgainWithAnotherAmount_IsNoSecondPayment()
    {
        await using var host = await StartAsync();
        var code = await host.PaymentCodeAsync("7900000001");

        await SepayAsync(host, SepayBody(92706, 1_371_800, $"{code} hoc phi"));
        var changed = await SepayAsync(host, SepayBody(92706, 2_000_000, $"{code} hoc phi"));
        await host.ProcessInboxAsync();

        Assert.NotEqual(500, changed.Status);
        Assert.Equal(1_371_800, await PaidAsync(host));
        Assert.Equal(1, await StoredAsync(host, "SEPAY"));
        Assert.Equal(0, (await host.Fees.RunAsync("audit")).ExitCode);
    }

    [Fact]
    public async Task Sepay_AnAccountWithoutItsKey_IsOurFailure_NeverAnOpenDoor()
    {
        await using var host = await StartAsync();
        await host.Fees.Db.ScalarAsync($"UPDATE school_bank_accounts SET aggregator_key_sealed = NULL WHERE account_no = '{SepayAccount}' RETURNING 1");

        var (status, _) = await SepayAsync(host, SepayBody(92707, 1_371_800, "hoc phi"), key: "");

        Assert.Equal(500, status);
        Assert.Equal(0, await StoredAsync(host, "SEPAY"));
    }

    // ---- Casso ----

    [Fact]
    public async Task Casso_AVerifiedCredit_PaysTheNotice_AndAReplayIsNoSecondPayment()
    {
        await using var host = await StartAsync();
        var code = await host.PaymentCodeAsync("7900000001");
        var body = CassoBody(5001, 1_371_800, $"{code} hoc phi");

        var first = await CassoAsync(host, body);
        var replay = await CassoAsync(host, body);
        await host.ProcessInboxAsync();

        Assert.Equal((200, 200), (first.Status, replay.Status));
        Assert.True(first.Body.GetProperty("success").GetBoolean());
        Assert.Equal(1_371_800, await PaidAsync(host));
        Assert.Equal(1, await StoredAsync(host, "CASSO"));
        Assert.Equal(0, (await host.Fees.RunAsync("audit")).ExitCode);
    }

    [Fact]
    public async Task Casso_Altered_Forged_OrStale_MovesNothing()
    {
        await using var host = await StartAsync();
        var code = await host.PaymentCodeAsync("7900000001");
        var body = CassoBody(5002, 1_371_800, $"{code} hoc phi");

        var altered = await CassoAsync(host, CassoBody(5002, 9_999_999, $"{code} hoc phi"), signedBody: body);
        var forged = await CassoAsync(host, body, key: "guessed");
        var stale = await CassoAsync(host, body, at: host.Fees.Clock.Now.AddMinutes(-10));
        await host.ProcessInboxAsync();

        Assert.Equal([401, 401, 401], new[] { altered.Status, forged.Status, stale.Status });
        Assert.Equal(0, await StoredAsync(host, "CASSO"));
        Assert.Equal(0, await PaidAsync(host));
    }

    // ---- payOS ----

    [Fact]
    public async Task Payos_AVerifiedPayment_PaysTheNotice_Once()
    {
        await using var host = await StartAsync();
        var code = await host.PaymentCodeAsync("7900000001");
        var body = PayosBody("TF250910001", 1_371_800, $"{code} hoc phi");

        var first = await host.PostAsync("/api/banks/payos/notify", body);
        var again = await host.PostAsync("/api/banks/payos/notify", body);
        await host.ProcessInboxAsync();

        Assert.Equal((200, 200), (first.Status, again.Status));
        Assert.Equal(1_371_800, await PaidAsync(host));
        Assert.Equal(1, await StoredAsync(host, "PAYOS"));
        Assert.Equal(0, (await host.Fees.RunAsync("audit")).ExitCode);
    }

    [Fact]
    public async Task Payos_Altered_OrForged_MovesNothing()
    {
        await using var host = await StartAsync();
        var code = await host.PaymentCodeAsync("7900000001");

        var altered = await host.PostAsync("/api/banks/payos/notify", PayosBody("TF250910002", 1_371_800, $"{code} hoc phi", alter: d => d["amount"] = 9_999_999L));
        var forged = await host.PostAsync("/api/banks/payos/notify", PayosBody("TF250910003", 1_371_800, $"{code} hoc phi", key: "guessed"));
        await host.ProcessInboxAsync();

        Assert.Equal([401, 401], new[] { altered.Status, forged.Status });
        Assert.Equal(0, await StoredAsync(host, "PAYOS"));
        Assert.Equal(0, await PaidAsync(host));
    }

    // ---- one bank-money path ----

    [Fact]
    public async Task ACreditTheAggregatorToldOf_AndTheSameOnTheAccountsStatement_IsPaidOnce()
    {
        await using var host = await StartAsync();
        var code = await host.PaymentCodeAsync("7900000001");
        await SepayAsync(host, SepayBody(92710, 1_371_800, $"{code} hoc phi"));
        await host.ProcessInboxAsync();
        var statement = host.Fees.File("icb.sta", $":20:S1\n:25:{SepayAccount}\n:60F:C250909VND0,\n:61:2509100910C1371800,00NTRFNONREF//FT92710\n:86:{code} hoc phi\n:62F:C250910VND1371800,\n");

        await host.Fees.OkAsync("statements", "import", statement, "--bank", "ICB", "--account", SepayAccount);
        await host.Fees.OkAsync("reconcile");

        Assert.Equal(1_371_800, await PaidAsync(host));
        Assert.Equal(1L, Convert.ToInt64(await host.Fees.Db.ScalarAsync("SELECT count(*) FROM payments WHERE amount_vnd > 0"), CultureInfo.InvariantCulture));
        Assert.Equal(0, (await host.Fees.RunAsync("audit")).ExitCode);
    }

    [Theory]
    [InlineData("sepay")]
    [InlineData("casso")]
    [InlineData("payos")]
    public async Task BankSim_PlaysEachAggregator_WithRetries_AndTheNoticeIsPaidOnceWithAReceipt(string via)
    {
        await using var host = await StartAsync();

        var output = await host.Fees.OkAsync("bank-sim", "pay", "--notice", Notice, "--via", via, "--duplicates", "2", "--url", host.BaseAddress.ToString());
        await host.ProcessInboxAsync();

        Assert.Equal(3, output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => l.Contains(" 200", StringComparison.Ordinal)));
        Assert.Equal(1_371_800, await PaidAsync(host));
        Assert.Equal(1L, Convert.ToInt64(await host.Fees.Db.ScalarAsync(
            $"SELECT count(DISTINCT r.id) FROM receipts r JOIN payments p ON p.id = r.payment_id JOIN allocations a ON a.payment_id = p.id JOIN notices n ON n.id = a.notice_id WHERE n.notice_no = '{Notice}' AND r.status IN ('pending_signature', 'issued')"),
            CultureInfo.InvariantCulture));
        Assert.Equal(0, (await host.Fees.RunAsync("audit")).ExitCode);
    }

    [Fact]
    public async Task SchoolsImport_AnotherBanksAccountWithoutAnAggregator_IsRefusedSayingHowToCollectIt()
    {
        await using var fees = await Support.Fees.StartAsync();

        var r = await fees.RunAsync("schools", "import", fees.File("s.csv", """
            school_code,name,level,ward,bank,account_no,account_name,via
            TS09,Trường Thử,TH,,ICB,1020304050,TRUONG THU,
            TS09,Trường Thử,TH,,ACB,1020304051,TRUONG THU,MoMo

            """));

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("line 2, column E (bank): \"ICB\" is not a bank the service collects through (BIDV, VCB, MSB); another bank's account is collected through an aggregator", r.Err);
        Assert.Contains("line 3, column H (via): \"MoMo\" is not an aggregator the service takes (SePay, Casso, payOS)", r.Err);
        Assert.Equal(0L, Convert.ToInt64(await fees.Db.ScalarAsync("SELECT count(*) FROM schools"), CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task SchoolsImport_AFileWithoutTheViaColumn_KeepsAnAccountsChannelAndKey_AnEmptyViaEndsIt()
    {
        await using var fees = await Support.Fees.StartAsync();
        _ = BankHost.Box;
        const string Header = "school_code,name,level,ward,bank,account_no,account_name";
        await fees.OkAsync("schools", "import", fees.File("a.csv", Header + ",via\nTS09,Trường Thử,TH,,VCB,0281000999888,TRUONG THU,SePay\n"));
        Environment.SetEnvironmentVariable("AGG_TEST_KEY", "k-ts09");
        await fees.OkAsync("banks", "configure", "--school", "TS09", "--bank", "VCB", "--secret-env", "AGG_TEST_KEY");
        const string State = "SELECT coalesce(channel, '-') || '/' || (aggregator_key_sealed IS NOT NULL)::text FROM school_bank_accounts WHERE account_no = '0281000999888'";

        // The school's usual file, which knows nothing of aggregators, with a new account name.
        await fees.OkAsync("schools", "import", fees.File("b.csv", Header + "\nTS09,Trường Thử,TH,,VCB,0281000999888,TRUONG THU NGHIEM\n"));
        var kept = (await fees.Db.ListAsync(State)).Single();
        await fees.OkAsync("schools", "import", fees.File("c.csv", Header + ",via\nTS09,Trường Thử,TH,,VCB,0281000999888,TRUONG THU NGHIEM,\n"));

        Assert.Equal("SEPAY/true", kept);
        Assert.Equal("-/false", (await fees.Db.ListAsync(State)).Single());
    }
}
