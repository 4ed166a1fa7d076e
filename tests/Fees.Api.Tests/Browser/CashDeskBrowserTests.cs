using Microsoft.Playwright;
using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Browser;

/// <summary>
/// The counter on a 390 px phone: a pupil found by student code, an overpayment taken only after the confirmation that
/// says where the excess goes, the payment reversed from its receipt's page; above the authority's limit the reversal
/// waits for the principal, who approves it on the approvals page.
/// </summary>
public sealed class CashDeskBrowserTests
{
    private static async Task NoSidewaysScrollAsync(IPage page, string name)
    {
        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
        Assert.True(widths[0] <= widths[1], $"{name}: the page scrolls sideways ({widths[0]} px in {widths[1]} px)");
    }

    [Fact]
    public async Task Accountant_TakesAnOverpaymentAfterConfirming_ThenReversesIt_AndAboveTheLimitThePrincipalApproves()
    {
        await using var host = await BankHost.StartAsync();
        var fees = host.Fees;
        await Support.Browser.AddLoginAsync(fees, "kt@ts01.vn", "Kế toán", "accountant", "TS01");
        await Support.Browser.AddLoginAsync(fees, "ht@ts01.vn", "Hiệu trưởng", "principal", "TS01");
        await using var browser = await Support.Browser.LaunchAsync();
        var page = await browser.PageAsync(host.BaseAddress, PhoneChecks.Width, PhoneChecks.Height);
        await Support.Browser.SignInAsync(page, "kt@ts01.vn");
        await page.Locator("#billed").WaitForAsync();

        // Found by a name typed without its marks; the amount starts at what the notice owes.
        await page.GotoAsync("/truong/TS01/thu-tien-mat");
        await page.FillAsync("#q", "tran thi bich");
        await page.ClickAsync("#find-notice button");
        await page.ClickAsync("#pupils a:has-text('Trần Thị Bích')");
        Assert.Equal("1.001.800 ₫", await page.InnerTextAsync("#left"));
        Assert.Equal("1.001.800", await page.InputValueAsync("#amount"));
        await NoSidewaysScrollAsync(page, "cash desk");

        // 1.201.800 ₫: 200.000 ₫ more than owed, so the confirmation card says where it goes and nothing is recorded yet.
        await page.FillAsync("#amount", "1.201.800");
        await page.ClickAsync("#record");
        await page.Locator("#confirm-excess").WaitForAsync();
        Assert.Contains("200.000 ₫", await page.InnerTextAsync("#confirm-excess"));
        Assert.Contains("200.000 ₫", await page.InnerTextAsync("#excess-credit"));
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM payments"));
        await NoSidewaysScrollAsync(page, "confirmation");
        await Support.Browser.ScreenshotAsync(page, "cash-confirm-excess");
        await page.ClickAsync("#confirm");
        await page.Locator("#receipt-issued").WaitForAsync();
        Assert.Equal("1.201.800 ₫", await page.InnerTextAsync("#taken"));
        Assert.Contains("200.000 ₫", await page.InnerTextAsync("#to-credit"));
        Assert.Equal(1, await fees.Db.ScalarAsync("SELECT count(*) FROM payments"));
        await Support.Browser.ScreenshotAsync(page, "cash-taken");

        // Reversed from the receipt's page, with a reason: within the limit, done at once.
        await page.ClickAsync("#receipt-page");
        await page.Locator("#reverse-form").WaitForAsync();
        await NoSidewaysScrollAsync(page, "receipt page");
        await page.FillAsync("#reverse-reason", "Thu nhầm học sinh");
        await page.ClickAsync("#reverse");
        await page.Locator("#said").WaitForAsync();
        Assert.Equal("Đã huỷ", await page.InnerTextAsync("#status"));
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT amount_paid_vnd FROM notices WHERE notice_no = 'TS01-202509-00002'"));
        await Support.Browser.ScreenshotAsync(page, "receipt-reversed");

        // Above the authority's limit the reversal waits for the principal.
        await fees.Db.ExecAsync("UPDATE authorities SET correction_approval_limit_vnd = 100000");
        await page.GotoAsync("/truong/TS01/thu-tien-mat?notice=TS01-202509-00001");
        await page.ClickAsync("#record");
        await page.ClickAsync("#receipt-page");
        await page.FillAsync("#reverse-reason", "Phụ huynh nộp hai lần");
        await page.ClickAsync("#reverse");
        Assert.Contains("chờ hiệu trưởng duyệt", await page.InnerTextAsync("#said"));
        Assert.Equal(1_371_800, await fees.Db.ScalarAsync("SELECT amount_paid_vnd FROM notices WHERE notice_no = 'TS01-202509-00001'"));

        await page.ClickAsync("text=Đăng xuất");
        await Support.Browser.SignInAsync(page, "ht@ts01.vn");
        await page.Locator("#billed").WaitForAsync();
        await page.GotoAsync("/truong/TS01/duyet");
        Assert.Equal("1", await page.InnerTextAsync("#waiting-count"));
        await NoSidewaysScrollAsync(page, "approvals");
        await Support.Browser.ScreenshotAsync(page, "approvals-waiting");
        await page.ClickAsync("#waiting button.approve");
        await page.Locator("#said").WaitForAsync();
        Assert.Equal("0", await page.InnerTextAsync("#waiting-count"));
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT amount_paid_vnd FROM notices WHERE notice_no = 'TS01-202509-00001'"));
        // The principal prints a receipt from its page (the cash desk's own PDF link is the accountant's).
        var first = (await fees.Db.ListAsync("SELECT id FROM receipts ORDER BY issued_at, number LIMIT 1"))[0];
        var printed = await page.APIRequest.GetAsync($"/truong/TS01/bien-lai/{first}?handler=pdf");
        Assert.Equal(200, printed.Status);
        Assert.StartsWith("application/pdf", printed.Headers["content-type"]);
        // The principal takes no money and reverses nothing by themself.
        Assert.Equal(403, (await page.GotoAsync("/truong/TS01/thu-tien-mat"))!.Status);

        // The day's cash book: two payments in, both handed back; as a PDF and a workbook in Vietnamese.
        await page.GotoAsync("/truong/TS01/so-quy?ngay=2025-09-05");
        Assert.Equal("2.573.600 ₫", await page.InnerTextAsync("#in"));
        Assert.Equal("2.573.600 ₫", await page.InnerTextAsync("#out"));
        Assert.Equal("0 ₫", await page.InnerTextAsync("#closing"));
        await NoSidewaysScrollAsync(page, "cash book");
        await Support.Browser.ScreenshotAsync(page, "cash-book");
        var pdf = Path.Combine(fees.Folder, "so-quy.pdf");
        await (await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#cashbook-pdf"))).SaveAsAsync(pdf);
        var text = await Printing.PdfText.ExtractAsync(pdf);
        Assert.Contains("SỔ QUỸ TIỀN MẶT", text);
        Assert.Contains("Tồn cuối ngày", text);
        var xlsx = Path.Combine(fees.Folder, "so-quy.xlsx");
        await (await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#cashbook-xlsx"))).SaveAsAsync(xlsx);
        Assert.Equal(["Sổ quỹ tiền mặt"], MiniExcelLibs.MiniExcel.GetSheetNames(xlsx));
        var rows = MiniExcelLibs.MiniExcel.Query(xlsx, useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        Assert.Contains("Thu (đồng)", rows[0].Keys);
        Assert.Equal(2_573_600m, Convert.ToDecimal(rows[^1]["Thu (đồng)"], System.Globalization.CultureInfo.InvariantCulture));

        // The receipts of the day, both cancelled by their reversals.
        await page.GotoAsync("/truong/TS01/bang-ke-bien-lai?ngay=2025-09-05");
        Assert.Equal("2", await page.InnerTextAsync("#count"));
        Assert.Equal("2.573.600 ₫", await page.InnerTextAsync("#cancelled"));
        await NoSidewaysScrollAsync(page, "receipt list");
        await Support.Browser.ScreenshotAsync(page, "receipt-list");

        // On the English switch the workbooks speak English too: sheet, headings, values.
        await page.Context.AddCookiesAsync([new() { Name = "fees.lang", Value = "en", Url = page.Url }]);
        var book = await SheetAsync(page, "/truong/TS01/so-quy?handler=xlsx&ngay=2025-09-05");
        Assert.Equal(["Cash book"], MiniExcelLibs.MiniExcel.GetSheetNames(book));
        Assert.Contains("In (đồng)", MiniExcelLibs.MiniExcel.Query(book, useHeaderRow: true).Cast<IDictionary<string, object>>().First().Keys);
        var receipts = await SheetAsync(page, "/truong/TS01/bang-ke-bien-lai?handler=xlsx&ngay=2025-09-05");
        Assert.Equal(["Receipts of the day"], MiniExcelLibs.MiniExcel.GetSheetNames(receipts));
        Assert.All(MiniExcelLibs.MiniExcel.Query(receipts, useHeaderRow: true).Cast<IDictionary<string, object>>(),
            r => Assert.Equal(("Cash", "Cancelled"), ((string)r["Paid by"], (string)r["Status"])));
    }

    private static async Task<MemoryStream> SheetAsync(Microsoft.Playwright.IPage page, string path)
    {
        var answer = await page.APIRequest.GetAsync(path);
        Assert.Equal(200, answer.Status);
        return new MemoryStream(await answer.BodyAsync());
    }
}
