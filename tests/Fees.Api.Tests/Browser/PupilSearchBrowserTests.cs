using Microsoft.Playwright;
using TdmEdu.Fees.Api.Tests.Support;
using static TdmEdu.Fees.Api.Tests.Support.PhoneChecks;

namespace TdmEdu.Fees.Api.Tests.Browser;

/// <summary>
/// An accountant on a 390×844 phone finds a pupil by a name typed without marks, results showing as they type, opens the
/// pupil's page and a notice from it; nothing scrolls sideways. Without script, the same box opens the results page.
/// </summary>
public sealed class PupilSearchBrowserTests
{
    private static async Task<BankHost> StartAsync()
    {
        var host = await BankHost.StartAsync();
        // An paid more than September's notice: the pupil's page has a payment, a receipt and credit to show.
        await host.Fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00001", "--amount", "1.500.000", "--payer", "Nguyễn Văn Bình");
        await Support.Browser.AddLoginAsync(host.Fees, "kt@ts01.vn", "Kế toán", "accountant", "TS01");
        return host;
    }

    private static async Task<IPage> SignedInAsync(IBrowserContext context)
    {
        var page = await context.NewPageAsync();
        await Support.Browser.SignInAsync(page, "kt@ts01.vn");
        await page.Locator("#billed").WaitForAsync();
        return page;
    }

    [Fact]
    public async Task Accountant_OnAPhone_TypesANameWithoutMarks_SeesThePupil_OpensThePupilsPage_AndANoticeFromIt()
    {
        await using var host = await StartAsync();
        await using var browser = await Support.Browser.LaunchAsync();
        var page = await PhoneAsync(browser, host);
        await Support.Browser.SignInAsync(page, "kt@ts01.vn");
        await page.Locator("#billed").WaitForAsync();

        // Typed key by key, as a person types: the results appear under the box without leaving the page.
        var month = page.Url;
        await page.Locator("#ps-q").PressSequentiallyAsync("nguyen van an");
        var hit = page.Locator("#ps-live .ps-hits a").First;
        await hit.WaitForAsync();
        Assert.Equal(month, page.Url);
        Assert.Contains("Nguyễn Văn An", await hit.InnerTextAsync());
        Assert.Equal(1, await page.Locator("#ps-live .ps-hits a").CountAsync());
        // The box and its results fit the phone on any page (the page under them is another matter).
        var box = await page.EvaluateAsync<double[]>("() => { const r = document.getElementById('ps-live').getBoundingClientRect(); return [r.left, r.right]; }");
        Assert.True(box[0] >= 0 && box[1] <= Width, $"the results span {box[0]}–{box[1]} px of a {Width} px screen");

        // Another school's pupil is never among the results.
        await page.Locator("#ps-q").FillAsync("");
        await page.Locator("#ps-q").PressSequentiallyAsync("bao");
        await page.Locator("#ps-live #ps-none", new() { HasText = "“bao”" }).WaitForAsync();
        Assert.DoesNotContain("Đặng Quốc Bảo", await page.InnerTextAsync("#ps-live"));

        // On the search page (where the header's form leads), the whole page with the results open fits the phone.
        await page.GotoAsync("/truong/TS01/tim-kiem");
        await page.Locator("#ps-q").PressSequentiallyAsync("an");
        await page.Locator("#ps-live .ps-hits a").Nth(1).WaitForAsync();
        await AssertFitsAPhoneAsync(page, "search results as one types");
        await Support.Browser.ScreenshotAsync(page, "pupil-search");
        await page.Locator("#ps-live .ps-hits a", new() { HasText = "Nguyễn Văn An" }).ClickAsync();
        await page.Locator("#pupil-name").WaitForAsync();
        Assert.Equal("Nguyễn Văn An", await page.InnerTextAsync("#pupil-name"));
        Assert.Equal("1A1", await page.InnerTextAsync("#pupil-class"));
        Assert.Equal("128.200 ₫", await page.InnerTextAsync("#credit"));
        Assert.Equal("TS01/EBL01/25T/0000001", (await page.InnerTextAsync("#pupil-payments .receipt")).Trim());
        Assert.Contains("0912000001", await page.InnerTextAsync("#guardian"));
        await AssertFitsAPhoneAsync(page, "pupil's page");
        await Support.Browser.ScreenshotAsync(page, "pupil-page");

        await page.ClickAsync("#pupil-notices a[href$='/thong-bao/TS01-202509-00001']");
        await page.Locator("#notice-no").WaitForAsync();
        Assert.Equal("Thông báo TS01-202509-00001", await page.InnerTextAsync("#notice-no"));
        Assert.Equal("1.371.800 ₫", await page.InnerTextAsync("#amount-due"));
        Assert.Equal("0 ₫", await page.InnerTextAsync("#notice-balance"));
        Assert.Equal("Đã nộp đủ", await page.InnerTextAsync("#notice-status"));
        Assert.Contains("TS01/EBL01/25T/0000001", await page.InnerTextAsync("#notice-money"));
        Assert.Equal(3, await page.Locator("#notice-lines tbody tr").CountAsync());
        await AssertFitsAPhoneAsync(page, "notice's page");
        await Support.Browser.ScreenshotAsync(page, "notice-page");

        // Back to the pupil from the notice.
        await page.ClickAsync("#notice-pupil");
        await page.Locator("#pupil-name").WaitForAsync();
    }

    [Fact]
    public async Task Accountant_WithoutScript_SearchesWithTheSameBox_AndGetsTheResultsPage()
    {
        await using var host = await StartAsync();
        await using var browser = await Support.Browser.LaunchAsync();
        await using var context = await browser.Chromium.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = host.BaseAddress.ToString(), ViewportSize = new ViewportSize { Width = Width, Height = Height }, Locale = "vi-VN",
            JavaScriptEnabled = false,
        });
        var page = await SignedInAsync(context);

        await page.FillAsync("#ps-q", "Trần Thị Bích");
        await page.PressAsync("#ps-q", "Enter");
        await page.Locator("main .ps-hits a").First.WaitForAsync();

        Assert.Equal("/truong/TS01/tim-kiem", new Uri(page.Url).AbsolutePath);
        Assert.Equal(["Trần Thị Bích"], (await page.Locator("main .ps-hits strong").AllInnerTextsAsync()).ToArray());
        Assert.Equal("Trần Thị Bích", await page.InputValueAsync("#ps-q"));
        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
        Assert.True(widths[0] <= widths[1], $"the results page scrolls sideways ({widths[0]} px in {widths[1]} px)");
    }
}
