using System.Net;
using System.Text.RegularExpressions;
using TdmEdu.Fees.Api.Pages.Shared;
using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Http;

/// <summary>
/// The staff's menu over HTTP: for each role it holds exactly the pages that open for that role, found by requesting
/// every page the menu knows as that role; a sub-page marks its parent; the pages carry no inline style and link the one
/// stylesheet, which is served with its version.
/// </summary>
public sealed class MenuTests
{
    private static string[] MenuOf(string html) =>
        Regex.Matches(html, "<a id=\"menu-([a-z]+)\" href=").Select(m => m.Groups[1].Value).ToArray();

    private static string? CurrentOf(string html) =>
        Regex.Match(html, "<a id=\"menu-([a-z]+)\" href=\"[^\"]*\" aria-current=\"page\"").Groups[1].Value is { Length: > 0 } id ? id : null;

    [Fact]
    public async Task EachRolesMenu_HoldsExactlyThePagesThatOpenForIt_FoundByRequestingEachOne()
    {
        await using var host = await BankHost.StartAsync();
        await StaffLogins.AddAsync(host.Fees);
        var expected = new Dictionary<string, string[]>
        {
            [StaffLogins.Accountant] = ["month", "notices", "billing", "cash", "review", "statement", "transactions", "search", "roster", "attendance", "cashbook", "books", "bankbook", "receipts", "approvals", "messages", "close"],
            [StaffLogins.Principal] = ["month", "notices", "transactions", "search", "cashbook", "receipts", "approvals", "messages", "close"],
            // The education office names no pupil and moves no money: a school's pages it may read, and all schools.
            [StaffLogins.Auditor] = ["month", "notices", "messages", "close", "authority"],
            [StaffLogins.Admin] = ["month", "notices", "transactions", "search", "cashbook", "receipts", "approvals", "messages", "close", "admin", "authority", "users", "schools", "schedule", "banks", "transfers", "audit"],
        };

        foreach (var (email, _, _) in StaffLogins.All)
        {
            var client = await StaffLogins.ClientAsync(host, email);
            var opens = new List<string>();
            foreach (var entry in Menu.Entries)
            {
                var r = await client.GetAsync(Menu.Href(entry.Route, "TS01", "2025-09"));
                if (r.StatusCode == HttpStatusCode.OK) opens.Add(entry.Id);
                else Assert.True(StaffLogins.Refused(r), $"{email}: {entry.Route} answered {(int)r.StatusCode}, neither opened nor refused");
            }
            // On a page of the school: the auditor and the administrator, who have no school, see that school's entries there.
            var html = await client.GetStringAsync("/truong/TS01/2025-09");

            Assert.Equal(opens.ToArray(), MenuOf(html));
            Assert.Equal(expected[email], MenuOf(html));
        }
    }

    [Fact]
    public async Task APageUnderAnEntry_MarksThatEntry_AndTheBrandLeadsHome()
    {
        await using var host = await BankHost.StartAsync();
        await StaffLogins.AddAsync(host.Fees);
        await host.Fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00001", "--amount", "1.500.000", "--payer", "Nguyễn Văn Bình");
        var receipt = (await host.Fees.Db.ListAsync("SELECT id::text FROM receipts")).Single();
        var code = await host.PaymentCodeAsync("7900000001");
        var accountant = await StaffLogins.ClientAsync(host, StaffLogins.Accountant);

        foreach (var (path, current) in new[]
                 {
                     ("/truong/TS01/2025-09", "month"), ("/truong/TS01/2025-09/thong-bao", "notices"), ("/truong/TS01/thong-bao/TS01-202509-00001", "notices"),
                     ($"/truong/TS01/hoc-sinh/{code}", "search"), ("/truong/TS01/hoan-tien/7900000001", "search"), ("/truong/TS01/nghi-hoc/7900000001", "search"), ($"/truong/TS01/bien-lai/{receipt}", "receipts"),
                     ("/truong/TS01/tin-nhan/cai-dat", "messages"), ("/truong/TS01/2025-09/khoa-so", "close"), ("/truong/TS01/thu-tien-mat", "cash"),
                 })
        {
            var html = await accountant.GetStringAsync(path);
            Assert.True(CurrentOf(html) == current, $"{path} marks {CurrentOf(html) ?? "nothing"}, not {current}");
            Assert.Single(Regex.Matches(html, "aria-current=\"page\""));
        }
        // A page of no entry marks none; the brand leads home, which is the school's latest month with notices.
        Assert.Null(CurrentOf(await accountant.GetStringAsync("/doi-mat-khau")));
        Assert.Contains("<a class=\"brand\" href=\"/\"", await accountant.GetStringAsync("/doi-mat-khau"));
        Assert.Equal("/truong/TS01/2025-09", (await accountant.GetAsync("/")).Headers.Location?.ToString());
        var admin = await StaffLogins.ClientAsync(host, StaffLogins.Admin);
        Assert.Equal("/quan-tri", (await admin.GetAsync("/")).Headers.Location?.ToString());
        Assert.Equal("schools", CurrentOf(await admin.GetStringAsync("/quan-tri/truong/TS02")));
        Assert.Equal("/so/2025-09", (await (await StaffLogins.ClientAsync(host, StaffLogins.Auditor)).GetAsync("/")).Headers.Location?.ToString());
        // A parent's page, even to a signed-in member of staff, has no staff menu.
        Assert.DoesNotContain("id=\"menu\"", await accountant.GetStringAsync("/phu-huynh"));
    }

    [Fact]
    public async Task StaffPages_CarryNoInlineStyle_UnderAStrictPolicy_AndLinkTheOneStylesheet_ServedWithItsVersion()
    {
        await using var host = await BankHost.StartAsync();
        await StaffLogins.AddAsync(host.Fees);

        foreach (var email in new[] { StaffLogins.Accountant, StaffLogins.Admin })
        {
            var client = await StaffLogins.ClientAsync(host, email);
            foreach (var entry in Menu.Entries)
            {
                var r = await client.GetAsync(Menu.Href(entry.Route, "TS01", "2025-09"));
                if (r.StatusCode != HttpStatusCode.OK) continue;
                var html = await r.Content.ReadAsStringAsync();
                Assert.DoesNotMatch("<style|\\sstyle=", html);
                Assert.Contains($"<link rel=\"stylesheet\" href=\"{Api.Web.StyleSheet.Href}\" />", html);
                var policy = r.Headers.GetValues("Content-Security-Policy").Single();
                Assert.Contains("style-src 'self';", policy);
                Assert.DoesNotContain("unsafe-inline", policy);
            }
        }

        var sheet = await host.Http.GetAsync(Api.Web.StyleSheet.Href);
        var old = await host.Http.GetAsync(Api.Web.StyleSheet.Path + "?v=0");
        Assert.Equal("text/css", sheet.Content.Headers.ContentType?.MediaType);
        Assert.Contains("details.menu", await sheet.Content.ReadAsStringAsync());
        Assert.Equal("public, max-age=31536000, immutable", sheet.Headers.CacheControl?.ToString());
        Assert.Equal("no-cache", old.Headers.CacheControl?.ToString());
    }
}
