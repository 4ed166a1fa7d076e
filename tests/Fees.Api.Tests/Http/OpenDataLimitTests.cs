using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TdmEdu.Fees.Api.Http;
using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Http;

/// <summary>
/// The open data's anonymous readers cannot take the service from the staff: a flood from one address is answered 429
/// with Retry-After (ProblemDetails for a program, a page in the page's language for a browser) while staff pages answer.
/// </summary>
public sealed class OpenDataLimitTests
{
    private const string Month = "/du-lieu-mo/thu-hoc-phi/2025-09.json";

    /// <summary>Requests sent all at once from this test's one address, as the attack sent them.</summary>
    private static async Task<HttpResponseMessage[]> FloodAsync(HttpClient http, int count, Action<HttpRequestMessage>? ask = null) =>
        await Task.WhenAll(Enumerable.Range(0, count).Select(_ =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, Month);
            ask?.Invoke(request);
            return http.SendAsync(request);
        }));

    [Fact]
    public async Task OpenData_AFloodFromOneAddress_IsAnswered429WithRetryAfter_AndStaffPagesStillAnswer()
    {
        await using var host = await BankHost.StartAsync();
        await StaffLogins.AddAsync(host.Fees);
        await host.Fees.OkAsync("notices", "close", "--period", "2025-09");
        var staff = await StaffLogins.ClientAsync(host, StaffLogins.Accountant);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };

        var clock = Stopwatch.StartNew();
        var flood = new List<Task<HttpResponseMessage[]>> { FloodAsync(http, 30), FloodAsync(http, 30), FloodAsync(http, 30) };
        var staffPage = await staff.GetAsync("/truong/TS01/2025-09");
        var answers = (await Task.WhenAll(flood)).SelectMany(a => a).ToList();
        var seconds = clock.Elapsed.TotalSeconds;

        Assert.Equal(HttpStatusCode.OK, staffPage.StatusCode);
        var served = answers.Count(a => a.StatusCode == HttpStatusCode.OK);
        var refused = answers.Where(a => a.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.Equal(answers.Count, served + refused.Count);
        // What one address may have: the burst, then so many a second (counted generously: every second begun, and one more).
        Assert.InRange(served, 1, OpenDataLimit.Burst + OpenDataLimit.PerSecond * ((int)Math.Ceiling(seconds) + 1));
        Assert.NotEmpty(refused);
        foreach (var r in refused)
        {
            Assert.True(r.Headers.RetryAfter?.Delta is { TotalSeconds: >= 1 }, "429 without Retry-After in seconds");
            Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
            Assert.Equal(429, (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetInt32());
            Assert.Equal("*", r.Headers.GetValues("Access-Control-Allow-Origin").Single());
        }
    }

    [Theory]
    [InlineData(null, "vi", "Quá nhiều yêu cầu")]
    [InlineData("en", "en", "Too many requests")]
    public async Task OpenData_AFloodFromABrowser_IsAnsweredByAPageInThePagesLanguage(string? language, string code, string title)
    {
        await using var host = await BankHost.StartAsync();
        await host.Fees.OkAsync("notices", "close", "--period", "2025-09");
        using var http = new HttpClient { BaseAddress = host.BaseAddress };

        var answers = await FloodAsync(http, OpenDataLimit.Burst + 20, r =>
        {
            r.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,*/*;q=0.8");
            if (language is not null) r.Headers.Add("Cookie", $"{TdmEdu.Fees.Api.Web.Lang.Cookie}={language}");
        });

        var refused = answers.Where(a => a.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(refused);
        var page = WebUtility.HtmlDecode(await refused[0].Content.ReadAsStringAsync());
        Assert.Equal("text/html", refused[0].Content.Headers.ContentType?.MediaType);
        Assert.Contains($"<html lang=\"{code}\">", page);
        Assert.Contains($"<h1>{title}</h1>", page);
        Assert.Contains(refused[0].Headers.RetryAfter!.Delta!.Value.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), page);
    }
}
