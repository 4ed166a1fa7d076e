using System.Text.RegularExpressions;
using Microsoft.Playwright;
using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Browser;

/// <summary>
/// The education office's auditor: the month beside last month and last year, wards ranked, the schools needing
/// attention, a drill from a ward to a school to its notices without pupils' names; the figures those of the report and
/// the open data; the workbook in the page's language; all of it on a 390 px phone, in Vietnamese words only.
/// </summary>
public sealed class AuthorityBrowserTests
{
    private static readonly string[] Pupils = ["Nguyễn Văn An", "Trần Thị Bích", "Lê Hoàng Nam", "Phạm Ngọc Mai", "Đặng Quốc Bảo", "Đặng Thị Thu", "Võ Minh Khôi"];

    /// <summary>
    /// Three schools (TS03 a kindergarten in TS01's ward), September and October billed and September of last year:
    /// TS01 paid in part (cash and a bank notification) with 90.000 ₫ waiting to be tied to a pupil, TS02 one pupil in
    /// full, TS03 nothing (far below the others).
    /// </summary>
    private static async Task<BankHost> CityAsync()
    {
        var host = await BankHost.StartAsync();
        var fees = host.Fees;
        await fees.OkAsync("schools", "import", fees.File("ts03.csv",
            "school_code,name,level,ward,bank,account_no,account_name\nTS03,Trường Mầm non Thử Nghiệm,MN,Phú Cường,VCB,0281000333444,TRUONG MAM NON THU NGHIEM\n"));
        await fees.OkAsync("students", "import", fees.File("ts03s.csv", Samples.StudentHeader + "TS03,7900000050,Võ Minh Khôi,02/02/2021,Nam,0,Lá 1,Võ Văn Tư,0912000050,,,\n"));
        await fees.OkAsync("schedule", "import", fees.File("last.json", Samples.Schedule.Replace("2025-2026", "2024-2025", StringComparison.Ordinal)));
        foreach (var month in new[] { "2024-09", "2025-09", "2025-10" }) await fees.OkAsync("notices", "issue", "--period", month);
        await fees.OkAsync("payments", "cash", "--notice", "TS01-202409-00001", "--amount", "1371800");
        await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00001", "--amount", "1371800");
        await fees.OkAsync("payments", "cash", "--notice", "TS02-202509-00001", "--amount", (await fees.Db.ScalarAsync(
            "SELECT amount_due_vnd FROM notices WHERE notice_no = 'TS02-202509-00001'")).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await host.VcbAsync(host.VcbBody("VCB8001", 500_000, await host.PaymentCodeAsync("7900000002")));
        await host.VcbAsync(host.VcbBody("VCB8002", 90_000, "ung ho quy lop"));
        await host.ProcessInboxAsync();
        await Support.Browser.AddLoginAsync(fees, "thanhtra@so.vn", "Thanh tra", "auditor");
        return host;
    }

    private static async Task<string> ReportAsync(Support.Fees fees, string by, string scope, int column)
    {
        var csv = Path.Combine(fees.Folder, $"{by}-{Guid.NewGuid():N}.csv");
        await fees.OkAsync("report", "collection", "--period", "2025-09", "--by", by, "--out", csv);
        return File.ReadAllLines(csv).Single(l => l.StartsWith(scope + ",", StringComparison.Ordinal)).Split(',')[column];
    }

    private static string Digits(string money) => money.Replace(".", "", StringComparison.Ordinal).Replace(" ₫", "", StringComparison.Ordinal);

    [Fact]
    public async Task Auditor_ComparesTheMonth_SeesWhoNeedsAttention_AndDrillsFromAWardToAPupilFreeListOfNotices()
    {
        await using var host = await CityAsync();
        var fees = host.Fees;
        await using var browser = await Support.Browser.LaunchAsync();
        var page = await browser.PageAsync(host.BaseAddress);
        // A dozen navigations on two cores under the whole suite: one timed out at 30 s in CI (it passes alone in 2 s).
        page.SetDefaultTimeout(90_000);

        await Support.Browser.SignInAsync(page, "thanhtra@so.vn");
        await page.Locator("#schools").WaitForAsync();
        // The auditor lands on the latest month with notices (October); September is the month of the checks below.
        Assert.Matches("/so/2025-10$", page.Url);
        await page.GotoAsync("/so/2025-09");

        // The month beside last year's September (paid in part) and August (nothing billed); the same đồng as the report.
        Assert.Equal(await ReportAsync(fees, "ward", "Phú Cường", 5), Digits(await page.InnerTextAsync("tr[data-scope='Phú Cường'] .collected")));
        // Last year Bích's family paid 500.000 ₫ this month, which went on the oldest notice she still owed: last September's.
        Assert.Equal("1.871.800 ₫", await page.InnerTextAsync("tr[data-compare='last-year'] td:nth-of-type(2)"));
        Assert.Contains("chưa có số liệu", await page.InnerTextAsync("tr[data-compare='last-month']"));
        Assert.Equal(2, await page.Locator("#ranked + svg g").CountAsync());
        Assert.StartsWith("Hiệp Thành: 50,0 %", await page.Locator("#ranked + svg g title").First.TextContentAsync());

        // October beside September, by the month picker (a form without script).
        await page.SelectOptionAsync("#month-pick", "2025-10");
        await page.ClickAsync("#month-go");
        await page.WaitForURLAsync(new Regex("/so/2025-10"));
        var september = long.Parse(await ReportAsync(fees, "school", "TS01", 5)) + long.Parse(await ReportAsync(fees, "school", "TS02", 5));
        Assert.Equal(september, long.Parse(Digits(await page.InnerTextAsync("tr[data-compare='last-month'] td:nth-of-type(2)"))));
        Assert.EndsWith("điểm", await page.InnerTextAsync("tr[data-compare='last-month'] .delta"));
        // Another school year keeps the month's name: October of 2024-2025.
        Assert.Equal(["2025-2026", "2024-2025"], await page.Locator("#year-pick option").AllInnerTextsAsync());
        await page.SelectOptionAsync("#year-pick", "2024-2025");
        await page.ClickAsync("#month-go");
        await page.WaitForURLAsync(new Regex("/so/2024-10$"));
        // The months with notices before and after, one click each: 2024-09 before October of 2024, none before it, 2025-09 after.
        await page.ClickAsync("#month-previous");
        await page.WaitForURLAsync(new Regex("/so/2024-09$"));
        Assert.Equal(0, await page.Locator("#month-previous").CountAsync());
        await page.ClickAsync("#month-next");
        await page.WaitForURLAsync(new Regex("/so/2025-09$"));
        await page.GotoAsync("/so/2025-09");

        // Who needs a look: TS03 collected nothing while the others collected half; TS01 has money waiting for a person.
        var attention = page.Locator("#attention");
        Assert.Contains("thấp hơn nhiều so với mức giữa", await attention.Locator("li[data-school='TS03']").InnerTextAsync());
        Assert.Contains("90.000 ₫ chưa xác định được học sinh", await attention.Locator("li[data-school='TS01']").InnerTextAsync());

        // Ward → its schools → a school's month → its notices, without pupils' names.
        await page.ClickAsync("tr[data-scope='Phú Cường'] a");
        await page.WaitForURLAsync(new Regex("phuong="));
        Assert.Equal(["TS01", "TS03"], await page.Locator("#schools tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.scope)"));
        Assert.Equal(await ReportAsync(fees, "school", "TS01", 5), Digits(await page.InnerTextAsync("tr[data-scope='TS01'] .collected")));
        await page.ClickAsync("tr[data-scope='TS01'] a");
        await page.WaitForURLAsync(new Regex("/so/2025-09/truong/TS01$"));
        Assert.Equal("41,9 %", await page.InnerTextAsync("#total-rate")); // 1.371.800 of 3.275.400: the bank money went to last year
        Assert.Equal(3, await page.Locator("#item-rows tbody tr").CountAsync());
        await page.ClickAsync("#notices-all");
        await page.WaitForURLAsync(new Regex("/truong/TS01/2025-09/thong-bao$"));
        Assert.Equal(3, await page.Locator("tr[data-notice]").CountAsync());
        var notices = await page.ContentAsync();
        Assert.DoesNotContain(Pupils, p => notices.Contains(p, StringComparison.Ordinal));

        // Every link of the three views opens for the auditor, and none names a pupil.
        foreach (var view in new[] { "/so/2025-09", "/so/2025-09?phuong=Ph%C3%BA%20C%C6%B0%E1%BB%9Dng", "/so/2025-09/truong/TS01" })
        {
            await page.GotoAsync(view);
            var links = await page.Locator(".so a[href]").EvaluateAllAsync<string[]>("a => a.map(x => x.getAttribute('href'))");
            Assert.True(links.Length > 10, $"{view} has {links.Length} links");
            foreach (var link in links.Where(l => !l.StartsWith('#')).Distinct())
            {
                var r = await page.APIRequest.GetAsync(link);
                var body = r.Headers["content-type"].StartsWith("text/html", StringComparison.Ordinal) ? await r.TextAsync() : "";
                Assert.True(r.Status == 200, $"{view}: {link} answered {r.Status}");
                Assert.DoesNotContain("Không được phép", body);
                Assert.DoesNotContain(Pupils, p => body.Contains(p, StringComparison.Ordinal));
            }
        }

        // A receipt number skipped by hand shows, named by its series, in the page's words.
        fees.PlantsBrokenState();
        await fees.Db.ExecAsync("UPDATE receipt_series SET next_number = next_number + 1 WHERE school_id = (SELECT id FROM schools WHERE code = 'TS01')");
        await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00003", "--amount", "100000");
        await page.GotoAsync("/so/2025-09");
        Assert.Contains("Quyển biên lai TS01/EBL01/25T: thiếu số 4", await page.InnerTextAsync("#receipt-gaps"));
        Assert.Contains("thiếu số 4", await page.InnerTextAsync("li[data-school='TS01']"));

        // A school's accountant is not the education office.
        await Support.Browser.AddLoginAsync(fees, "kt@ts01.vn", "Kế toán", "accountant", "TS01");
        var accountant = await browser.PageAsync(host.BaseAddress);
        await Support.Browser.SignInAsync(accountant, "kt@ts01.vn");
        await accountant.Locator("#billed").WaitForAsync();
        Assert.Equal(403, (await accountant.GotoAsync("/so/2025-09"))!.Status);
        Assert.Equal(403, (await accountant.GotoAsync("/so/2025-09/truong/TS01"))!.Status);
    }

    [Fact]
    public async Task Auditor_GetsTheMonthAsAWorkbook_InThePagesLanguage_EqualToTheReport()
    {
        await using var host = await CityAsync();
        await using var browser = await Support.Browser.LaunchAsync();
        var page = await browser.PageAsync(host.BaseAddress);
        await Support.Browser.SignInAsync(page, "thanhtra@so.vn");
        await page.Locator("#schools").WaitForAsync();
        await page.GotoAsync("/so/2025-09");

        var vi = await DownloadAsync(page, host.Fees, "vi.xlsx");
        var sheet = MiniExcelLibs.MiniExcel.Query(vi, useHeaderRow: true, sheetName: "Theo phường, xã").Cast<IDictionary<string, object>>().ToList();
        await page.ClickAsync("text=Theo cấp học");
        await page.WaitForURLAsync(new Regex("by=level"));
        var levels = await DownloadAsync(page, host.Fees, "levels.xlsx");
        await page.GotoAsync("/ngon-ngu?to=en&back=%2Fso%2F2025-09");
        var en = await DownloadAsync(page, host.Fees, "en.xlsx");

        Assert.Equal(["Theo phường, xã", "Theo tháng", "Còn phải thu theo hạn", "Tiền chưa xác định"], MiniExcelLibs.MiniExcel.GetSheetNames(vi));
        Assert.Equal(["Mã", "Tên", "Số thông báo", "Phải thu (đồng)", "Đã thu (đồng)", "Tỷ lệ thu", "Không dùng tiền mặt (đồng)", "Tiền mặt (đồng)",
            "Còn phải thu (đồng)", "Thấp hơn nhiều so với các trường khác"], sheet[0].Keys);
        Assert.Equal(await ReportAsync(host.Fees, "ward", "Phú Cường", 5), Convert.ToInt64(sheet.Single(r => (string)r["Mã"] == "Phú Cường")["Đã thu (đồng)"],
            System.Globalization.CultureInfo.InvariantCulture).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("Tiểu học", MiniExcelLibs.MiniExcel.Query(levels, useHeaderRow: true, sheetName: "Theo cấp học").Cast<IDictionary<string, object>>()
            .Single(r => (string)r["Mã"] == "TH")["Tên"]);
        Assert.Equal(["By ward", "By month", "Outstanding by age", "Unidentified money"], MiniExcelLibs.MiniExcel.GetSheetNames(en));
        Assert.Contains("Collected (VND)", MiniExcelLibs.MiniExcel.Query(en, useHeaderRow: true, sheetName: "By ward").Cast<IDictionary<string, object>>().First().Keys);
    }

    private static async Task<string> DownloadAsync(IPage page, Support.Fees fees, string name)
    {
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#xlsx"));
        var path = Path.Combine(fees.Folder, name);
        await download.SaveAsAsync(path);
        return path;
    }

    /// <summary>Words of the English page that must not show on the Vietnamese one (codes, names and "English", the switch, may).</summary>
    private static readonly Regex English = new(@"\b(school|schools|rate|amount|yes|no|outstanding|collected|billed|notices?|month|ward|total|cash|cashless|" +
        @"unidentified|receipts?|export|level|item|far below|peers|pupils?|download|attention|against|last year|points)\b", RegexOptions.IgnoreCase);

    [Fact]
    public async Task Dashboard_AndTheNoticesItLeadsTo_OnAPhone_ScrollOnlyDown_AndSpeakOnlyVietnamese()
    {
        await using var host = await CityAsync();
        await using var browser = await Support.Browser.LaunchAsync();
        var page = await browser.PageAsync(host.BaseAddress, PhoneChecks.Width, PhoneChecks.Height);
        await Support.Browser.SignInAsync(page, "thanhtra@so.vn");
        await page.Locator("#schools").WaitForAsync();

        foreach (var (view, shot) in new[]
                 {
                     ("/so/2025-09", "authority-overview-phone"), ("/so/2025-09?phuong=Ph%C3%BA%20C%C6%B0%E1%BB%9Dng&by=school", "authority-ward-phone"),
                     ("/so/2025-09/truong/TS01", "authority-school-phone"), ("/truong/TS01/2025-09/thong-bao", "authority-notices-phone"),
                 })
        {
            await page.GotoAsync(view);
            await PhoneChecks.AssertFitsAPhoneAsync(page, view);
            var text = await page.InnerTextAsync("main");
            Assert.True(!English.IsMatch(text), $"{view} shows English: \"{English.Match(text).Value}\" in\n{text}");
            await Support.Browser.ScreenshotAsync(page, shot);
        }
        var desktop = await browser.PageAsync(host.BaseAddress);
        await Support.Browser.SignInAsync(desktop, "thanhtra@so.vn");
        await desktop.Locator("#schools").WaitForAsync();
        await desktop.GotoAsync("/so/2025-09");
        await Support.Browser.ScreenshotAsync(desktop, "authority-overview");

        // The English switch speaks English on the same page.
        await page.GotoAsync("/ngon-ngu?to=en&back=%2Fso%2F2025-09");
        Assert.Contains("Wards ranked by collection rate", await page.InnerTextAsync("main"));
        Assert.Contains("Schools needing attention", await page.InnerTextAsync("main"));
    }
}
