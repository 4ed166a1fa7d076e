using System.Net;
using System.Net.Http.Json;
using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Http;

/// <summary>
/// The search, the pupil's page and the notice's page over HTTP, as each role gets them: the school's own staff see its
/// pupils (whole contacts for the accountant only), another school's staff get 403 or 404, the auditor gets no search box,
/// no link to a notice's page and "not allowed" on every page that names a pupil.
/// </summary>
public sealed class PupilPagesTests
{
    private static async Task<BankHost> StartAsync()
    {
        var host = await BankHost.StartAsync();
        foreach (var (email, role, school) in new[]
                 {
                     ("kt1@ts01.vn", "accountant", "TS01"), ("ht1@ts01.vn", "principal", "TS01"), ("kt2@ts02.vn", "accountant", "TS02"),
                     ("tt@so.vn", "auditor", null), ("qt@so.vn", "admin", (string?)null),
                 })
            await Support.Browser.AddLoginAsync(host.Fees, email, "Người dùng", role, school);
        return host;
    }

    private static async Task<HttpClient> SignInAsync(BankHost host, string email)
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = host.BaseAddress };
        var r = await client.PostAsJsonAsync("/api/auth/sign-in", new { email, password = Support.Browser.Password });
        Assert.Equal(HttpStatusCode.NoContent, r.StatusCode);
        return client;
    }

    private static async Task<(HttpStatusCode Status, string Body)> GetAsync(HttpClient client, string path)
    {
        var r = await client.GetAsync(path);
        return (r.StatusCode, await r.Content.ReadAsStringAsync());
    }

    /// <summary>A page refuses with the "not allowed" page (a redirect), the API with 403.</summary>
    private static async Task<bool> RefusedAsync(HttpClient client, string path)
    {
        var r = await client.GetAsync(path);
        return r.StatusCode == HttpStatusCode.Forbidden
               || r.StatusCode == HttpStatusCode.Found && r.Headers.Location!.ToString().Contains("/khong-duoc-phep", StringComparison.Ordinal);
    }

    [Fact]
    public async Task OwnStaff_SeeThePupil_TheAccountantWithWholeContacts_ThePrincipalAndAdministratorHalfHidden()
    {
        await using var host = await StartAsync();
        var an = await host.PaymentCodeAsync("7900000001");
        await host.Fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00001", "--amount", "500000");
        var receipt = (await host.Fees.Db.ListAsync("SELECT id::text FROM receipts")).Single();

        var accountant = await GetAsync(await SignInAsync(host, "kt1@ts01.vn"), $"/truong/TS01/hoc-sinh/{an}");
        var principal = await GetAsync(await SignInAsync(host, "ht1@ts01.vn"), $"/truong/TS01/hoc-sinh/{an.ToLowerInvariant()}");
        var admin = await SignInAsync(host, "qt@so.vn");
        var byAdmin = await GetAsync(admin, $"/truong/TS01/hoc-sinh/{an}");
        var pdf = await (await SignInAsync(host, "ht1@ts01.vn")).GetAsync($"/truong/TS01/hoc-sinh/{an}?handler=Receipt&receipt={receipt}");

        Assert.Equal(HttpStatusCode.OK, accountant.Status);
        Assert.Contains("Nguyễn Văn An", accountant.Body);
        Assert.Contains("href=\"tel:0912000001\"", accountant.Body);
        Assert.Contains("TS01/EBL01/25T/0000001", accountant.Body);
        Assert.Equal(HttpStatusCode.OK, principal.Status);
        Assert.Contains("•••••••001", principal.Body);
        Assert.DoesNotContain("0912000001", principal.Body);
        Assert.Contains("•••••••001", byAdmin.Body);
        Assert.DoesNotContain("0912000001", byAdmin.Body);
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        // The administrator has the search box on a school's page, for that school.
        Assert.Contains("action=\"/truong/TS01/tim-kiem\"", (await GetAsync(admin, "/truong/TS01")).Body);
    }

    [Fact]
    public async Task AnotherSchoolsAccountant_IsRefusedTheSchoolsPages_AndFindsNeitherItsPupilsNorItsNotices()
    {
        await using var host = await StartAsync();
        var an = await host.PaymentCodeAsync("7900000001");
        var other = await SignInAsync(host, "kt2@ts02.vn");
        var receipt = "00000000-0000-0000-0000-000000000000";

        foreach (var path in new[]
                 {
                     "/truong/TS01/tim-kiem?q=an", "/truong/TS01/tim-kiem?handler=Results&q=an", $"/truong/TS01/hoc-sinh/{an}",
                     $"/truong/TS01/hoc-sinh/{an}?handler=Receipt&receipt={receipt}", "/truong/TS01/thong-bao/TS01-202509-00001",
                 })
            Assert.True(await RefusedAsync(other, path), $"TS02's accountant was not refused {path}");
        // Through its own school's routes, TS01's pupil and notice do not exist.
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(other, $"/truong/TS02/hoc-sinh/{an}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(other, "/truong/TS02/thong-bao/TS01-202509-00001")).Status);
        var found = await GetAsync(other, "/truong/TS02/tim-kiem?handler=Results&q=nguyen%20van%20an");
        Assert.DoesNotContain("Nguyễn Văn An", found.Body);
        Assert.Contains("id=\"ps-none\"", found.Body);
        Assert.Contains("Đặng Quốc Bảo", (await GetAsync(other, "/truong/TS02/tim-kiem?handler=Results&q=bao")).Body);
    }

    [Fact]
    public async Task Auditor_HasNoSearchBox_SeesNoticesWithoutPupils_AndIsRefusedEveryPageAndRouteThatNamesAPupil()
    {
        await using var host = await StartAsync();
        var an = await host.PaymentCodeAsync("7900000001");
        var auditor = await SignInAsync(host, "tt@so.vn");
        var accountant = await SignInAsync(host, "kt1@ts01.vn");

        Assert.DoesNotContain("id=\"ps-q\"", (await GetAsync(auditor, "/truong/TS01")).Body);
        var list = (await GetAsync(auditor, "/truong/TS01/2025-09/thong-bao")).Body;
        Assert.DoesNotContain("/thong-bao/TS01-202509-", list);
        // The list is the notices and their money, and no pupil: no name, no code, no PDF or XLSX that would print them.
        Assert.Contains("TS01-202509-00001", list);
        foreach (var pupil in new[] { "Nguyễn Văn An", "7900000001", "handler=pdf", "handler=xlsx" })
            Assert.DoesNotContain(pupil, list);
        var api = await auditor.GetStringAsync("/api/schools/TS01/notices?period=2025-09");
        Assert.Contains("TS01-202509-00001", api);
        Assert.DoesNotContain("7900000001", api);
        Assert.DoesNotContain("Nguyễn", System.Text.RegularExpressions.Regex.Unescape(api));
        Assert.Contains("Nguyễn Văn An", System.Text.RegularExpressions.Regex.Unescape(await accountant.GetStringAsync("/api/schools/TS01/notices?period=2025-09")));
        foreach (var path in new[] { "/api/schools/TS01/review", "/api/schools/TS01/messages" })
            Assert.Equal(HttpStatusCode.Forbidden, (await auditor.GetAsync(path)).StatusCode);
        foreach (var path in new[] { "/truong/TS01/tim-kiem?q=an", "/truong/TS01/tim-kiem?handler=Results&q=an", $"/truong/TS01/hoc-sinh/{an}", "/truong/TS01/thong-bao/TS01-202509-00001",
                     "/truong/TS01/2025-09/thong-bao?handler=pdf", "/truong/TS01/2025-09/thong-bao?handler=xlsx" })
            Assert.True(await RefusedAsync(auditor, path), $"the auditor was not refused {path}");
        Assert.Contains("id=\"ps-q\"", (await GetAsync(accountant, "/truong/TS01")).Body);
        Assert.Contains("href=\"/truong/TS01/thong-bao/TS01-202509-00001\"", (await GetAsync(accountant, "/truong/TS01/2025-09/thong-bao")).Body);
    }

    [Fact]
    public async Task TheNoticeList_OffersTheSchoolsClassesInAgeOrder_AndFiltersByTheChosenOne()
    {
        await using var host = await StartAsync();
        await host.Fees.OkAsync("students", "import", host.Fees.File("more.csv", Samples.StudentHeader +
            "TS01,7900000020,Hồ Thị Mơ,01/01/2015,Nữ,5,5A10,,,,,\nTS01,7900000021,Hồ Văn Tú,01/01/2015,Nam,5,5A2,,,,,\nTS01,7900000022,Hồ Văn Bi,01/01/2019,Nam,1,1A10,,,,,\n"));
        await host.Fees.OkAsync("notices", "issue", "--period", "2025-09");
        var accountant = await SignInAsync(host, "kt1@ts01.vn");

        var all = (await GetAsync(accountant, "/truong/TS01/2025-09/thong-bao")).Body;
        var classFilter = System.Text.RegularExpressions.Regex.Match(all, "<select name=\"class\" id=\"class-filter\">.*?</select>", System.Text.RegularExpressions.RegexOptions.Singleline).Value;
        var options = System.Text.RegularExpressions.Regex.Matches(classFilter, "<option value=\"([^\"]+)\"").Select(m => m.Groups[1].Value)
            .Where(v => char.IsAsciiDigit(v[0])).ToList();
        var one = (await GetAsync(accountant, "/truong/TS01/2025-09/thong-bao?class=5A2")).Body;

        Assert.Equal(["1A1", "1A10", "2A1", "3A1", "3A2", "5A2", "5A10"], options);
        Assert.Contains("<option value=\"5A2\" selected=\"selected\">", one);
        Assert.Contains("Hồ Văn Tú", one);
        Assert.DoesNotContain("Hồ Thị Mơ", one);
    }

    [Fact]
    public async Task TheSearchScriptAndStylesheet_AreFilesOfTheSite_AndThePagesRunNoInlineScript()
    {
        await using var host = await StartAsync();
        var accountant = await SignInAsync(host, "kt1@ts01.vn");

        var script = await host.Http.GetAsync("/nhan-vien/tim-kiem.js");
        var style = await host.Http.GetAsync(Api.Web.StyleSheet.Href);
        var results = await accountant.GetAsync("/truong/TS01/tim-kiem?q=nguyen+van+an");
        var html = await results.Content.ReadAsStringAsync();

        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        Assert.Contains("ps-form", await script.Content.ReadAsStringAsync());
        Assert.Equal("text/css", style.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("script-src", results.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Contains("<script src=\"/nhan-vien/tim-kiem.js\" defer></script>", html);
        Assert.DoesNotMatch("<script>|<script [^s]", html);
        // The results page, without script: the pupil, with a link to the pupil's page.
        Assert.Contains($"href=\"/truong/TS01/hoc-sinh/{await host.PaymentCodeAsync("7900000001")}\"", html);
        Assert.Contains("value=\"nguyen van an\"", html);
    }

    [Fact]
    public async Task TheNoticesWorkbook_IsInThePagesLanguage_HeadingsStatusesDatesAndSheet()
    {
        await using var host = await StartAsync();
        await host.Fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00001", "--amount", "100000");
        var accountant = await SignInAsync(host, "kt1@ts01.vn");

        var bytes = await accountant.GetByteArrayAsync("/truong/TS01/2025-09/thong-bao?handler=xlsx");
        using var stream = new MemoryStream(bytes);
        var sheets = MiniExcelLibs.MiniExcel.GetSheetNames(stream);
        var rows = MiniExcelLibs.MiniExcel.Query(stream, useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();

        Assert.Equal(["Thông báo"], sheets);
        Assert.Equal(["Số thông báo", "Lớp", "Mã học sinh", "Học sinh", "Mã thanh toán", "Tháng", "Phải nộp (đồng)", "Đã nộp (đồng)", "Còn phải nộp (đồng)",
            "Trạng thái", "Hạn nộp", "Tài khoản nhận", "Mã VietQR"], rows[0].Keys);
        var first = rows.Single(r => (string)r["Số thông báo"] == "TS01-202509-00001");
        Assert.Equal("Nộp một phần", first["Trạng thái"]);
        Assert.Matches(@"^\d{2}/09/2025$|^\d{2}/10/2025$", (string)first["Hạn nộp"]);
    }

    [Fact]
    public async Task SearchResults_SortByTheGivenName_InVietnameseOrder()
    {
        await using var host = await StartAsync();
        await host.Fees.OkAsync("students", "import", host.Fees.File("more.csv", Samples.StudentHeader +
            "TS01,7900000030,Đặng Thị Bình,01/01/2015,Nữ,5,5A1,,,,,\nTS01,7900000031,Dương Thị Bình,01/01/2015,Nữ,5,5A1,,,,,\n" +
            "TS01,7900000032,Âu Thị Bình,01/01/2015,Nữ,5,5A1,,,,,\nTS01,7900000033,Ân Thị Bình,01/01/2015,Nữ,5,5A1,,,,,\n"));
        var accountant = await SignInAsync(host, "kt1@ts01.vn");

        var body = (await GetAsync(accountant, "/truong/TS01/tim-kiem?handler=Results&q=thi%20binh")).Body;

        // Folded to ASCII it would be Ân, Âu, Đặng, Dương (dang < duong); Vietnamese puts d before đ and ân before âu.
        var order = new[] { "Ân Thị Bình", "Âu Thị Bình", "Dương Thị Bình", "Đặng Thị Bình" }.Select(n => body.IndexOf(n, StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(-1, order);
        Assert.Equal(order.Order().ToList(), order);
    }
}
