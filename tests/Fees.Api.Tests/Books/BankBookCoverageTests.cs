using TdmEdu.Fees.Api.Tests.Support;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace TdmEdu.Fees.Api.Tests.Books;

/// <summary>
/// What the bank's statement API covered, as the bank book counts it: only days the pull finished state a balance, and
/// coverage starts at the first day a pull asked for, not at the first line the bank ever reported.
/// </summary>
public sealed class BankBookCoverageTests : IDisposable
{
    private readonly WireMockServer _bank = WireMockServer.Start();

    public void Dispose() => _bank.Stop();

    private sealed record Item(string Ref, string Time, string Sign, long Amount, string Content, long Running);

    private void Answer(string account, params Item[] items)
    {
        _bank.ResetMappings();
        _bank.Given(Request.Create().WithPath("/oauth2/token").UsingPost())
            .RespondWith(Response.Create().WithBodyAsJson(new { access_token = "tok", expires_in = 300 }));
        _bank.Given(Request.Create().WithPath($"/api/v1/accounts/{account}/transactions").UsingGet())
            .RespondWith(Response.Create().WithBodyAsJson(new
            {
                page = 1, totalPages = 1,
                items = items.Select(i => new
                {
                    transactionId = "T" + i.Ref, transactionTime = i.Time, valueDate = i.Time[..10], referenceNumber = i.Ref,
                    creditDebit = i.Sign, amount = i.Amount, currency = "VND", content = i.Content, payerAccount = "0123", payerName = "NGUYEN VAN A",
                    runningBalance = i.Running,
                }).ToArray(),
            }));
    }

    private async Task<(BankHost Host, string Vcb)> SetUpAsync()
    {
        var host = await BankHost.StartAsync();
        var secretVariable = "FEES_TEST_VCB_CLIENT_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(secretVariable, "client-secret-of-ts01");
        await host.Fees.OkAsync("banks", "configure", "--school", "TS01", "--bank", "VCB", "--client-id", "fees-ts01", "--client-secret-env", secretVariable);
        return (host, host.Account("TS01", "VCB").AccountNo);
    }

    private static async Task<string> BookAsync(Support.Fees fees, string vcb, string period = "2025-09") =>
        await fees.OkAsync("books", "bank", "--school", "TS01", "--period", period, "--account", vcb);

    [Fact]
    public async Task APullDuringTheMonthsLastDay_StatesNoBalanceForIt_SoTheNextPullsCloseIsTheOnlyOne()
    {
        var (host, vcb) = await SetUpAsync();
        await using var _ = host;
        var fees = host.Fees;
        fees.Clock.Now = new DateTimeOffset(2025, 9, 30, 3, 0, 0, TimeSpan.Zero); // 10:00 in Vietnam
        var l1 = new Item("FTVCB1", "2025-09-25 09:30:00", "C", 1_000_000, "CHUYEN TIEN", 11_000_000);
        var a = new Item("FTVCB2", "2025-09-30 09:30:00", "C", 500_000, "CHUYEN TIEN", 11_500_000);
        Answer(vcb, l1, a);
        await fees.OkAsync("statements", "pull", "--vcb-api", _bank.Url!);
        fees.Clock.Now = new DateTimeOffset(2025, 10, 1, 3, 0, 0, TimeSpan.Zero);
        Answer(vcb, a, new Item("FTVCB3", "2025-09-30 15:00:00", "C", 200_000, "CHUYEN TIEN", 11_700_000));
        await fees.OkAsync("statements", "pull", "--vcb-api", _bank.Url!);

        var book = await BookAsync(fees, vcb);

        // Found by attack: the 10:00 pull stated 30 September's balance at 11,500,000, the next day's 11,700,000, and
        // the two could never agree.
        Assert.Equal(["2025-09-30 11700000"], await fees.Db.ListAsync("SELECT b.day || ' ' || b.balance_vnd FROM statement_balances b WHERE b.day = '2025-09-30' AND b.stated = 'running'"));
        Assert.DoesNotContain("different balances", book, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMadeUpPair_OnADayThePullCoveredBeforeTheBanksFirstLine_IsUnconfirmed_AndTheMonthNotReconciled()
    {
        var (host, vcb) = await SetUpAsync();
        await using var _ = host;
        var fees = host.Fees;
        var bich = await host.PaymentCodeAsync("7900000002");
        Answer(vcb, new Item("FTVCB1", "2025-09-04 09:30:00", "C", 1_371_800, "CHUYEN TIEN", 11_371_800));
        var pulled = await fees.OkAsync("statements", "pull", "--vcb-api", _bank.Url!);
        await fees.OkAsync("statements", "import", fees.File("fake.sta", $":20:F1\n:25:{vcb}\n:28C:1\n:60F:C250831VND10000000,\n" +
            $":61:2509010901C1001800,NTRFNONREF//FTFAKE1\n:86:{bich} hoc phi\n" +
            ":61:2509010901D1001800,NTRFNONREF//FTFAKE2\n:86:CHUYEN KHOAN NOI BO\n" +
            ":61:2509040904C1371800,NTRFNONREF//FTVCB1\n:86:CHUYEN TIEN\n" +
            ":62F:C250904VND11371800,\n"), "--bank", "VCB", "--account", vcb);
        await fees.OkAsync("reconcile");
        var book = await BookAsync(fees, vcb);

        // Found by attack: coverage began at the bank's first line (4 September), so the pair of 1 September, which the
        // pull covered and did not report, kept September reconciled.
        Assert.Contains("2025-08-29..2025-09-05: 1 line(s)", pulled, StringComparison.Ordinal);
        Assert.DoesNotContain("reconciled: every đồng", book, StringComparison.Ordinal);
        Assert.Contains("FTFAKE1", book, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFileBeforeThePull_ThatTellsALineOtherwiseThanTheBank_IsNotConfirmedByIt()
    {
        // Found by attack: a file uploaded before the pull rewrote a real line's text into Bích's payment code; the line
        // paid Bích, and the pull, skipping the reference it already had, counted the line as the bank's own.
        var (host, vcb) = await SetUpAsync();
        await using var _ = host;
        var fees = host.Fees;
        var bich = await host.PaymentCodeAsync("7900000002");
        await fees.OkAsync("statements", "import", fees.File("forged.sta", $":20:F1\n:25:{vcb}\n:28C:1\n:60F:C250903VND10000000,\n" +
            $":61:2509040904C1001800,NTRFNONREF//FTVCB1\n:86:{bich} hoc phi\n" +
            ":61:2509040904C200000,NTRFNONREF//FTVCB2\n:86:CHUYEN TIEN\n   QUY LOP\n" +
            ":62F:C250904VND11201800,\n"), "--bank", "VCB", "--account", vcb);
        await fees.OkAsync("reconcile");
        Answer(vcb, new Item("FTVCB1", "2025-09-04 09:30:00", "C", 1_001_800, "CHUYEN TIEN UNG HO QUY LOP", 11_001_800),
            new Item("FTVCB2", "2025-09-04 09:40:00", "C", 200_000, "Chuyen tien quy lop 5A", 11_201_800));

        var pulled = await fees.OkAsync("statements", "pull", "--vcb-api", _bank.Url!);

        // The forged line is left unconfirmed and named; the honest one (the file cut its text, spaced it otherwise) is confirmed.
        Assert.Contains("the bank describes line FTVCB1 otherwise than the file that brought it", pulled, StringComparison.Ordinal);
        Assert.DoesNotContain("FTVCB2 otherwise", pulled, StringComparison.Ordinal);
        Assert.Equal(["FTVCB2"], await fees.Db.ListAsync("""
            SELECT l.bank_ref FROM statement_lines l JOIN statement_import_lines il ON il.line_id = l.id JOIN statement_imports i ON i.id = il.import_id
            WHERE i.format = 'api' AND NOT il.disagrees ORDER BY 1
            """));
        var book = await BookAsync(fees, vcb);
        Assert.DoesNotContain("reconciled: every đồng", book, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABalanceAFileStates_AgainstTheBanksAcrossQuietDays_IsAConflict_NotAReconciledMonth()
    {
        // Found by attack: the API's balances show 50,000 missing (the 4th opens at 10,950,000 after the 2nd closed at
        // 11,000,000); a file stating only a balance on the 30th, with no line after the 4th, made the month reconciled.
        var (host, vcb) = await SetUpAsync();
        await using var _ = host;
        var fees = host.Fees;
        Answer(vcb, new Item("FTVCB1", "2025-09-02 09:30:00", "C", 1_000_000, "CHUYEN TIEN", 11_000_000),
            new Item("FTVCB2", "2025-09-04 09:30:00", "C", 100_000, "CHUYEN TIEN", 11_050_000));
        await fees.OkAsync("statements", "pull", "--vcb-api", _bank.Url!);
        fees.Clock.Now = new DateTimeOffset(2025, 10, 2, 3, 0, 0, TimeSpan.Zero);
        Assert.Contains("NOT reconciled", await BookAsync(fees, vcb), StringComparison.Ordinal);

        await fees.OkAsync("statements", "import", fees.File("balance-only.sta", $":20:F1\n:25:{vcb}\n:28C:1\n:60F:C250930VND11100000,\n" +
            ":62F:C250930VND11100000,\n"), "--bank", "VCB", "--account", vcb);

        var after = await BookAsync(fees, vcb);
        Assert.DoesNotContain("reconciled: every đồng", after, StringComparison.Ordinal);
        Assert.Contains("30/09/2025", after, StringComparison.Ordinal);
    }
}
