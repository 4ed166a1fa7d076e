using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Browser;

/// <summary>The administrator's users page on a phone: roles in Vietnamese, a role and school changed, a password reset.</summary>
public sealed class AdminUsersBrowserTests
{
    [Fact]
    public async Task Admin_MovesAnAccountantToAnotherSchoolAsPrincipal_AndResetsAPassword_ShownOnceAndOnlyThenValid()
    {
        await using var host = await BankHost.StartAsync();
        await Support.Browser.AddLoginAsync(host.Fees, "qt@so.vn", "Quản trị", "admin");
        await Support.Browser.AddLoginAsync(host.Fees, "kt@ts01.vn", "Kế toán", "accountant", "TS01");
        await using var browser = await Support.Browser.LaunchAsync();
        var accountant = await browser.PageAsync(host.BaseAddress);
        await Support.Browser.SignInAsync(accountant, "kt@ts01.vn");
        await accountant.Locator("#billed").WaitForAsync();
        var admin = await browser.PageAsync(host.BaseAddress, PhoneChecks.Width, PhoneChecks.Height);
        await Support.Browser.SignInAsync(admin, "qt@so.vn");
        await admin.Locator("#tasks").WaitForAsync();
        await admin.GotoAsync("/quan-tri/nguoi-dung?q=ts01");

        // Roles as the page's language calls them; the filter found the school's login and not the administrator.
        var row = admin.Locator("tr[data-email='kt@ts01.vn']");
        Assert.Equal("Kế toán", await row.Locator(".role").InnerTextAsync());
        Assert.Equal(0, await admin.Locator("tr[data-email='qt@so.vn']").CountAsync());
        Assert.Contains("Chuyên viên phòng giáo dục", await admin.InnerTextAsync("#role"));

        // Principal of TS02: the old session (an accountant of TS01) ends at once; the audit log says who did it.
        await row.Locator("details.edit-role summary").ClickAsync();
        await row.Locator("details.edit-role select[name=Role]").SelectOptionAsync("principal");
        await row.Locator("details.edit-role select[name=School]").SelectOptionAsync("TS02");
        await row.Locator("details.edit-role button").ClickAsync();
        await admin.Locator("#added").WaitForAsync();
        Assert.Equal("kt@ts01.vn nay là hiệu trưởng của trường TS02; các phiên đăng nhập của tài khoản đã kết thúc.", await admin.InnerTextAsync("#added"));
        Assert.Equal("principal|TS02", (await host.Fees.Db.ListAsync(
            "SELECT r.name || '|' || s.code FROM users u JOIN user_roles ur ON ur.user_id = u.id JOIN roles r ON r.id = ur.role_id JOIN schools s ON s.id = u.school_id WHERE u.email = 'kt@ts01.vn'")).Single());
        Assert.Equal(1, await host.Fees.Db.ScalarAsync("SELECT count(*) FROM audit_log WHERE action = 'users.role' AND entity_key = 'kt@ts01.vn'"));
        await accountant.GotoAsync("/truong/TS01/thu-tien-mat");
        Assert.Contains("/dang-nhap", accountant.Url);

        // A principal belongs to a school: without one, refused in words, nothing changed.
        await admin.GotoAsync("/quan-tri/nguoi-dung");
        row = admin.Locator("tr[data-email='kt@ts01.vn']");
        await row.Locator("details.edit-role summary").ClickAsync();
        await row.Locator("details.edit-role select[name=School]").SelectOptionAsync("");
        await row.Locator("details.edit-role button").ClickAsync();
        Assert.Contains("Vai trò này thuộc một trường; hãy chọn trường.", await admin.InnerTextAsync("[role=alert]"));
        // The last administrator keeps the role.
        var self = admin.Locator("tr[data-email='qt@so.vn']");
        await self.Locator("details.edit-role summary").ClickAsync();
        await self.Locator("details.edit-role select[name=Role]").SelectOptionAsync("auditor");
        await self.Locator("details.edit-role button").ClickAsync();
        Assert.Equal("Bạn không thể tự đổi vai trò của tài khoản của chính mình; hãy nhờ một quản trị viên khác.", await admin.InnerTextAsync("[role=alert]"));

        // A reset: the new password is on this answer only, the old one stops working, the new one opens the principal's school.
        row = admin.Locator("tr[data-email='kt@ts01.vn']");
        await row.Locator("details.reset summary").ClickAsync();
        await row.Locator("details.reset button").ClickAsync();
        var password = await admin.InnerTextAsync("#new-password .password");
        Assert.Equal(20, password.Length);
        await PhoneChecks.AssertFitsAPhoneAsync(admin, "users, a password reset");
        await Support.Browser.ScreenshotAsync(admin, "admin-users-reset");
        await admin.ReloadAsync();
        Assert.Equal(0, await admin.Locator("#new-password").CountAsync());
        Assert.Equal(0, await host.Fees.Db.ScalarAsync($"SELECT count(*) FROM audit_log WHERE details::text LIKE '%{password}%'"));
        await Support.Browser.SignInAsync(accountant, "kt@ts01.vn");
        Assert.Contains("/dang-nhap", accountant.Url);
        // The handed-over password opens the password page only, until the user picks their own.
        await Support.Browser.SignInAsync(accountant, "kt@ts01.vn", password);
        await accountant.WaitForURLAsync("**/doi-mat-khau");
        await accountant.Locator("#must-change").WaitForAsync();
        await accountant.GotoAsync("/truong/TS02");
        Assert.EndsWith("/doi-mat-khau", accountant.Url);
        Assert.Equal(403, (await accountant.APIRequest.GetAsync("/api/schools/TS02/notices?period=2025-09")).Status);
        await accountant.FillAsync("#current", password);
        await accountant.FillAsync("#next", "Mat-khau-rieng-2025");
        await accountant.FillAsync("#repeat", "Mat-khau-rieng-2025");
        await accountant.ClickAsync("#change");
        await accountant.Locator("[role=status]", new() { HasText = "Đã đổi mật khẩu" }).WaitForAsync();
        Assert.Equal(0, await accountant.Locator("#must-change").CountAsync());
        Assert.Equal(200, (await accountant.GotoAsync("/truong/TS02"))!.Status);
    }
}
