using TdmEdu.Fees.Api.Tests.Support;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace TdmEdu.Fees.Api.Tests.Cli;

/// <summary>`statements pull` against WireMock.Net playing Vietcombank's and MSB's statement APIs.</summary>
public sealed class StatementPullTests : IDisposable
{
    private readonly WireMockServer _bank = WireMockServer.Start();

    public void Dispose() => _bank.Stop();

    private async Task<(BankHost Host, string An, string Bao)> SetUpAsync(bool vcbFails = false)
    {
        var host = await BankHost.StartAsync();
        var an = await host.PaymentCodeAsync("7900000001");
        var bao = await host.PaymentCodeAsync("7900000040");
        var secretVariable = "FEES_TEST_VCB_CLIENT_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(secretVariable, "client-secret-of-ts01");
        await host.Fees.OkAsync("banks", "configure", "--school", "TS01", "--bank", "VCB", "--client-id", "fees-ts01", "--client-secret-env", secretVariable);

        var vcb = host.Account("TS01", "VCB").AccountNo;
        _bank.Given(Request.Create().WithPath("/oauth2/token").UsingPost())
            .RespondWith(vcbFails ? Response.Create().WithStatusCode(500)
                : Response.Create().WithBodyAsJson(new { access_token = "tok", expires_in = 300 }));
        _bank.Given(Request.Create().WithPath($"/api/v1/accounts/{vcb}/transactions").UsingGet())
            .RespondWith(Response.Create().WithBodyAsJson(new
            {
                page = 1, totalPages = 1,
                items = new[]
                {
                    new
                    {
                        transactionId = "T1", transactionTime = "2025-09-04 09:30:00", valueDate = "2025-09-04", referenceNumber = "FTVCB1",
                        creditDebit = "C", amount = 1_371_800, currency = "VND", content = $"MBVCB.1.2.{an} hoc phi", payerAccount = "0123", payerName = "NGUYEN VAN A",
                        runningBalance = 11_371_800,
                    },
                },
            }));
        var msb = host.Account("TS02", "MSB");
        _bank.Given(Request.Create().WithPath("/statement/v1/query").UsingPost())
            .RespondWith(Response.Create().WithBodyAsJson(new
            {
                code = "00",
                data = new
                {
                    total = 1,
                    records = new[]
                    {
                        new
                        {
                            transactionId = "FTMSB1", referenceNo = "IB20SML247/FTMSB1", vaNumber = msb.Msb!.VaPrefix + bao[^8..],
                            transactionTime = "2025-09-04 10:00:00", valueDate = "2025-09-04", amount = 500_000, dcSign = "C",
                            remark = "03000000000001-123456-chuyen tien", balance = 500_000,
                        },
                    },
                },
            }));
        return (host, an, bao);
    }

    [Fact]
    public async Task StatementsPull_ReadsEachConfiguredAccount_StoresItOnce_AndTheLinesReconcile()
    {
        var (host, an, bao) = await SetUpAsync();
        await using var _ = host;
        var fees = host.Fees;

        var first = await fees.OkAsync("statements", "pull", "--vcb-api", _bank.Url!, "--msb-api", _bank.Url!);
        var second = await fees.OkAsync("statements", "pull", "--vcb-api", _bank.Url!, "--msb-api", _bank.Url!);
        var reconciled = await fees.OkAsync("reconcile");

        // The first pull reaches a week back; the next starts at the last complete day and adds nothing new.
        Assert.Contains("TS01 VCB 2025-08-29..2025-09-05: 1 line(s), 1 new, 0 already imported (skipped).", first);
        Assert.Contains("TS02 MSB 2025-08-29..2025-09-05: 1 line(s), 1 new, 0 already imported (skipped).", first);
        Assert.Contains("TS01 VCB 2025-09-04..2025-09-05: 1 line(s), 0 new, 1 already imported (skipped).", second);
        Assert.Equal(2, await fees.Db.ScalarAsync("SELECT count(*) FROM statement_lines"));
        Assert.Contains("1 matched, 1 partial", reconciled);
        var reasons = await fees.Db.ListAsync("SELECT r.reason FROM reconciliations r JOIN statement_lines l ON l.id = r.statement_line_id ORDER BY l.bank");
        Assert.Equal([$"virtual account of {bao}, pays 500000 of 1371800 owed", $"code {an} in description, amount equals balance"], reasons);
        // The secret is stored sealed, never in clear.
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM school_bank_accounts WHERE vcb_client_secret_sealed LIKE '%client-secret-of-ts01%'"));
        Assert.Equal(0, (await fees.RunAsync("audit")).ExitCode);
    }

    [Fact]
    public async Task LinesOnlyAnUploadedFileCarries_OnDaysTheBanksApiCovered_AreUnconfirmed_AndTheBankBookIsNotReconciled()
    {
        // Found by attack: a made-up credit (paying a pupil's notice) and a made-up debit that cancel out, uploaded with
        // the bank's own balances, left the bank book "reconciled".
        var (host, _, _) = await SetUpAsync();
        await using var _ = host;
        var fees = host.Fees;
        await fees.OkAsync("statements", "pull", "--vcb-api", _bank.Url!, "--msb-api", _bank.Url!);
        var vcb = host.Account("TS01", "VCB").AccountNo;
        // The API's running balance states the day's opening and closing.
        Assert.Equal(["2025-09-03 10000000 opening", "2025-09-04 11371800 running"], await fees.Db.ListAsync("""
            SELECT b.day || ' ' || b.balance_vnd || ' ' || b.stated FROM statement_balances b JOIN school_bank_accounts a ON a.id = b.account_id
            WHERE a.bank = 'VCB' ORDER BY 1
            """));
        var bich = await host.PaymentCodeAsync("7900000002");
        await fees.OkAsync("statements", "import", fees.File("fake.sta", $":20:F1\n:25:{vcb}\n:28C:1\n:60F:C250903VND10000000,\n" +
            ":61:2509040904C1371800,NTRFNONREF//FTVCB1\n:86:hoc phi\n" +
            $":61:2509040904C1001800,NTRFNONREF//FTFAKE1\n:86:{bich} hoc phi\n" +
            ":61:2509040904D1001800,NTRFNONREF//FTFAKE2\n:86:CHUYEN KHOAN NOI BO\n" +
            ":62F:C250904VND11371800,\n"), "--bank", "VCB", "--account", vcb);
        await fees.OkAsync("reconcile");

        var book = await fees.OkAsync("books", "bank", "--school", "TS01", "--period", "2025-09");
        Assert.Contains("UNCONFIRMED: 2 line(s) only an uploaded file carries, on days the bank's statement API reported no such line (in 1,001,800, out 1,001,800)", book, StringComparison.Ordinal);
        Assert.Contains("04/09 FTFAKE1, 04/09 FTFAKE2", book, StringComparison.Ordinal);
        Assert.Contains("NOT reconciled", book, StringComparison.Ordinal);
        Assert.DoesNotContain("reconciled: every đồng", book, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StatementsPull_OneBankFailing_TheOtherIsStored_AndTheFailedOneIsAskedAgainFromTheSameDay()
    {
        var (host, _, _) = await SetUpAsync(vcbFails: true);
        await using var __ = host;
        var fees = host.Fees;

        var result = await fees.RunAsync("statements", "pull", "--vcb-api", _bank.Url!, "--msb-api", _bank.Url!);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("TS01 VCB 2025-08-29..2025-09-05: Vietcombank refused the statement token: HTTP 500.", result.Err);
        Assert.Contains("TS02 MSB 2025-08-29..2025-09-05: 1 line(s), 1 new", result.Out);
        Assert.Equal(["MSB 2025-09-04", "VCB "], await fees.Db.ListAsync(
            "SELECT bank || ' ' || COALESCE(statements_pulled_through::text, '') FROM school_bank_accounts WHERE bank IN ('VCB', 'MSB') AND statements_pulled_through IS NOT NULL OR vcb_client_id IS NOT NULL ORDER BY bank"));
    }

    [Fact]
    public async Task StatementsPull_WithNoApiAddress_SaysWhatToSet()
    {
        await using var fees = await Support.Fees.StartAsync();
        await fees.SetUpExampleSchoolAsync();

        var result = await fees.RunAsync("statements", "pull");

        Assert.Equal(4, result.ExitCode);
        Assert.Contains("--vcb-api or --msb-api, or set FEES_VCB_API or FEES_MSB_API", result.Err);
    }
}
