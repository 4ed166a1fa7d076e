using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using TdmEdu.Fees.Api.Tests.Support;
using TdmEdu.Fees.Api.Pages.Shared;

namespace TdmEdu.Fees.Api.Tests.Http;

/// <summary>
/// Files the staff's pages make share the processor: one login gets a few at once and a few waiting, the rest 429 with
/// Retry-After in the page's language (found by attack: 40 exports at once from one login held BIDV's answers past 2 s).
/// </summary>
public sealed class ExportLimitTests
{
    private static DefaultHttpContext Of(string user) =>
        new() { User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, user)], "test")) };

    [Fact]
    public async Task OneLogin_GetsItsPermitsAndItsQueue_ThenIsRefusedAtOnce_AndItsTurnComesWhenOneEnds_WhileAnotherLoginIsServed()
    {
        using var limit = new ExportLimit(perUser: 2, perUserWaiting: 4, atOnce: 3, waiting: 32);
        var held = new List<System.Threading.RateLimiting.RateLimitLease> { await limit.AcquireAsync(Of("a")), await limit.AcquireAsync(Of("a")) };
        Assert.All(held, l => Assert.True(l.IsAcquired));
        // Beyond what one login may run at once, its requests wait; beyond its waiting room, they are refused at once.
        var waiting = Enumerable.Range(0, 4).Select(_ => limit.AcquireAsync(Of("a")).AsTask()).ToList();
        using (var refused = await limit.AcquireAsync(Of("a"))) Assert.False(refused.IsAcquired);
        Assert.All(waiting, w => Assert.False(w.IsCompleted));
        // Another login is not behind the first one's queue.
        using (var other = await limit.AcquireAsync(Of("b"))) Assert.True(other.IsAcquired);

        held[0].Dispose();
        var turn = await Task.WhenAny(waiting);
        Assert.True((await turn).IsAcquired);
        Assert.Equal(3, waiting.Count(w => !w.IsCompleted));
        held[1].Dispose();
        (await turn).Dispose();
        foreach (var w in waiting.Where(w => w != turn)) (await w).Dispose();
    }

    [Fact]
    public async Task ManyPagesAtOnceFromOneLogin_AreServedAFewAtATime_AndTheRestAre429InVietnamese()
    {
        // Found by attack (round 8): forty list pages at once from one login held BIDV's answers past 2 s.
        await using var host = await BankHost.StartAsync();
        await StaffLogins.AddAsync(host.Fees);
        var staff = await StaffLogins.ClientAsync(host, StaffLogins.Accountant);

        var answers = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => staff.GetAsync("/truong/TS01/giao-dich")));

        Assert.All(answers, a => Assert.Contains(a.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.TooManyRequests }));
        Assert.InRange(answers.Count(a => a.StatusCode == HttpStatusCode.OK), 1, 39);
        var busy = answers.First(a => a.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.Contains("Tài khoản này đang mở nhiều trang cùng lúc", WebUtility.HtmlDecode(await busy.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await staff.GetAsync("/truong/TS01/giao-dich")).StatusCode);
    }

    [Fact]
    public async Task ManyNoticePdfsAtOnceFromOneLogin_SomeAre429InVietnamese_NoneFail_AndTheBankIsStillAnswered()
    {
        await using var host = await BankHost.StartAsync();
        await StaffLogins.AddAsync(host.Fees);
        var staff = await StaffLogins.ClientAsync(host, StaffLogins.Accountant);
        var token = await host.BidvTokenAsync();
        var code = await host.PaymentCodeAsync("7900000040");

        var files = Enumerable.Range(0, 24).Select(_ => staff.GetAsync("/truong/TS01/2025-09/thong-bao?handler=Pdf")).ToList();
        var (status, _) = await host.BidvAsync("paybill", host.PayBill("T9001", code, "TS02-202509-00001", "1000"), token);
        var answers = await Task.WhenAll(files);
        await host.ProcessInboxAsync();

        Assert.Equal(200, status);
        Assert.All(answers, a => Assert.Contains(a.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.TooManyRequests }));
        Assert.Contains(answers, a => a.StatusCode == HttpStatusCode.OK && a.Content.Headers.ContentType?.MediaType == "application/pdf");
        var busy = answers.Where(a => a.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(busy);
        Assert.All(busy, b => Assert.Equal(5, b.Headers.RetryAfter?.Delta?.TotalSeconds));
        Assert.Contains("Hệ thống đang tạo nhiều tệp cùng lúc", WebUtility.HtmlDecode(await busy[0].Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }
}
