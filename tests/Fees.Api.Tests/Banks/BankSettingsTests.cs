using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Banks;

public sealed class BankSettingsTests
{
    [Fact]
    public async Task BanksCheck_OnFreshAccounts_NamesEveryMissingValue()
    {
        _ = BankHost.Box;
        await using var fees = await Support.Fees.StartAsync();
        await fees.OkAsync("schools", "import", fees.File("s.csv", Samples.Schools));

        var r = await fees.RunAsync("banks", "check");

        Assert.Equal(3, r.ExitCode);
        Assert.Contains("school TS01, VCB account: Vietcombank's public key (PEM) is missing.", r.Err);
        Assert.Contains("school TS02, BIDV account: the BIDV service id is missing.", r.Err);
        Assert.Contains("school TS02, MSB account: the MSB shared secret is missing", r.Err);
    }

    [Fact]
    public async Task BanksConfigure_IncompleteOrUnusable_IsRefusedAndNothingSaved()
    {
        _ = BankHost.Box;
        await using var fees = await Support.Fees.StartAsync();
        await fees.OkAsync("schools", "import", fees.File("s.csv", Samples.Schools));
        var badKey = fees.File("vcb.pem", "-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----\n");

        var vcb = await fees.RunAsync("banks", "configure", "--school", "TS01", "--bank", "VCB", "--vcb-public-key", badKey);
        var bidv = await fees.RunAsync("banks", "configure", "--school", "TS02", "--bank", "BIDV", "--service-id", "HOCPHI", "--va-prefix", "TOOLONG");
        var noEnv = await fees.RunAsync("banks", "configure", "--school", "TS02", "--bank", "MSB", "--secret-env", "FEES_TEST_UNSET_VARIABLE");

        Assert.Equal(2, vcb.ExitCode);
        Assert.Contains("Vietcombank's public key is not a readable PEM key", vcb.Err);
        Assert.Equal(2, bidv.ExitCode);
        Assert.Contains("the virtual-account prefix \"TOOLONG\" is not 4 letters or digits", bidv.Err);
        Assert.Contains("the BIDV password is missing", bidv.Err);
        Assert.Equal(2, noEnv.ExitCode);
        Assert.Contains("FEES_TEST_UNSET_VARIABLE is not set", noEnv.Err);
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM school_bank_accounts WHERE bidv_service_id IS NOT NULL OR vcb_public_key_pem IS NOT NULL"));
    }

    [Fact]
    public async Task BanksConfigure_Complete_IsSavedSealed()
    {
        _ = BankHost.Box;
        await using var fees = await Support.Fees.StartAsync();
        await fees.OkAsync("schools", "import", fees.File("s.csv", Samples.Schools));
        Environment.SetEnvironmentVariable("FEES_TEST_MSB_SECRET", "a-real-looking-shared-secret");

        var r = await fees.RunAsync("banks", "configure", "--school", "TS02", "--bank", "MSB", "--secret-env", "FEES_TEST_MSB_SECRET", "--va-prefix", "880123");

        Assert.Equal(0, r.ExitCode);
        Assert.Equal(1, await fees.Db.ScalarAsync("SELECT count(*) FROM school_bank_accounts WHERE msb_secret_sealed LIKE 'v1:%' AND msb_secret_sealed NOT LIKE '%shared-secret%'"));
    }
}
