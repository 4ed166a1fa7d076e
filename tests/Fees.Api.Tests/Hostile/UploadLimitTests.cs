using System.Net;
using System.Net.Http.Json;
using System.Text;
using Npgsql;
using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Hostile;

/// <summary>
/// The upload pages played as the finding played them, over HTTP: hostile files are refused fast, in the page's
/// language, naming the file and the limit, with nothing written; a client that leaves stops the work.
/// </summary>
public sealed class UploadLimitTests
{
    private const long MB = 1024 * 1024;
    private const string Page = "/truong/TS01/hoc-sinh";

    private static async Task<HttpClient> SignInAsync(BankHost host, string email, string role, string? school, bool english = false)
    {
        await Support.Browser.AddLoginAsync(host.Fees, email, "Người dùng", role, school);
        var cookies = new CookieContainer();
        if (english) cookies.Add(host.BaseAddress, new Cookie("fees.lang", "en"));
        var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = host.BaseAddress };
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsJsonAsync("/api/auth/sign-in", new { email, password = Support.Browser.Password })).StatusCode);
        return client;
    }

    private static async Task<HttpResponseMessage> PostFileAsync(HttpClient client, string page, string fileName, byte[] bytes, CancellationToken ct = default)
    {
        var token = Forms.Token(await client.GetStringAsync(page, ct));
        var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new ByteArrayContent(bytes), "Upload", fileName },
        };
        return await client.PostAsync(page, form, ct);
    }

    private static async Task<string> UploadAsync(HttpClient client, string fileName, byte[] bytes, string page = Page)
    {
        using var r = await PostFileAsync(client, page, fileName, bytes);
        var html = WebUtility.HtmlDecode(await r.Content.ReadAsStringAsync());
        Assert.True(r.StatusCode == HttpStatusCode.OK, $"{(int)r.StatusCode}: {html}");
        return html;
    }

    private const string Written = "SELECT (SELECT count(*) FROM students) * 1000 + (SELECT count(*) FROM audit_log WHERE action = 'students.import')";

    [Fact]
    public async Task RosterPage_HostileFiles_AreRefusedInThePagesLanguage_NamingFileAndLimit_AndWriteNothing()
    {
        await using var host = await BankHost.StartAsync();
        var vi = await SignInAsync(host, "kt@ts01.vn", "accountant", "TS01");
        var en = await SignInAsync(host, "kt2@ts01.vn", "accountant", "TS01", english: true);
        var before = await host.Fees.Db.ScalarAsync(Written);

        var whole = await UploadAsync(vi, "lop1.xlsx", HostileFiles.DeclaringWholeSheet());
        var wholeEn = await UploadAsync(en, "lop1.xlsx", HostileFiles.DeclaringWholeSheet());
        var bomb = await UploadAsync(vi, "bom.xlsx", HostileFiles.ZipBomb(300 * MB));
        // The finding's 19 MB CSV, beginning with bytes that are not UTF-8: parsed, it would be refused for that instead.
        var big = new byte[19 * MB];
        big[0] = 0xFF;
        var large = await UploadAsync(vi, "lop1.csv", big);
        var largeEn = await UploadAsync(en, "lop1.csv", big);

        Assert.Contains("lop1.xlsx: trang tính khai báo 1.048.576 dòng × 16.384 cột (A1:XFD1048576); danh sách học sinh tải lên trang chỉ được đọc tối đa 5.100 dòng và 100 cột.", whole);
        Assert.Contains("lop1.xlsx: the sheet declares 1,048,576 rows × 16,384 columns (A1:XFD1048576); a roster uploaded on the page is read up to 5,100 rows and 100 columns.", wholeEn);
        Assert.Contains("sổ tính giải nén ra 300,0 MB (riêng phần xl/worksheets/sheet1.xml là 300 MB); một sổ tính Excel chỉ được giải nén tối đa 50 MB.", bomb);
        Assert.Contains("tệp nặng 19 MB; danh sách học sinh tải lên trang tối đa 5 MB.", large);
        Assert.Contains("the file is 19 MB; a roster uploaded on the page may be at most 5 MB.", largeEn);
        Assert.DoesNotContain("UTF-8", large);
        Assert.Equal(before, await host.Fees.Db.ScalarAsync(Written));
    }

    [Fact]
    public async Task RosterPage_TooManyRows_IsRefused_AndManyBadRows_ShowTheFirst200Problems()
    {
        await using var host = await BankHost.StartAsync();
        var client = await SignInAsync(host, "kt@ts01.vn", "accountant", "TS01");
        var before = await host.Fees.Db.ScalarAsync(Written);
        string Roster(int rows, string dateOfBirth)
        {
            var sb = new StringBuilder(Samples.StudentHeader);
            for (var i = 0; i < rows; i++) sb.Append(FormattableString.Invariant($"TS01,79200{i:D5},Học Sinh {i},{dateOfBirth},Nam,1,1A1,,,,,\n"));
            return sb.ToString();
        }

        var many = await UploadAsync(client, "lop1.csv", Encoding.UTF8.GetBytes(Roster(5_100, "01/01/2018")));
        var bad = await UploadAsync(client, "lop2.csv", Encoding.UTF8.GetBytes(Roster(500, "31/02/2018")));

        Assert.Contains("lop1.csv: tệp có hơn 5.100 dòng; danh sách học sinh tải lên trang tối đa 5.000 dòng (và 100 dòng tiêu đề, ghi chú). Hãy chia thành các tệp nhỏ hơn.", many);
        var table = bad[bad.IndexOf("<table id=\"problems\">", StringComparison.Ordinal)..];
        table = table[..table.IndexOf("</table>", StringComparison.Ordinal)];
        Assert.Equal(200, System.Text.RegularExpressions.Regex.Matches(table, "không phải là một ngày có thật").Count);
        Assert.Contains("... và 300 lỗi khác không liệt kê (chỉ liệt kê 200 lỗi đầu).", table);
        Assert.Equal(before, await host.Fees.Db.ScalarAsync(Written));
    }

    [Fact]
    public async Task StatementPage_MoreLinesThanAMonthOfABigSchool_IsRefusedInVietnamese_AndWritesNothing()
    {
        await using var host = await BankHost.StartAsync();
        var client = await SignInAsync(host, "kt@ts01.vn", "accountant", "TS01");
        var account = host.Account("TS01", "VCB").AccountNo;
        // 20,001 lines: the preview would hold the pupils it pays for as long as it takes, so the page stops at 20,000.
        var sb = new StringBuilder($":20:S1\n:25:{account}\n:60F:C250909VND0,\n");
        for (var i = 0; i < 20_001; i++) sb.Append(FormattableString.Invariant($":61:2509100910C1000,NTRFNONREF//FT{i:D6}\n:86:khong ma {i}\n"));
        sb.Append(":62F:C250912VND20001000,\n");

        var token = Forms.Token(await client.GetStringAsync("/truong/TS01/sao-ke"));
        using var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes(sb.ToString())), "Upload", "thang9.sta" },
        };
        using var r = await client.PostAsync("/truong/TS01/sao-ke?handler=Preview", form);
        var html = WebUtility.HtmlDecode(await r.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);

        Assert.Contains("thang9.sta", html);
        Assert.Contains("sao kê tải lên trang tối đa 20.000", html);
        Assert.Equal(0, await host.Fees.Db.ScalarAsync("SELECT (SELECT count(*) FROM statement_lines) + (SELECT count(*) FROM statement_uploads)"));
    }

    [Fact]
    public async Task SchedulePage_AFileOverItsSize_IsRefusedNamingIt_BeforeReadingIt()
    {
        await using var host = await BankHost.StartAsync();
        var admin = await SignInAsync(host, "qt@so.vn", "admin", null);
        var json = new byte[(int)(1.5 * MB)];
        Array.Fill(json, (byte)' ');
        json[0] = (byte)'{';

        var html = await UploadAsync(admin, "bieu-phi.json", json, "/quan-tri/bieu-phi");

        Assert.Contains("bieu-phi.json: tệp nặng 1,5 MB; biểu phí tối đa 1 MB.", html);
    }

    [Fact]
    public async Task RosterPage_WhenTheClientLeavesMidUpload_StopsTheWork_AndWritesNothing()
    {
        await using var host = await BankHost.StartAsync();
        var client = await SignInAsync(host, "kt@ts01.vn", "accountant", "TS01");
        var before = await host.Fees.Db.ScalarAsync(Written);
        var roster = new StringBuilder(Samples.StudentHeader);
        for (var i = 0; i < 300; i++) roster.Append(FormattableString.Invariant($"TS01,79300{i:D5},Học Sinh {i},01/01/2018,Nam,1,1A1,,,,,\n"));
        const string Waiting = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%authorities%FOR UPDATE%'";

        // The import takes the authority's row to assign payment codes; holding it here stops the import there,
        // inside its transaction, after the file is read and checked.
        await using var holder = new NpgsqlConnection(host.Fees.Db.ConnectionString);
        await holder.OpenAsync();
        await using var tx = await holder.BeginTransactionAsync();
        await using (var take = new NpgsqlCommand("SELECT 1 FROM authorities FOR UPDATE", holder, tx)) await take.ExecuteNonQueryAsync();
        using var leave = new CancellationTokenSource();
        var upload = PostFileAsync(client, Page, "lop1.csv", Encoding.UTF8.GetBytes(roster.ToString()), leave.Token);
        await Until(async () => await host.Fees.Db.ScalarAsync(Waiting) == 1, "the upload to reach the store");

        await leave.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => upload);
        // The lock is still held: the import's statement can end only by being cancelled with the request.
        await Until(async () => await host.Fees.Db.ScalarAsync(Waiting) == 0, "the server to stop the import when the client left");
        await tx.RollbackAsync();

        Assert.Equal(before, await host.Fees.Db.ScalarAsync(Written));
    }

    /// <summary>Waits for a condition the server makes true, looked at every 50 ms; fails after 30 s.</summary>
    private static async Task Until(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await tick.WaitForNextTickAsync();
        }
    }
}
