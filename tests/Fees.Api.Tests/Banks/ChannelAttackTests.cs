using TdmEdu.Fees.Api.Application.Roster;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Banks;

/// <summary>An outsider's attack on setting an account's aggregator (issue 16): each finding a test, then a fix.</summary>
public sealed class ChannelAttackTests
{
    private const string Header = "school_code,name,level,ward,bank,account_no,account_name";

    // A VCB account collected through SePay that has received money, then renumbered on the school page:
    // the old one is retired, the new one takes its place. Both are "TS01 / VCB".
    private static async Task<BankHost> RetiredAndActiveAsync() => await BankHost.StartAsync(before: async fees =>
    {
        _ = BankHost.Box;
        await fees.OkAsync("schools", "import", fees.File("a.csv", Header + ",via\nTS01,Trường Thử,TH,,VCB,0281000111222,TRUONG THU,SePay\n"));
        Environment.SetEnvironmentVariable("AGG_ATK_KEY", "k-ts01");
        await fees.OkAsync("banks", "configure", "--school", "TS01", "--bank", "VCB", "--secret-env", "AGG_ATK_KEY");
        await fees.OkAsync("statements", "import", fees.File("s.sta", ":20:S\n:25:0281000111222\n:60F:C250901VND0,\n:61:2509020902C70000,NTRFNONREF//FT1\n:86:ung ho\n"),
            "--bank", "VCB", "--account", "0281000111222");
        await using var db = fees.Db.Open();
        var id = db.BankAccounts.Single(a => a.AccountNo == "0281000111222").Id;
        await new SchoolDesk(db, new BusinessClock(fees.Clock), new Actor("web:qt@so.vn"))
            .EditAccountAsync("TS01", id, new("", "0281000999888", "TRUONG THU"), CancellationToken.None);
    });

    [Fact]
    public async Task ChannelAttack_Cli_ConfigureAfterARenumber_IsNotACrash()
    {
        await using var host = await RetiredAndActiveAsync();
        Environment.SetEnvironmentVariable("AGG_ATK_KEY2", "k-ts01-new");
        var r = await host.Fees.RunAsync("banks", "configure", "--school", "TS01", "--bank", "VCB", "--secret-env", "AGG_ATK_KEY2");
        Assert.True(r.ExitCode == 0, $"exit {r.ExitCode}: {r.Err}");
    }

    [Fact]
    public async Task ChannelAttack_Page_SaveAfterARenumber_IsNot500()
    {
        await using var host = await RetiredAndActiveAsync();
        await Support.Browser.AddLoginAsync(host.Fees, "qt@so.vn", "Quản trị", "admin");
        await using var browser = await Support.Browser.LaunchAsync();
        var admin = await browser.PageAsync(host.BaseAddress);
        await Support.Browser.SignInAsync(admin, "qt@so.vn");
        await admin.Locator("#tasks").WaitForAsync();
        await admin.GotoAsync("/quan-tri/ngan-hang?school=TS01&bank=VCB");
        var shown = await admin.InnerTextAsync("#editing");
        await admin.FillAsync("#secret", "khoa-moi");
        var resp = await admin.RunAndWaitForResponseAsync(() => admin.ClickAsync("#save"), r => r.Request.Method == "POST");
        Assert.True(resp.Status != 500, $"POST answered {resp.Status}; editing header was '{shown}'");
    }

    // Two schools through SePay; a later file WITHOUT the via column renumbers TS01's SePay account to TS02's SePay number.
    [Fact]
    public async Task ChannelAttack_ImportWithoutVia_OntoAnotherSchoolsSepayNumber_IsRefusedNotCrashed()
    {
        await using var fees = await Support.Fees.StartAsync();
        _ = BankHost.Box;
        await fees.OkAsync("schools", "import", fees.File("a.csv", Header + ",via\n" +
            "TS01,Trường Một,TH,,VCB,0281000111222,TRUONG MOT,SePay\n" +
            "TS02,Trường Hai,TH,,ICB,1020304050,TRUONG HAI,SePay\n"));

        var r = await fees.RunAsync("schools", "import", fees.File("b.csv", Header + "\nTS01,Trường Một,TH,,VCB,1020304050,TRUONG MOT\n"));

        Assert.True(r.ExitCode == 2 && r.Err.Contains("1020304050"), $"exit {r.ExitCode}: {r.Err}");
        Assert.Equal(["1"], await fees.Db.ListAsync("SELECT count(*) FROM school_bank_accounts WHERE channel = 'SEPAY' AND account_no = '1020304050'"));
    }

    // The bank page's "direct" option (value "") for a VCB account collected through SePay.
    [Fact]
    public async Task ChannelAttack_Page_ChoosingDirect_IsNotSilentlyIgnored()
    {
        await using var host = await BankHost.StartAsync(before: async fees =>
        {
            _ = BankHost.Box;
            await fees.OkAsync("schools", "import", fees.File("a.csv", Header + ",via\nTS01,Trường Thử,TH,,VCB,0281000111222,TRUONG THU,SePay\n"));
        });
        await Support.Browser.AddLoginAsync(host.Fees, "qt@so.vn", "Quản trị", "admin");
        await using var browser = await Support.Browser.LaunchAsync();
        var admin = await browser.PageAsync(host.BaseAddress);
        await Support.Browser.SignInAsync(admin, "qt@so.vn");
        await admin.Locator("#tasks").WaitForAsync();
        await admin.GotoAsync("/quan-tri/ngan-hang?school=TS01&bank=VCB");
        await admin.SelectOptionAsync("#via", "");
        await admin.FillAsync("#secret", "k");
        await admin.ClickAsync("#save");
        await admin.WaitForLoadStateAsync();
        var saved = await admin.Locator("#saved").CountAsync();
        var channel = (await host.Fees.Db.ListAsync("SELECT coalesce(channel,'-') FROM school_bank_accounts WHERE account_no = '0281000111222'")).Single();
        Assert.False(saved > 0 && channel == "SEPAY", $"page said saved, channel still {channel}");
    }
}
