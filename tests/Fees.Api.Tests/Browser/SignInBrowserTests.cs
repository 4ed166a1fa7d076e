using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Browser;

/// <summary>The web app in a real headless Chromium: sign-in, the school's month, another school refused, the language switch.</summary>
public sealed class SignInBrowserTests
{
    [Fact]
    public async Task Accountant_SignsIn_SeesTheSchoolsMonth_IsRefusedAnotherSchool_AndSwitchesToEnglish()
    {
        await using var host = await BankHost.StartAsync();
        await Support.Browser.AddLoginAsync(host.Fees, "ketoan@ts01.vn", "Nguyễn Thị Kế Toán", "accountant", "TS01");
        await host.Fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00001", "--amount", "1371800");
        await using var browser = await Support.Browser.LaunchAsync();
        var page = await browser.PageAsync(host.BaseAddress);

        // A page behind sign-in sends the visitor to the form, and back after.
        var first = await page.GotoAsync("/truong/TS01/2025-09");
        Assert.True(page.Url.Contains("/dang-nhap", StringComparison.Ordinal), $"{first!.Status} {page.Url}: {await page.ContentAsync()}");
        await page.FillAsync("#email", "ketoan@ts01.vn");
        await page.FillAsync("#password", "Sai-Mat-Khau-2025");
        await page.ClickAsync("button[type=submit]");
        Assert.Equal("Thư điện tử hoặc mật khẩu không đúng.", await page.InnerTextAsync("[role=alert]"));
        await Support.Browser.ScreenshotAsync(page, "sign-in");
        await page.FillAsync("#password", Support.Browser.Password);
        await page.ClickAsync("button[type=submit]");
        await page.Locator("#billed").WaitForAsync();
        Assert.EndsWith("/truong/TS01/2025-09", page.Url);

        Assert.Equal("3.275.400 ₫", await page.InnerTextAsync("#billed"));
        Assert.Equal("1.371.800 ₫", await page.InnerTextAsync("#collected"));
        Assert.Equal("1.903.600 ₫", await page.InnerTextAsync("#outstanding"));
        Assert.Equal("Nguyễn Thị Kế Toán", await page.InnerTextAsync("#who"));
        await Support.Browser.ScreenshotAsync(page, "school-month");

        var other = await page.GotoAsync("/truong/TS02/2025-09");
        Assert.Equal(403, other!.Status);
        Assert.Contains("Không được phép", await page.InnerTextAsync("h1"));

        await page.GotoAsync("/truong/TS01/2025-09");
        // The switch goes round /ngon-ngu and back to the same address: wait for what it changes, not for the address.
        await page.ClickAsync("text=English");
        await page.GetByText("Billed").WaitForAsync();

        await page.ClickAsync("text=Sign out");
        await page.Locator("#email").WaitForAsync();
        Assert.Contains("/dang-nhap", page.Url);
        var after = await page.GotoAsync("/api/schools/TS01/months/2025-09");
        Assert.Equal(401, after!.Status);
    }
}
