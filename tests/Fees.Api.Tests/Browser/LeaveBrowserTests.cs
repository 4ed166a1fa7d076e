using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Browser;

/// <summary>A pupil leaves, recorded on a 390 px phone by the school's accountant; the principal sees the page but cannot act.</summary>
public sealed class LeaveBrowserTests
{
    [Fact]
    public async Task Accountant_RecordsAPupilLeaving_TheLastMonthIsBilledAgainByItsDays()
    {
        await using var host = await BankHost.StartAsync(before: f => f.OkAsync("schedule", "import", f.File("pm.json",
            Samples.Schedule.Replace("\"5\": 16}, \"reducible\": true}", "\"5\": 16}, \"reducible\": true, \"part_month\": \"days\"}", StringComparison.Ordinal))));
        var fees = host.Fees;
        fees.Clock.Now = new DateTimeOffset(2025, 9, 22, 3, 0, 0, TimeSpan.Zero);
        await Support.Browser.AddLoginAsync(fees, "kt@ts01.vn", "Kế toán", "accountant", "TS01");
        await Support.Browser.AddLoginAsync(fees, "ht@ts01.vn", "Hiệu trưởng", "principal", "TS01");
        var code = await host.PaymentCodeAsync("7900000001");
        await using var browser = await Support.Browser.LaunchAsync();
        var page = await browser.PageAsync(host.BaseAddress, PhoneChecks.Width, PhoneChecks.Height);
        await Support.Browser.SignInAsync(page, "kt@ts01.vn");
        await page.Locator("#billed").WaitForAsync();

        await page.GotoAsync($"/truong/TS01/hoc-sinh/{code}");
        await page.ClickAsync("#leave");
        await page.FillAsync("#day", "2025-09-19");
        await page.FillAsync("#reason", "Gia đình chuyển nhà");
        await page.ClickAsync("#leave");
        var banner = await page.InnerTextAsync(".banner");
        Assert.StartsWith("Học sinh 7900000001 nghỉ học sau ngày 19/09/2025. Đã huỷ thông báo: TS01-202509-00001. Lập lại thành TS01-202509-0000", banner, StringComparison.Ordinal);
        Assert.Contains("19/09/2025", await page.InnerTextAsync("#left-on"), StringComparison.Ordinal);
        await page.GotoAsync($"/truong/TS01/hoc-sinh/{code}");
        Assert.Equal("Đã nghỉ học sau ngày 19/09/2025", await page.InnerTextAsync("#pupil-status"));
        await page.GotoAsync("/truong/TS01/nghi-hoc/7900000001");
        await EnglishWords.AssertVietnameseOnAPhoneAsync(page, "a pupil leaving");
        await Support.Browser.ScreenshotAsync(page, "leave");
        // Up to Friday 19 September: 15 of its 22 weekdays, so 15 of the 18 meal days are billed.
        Assert.Equal(["cancelled", "issued 15"], await fees.Db.ListAsync("""
            SELECT n.status || CASE WHEN n.status = 'issued' THEN ' ' || l.quantity ELSE '' END FROM notices n JOIN students s ON s.id = n.student_id
            JOIN notice_lines l ON l.notice_id = n.id AND l.item_code = 'TIEN_AN' WHERE s.student_code = '7900000001' ORDER BY 1
            """));

        // The notice billed again, on the phone: the item's label stays whole beside the item and its part-month note
        // (found by attack: the note squeezed the row until "Khoản thu" broke a syllable a line).
        var again = (await fees.Db.ListAsync("SELECT notice_no FROM notices WHERE status = 'issued' AND student_id = (SELECT id FROM students WHERE student_code = '7900000001')")).Single();
        await page.GotoAsync($"/truong/TS01/thong-bao/{again}");
        var meals = page.Locator("#notice-lines tr", new() { HasText = "Tính theo" }).Locator("td").First;
        Assert.Contains("15/22", await meals.InnerTextAsync(), StringComparison.Ordinal);
        var label = await meals.EvaluateAsync<double>("td => parseFloat(getComputedStyle(td, '::before').width)");
        Assert.True(label >= 60, $"the item's label is {label} px wide on a 390 px phone");
        await EnglishWords.AssertVietnameseOnAPhoneAsync(page, "a notice billed again by its days");

        var principal = await browser.PageAsync(host.BaseAddress, PhoneChecks.Width, PhoneChecks.Height);
        await Support.Browser.SignInAsync(principal, "ht@ts01.vn");
        await principal.GotoAsync("/truong/TS01/nghi-hoc/7900000001");
        Assert.Equal(0, await principal.Locator("#leave-form").CountAsync());
        Assert.Equal(0, await principal.Locator("#return-form").CountAsync());
        // Another school's address for the pupil shows nothing of them.
        Assert.Contains((await principal.GotoAsync("/truong/TS02/nghi-hoc/7900000001"))!.Status, new[] { 403, 404 });

        // Recorded by mistake: the accountant undoes the leave on the same page, and September is billed in full again.
        await page.GotoAsync("/truong/TS01/nghi-hoc/7900000001");
        await page.FillAsync("#return-reason", "Ghi nhầm học sinh");
        await page.ClickAsync("#return");
        Assert.StartsWith("Học sinh 7900000001 tiếp tục đi học: đã huỷ ghi nghỉ học sau ngày 19/09/2025.", await page.InnerTextAsync(".banner"), StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("#left-on").CountAsync());
        Assert.Equal(0, await page.Locator("#return-form").CountAsync());
        await EnglishWords.AssertVietnameseOnAPhoneAsync(page, "a leave undone");
        Assert.Equal(["issued 18"], await fees.Db.ListAsync("""
            SELECT n.status || ' ' || l.quantity FROM notices n JOIN students s ON s.id = n.student_id
            JOIN notice_lines l ON l.notice_id = n.id AND l.item_code = 'TIEN_AN' WHERE s.student_code = '7900000001' AND n.status NOT IN ('cancelled', 'refunded')
            """));
    }
}
