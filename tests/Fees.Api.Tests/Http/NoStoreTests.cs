using System.Net;
using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Http;

public sealed class NoStoreTests
{
    [Fact]
    public async Task AParentsPage_IsNeverCached_AndItsViewsPutNoWarningInTheLog()
    {
        // The peak benchmark's log had a warning per parent page view: the page said "no-store", antiforgery (its forms)
        // overwrote it with "no-cache, no-store" and said so every time.
        var warnings = new Warnings();
        await using var host = await BankHost.StartAsync(logs: warnings);
        using var parent = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = host.BaseAddress };
        var lookup = await parent.PostAsync("/phu-huynh", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Forms.Token(await parent.GetStringAsync("/phu-huynh")),
            ["Code"] = await host.PaymentCodeAsync("7900000001"), ["DateOfBirth"] = "12/05/2018",
        }));
        Assert.Equal(HttpStatusCode.Redirect, lookup.StatusCode);

        using var page = await parent.GetAsync("/phu-huynh/hoc-sinh");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.True(page.Headers.CacheControl is { NoStore: true, NoCache: true }, $"Cache-Control: {page.Headers.CacheControl}");
        Assert.Contains("__RequestVerificationToken", await page.Content.ReadAsStringAsync());
        Assert.DoesNotContain(warnings.Seen, w => w.Contains("Cache-Control", StringComparison.Ordinal));
    }
}
