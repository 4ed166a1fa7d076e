using Microsoft.Playwright;
using TdmEdu.Fees.Api.Tests.Support;
using static TdmEdu.Fees.Api.Tests.Support.PhoneChecks;

namespace TdmEdu.Fees.Api.Tests.Browser;

/// <summary>
/// Each role on a 390×844 phone: signed in, it lands on its home; every entry of its menu opens (no "not allowed"), is
/// marked as the current page there, and fits the phone; the styles come from the site's stylesheet alone. The month
/// picker and previous/next lead to the month chosen, on every month view.
/// </summary>
public sealed class StaffShellBrowserTests
{
    /// <summary>September billed for every school and October for TS01: the latest month with notices is October.</summary>
    private static async Task<BankHost> StartAsync()
    {
        var host = await BankHost.StartAsync();
        await StaffLogins.AddAsync(host.Fees);
        await host.Fees.OkAsync("notices", "issue", "--period", "2025-10", "--school", "TS01");
        return host;
    }

    /// <summary>A phone page that fails the test on any style or script the site's Content-Security-Policy refused.</summary>
    private static async Task<(IPage Page, List<string> Refused)> PhonePageAsync(Support.Browser browser, BankHost host)
    {
        var page = await PhoneAsync(browser, host);
        var refused = new List<string>();
        page.Console += (_, m) => { if (m.Text.Contains("Content Security Policy", StringComparison.Ordinal)) refused.Add(m.Text); };
        return (page, refused);
    }

    [Theory]
    [InlineData(StaffLogins.Accountant, "/truong/TS01/2025-10", "accountant")]
    [InlineData(StaffLogins.Principal, "/truong/TS01/2025-10", "principal")]
    [InlineData(StaffLogins.Auditor, "/so/2025-10", "auditor")]
    [InlineData(StaffLogins.Admin, "/quan-tri", "admin")]
    public async Task EachRole_LandsOnItsHome_AndEveryMenuEntryOpens_IsMarked_AndFitsAPhone(string email, string home, string role)
    {
        await using var host = await StartAsync();
        await using var browser = await Support.Browser.LaunchAsync();
        var (page, refused) = await PhonePageAsync(browser, host);

        await Support.Browser.SignInAsync(page, email);
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == home);
        await AssertFitsAPhoneAsync(page, $"{role}'s home");
        // The menu is folded on a phone; its summary opens it without script.
        var entries = page.Locator("#menu a");
        Assert.False(await entries.First.IsVisibleAsync());
        await page.ClickAsync("#menu-open");
        await entries.First.WaitForAsync();
        await AssertFitsAPhoneAsync(page, $"{role}'s home with the menu open");
        await Support.Browser.ScreenshotAsync(page, $"home-{role}-menu");

        var links = new List<(string Id, string Href)>();
        for (var i = 0; i < await entries.CountAsync(); i++)
            links.Add(((await entries.Nth(i).GetAttributeAsync("id"))!, (await entries.Nth(i).GetAttributeAsync("href"))!));
        Assert.NotEmpty(links);
        foreach (var (id, href) in links)
        {
            var response = await page.GotoAsync(href);
            Assert.True(response!.Status == 200, $"{role}: {id} ({href}) answered {response.Status}");
            Assert.DoesNotContain("/khong-duoc-phep", page.Url, StringComparison.Ordinal);
            Assert.Equal("page", await page.GetAttributeAsync($"#{id}", "aria-current"));
            Assert.Equal(1, await page.Locator("#menu [aria-current=page]").CountAsync());
            await AssertFitsAPhoneAsync(page, $"{role}: {id} ({href})");
        }
        Assert.True(refused.Count == 0, string.Join("\n", refused));
    }

    [Fact]
    public async Task MonthPicker_AndPreviousNext_LeadToTheChosenMonth_OnEveryMonthView()
    {
        await using var host = await StartAsync();
        await using var browser = await Support.Browser.LaunchAsync();
        var (page, refused) = await PhonePageAsync(browser, host);
        await Support.Browser.SignInAsync(page, StaffLogins.Accountant);
        await page.WaitForURLAsync("**/truong/TS01/2025-10");

        // The list: the months with notices and this month, newest first; the landing month chosen.
        Assert.Equal(["10/2025", "09/2025"], await page.Locator("#month-pick option").AllInnerTextsAsync());
        Assert.Equal("2025-10", await page.InputValueAsync("#month-pick"));
        Assert.Equal(0, await page.Locator("#month-next").CountAsync());
        await page.SelectOptionAsync("#month-pick", "2025-09");
        await page.ClickAsync("#month-go");
        await page.WaitForURLAsync("**/truong/TS01/2025-09");
        Assert.Contains("09/2025", await page.InnerTextAsync("h1"));
        Assert.EndsWith(": 3", (await page.InnerTextAsync("main h2 a")).Trim());
        await page.ClickAsync("#month-next");
        await page.WaitForURLAsync("**/truong/TS01/2025-10");
        await page.ClickAsync("#month-previous");
        await page.WaitForURLAsync("**/truong/TS01/2025-09");

        // The notices list keeps its filter when the month changes.
        await page.GotoAsync("/truong/TS01/2025-10/thong-bao?status=issued");
        await page.SelectOptionAsync("#month-pick", "2025-09");
        await page.ClickAsync("#month-go");
        await page.WaitForURLAsync("**/truong/TS01/2025-09/thong-bao?status=issued");
        Assert.Equal(3, await page.Locator("#notices tr[data-notice]").CountAsync());
        await page.ClickAsync("#month-next");
        await page.WaitForURLAsync("**/truong/TS01/2025-10/thong-bao");
        await AssertFitsAPhoneAsync(page, "notices with the month picker");

        await page.GotoAsync("/truong/TS01/2025-10/khoa-so");
        await page.ClickAsync("#month-previous");
        await page.WaitForURLAsync("**/truong/TS01/2025-09/khoa-so");

        // On a wide screen the menu is a bar, open without a click.
        var wide = await browser.PageAsync(host.BaseAddress);
        await Support.Browser.SignInAsync(wide, StaffLogins.Accountant);
        await wide.WaitForURLAsync("**/truong/TS01/2025-10");
        Assert.True(await wide.Locator("#menu-cash").IsVisibleAsync());
        Assert.False(await wide.Locator("#menu-open").IsVisibleAsync());
        await Support.Browser.ScreenshotAsync(wide, "school-month-menu-wide");

        // All schools: the education office's months, its landing the latest of any school.
        var (auditor, _) = await PhonePageAsync(browser, host);
        await Support.Browser.SignInAsync(auditor, StaffLogins.Auditor);
        await auditor.WaitForURLAsync("**/so/2025-10");
        Assert.Contains("10/2025", await auditor.InnerTextAsync("h1"));
        await auditor.SelectOptionAsync("#month-pick", "2025-09");
        await auditor.ClickAsync("#month-go");
        await auditor.WaitForURLAsync("**/so/2025-09");
        Assert.Contains("09/2025", await auditor.InnerTextAsync("h1"));
        Assert.True(refused.Count == 0, string.Join("\n", refused));
    }
}
