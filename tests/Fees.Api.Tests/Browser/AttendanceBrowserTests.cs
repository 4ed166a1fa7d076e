using Microsoft.Playwright;
using TdmEdu.Fees.Api.Tests.Cli;
using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Browser;

/// <summary>Meal attendance on a 390 px phone: a class grid of days, a school file refused for another school's pupil, and the refund on the next notice.</summary>
public sealed class AttendanceBrowserTests
{
    [Fact]
    public async Task ADayAfterAPupilLeft_IsRefusedOnTheGrid_NamingThePupil_InVietnamese()
    {
        // Found by attack: the refusal read "Dòng 11 | date", a line and an English column the grid does not have.
        await using var host = await BankHost.StartAsync(before: f => f.OkAsync("schedule", "import", f.File("refund.json", AttendanceRefundTests.Schedule("{\"from_day\": 1}"))));
        var fees = host.Fees;
        fees.Clock.Now = new DateTimeOffset(2025, 10, 3, 3, 0, 0, TimeSpan.Zero);
        await fees.OkAsync("students", "leave", "--student", "7900000001", "--on", "10/09/2025", "--reason", "Chuyển nhà");
        await Support.Browser.AddLoginAsync(fees, "kt@ts01.vn", "Kế toán", "accountant", "TS01");
        await using var browser = await Support.Browser.LaunchAsync();
        var page = await browser.PageAsync(host.BaseAddress, PhoneChecks.Width, PhoneChecks.Height);
        await Support.Browser.SignInAsync(page, "kt@ts01.vn");
        await page.Locator("#billed").WaitForAsync();

        await page.GotoAsync("/truong/TS01/2025-09/diem-danh?lop=1A1");
        var row = (await page.Locator("input[value='7900000001']").GetAttributeAsync("name"))![1..];
        await page.SelectOptionAsync($"select[name=d{row}_15]", "P");
        await page.ClickAsync("#att-save");

        var problems = await page.InnerTextAsync("#problems");
        Assert.Contains("7900000001", problems, StringComparison.Ordinal);
        Assert.Contains("đã nghỉ học sau ngày 10/09/2025", problems, StringComparison.Ordinal);
        Assert.DoesNotContain("date", problems, StringComparison.Ordinal);
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM attendance_months"));
        await EnglishWords.AssertVietnameseOnAPhoneAsync(page, "a day after a pupil left, refused on the grid");
    }

    [Fact]
    public async Task Accountant_MarksAbsencesOnTheGrid_AndOctobersNoticeGivesTheMealsBack()
    {
        await using var host = await BankHost.StartAsync(before: f => f.OkAsync("schedule", "import", f.File("refund.json", AttendanceRefundTests.Schedule("{\"from_day\": 1}"))));
        var fees = host.Fees;
        fees.Clock.Now = new DateTimeOffset(2025, 10, 3, 3, 0, 0, TimeSpan.Zero);
        // A classmate whose September came from a month file (counts, no days): saving the grid must not wipe it.
        await fees.OkAsync("students", "import", fees.File("more.csv", Samples.StudentHeader + "TS01,7900000005,Vũ Minh Anh,02/02/2018,Nữ,1,1A1,Vũ Văn Ba,0912000005,,,\n"));
        await fees.OkAsync("attendance", "import", fees.File("counts.csv", "student_code,month,absent_with_notice,absent_without_notice\n7900000005,09/2025,2,0\n"));
        await Support.Browser.AddLoginAsync(fees, "kt@ts01.vn", "Kế toán", "accountant", "TS01");
        await using var browser = await Support.Browser.LaunchAsync();
        var page = await browser.PageAsync(host.BaseAddress, PhoneChecks.Width, PhoneChecks.Height);
        await Support.Browser.SignInAsync(page, "kt@ts01.vn");
        await page.Locator("#billed").WaitForAsync();

        await page.GotoAsync("/truong/TS01/2025-09/diem-danh?lop=1A1");
        Assert.Contains("Nguyễn Văn An", await page.InnerTextAsync("#att-grid"));
        var an = await page.Locator("input[value='7900000001']").GetAttributeAsync("name");
        var row = an![1..];
        await page.SelectOptionAsync($"select[name=d{row}_8]", "P");
        await page.SelectOptionAsync($"select[name=d{row}_9]", "P");
        await page.SelectOptionAsync($"select[name=d{row}_10]", "K");
        await page.ClickAsync("#att-save");
        await page.Locator("#att-saved").WaitForAsync();
        Assert.Equal(["{8,9}|{10}"], await fees.Db.ListAsync("SELECT days_with_notice::text || '|' || days_without_notice::text FROM attendance_months WHERE days_with_notice IS NOT NULL"));
        Assert.Equal(["2/0"], await fees.Db.ListAsync("SELECT absent_with_notice || '/' || absent_without_notice FROM attendance_months a JOIN students s ON s.id = a.student_id WHERE s.student_code = '7900000005'"));
        // The saved grid shows what was saved.
        Assert.Equal("P", await page.InputValueAsync($"select[name=d{row}_9]"));
        await EnglishWords.AssertVietnameseOnAPhoneAsync(page, "attendance grid");
        await Support.Browser.ScreenshotAsync(page, "attendance-grid");

        // A file imported after the grid was opened: saving the older grid is refused and writes nothing.
        await fees.OkAsync("attendance", "import", fees.File("later.csv", "student_code,month,absent_with_notice,absent_without_notice\n7900000005,09/2025,3,0\n"));
        await page.SelectOptionAsync($"select[name=d{row}_11]", "P");
        await page.ClickAsync("#att-save");
        await page.Locator("#att-stale").WaitForAsync();
        Assert.Equal(["{8,9}|{10}"], await fees.Db.ListAsync("SELECT days_with_notice::text || '|' || days_without_notice::text FROM attendance_months WHERE days_with_notice IS NOT NULL"));
        Assert.Equal(["3/0"], await fees.Db.ListAsync("SELECT absent_with_notice || '/' || absent_without_notice FROM attendance_months a JOIN students s ON s.id = a.student_id WHERE s.student_code = '7900000005'"));
        Assert.Equal("", await page.InputValueAsync($"select[name=d{row}_11]"));

        // A school's file naming another school's pupil is refused whole, in Vietnamese.
        await page.SetInputFilesAsync("#file", new FilePayload
        {
            Name = "diem-danh.csv", MimeType = "text/csv",
            Buffer = System.Text.Encoding.UTF8.GetBytes("Mã học sinh,Tháng,Nghỉ có phép,Nghỉ không phép\n7900000002,09/2025,1,0\n7900000040,09/2025,2,0\n"),
        });
        await page.ClickAsync("#import");
        Assert.Contains("trường TS01 không có học sinh mã 7900000040", await page.InnerTextAsync("#problems"));
        Assert.Equal(2, await fees.Db.ScalarAsync("SELECT count(*) FROM attendance_months"));

        await fees.OkAsync("notices", "issue", "--period", "2025-10");
        await page.GotoAsync("/truong/TS01/thong-bao/TS01-202510-00001");
        Assert.Contains("Trừ 2 ngày nghỉ tháng 09/2025 (nghỉ có phép được hoàn từ ngày đầu tiên)", await page.InnerTextAsync("#notice-lines"));
        await EnglishWords.AssertVietnameseOnAPhoneAsync(page, "notice with a refund");
    }
}
