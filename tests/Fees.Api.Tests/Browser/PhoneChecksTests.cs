using Microsoft.Playwright;
using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Browser;

/// <summary>The negative controls of the phone checks every page test leans on: each catches what it looks for.</summary>
public sealed class PhoneChecksTests
{
    private static async Task<IPage> PageWithAsync(Support.Browser browser, string html)
    {
        var context = await browser.ContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = PhoneChecks.Width, Height = PhoneChecks.Height } });
        var page = await context.NewPageAsync();
        await page.SetContentAsync(html);
        return page;
    }

    [Fact]
    public async Task Axe_FindsAnImageWithoutText_AFieldWithoutLabel_AndGreyOnGrey_AndNothingOnAPageWithout()
    {
        await using var browser = await Support.Browser.LaunchAsync();
        var bad = await PageWithAsync(browser, """
            <!doctype html><html lang="vi"><head><title>Thử</title></head><body><main>
            <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
            <input type="text">
            <p style="color:#999;background:#aaa">Học phí tháng 9</p>
            </main></body></html>
            """);
        var found = await PhoneChecks.AxeViolationsAsync(bad);
        Assert.Contains(found, v => v.StartsWith("image-alt ", StringComparison.Ordinal));
        Assert.Contains(found, v => v.StartsWith("label ", StringComparison.Ordinal));
        Assert.Contains(found, v => v.StartsWith("color-contrast ", StringComparison.Ordinal));
        // A second run on the same document (axe is put in once) finds the same.
        Assert.Equal(found, await PhoneChecks.AxeViolationsAsync(bad));

        var good = await PageWithAsync(browser, """
            <!doctype html><html lang="vi"><head><title>Thử</title></head><body><main>
            <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="Mã QR">
            <label for="c">Mã thanh toán</label> <input id="c" type="text">
            <p>Học phí tháng 9</p>
            </main></body></html>
            """);
        Assert.Empty(await PhoneChecks.AxeViolationsAsync(good));
    }
}
