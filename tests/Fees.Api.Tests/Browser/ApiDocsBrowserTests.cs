using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Browser;

/// <summary>The API reference at /api/docs: behind sign-in, and it renders the OpenAPI document in the browser.</summary>
public sealed class ApiDocsBrowserTests
{
    [Fact]
    public async Task ApiDocs_AfterSignIn_ShowTheSchoolRoutes_AndNotTheBankRoutes()
    {
        await using var host = await BankHost.StartAsync();
        await Support.Browser.AddLoginAsync(host.Fees, "kt@ts01.vn", "Kế toán", "accountant", "TS01");
        var anonymous = new HttpClient { BaseAddress = host.BaseAddress };
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/openapi/v1.json")).StatusCode);
        await using var browser = await Support.Browser.LaunchAsync();
        var page = await browser.PageAsync(host.BaseAddress);
        await Support.Browser.SignInAsync(page, "kt@ts01.vn");
        await page.Locator("#billed").WaitForAsync();

        var document = await page.APIRequest.GetAsync("/api/openapi/v1.json");
        var json = await document.TextAsync();
        await page.GotoAsync("/api/docs/");
        await page.GetByText("/api/schools/{school}/months/{period}").First.WaitForAsync();

        Assert.Contains("/api/schools/{school}/review/{id}/{action}", json);
        Assert.DoesNotContain("/api/banks", json);
        await Support.Browser.ScreenshotAsync(page, "api-docs");
    }
}
