using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Browser;

/// <summary>Accounts on a phone (390 px): a user changes their own password; the administrator disables and removes a login.</summary>
public sealed class AccountsBrowserTests
{
    private static Task<int> PageWidthAsync(Microsoft.Playwright.IPage page) => page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");

    [Fact]
    public async Task Accountant_ChangesTheirPasswordOnAPhone_TheirOtherSessionEnds_AndTheNewPasswordOpens()
    {
        await using var host = await BankHost.StartAsync();
        await Support.Browser.AddLoginAsync(host.Fees, "kt@ts01.vn", "Kế toán", "accountant", "TS01");
        await using var browser = await Support.Browser.LaunchAsync();
        var phone = await browser.PageAsync(host.BaseAddress, 390, 844);
        var office = await browser.PageAsync(host.BaseAddress);
        foreach (var p in new[] { phone, office })
        {
            await Support.Browser.SignInAsync(p, "kt@ts01.vn");
            await p.Locator("#billed").WaitForAsync();
        }

        await phone.ClickAsync("#password-link");
        await phone.FillAsync("#current", "Khong-Phai-Mat-Khau-1");
        await phone.FillAsync("#next", "Mat-Khau-Moi-2026");
        await phone.FillAsync("#repeat", "Mat-Khau-Moi-2026");
        await phone.ClickAsync("#change");
        Assert.Equal("Mật khẩu hiện tại không đúng.", await phone.InnerTextAsync("[role=alert]"));
        await phone.FillAsync("#current", Support.Browser.Password);
        await phone.FillAsync("#next", "Mat-Khau-Moi-2026");
        await phone.FillAsync("#repeat", "Mat-Khau-Moi-2027");
        await phone.ClickAsync("#change");
        Assert.Equal("Mật khẩu mới và mật khẩu nhập lại không giống nhau.", await phone.InnerTextAsync("[role=alert]"));
        await phone.FillAsync("#current", Support.Browser.Password);
        await phone.FillAsync("#next", "Mat-Khau-Moi-2026");
        await phone.FillAsync("#repeat", "Mat-Khau-Moi-2026");
        await phone.ClickAsync("#change");
        Assert.Equal("Đã đổi mật khẩu; các phiên đăng nhập khác của bạn đã kết thúc.", await phone.InnerTextAsync("#changed"));
        Assert.True(await PageWidthAsync(phone) <= 390, "the page fits the phone's width");
        await Support.Browser.ScreenshotAsync(phone, "change-password");

        // This session goes on; the one at the office is sent to sign in, where the new password opens it.
        await phone.GotoAsync("/truong/TS01/2025-09");
        await phone.Locator("#billed").WaitForAsync();
        await office.ReloadAsync();
        await office.Locator("#email").WaitForAsync();
        Assert.Contains("/dang-nhap", office.Url);
        await office.FillAsync("#email", "kt@ts01.vn");
        await office.FillAsync("#password", "Mat-Khau-Moi-2026");
        await office.ClickAsync("button[type=submit]");
        await office.Locator("#billed").WaitForAsync();
        Assert.Equal(1, await host.Fees.Db.ScalarAsync("SELECT count(*) FROM audit_log WHERE action = 'users.passwd' AND actor = 'web:kt@ts01.vn' AND details::text NOT LIKE '%Mat-Khau%'"));
    }

    [Fact]
    public async Task Admin_DisablesAndRemovesALoginOnAPhone_ItsSessionEndsAtOnce_AndTheirOwnLoginIsRefused()
    {
        await using var host = await BankHost.StartAsync();
        await Support.Browser.AddLoginAsync(host.Fees, "qt@so.vn", "Quản trị", "admin");
        await Support.Browser.AddLoginAsync(host.Fees, "kt@ts01.vn", "Kế toán", "accountant", "TS01");
        await using var browser = await Support.Browser.LaunchAsync();
        var accountant = await browser.PageAsync(host.BaseAddress);
        await Support.Browser.SignInAsync(accountant, "kt@ts01.vn");
        await accountant.Locator("#billed").WaitForAsync();
        var admin = await browser.PageAsync(host.BaseAddress, 390, 844);
        await Support.Browser.SignInAsync(admin, "qt@so.vn");
        await admin.Locator("#tasks").WaitForAsync();
        await admin.GotoAsync("/quan-tri/nguoi-dung");
        var row = admin.Locator("tr[data-email='kt@ts01.vn']");
        Assert.Equal("Đang dùng", await row.Locator(".state").InnerTextAsync());

        await row.Locator("button.disable").ClickAsync();
        await admin.Locator("#added").WaitForAsync();
        Assert.Equal("Đã khoá kt@ts01.vn; các phiên đăng nhập của tài khoản đã kết thúc.", await admin.InnerTextAsync("#added"));
        Assert.Equal("Đã khoá", await row.Locator(".state").InnerTextAsync());
        Assert.True(await PageWidthAsync(admin) <= 390, "the page fits the phone's width (the table scrolls in its card)");
        await Support.Browser.ScreenshotAsync(admin, "users");
        await accountant.ReloadAsync();
        await accountant.Locator("#email").WaitForAsync();
        Assert.Contains("/dang-nhap", accountant.Url);

        await admin.Locator("tr[data-email='qt@so.vn'] button.disable").ClickAsync();
        Assert.Equal("Bạn không thể tự khoá tài khoản của chính mình; hãy nhờ một quản trị viên khác.", await admin.InnerTextAsync("[role=alert]"));

        await row.Locator("details.remove summary").ClickAsync();
        await row.Locator("details.remove button").ClickAsync();
        await admin.Locator("#added").WaitForAsync();
        Assert.Equal(0, await admin.Locator("tr[data-email='kt@ts01.vn']").CountAsync());
        Assert.Equal("Đang dùng", await admin.InnerTextAsync("tr[data-email='qt@so.vn'] .state"));
    }
}
