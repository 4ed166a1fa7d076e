using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Browser;

/// <summary>
/// The administrator's day on a phone: a school added (a bad account number refused in words first), a second account
/// for it, a login disabled (its session ends at once) and unlocked, and both changes found in the audit log.
/// </summary>
public sealed class AdminSchoolsBrowserTests
{
    [Fact]
    public async Task Admin_AddsASchoolAndAnAccount_DisablesAndUnlocksALogin_AndFindsItAllInTheAuditLog_At390px()
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

        // The schools, from the home's tasks; a new school whose account number is refused, naming the field.
        await admin.ClickAsync("#task-schools");
        Assert.Equal(["TS01", "TS02"], await admin.Locator("#schools tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.school)"));
        await admin.FillAsync("#code", "TS03");
        await admin.FillAsync("#name", "Trường Mầm non Hoa Sen");
        await admin.SelectOptionAsync("#level", "MN");
        await admin.FillAsync("#ward", "Chánh Nghĩa");
        await admin.SelectOptionAsync("#bank", "BIDV");
        await admin.FillAsync("#account-no", "12-34");
        await admin.FillAsync("#account-name", "TRUONG MN HOA SEN");
        await admin.ClickAsync("#add");
        Assert.Equal("Số tài khoản không hợp lệ: từ 6 đến 19 chữ hoặc số.", await admin.InnerTextAsync("[role=alert]"));
        Assert.Equal("TS03", await admin.InputValueAsync("#code"));
        await PhoneChecks.AssertFitsAPhoneAsync(admin, "schools, a refused school");
        await Support.Browser.ScreenshotAsync(admin, "admin-schools");
        await admin.FillAsync("#account-no", "65210000000777");
        await admin.ClickAsync("#add");
        await admin.WaitForURLAsync(u => u.Contains("/quan-tri/truong/TS03", StringComparison.Ordinal));
        Assert.Equal("Đã thêm trường TS03 cùng tài khoản BIDV.", await admin.InnerTextAsync("#said"));

        // A second account, at MSB; both in use, the school's receipt series listed with its last number.
        await admin.ClickAsync("#add-account summary");
        await admin.SelectOptionAsync("#bank", "MSB");
        await admin.FillAsync("#account-no", "03000000000777");
        await admin.FillAsync("#account-name", "TRUONG MN HOA SEN");
        await admin.ClickAsync("#add-account-button");
        await admin.Locator("#said").WaitForAsync();
        Assert.Equal(["BIDV", "MSB"], await admin.Locator("#accounts tr.in-use").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.bank)"));
        Assert.Equal("0", await admin.InnerTextAsync("#series tr.in-use td.last"));
        Assert.Equal("Dãy biên lai năm 2026 bắt đầu được từ ngày 01/01/2026.", await admin.InnerTextAsync("#series-not-yet"));
        await admin.ClickAsync("#accounts tr[data-bank=MSB] details.retire summary");
        await PhoneChecks.AssertFitsAPhoneAsync(admin, "one school, its accounts and receipt series");
        await Support.Browser.ScreenshotAsync(admin, "admin-school");

        // The accountant's login disabled: their open session ends at the next request; unlocked, it signs in again.
        await admin.GotoAsync("/quan-tri/nguoi-dung?q=ts01");
        var row = admin.Locator("tr[data-email='kt@ts01.vn']");
        await row.Locator("button.disable").ClickAsync();
        await admin.Locator("#added").WaitForAsync();
        Assert.Equal("Đã khoá", await row.Locator(".state").InnerTextAsync());
        Assert.Equal(200, (await accountant.GotoAsync("/truong/TS01/thu-tien-mat"))!.Status);
        Assert.Contains("/dang-nhap", accountant.Url);
        await row.Locator("button.enable").ClickAsync();
        await admin.Locator("#added").WaitForAsync();
        Assert.Equal("Đã mở lại kt@ts01.vn.", await admin.InnerTextAsync("#added"));
        Assert.Equal("Đang dùng", await row.Locator(".state").InnerTextAsync());
        await Support.Browser.SignInAsync(accountant, "kt@ts01.vn");
        await accountant.Locator("#billed").WaitForAsync();

        // The audit log: the login's two changes by its key, newest first; the new school's acts under its code.
        await admin.ClickAsync("#menu-open");
        await admin.ClickAsync("#menu-audit");
        await admin.FillAsync("#khoa", "kt@ts01.vn");
        await admin.ClickAsync("#find");
        Assert.Equal(["Mở khoá tài khoản", "Khoá tài khoản", "Thêm tài khoản"], await admin.Locator("#entries td.act").AllInnerTextsAsync());
        Assert.Equal(["web:qt@so.vn", "web:qt@so.vn"], (await admin.Locator("#entries td.who").AllInnerTextsAsync()).Take(2));
        await admin.FillAsync("#khoa", "");
        await admin.SelectOptionAsync("#truong", "TS03");
        await admin.SelectOptionAsync("#loai", "schools");
        await admin.FillAsync("#tu", "31/02/2025");
        await admin.ClickAsync("#find");
        Assert.Equal("Ngày không hợp lệ: hãy nhập dd/MM/yyyy.", await admin.InnerTextAsync("[role=alert]"));
        await admin.FillAsync("#tu", "05/09/2025");
        await admin.FillAsync("#den", "05/09/2025");
        await admin.ClickAsync("#find");
        Assert.Equal(["Thêm tài khoản ngân hàng", "Thêm trường"], await admin.Locator("#entries td.act").AllInnerTextsAsync());
        Assert.DoesNotContain("65210000000777", await admin.InnerTextAsync("main"));
        await admin.ClickAsync("#entries tr:first-child details summary");
        await PhoneChecks.AssertFitsAPhoneAsync(admin, "the audit log, found by school and kind");
        await Support.Browser.ScreenshotAsync(admin, "admin-audit");
        Assert.Equal(403, (await accountant.GotoAsync("/quan-tri/nhat-ky"))!.Status);
    }
}
