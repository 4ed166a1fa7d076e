using TdmEdu.Fees.Api.Tests.Books;
using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Browser;

/// <summary>The month's bank book on a 390 px phone: balances, what differs and why, downloaded; the school's accountant's only.</summary>
public sealed class BankBookBrowserTests
{
    [Fact]
    public async Task Accountant_SeesSeptembersBankBookAgainstTheStatement_AndDownloadsIt_OthersDoNot()
    {
        var (host, account, _) = await BankBookTests.SeptemberAsync();
        await using var _ = host;
        var fees = host.Fees;
        await Support.Browser.AddLoginAsync(fees, "kt@ts01.vn", "Kế toán", "accountant", "TS01");
        await Support.Browser.AddLoginAsync(fees, "ht@ts01.vn", "Hiệu trưởng", "principal", "TS01");
        await Support.Browser.AddLoginAsync(fees, "kt@ts02.vn", "Kế toán", "accountant", "TS02");
        await using var browser = await Support.Browser.LaunchAsync();
        var page = await browser.PageAsync(host.BaseAddress, PhoneChecks.Width, PhoneChecks.Height);
        await Support.Browser.SignInAsync(page, "kt@ts01.vn");
        await page.Locator("#billed").WaitForAsync();

        // Reached from the month's books.
        await page.GotoAsync("/truong/TS01/2025-09/so-sach");
        await page.ClickAsync("#bankbook-link");
        var book = page.Locator($"section[data-account='{account}']");
        Assert.Equal("10.000.000 ₫", await book.Locator(".opening").InnerTextAsync());
        Assert.Contains("Khớp", await book.Locator(".status").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(["waiting", "other-debit", "other-month"], await book.Locator("table.not-in-book tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.why)"));
        Assert.Contains("Chờ kế toán xử lý", await book.Locator("table.not-in-book tr[data-why='waiting']").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("ghi sổ ngày 02/10/2025", await book.Locator("table.not-in-book tr[data-why='other-month']").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("BC-VCB0500", await book.Locator("table.not-on-statement tr[data-why='no-line']").InnerTextAsync(), StringComparison.Ordinal);
        await page.ClickAsync($"section[data-account='{account}'] details.entries summary");
        await EnglishWords.AssertVietnameseOnAPhoneAsync(page, "bank book");
        await Support.Browser.ScreenshotAsync(page, "bank-book");

        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#bankbook-xlsx"));
        var xlsx = Path.Combine(fees.Folder, "stg.xlsx");
        await download.SaveAsAsync(xlsx);
        var rows = MiniExcelLibs.MiniExcel.Query(xlsx, useHeaderRow: true, sheetName: "Sổ tiền gửi").Cast<IDictionary<string, object>>()
            .Where(r => (string)r["Tài khoản"] == account).ToList();
        Assert.Equal(10_000_000L, Convert.ToInt64(rows.First()["Thu (đồng)"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("Khoản chi không thuộc khoản thu (phí ngân hàng, chuyển đi)", rows.Single(r => (string)r["Số tham chiếu"] == "FT0400")["Ghi chú"]);

        // The principal and another school's accountant do not open it.
        var principal = await browser.PageAsync(host.BaseAddress, PhoneChecks.Width, PhoneChecks.Height);
        await Support.Browser.SignInAsync(principal, "ht@ts01.vn");
        Assert.Equal(403, (await principal.GotoAsync("/truong/TS01/2025-09/so-tien-gui"))!.Status);
        var other = await browser.PageAsync(host.BaseAddress, PhoneChecks.Width, PhoneChecks.Height);
        await Support.Browser.SignInAsync(other, "kt@ts02.vn");
        Assert.NotEqual(200, (await other.GotoAsync("/truong/TS01/2025-09/so-tien-gui?handler=file&format=csv"))!.Status);
    }
}
