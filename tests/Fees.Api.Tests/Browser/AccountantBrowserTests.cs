using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Browser;

/// <summary>The school accountant's day: cash at the counter with a receipt (a double submit records once), the notice list filtered.</summary>
public sealed class AccountantBrowserTests
{
    [Fact]
    public async Task Accountant_RecordsCashOnce_EvenSubmittedTwice_AndTheNoticeListShowsIt()
    {
        await using var host = await BankHost.StartAsync();
        var fees = host.Fees;
        await Support.Browser.AddLoginAsync(fees, "kt@ts01.vn", "Kế toán", "accountant", "TS01");
        await Support.Browser.AddLoginAsync(fees, "ht@ts01.vn", "Hiệu trưởng", "principal", "TS01");
        await using var browser = await Support.Browser.LaunchAsync();
        var page = await browser.PageAsync(host.BaseAddress);
        await Support.Browser.SignInAsync(page, "kt@ts01.vn");
        await page.Locator("#billed").WaitForAsync();

        await page.GotoAsync("/truong/TS01/thu-tien-mat");
        await page.FillAsync("#find-notice input", "ts01-202509-00002");
        await page.ClickAsync("#find-notice button");
        Assert.Equal("1.001.800 ₫", await page.InnerTextAsync("#left"));
        Assert.Equal("1.001.800", await page.InputValueAsync("#amount"));
        await page.FillAsync("#payer", "Trần Văn Cường");
        // The same form sent twice at once, as a double click or a resend after a timeout sends it.
        var landed = await page.EvalOnSelectorAsync<string[]>("form.stack",
            "f => Promise.all([1, 2].map(() => fetch(f.action, { method: 'POST', body: new FormData(f) }).then(r => r.url)))");
        Assert.Equal(landed[0], landed[1]);
        Assert.Contains("payment=", landed[0]);
        await page.GotoAsync(landed[0]);
        Assert.Equal("TS01/EBL01/25T/0000001", await page.InnerTextAsync("#receipt"));
        Assert.Equal("1.001.800 ₫", await page.InnerTextAsync("#taken"));
        Assert.Contains("TS01-202509-00002: 1.001.800 ₫", await page.InnerTextAsync("#went-to"));
        await Support.Browser.ScreenshotAsync(page, "cash-receipt");
        Assert.Equal(1, await fees.Db.ScalarAsync("SELECT count(*) FROM payments"));

        // The receipt prints as a PDF, its amount in words, in Vietnamese.
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#receipt-pdf"));
        var pdf = Path.Combine(fees.Folder, "receipt.pdf");
        await download.SaveAsAsync(pdf);
        var text = await Printing.PdfText.ExtractAsync(pdf);
        Assert.Contains("BIÊN LAI THU PHÍ, LỆ PHÍ ĐIỆN TỬ", text);
        Assert.Contains("bằng chữ: Một triệu không trăm linh một nghìn tám trăm đồng.", text);
        Assert.Contains("Trần Văn Cường", text);
        await Printing.PdfText.KeepFirstPageAsync(pdf, "receipt-pdf");

        // Another school's notice is not found here, in words.
        await page.GotoAsync("/truong/TS01/thu-tien-mat?notice=TS02-202509-00001");
        Assert.Contains("Trường TS01 không có thông báo, mã thanh toán, mã học sinh hay học sinh tên TS02-202509-00001", await page.InnerTextAsync("[role=alert]"));

        // A stale form: the notice is shown, a payment lands meanwhile, the form records nothing and shows the new balance.
        await page.GotoAsync("/truong/TS01/thu-tien-mat?notice=TS01-202509-00001");
        var before = await page.InnerTextAsync("#left");
        await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00001", "--amount", "100000");
        await page.ClickAsync("#record");
        Assert.Contains("vừa thay đổi sau khi mở trang: đã nộp 100.000 ₫", await page.InnerTextAsync("#problem"));
        Assert.NotEqual(before, await page.InnerTextAsync("#left"));
        Assert.Equal(2, await fees.Db.ScalarAsync("SELECT count(*) FROM payments"));
        await page.FillAsync("#amount", "100.000");
        await page.ClickAsync("#record");
        await page.Locator("#receipt").WaitForAsync();
        Assert.Equal(3, await fees.Db.ScalarAsync("SELECT count(*) FROM payments"));

        await page.GotoAsync("/truong/TS01/2025-09/thong-bao?status=issued");
        Assert.Equal(1, await page.Locator("#notices tr[data-notice]").CountAsync());
        await page.GotoAsync("/truong/TS01/2025-09/thong-bao?status=paid");
        Assert.Equal("Đã nộp đủ", await page.InnerTextAsync("tr[data-notice='TS01-202509-00002'] .status"));
        await Support.Browser.ScreenshotAsync(page, "notice-list");

        // The principal reads the school but takes no money.
        await page.ClickAsync("text=Đăng xuất");
        await page.Locator("#email").WaitForAsync();
        await Support.Browser.SignInAsync(page, "ht@ts01.vn");
        await page.Locator("#billed").WaitForAsync();
        Assert.Equal(403, (await page.GotoAsync("/truong/TS01/thu-tien-mat"))!.Status);
    }
}
