using Microsoft.Playwright;
using TdmEdu.Fees.Api.Tests.Support;
using static TdmEdu.Fees.Api.Tests.Support.PhoneChecks;

namespace TdmEdu.Fees.Api.Tests.Browser;

/// <summary>
/// The parent's pages on a 390×844 phone: the front door, the look-up and its answers, the pupil's page with its months
/// open and folded, and the error pages a parent meets; then the total that pays every open month with one QR, and the
/// copy buttons.
/// </summary>
public sealed class ParentPhoneBrowserTests
{
    private const string Bich = "7900000002";   // Trần Thị Bích, TS01 (Vietcombank), born 01/03/2017

    [Fact]
    public async Task EveryParentPage_AtPhoneSize_NeverScrollsSideways_HasBigTargetsOneFontAndNoAxeViolation()
    {
        await using var host = await BankHost.StartAsync();
        await host.Fees.OkAsync("notices", "issue", "--period", "2025-10");
        await host.Fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00002", "--amount", "300000");
        var code = await host.PaymentCodeAsync(Bich);
        await using var browser = await Support.Browser.LaunchAsync();
        var page = await PhoneAsync(browser, host);

        // The front door: parents and staff each have their own, and parents are not sent to the staff sign-in.
        await page.GotoAsync("/");
        Assert.EndsWith("/", page.Url);
        Assert.Equal("/phu-huynh", await page.GetAttributeAsync("#door-parent", "href"));
        Assert.Equal("/dang-nhap", await page.GetAttributeAsync("#door-staff", "href"));
        await AssertFitsAPhoneAsync(page, "front door");
        await Support.Browser.ScreenshotAsync(page, "front-door");

        await page.ClickAsync("#door-parent");
        await page.Locator("#dob").WaitForAsync();
        await AssertFitsAPhoneAsync(page, "look-up");

        // A date that cannot be read is told how to type it; a date that reads but finds no child gets the one answer.
        await page.FillAsync("#code", code);
        await page.FillAsync("#dob", "31/02/2017");
        await page.ClickAsync("button[type=submit]");
        Assert.Equal("Chưa đọc được ngày sinh. Hãy nhập theo ngày/tháng/năm, ví dụ 01/03/2021.", await page.InnerTextAsync("[role=alert]"));
        Assert.Equal("true", await page.GetAttributeAsync("#dob", "aria-invalid"));
        await AssertFitsAPhoneAsync(page, "look-up with a date that cannot be read");
        await Support.Browser.ScreenshotAsync(page, "parent-lookup-hint");
        await page.FillAsync("#dob", "02.03.2017");
        await page.ClickAsync("button[type=submit]");
        Assert.StartsWith("Không tìm thấy học sinh có mã thanh toán và ngày sinh này.", await page.InnerTextAsync("[role=alert]"));
        await AssertFitsAPhoneAsync(page, "look-up that found no child");

        await LookUpAsync(page, code, "1/3/2017");
        await AssertFitsAPhoneAsync(page, "pupil, months folded");
        await Support.Browser.ScreenshotAsync(page, "parent-notice");
        await OpenEveryMonthAsync(page);
        await AssertFitsAPhoneAsync(page, "pupil, months open");
        await Support.Browser.ScreenshotAsync(page, "parent-months-open");
        // The receipt's signed XML, straight from the parent's page: the legal document, verifiable as it is.
        var xmlHref = await page.GetAttributeAsync("a.signed-xml", "href");
        Assert.Matches("^/bien-lai/3700000001/[0-9A-Z]{12}/xml$", xmlHref);
        var signedXml = await page.APIRequest.GetAsync(xmlHref!);
        Assert.True(TdmEdu.Fees.Api.Security.ReceiptSignature.Verify(await signedXml.BodyAsync()).Valid);

        // The same page in English: every word translated.
        await page.GotoAsync("/ngon-ngu?to=en&back=/phu-huynh/hoc-sinh");
        await page.Locator(".pupil").WaitForAsync();
        var english = await page.InnerTextAsync("main");
        Assert.Contains("Transfer description", english);
        Assert.Contains("Paid at the school for 9/2025.", english);
        Assert.DoesNotMatch(@"\b(owed|covers|scan-or-copy|transfer-text|total-how|applied-[a-z-]+|paid-for|other-ways|fees-of-child)\b", english);
        await AssertFitsAPhoneAsync(page, "pupil in English");
        await page.GotoAsync("/ngon-ngu?to=vi&back=/phu-huynh");

        // The error pages a parent meets: a session that ended (401), another child's receipt (404).
        var stranger = await (await browser.ContextAsync(new BrowserNewContextOptions
        {
            BaseURL = host.BaseAddress.ToString(), ViewportSize = new ViewportSize { Width = Width, Height = Height }, Locale = "vi-VN",
        })).NewPageAsync();
        Assert.Equal(401, (await stranger.GotoAsync("/phu-huynh/qr/TS01-202509-00002"))!.Status);
        await AssertFitsAPhoneAsync(stranger, "error 401");
        var other = (await host.Fees.Db.ListAsync(
            "SELECT r.id FROM receipts r JOIN payments p ON p.id = r.payment_id JOIN students s ON s.id = p.student_id WHERE s.student_code = '7900000002'")).Single();
        await host.Fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00001", "--amount", "50000");
        var notMine = (await host.Fees.Db.ListAsync($"SELECT r.id FROM receipts r WHERE r.id <> '{other}'")).Single();
        Assert.Equal(404, (await page.GotoAsync($"/phu-huynh/bien-lai/{notMine}"))!.Status);
        await AssertFitsAPhoneAsync(page, "error 404");
        await Support.Browser.ScreenshotAsync(page, "parent-error");
    }

    [Fact]
    public async Task TheTotal_IsOneQrForEveryOpenMonth_TheCopyButtonsCopy_AndPayingItPaysEveryMonthOldestFirst()
    {
        await using var host = await BankHost.StartAsync();
        await host.Fees.OkAsync("notices", "issue", "--period", "2025-10");
        var code = await host.PaymentCodeAsync(Bich);
        var account = host.Account("TS01", "VCB").AccountNo;
        var owed = await host.Fees.Db.ScalarAsync(
            "SELECT sum(n.amount_due_vnd - n.amount_paid_vnd) FROM notices n JOIN students s ON s.id = n.student_id WHERE s.student_code = '7900000002'");
        await using var browser = await Support.Browser.LaunchAsync();
        var page = await PhoneAsync(browser, host);
        await page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        await LookUpAsync(page, code, "01032017");

        // At the top: the total over the open months, the months it covers, one QR for all of it.
        var total = page.Locator(".owed");
        Assert.Equal(1, await total.CountAsync());
        Assert.Equal(1_431_800, owed);
        Assert.Equal("1.431.800 ₫", await total.Locator(".sum").InnerTextAsync());
        Assert.Equal("9/2025, 10/2025", await total.Locator(".months").InnerTextAsync());
        Assert.True(await total.Locator("img.qr").IsVisibleAsync(), "the total's QR is at the top, not folded");
        var qr = await QrOfAsync(page, total.Locator("img.qr"));
        Assert.Equal(("970436", account, owed, code), (qr.BankBin, qr.Account, qr.AmountVnd!.Value, qr.Purpose));
        Assert.Equal("Vietcombank", await total.Locator(".bank").InnerTextAsync());
        Assert.Equal("TRUONG TIEU HOC THU NGHIEM", await total.Locator(".holder").InnerTextAsync());

        // Each month keeps its own QR, folded, whose description names the month as the bank will read it.
        var octoberNo = (await host.Fees.Db.ListAsync(
            "SELECT n.notice_no FROM notices n JOIN students s ON s.id = n.student_id WHERE s.student_code = '7900000002' AND n.period_key = 202510")).Single();
        var october = page.Locator($"details.month[data-notice='{octoberNo}']");
        Assert.False(await october.Locator("img.qr").IsVisibleAsync(), "the months are folded");
        await october.Locator("summary").ClickAsync();
        var monthQr = await QrOfAsync(page, october.Locator("img.qr"));
        Assert.Equal((account, 430_000L, $"{code} 202510"), (monthQr.Account, monthQr.AmountVnd!.Value, monthQr.Purpose));
        Assert.Equal($"{code} 202510", await page.InnerTextAsync($"#m-{octoberNo}-text"));
        Assert.Contains("Tiền ăn", await october.InnerTextAsync());

        // Each copy button copies exactly what the bank app wants, and says so where it was pressed.
        foreach (var (field, expected) in new[] { ("account", account), ("amount", "1431800"), ("text", code) })
        {
            var id = $"t-{code}-TS01-{field}";
            await page.ClickAsync($"button[data-select='{id}']");
            await page.Locator($"#{id} ~ .copied:has-text('Đã chép')").WaitForAsync();
            Assert.Equal(expected, await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));
        }
        await Support.Browser.ScreenshotAsync(page, "parent-copied");

        // Where the clipboard is refused, the button selects the text, ready for the phone's own "Copy".
        var refused = await page.Context.NewPageAsync();
        await refused.AddInitScriptAsync("navigator.clipboard.writeText = () => Promise.reject(new Error('refused'))");
        await refused.GotoAsync("/phu-huynh/hoc-sinh");
        await refused.ClickAsync($"button[data-select='t-{code}-TS01-account']");
        await refused.Locator($"#t-{code}-TS01-account ~ .copied:not(:empty)").WaitForAsync();
        Assert.Equal(account, await refused.EvaluateAsync<string>("() => window.getSelection().toString()"));

        // The bank brings exactly the total with the QR's description: both months are paid, the oldest first.
        await host.VcbAsync(host.VcbBody("VCB7101", owed, code));
        await host.ProcessInboxAsync();
        await page.ReloadAsync();
        Assert.Equal(0, await page.Locator(".owed").CountAsync());
        Assert.Equal("Không còn khoản nào phải nộp.", await page.InnerTextAsync(".settled"));
        var row = page.Locator(".history .payment").First;
        Assert.Equal("Đã trả: tháng 9/2025 (1.001.800 ₫), tháng 10/2025 (430.000 ₫)", await row.Locator(".paid-months").InnerTextAsync());
        Assert.Equal("Nội dung chuyển khoản không ghi tháng: trả các tháng cũ nhất trước.", await row.Locator(".applied").InnerTextAsync());
        Assert.Equal(0, await page.Locator(".held").CountAsync());
    }
}
