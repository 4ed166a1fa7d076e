using TdmEdu.Fees.Api.Tests.Support;
using static TdmEdu.Fees.Api.Tests.Support.PhoneChecks;

namespace TdmEdu.Fees.Api.Tests.Browser;

/// <summary>
/// One language per page: every page a role reaches from its menu, and the pages behind them (a pupil, a notice, a
/// receipt, the bank lines with their reasons, the error pages), read as a person sees them, holds no English word on
/// the Vietnamese side. The same pages on the English switch do hold English words, so the check can fail.
/// </summary>
public sealed class VietnamesePagesBrowserTests
{
    /// <summary>A school with money in every state: cash with a receipt, a bank line matched and one waiting for a person.</summary>
    private static async Task<BankHost> StartAsync()
    {
        var host = await BankHost.StartAsync();
        var fees = host.Fees;
        await StaffLogins.AddAsync(fees);
        await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00001", "--amount", "500000");
        var an = await host.PaymentCodeAsync("7900000002");
        var account = host.Account("TS01", "VCB").AccountNo;
        await fees.OkAsync("statements", "import", fees.File("s.sta", $":20:S1\n:25:{account}\n:60F:C250909VND0,\n" +
            $":61:2509100910C1001800,NTRFNONREF//FT0001\n:86:{an} hoc phi\n" +
            ":61:2509100910C250000,NTRFNONREF//FT0002\n:86:chuyen tien hoc phi be Lan\n:62F:C250910VND1251800,\n"), "--bank", "VCB", "--account", account);
        await fees.OkAsync("reconcile");
        return host;
    }

    private static async Task<List<string>> StaffPagesAsync(BankHost host, string role)
    {
        if (role is "auditor") return ["/so/2025-09", "/khong-ton-tai", "/loi/500"];
        if (role is "admin") return ["/quan-tri", "/khong-ton-tai", "/loi/500"];
        var receipt = (await host.Fees.Db.ListAsync("SELECT id::text FROM receipts LIMIT 1")).Single();
        return
        [
            "/truong/TS01/hoc-sinh/7900000001", "/truong/TS01/thong-bao/TS01-202509-00001", $"/truong/TS01/bien-lai/{receipt}",
            "/truong/TS01/tim-kiem?q=an", "/truong/TS01/giao-dich", "/truong/TS01/duyet", "/truong/TS01/2025-09/thong-bao",
            "/truong/TS01/2025-09/khoa-so", "/khong-ton-tai", "/loi/500",
        ];
    }

    [Theory]
    [InlineData(StaffLogins.Accountant, "accountant")]
    [InlineData(StaffLogins.Principal, "principal")]
    [InlineData(StaffLogins.Auditor, "auditor")]
    [InlineData(StaffLogins.Admin, "admin")]
    public async Task EveryPageOfARole_HoldsNoEnglishWord_AndTheEnglishSwitchDoes(string email, string role)
    {
        await using var host = await StartAsync();
        await using var browser = await Support.Browser.LaunchAsync();
        var page = await PhoneAsync(browser, host);
        await Support.Browser.SignInAsync(page, email);
        // Signing in hashes the password: on two busy cores (the whole suite at once) it has taken over 30 s.
        await page.WaitForURLAsync(url => !url.Contains("/dang-nhap", StringComparison.Ordinal), new() { Timeout = 90_000 });
        var entries = page.Locator("#menu a");
        var pages = new List<string> { new Uri(page.Url).PathAndQuery };
        for (var i = 0; i < await entries.CountAsync(); i++) pages.Add((await entries.Nth(i).GetAttributeAsync("href"))!);
        pages.AddRange(await StaffPagesAsync(host, role));

        var found = new List<string>();
        foreach (var path in pages.Distinct())
        {
            await page.GotoAsync(path);
            var english = EnglishWords.In(await page.InnerTextAsync("body"));
            if (english.Count > 0) found.Add($"{path}: {string.Join(", ", english)}");
        }

        Assert.True(found.Count == 0, $"{role}: English on Vietnamese pages:\n" + string.Join("\n", found));
        // The switch: the home in English is found out by the same check.
        await page.GotoAsync("/ngon-ngu?to=en&back=" + Uri.EscapeDataString(pages[0]));
        Assert.NotEmpty(EnglishWords.In(await page.InnerTextAsync("body")));
    }

    [Fact]
    public async Task TheParentsPages_HoldNoEnglishWord()
    {
        await using var host = await StartAsync();
        await using var browser = await Support.Browser.LaunchAsync();
        var page = await PhoneAsync(browser, host);

        await page.GotoAsync("/phu-huynh");
        var lookUp = EnglishWords.In(await page.InnerTextAsync("body"));
        await LookUpAsync(page, await host.PaymentCodeAsync("7900000002"), "01/03/2017");
        var pupil = EnglishWords.In(await page.InnerTextAsync("body"));

        Assert.Empty(lookUp);
        Assert.Empty(pupil);
        Assert.True(EnglishWords.Holds("matched") && EnglishWords.Holds("notice"), "the list of English words lost the ledger's words");
    }
}
