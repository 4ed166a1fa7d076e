using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Browser;

/// <summary>The administrator adds a login; the new accountant signs in to their school; an auditor cannot manage users.</summary>
public sealed class AdminBrowserTests
{
    [Fact]
    public async Task Admin_AddsAnAccountant_WhoThenSignsIn_AndTheAuditorMayNotManageUsers()
    {
        await using var host = await BankHost.StartAsync();
        await Support.Browser.AddLoginAsync(host.Fees, "qt@so.vn", "Quản trị", "admin");
        await Support.Browser.AddLoginAsync(host.Fees, "tt@so.vn", "Thanh tra", "auditor");
        await using var browser = await Support.Browser.LaunchAsync();
        var page = await browser.PageAsync(host.BaseAddress);

        await Support.Browser.SignInAsync(page, "qt@so.vn");
        await page.Locator("#schools").WaitForAsync();
        await page.ClickAsync("text=Người dùng");
        await page.FillAsync("#email", "ketoan2@ts02.vn");
        await page.FillAsync("#name", "Đặng Thu Hà");
        await page.SelectOptionAsync("#role", "accountant");
        await page.FillAsync("#school", "TS02");
        await page.FillAsync("#password", "yeu");
        await page.ClickAsync("#add");
        Assert.Contains("at least 12 characters", await page.InnerTextAsync("[role=alert]"));
        await page.FillAsync("#password", "Mat-Khau-Moi-2025");
        await page.ClickAsync("#add");
        await page.Locator("#added").WaitForAsync();
        Assert.Equal("TS02", await page.InnerTextAsync("tr[data-email='ketoan2@ts02.vn'] td:nth-child(4)"));

        // The fee schedule: a broken file is refused in words; the same schedule again changes nothing.
        await page.ClickAsync("text=Người dùng");
        await page.GotoAsync("/quan-tri/bieu-phi");
        await page.SetInputFilesAsync("#file", new Microsoft.Playwright.FilePayload { Name = "bieu-phi.json", MimeType = "application/json", Buffer = "{ \"school_year\": "u8.ToArray() });
        await page.ClickAsync("#upload");
        Assert.Contains("bieu-phi.json", await page.InnerTextAsync("[role=alert]"));
        await page.SetInputFilesAsync("#file", new Microsoft.Playwright.FilePayload { Name = "bieu-phi.json", MimeType = "application/json", Buffer = System.Text.Encoding.UTF8.GetBytes(Samples.Schedule) });
        await page.ClickAsync("#upload");
        Assert.Contains("+0 / ~0 / −0", await page.InnerTextAsync("#stored"));

        var other = await browser.PageAsync(host.BaseAddress);
        await Support.Browser.SignInAsync(other, "ketoan2@ts02.vn", "Mat-Khau-Moi-2025");
        await other.Locator("#billed").WaitForAsync();
        Assert.Contains("/truong/TS02/", other.Url);

        var auditor = await browser.PageAsync(host.BaseAddress);
        await Support.Browser.SignInAsync(auditor, "tt@so.vn");
        await auditor.Locator("#schools").WaitForAsync();
        Assert.Equal(403, (await auditor.GotoAsync("/quan-tri/nguoi-dung"))!.Status);
    }
}
