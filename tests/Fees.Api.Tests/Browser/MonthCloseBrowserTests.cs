using Microsoft.Playwright;
using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Browser;

/// <summary>
/// The month on a 390 px phone: the billing preview with its totals per item, reductions and warnings, a due date that
/// may not be in the past, the run with the chosen date; then the month closed from its page after a confirmation, and
/// billing refused for it.
/// </summary>
public sealed class MonthCloseBrowserTests
{
    private static async Task NoSidewaysScrollAsync(IPage page, string name)
    {
        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
        Assert.True(widths[0] <= widths[1], $"{name}: the page scrolls sideways ({widths[0]} px in {widths[1]} px)");
    }

    [Fact]
    public async Task Accountant_PreviewsWithWarnings_IssuesWithAChosenDueDate_AndClosesTheMonth()
    {
        await using var host = await BankHost.StartAsync();
        var fees = host.Fees;
        await Support.Browser.AddLoginAsync(fees, "kt@ts01.vn", "Kế toán", "accountant", "TS01");
        // One pupil without a guardian on the roster: the preview warns that the family will not be told.
        // (What was queued for that guardian goes, as a roster change would do.)
        await fees.Db.ExecAsync("""
            UPDATE students SET guardian_id = NULL WHERE student_code = '7900000001';
            UPDATE messages SET status = 'cancelled' WHERE status = 'queued' AND student_id = (SELECT id FROM students WHERE student_code = '7900000001');
            """);
        await using var browser = await Support.Browser.LaunchAsync();
        var page = await browser.PageAsync(host.BaseAddress, PhoneChecks.Width, PhoneChecks.Height);
        await Support.Browser.SignInAsync(page, "kt@ts01.vn");
        await page.Locator("#billed").WaitForAsync();

        await page.GotoAsync("/truong/TS01/lap-thong-bao");
        await page.FillAsync("#period", "2025-10");
        // A due date in the past is refused, in Vietnamese.
        await page.FillAsync("#due", "2025-09-01");
        await page.ClickAsync("#preview");
        Assert.Contains("hạn nộp 01/09/2025 đã qua", await page.InnerTextAsync("#problem"));
        await page.FillAsync("#due", "2025-10-20");
        await page.ClickAsync("#preview");
        await page.Locator("#items").WaitForAsync();
        Assert.Equal("20/10/2025", await page.InnerTextAsync("#due-shown"));
        Assert.True(await page.Locator("#items tr[data-item]").CountAsync() >= 2);
        Assert.Equal("2", await page.InnerTextAsync("#reduced"));
        Assert.Equal("1", await page.InnerTextAsync("#no-contact"));
        Assert.Contains("không nhận được tin nhắn", await page.InnerTextAsync("#warn-contact"));
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM notices WHERE period_key = 202510"));
        await NoSidewaysScrollAsync(page, "billing preview");
        await Support.Browser.ScreenshotAsync(page, "billing-preview-phone");

        await page.ClickAsync("#issue");
        await page.Locator("#issued").WaitForAsync();
        Assert.Equal(["2025-10-20"], await fees.Db.ListAsync("SELECT DISTINCT to_char(due_date, 'YYYY-MM-DD') FROM notices WHERE period_key = 202510"));

        // Closing needs the box ticked; then the month is closed and billing it again is refused.
        await page.GotoAsync("/truong/TS01/2025-10/khoa-so");
        Assert.Equal("Đang mở", await page.InnerTextAsync("#state"));
        await page.ClickAsync("#close");
        Assert.Contains("đánh dấu ô xác nhận", await page.InnerTextAsync("#problem"));
        await page.CheckAsync("#sure");
        await page.ClickAsync("#close");
        await page.Locator("#said").WaitForAsync();
        Assert.Equal("Đã khoá sổ", await page.InnerTextAsync("#state"));
        await NoSidewaysScrollAsync(page, "month closed");
        await Support.Browser.ScreenshotAsync(page, "month-closed");
        await page.GotoAsync("/truong/TS01/lap-thong-bao");
        await page.FillAsync("#period", "2025-10");
        await page.ClickAsync("#preview");
        Assert.Contains("đã khoá sổ", await page.InnerTextAsync("#problem"));
    }
}
