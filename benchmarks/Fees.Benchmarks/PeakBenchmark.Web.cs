using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TdmEdu.Fees.Api.Persistence;

/// <summary>The web users of the payment peak: parents looking their children up and an accountant opening the month.</summary>
public static partial class PeakBenchmark
{
    /// <summary>Parents (each from an address of their own, as behind the proxy) and an accountant, one request after another.</summary>
    private static async Task WebUserAsync(Uri target, int user, List<(string NoticeNo, string Code, long Balance, string Bank, string Account, string School, DateOnly Dob)> notices,
        (string Email, string Password, string School) login, ConcurrentBag<(string, double, bool, double, int)> web, CancellationToken stop)
    {
        var rng = new Random(user);
        using var staff = new HttpClient(new SocketsHttpHandler { CookieContainer = new CookieContainer() }) { BaseAddress = target };
        await staff.PostAsync("/api/auth/sign-in", new StringContent(JsonSerializer.Serialize(new { email = login.Email, password = login.Password }), Encoding.UTF8, "application/json"));
        var k = 0;
        while (!stop.IsCancellationRequested)
        {
            k++;
            if (user == 0)
            {
                await TimeAsync(web, "accountant month", () => staff.GetAsync($"/truong/{login.School}/2025-09"));
                await TimeAsync(web, "accountant notice list", () => staff.GetAsync($"/truong/{login.School}/2025-09/thong-bao"));
                continue;
            }
            var n = notices[rng.Next(notices.Count)];
            using var parent = new HttpClient(new SocketsHttpHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = target };
            parent.DefaultRequestHeaders.Add("X-Forwarded-For", $"10.{user}.{k / 250 % 250}.{k % 250 + 1}");
            string html = "";
            await TimeAsync(web, "parent look-up form", async () =>
            {
                var r = await parent.GetAsync("/phu-huynh");
                html = await r.Content.ReadAsStringAsync();
                return r;
            });
            var token = System.Text.RegularExpressions.Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
            await TimeAsync(web, "parent look-up", () => parent.PostAsync("/phu-huynh", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token, ["Code"] = n.Code, ["DateOfBirth"] = n.Dob.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture),
            })), ok: r => r.StatusCode == HttpStatusCode.Redirect);
            await TimeAsync(web, "parent notices", () => parent.GetAsync("/phu-huynh/hoc-sinh"));
        }
    }

    /// <summary>When the run began: each page's answer is kept with its time since then and its status (0: no answer).</summary>
    private static readonly Stopwatch Since = Stopwatch.StartNew();

    private static async Task TimeAsync(ConcurrentBag<(string, double, bool, double, int)> web, string page, Func<Task<HttpResponseMessage>> send, Func<HttpResponseMessage, bool>? ok = null)
    {
        var sw = Stopwatch.StartNew();
        try
        {
            using var r = await send();
            await r.Content.ReadAsByteArrayAsync();
            web.Add((page, sw.Elapsed.TotalMilliseconds, ok?.Invoke(r) ?? r.IsSuccessStatusCode, Since.Elapsed.TotalSeconds, (int)r.StatusCode));
        }
        catch (HttpRequestException)
        {
            web.Add((page, sw.Elapsed.TotalMilliseconds, false, Since.Elapsed.TotalSeconds, 0));
        }
    }

    private static async Task<(string Email, string Password, string School)> StaffLoginAsync(WebApplication app)
    {
        using var scope = app.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<FeesUser>>();
        var roles = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.RoleManager<Microsoft.AspNetCore.Identity.IdentityRole<Guid>>>();
        var db = scope.ServiceProvider.GetRequiredService<FeesDb>();
        var school = await db.Schools.OrderBy(s => s.Code).Select(s => s.Code).FirstAsync();
        var password = "Peak-Bench-" + Guid.NewGuid().ToString("N")[..12] + "-7A";
        await TdmEdu.Fees.Api.Web.Accounts.AddAsync(users, roles, db, "peak@bench.local", "Kế toán", "accountant", school, password, CancellationToken.None);
        return ("peak@bench.local", password, school);
    }
}
