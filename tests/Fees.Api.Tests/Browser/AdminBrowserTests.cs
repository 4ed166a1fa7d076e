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
        await page.Locator("#tasks").WaitForAsync();
        await page.ClickAsync("text=Người dùng");
        await page.FillAsync("#email", "ketoan2@ts02.vn");
        await page.FillAsync("#name", "Đặng Thu Hà");
        await page.SelectOptionAsync("#role", "accountant");
        await page.SelectOptionAsync("#school", "TS02");
        await page.FillAsync("#password", "yeu");
        await page.ClickAsync("#add");
        Assert.Contains("Mật khẩu cần ít nhất 12 ký tự", await page.InnerTextAsync("[role=alert]"));
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
        Assert.Equal(403, (await auditor.GotoAsync("/quan-tri/ngan-hang"))!.Status);
    }

    [Fact]
    public async Task Admin_ChangesABanksSecret_ThePageNeverShowsIt_AndAnIncompleteChangeIsRefusedWhole()
    {
        await using var host = await BankHost.StartAsync();
        await Support.Browser.AddLoginAsync(host.Fees, "qt@so.vn", "Quản trị", "admin");
        var msb = host.Credentials.First(c => c.Bank == "MSB");
        const string Sealed = "SELECT msb_secret_sealed FROM school_bank_accounts WHERE bank = 'MSB' AND account_no = ";
        var before = (await host.Fees.Db.ListAsync(Sealed + $"'{msb.AccountNo}'")).Single();
        await using var browser = await Support.Browser.LaunchAsync();
        var page = await browser.PageAsync(host.BaseAddress);
        await Support.Browser.SignInAsync(page, "qt@so.vn");
        await page.Locator("#tasks").WaitForAsync();
        await page.ClickAsync("text=Cài đặt ngân hàng");
        Assert.Equal("Đủ thông tin", await page.InnerTextAsync($"tr[data-account='{msb.SchoolCode}-MSB'] .state"));

        await page.ClickAsync($"tr[data-account='{msb.SchoolCode}-MSB'] a");
        await page.FillAsync("#secret", "bi-mat-moi-cua-msb-2026");
        await page.FillAsync("#va", "12AB");
        await page.ClickAsync("#save");
        Assert.Contains("tiền tố tài khoản định danh MSB phải gồm 6 chữ số", await page.InnerTextAsync("#problem"));
        Assert.Equal(before, (await host.Fees.Db.ListAsync(Sealed + $"'{msb.AccountNo}'")).Single());

        await page.FillAsync("#secret", "bi-mat-moi-cua-msb-2026");
        await page.FillAsync("#va", "970499");
        await page.ClickAsync("#save");
        await page.Locator("#saved").WaitForAsync();
        Assert.NotEqual(before, (await host.Fees.Db.ListAsync(Sealed + $"'{msb.AccountNo}'")).Single());
        Assert.Equal("970499", (await host.Fees.Db.ListAsync($"SELECT va_prefix FROM school_bank_accounts WHERE account_no = '{msb.AccountNo}'")).Single());
        await page.ClickAsync($"tr[data-account='{msb.SchoolCode}-MSB'] a");
        Assert.DoesNotContain("bi-mat-moi-cua-msb-2026", await page.ContentAsync());
        Assert.Equal("", await page.InputValueAsync("#secret"));
        Assert.Contains("đã lưu", await page.InnerTextAsync("label[for=secret]"));
        Assert.Equal(1, await host.Fees.Db.ScalarAsync("SELECT count(*) FROM audit_log WHERE action = 'banks.configure' AND actor = 'web:qt@so.vn' AND details::text NOT LIKE '%bi-mat%'"));
        await Support.Browser.ScreenshotAsync(page, "bank-settings");
    }

    [Fact]
    public async Task Admin_EditsTheScheduleInThePage_ABadAmountIsRefused_AndAStalePageSavesNothing()
    {
        await using var host = await BankHost.StartAsync();
        await Support.Browser.AddLoginAsync(host.Fees, "qt@so.vn", "Quản trị", "admin");
        await using var browser = await Support.Browser.LaunchAsync();
        var page = await browser.PageAsync(host.BaseAddress);
        await Support.Browser.SignInAsync(page, "qt@so.vn");
        await page.Locator("#tasks").WaitForAsync();
        await page.GotoAsync("/quan-tri/bieu-phi");
        var stale = await page.Context.NewPageAsync();
        await stale.GotoAsync("/quan-tri/bieu-phi");
        const string Price = "SELECT amount_vnd FROM fee_items WHERE code = 'TIEN_AN' AND active";

        await page.FillAsync("tr[data-item='TIEN_AN'] input[name=ItemAmount]", "ba mươi nghìn");
        await page.ClickAsync("#save-schedule");
        Assert.Contains("số tiền \"ba mươi nghìn\" không phải là số đồng", await page.InnerTextAsync("[role=alert]"));
        Assert.Equal(30_000, await host.Fees.Db.ScalarAsync(Price));

        await page.FillAsync("tr[data-item='TIEN_AN'] input[name=ItemAmount]", "32.000");
        await page.FillAsync("tr[data-policy='CN'] input[name=PolicyPercent]", "70");
        await page.ClickAsync("#save-schedule");
        Assert.Contains("~1", await page.InnerTextAsync("#stored"));
        Assert.Equal(32_000, await host.Fees.Db.ScalarAsync(Price));
        Assert.Equal(70, await host.Fees.Db.ScalarAsync("SELECT percent FROM policy_groups WHERE code = 'CN' AND active"));
        Assert.Equal("32.000", await page.InputValueAsync("tr[data-item='TIEN_AN'] input[name=ItemAmount]"));
        await Support.Browser.ScreenshotAsync(page, "schedule-edit");

        // The other tab still shows 30.000: its save would undo the change, so it saves nothing.
        await stale.FillAsync("tr[data-item='BAN_TRU'] input[name=ItemAmount]", "250.000");
        await stale.ClickAsync("#save-schedule");
        Assert.Contains("Biểu phí vừa được thay đổi sau khi mở trang", await stale.InnerTextAsync("[role=alert]"));
        Assert.Equal(32_000, await host.Fees.Db.ScalarAsync(Price));
        Assert.Equal(200_000, await host.Fees.Db.ScalarAsync("SELECT amount_vnd FROM fee_items WHERE code = 'BAN_TRU' AND active"));

        // Next school year's schedule from this one, with the edit in it; once only: the page then edits 2026-2027.
        await page.ReloadAsync();
        await page.ClickAsync("#next-year button");
        await page.Locator("#stored").WaitForAsync();
        Assert.Contains("2026-2027", await page.InnerTextAsync("h1"));
        const string NextYear = "SELECT i.amount_vnd FROM fee_items i JOIN schedules s ON s.id = i.schedule_id WHERE s.start_year = 2026 AND i.code = ";
        Assert.Equal(32_000, await host.Fees.Db.ScalarAsync(NextYear + "'TIEN_AN'"));
        Assert.Equal(await host.Fees.Db.ScalarAsync("SELECT count(*) FROM fee_items i JOIN schedules s ON s.id = i.schedule_id WHERE s.start_year = 2025"),
            await host.Fees.Db.ScalarAsync("SELECT count(*) FROM fee_items i JOIN schedules s ON s.id = i.schedule_id WHERE s.start_year = 2026"));
        await page.ClickAsync("#next-year button");
        Assert.Equal("Biểu phí năm học 2026-2027 đã có; hãy sửa ở dưới.", await page.InnerTextAsync("[role=alert]"));
        Assert.Equal(0, await host.Fees.Db.ScalarAsync("SELECT count(*) FROM schedules WHERE start_year = 2027"));
    }
}
