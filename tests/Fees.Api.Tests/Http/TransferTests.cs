using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using TdmEdu.Fees.Api.Tests.Support;
using TdmEdu.Fees.BankAdapters.VietQr;

namespace TdmEdu.Fees.Api.Tests.Http;

/// <summary>
/// Finding 2 of issue 11, played as the outsider did: a school's roster upload took a pupil of another school.
/// A transfer is now the administrator's act, recorded with who and why, and a notice stays payable to the school
/// that issued it.
/// </summary>
public sealed class TransferTests
{
    private const string Password = "Chuan-Mat-Khau-2025";

    private static async Task<BankHost> StartAsync()
    {
        var host = await BankHost.StartAsync();
        var variable = "FEES_TEST_PW_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, Password);
        foreach (var (email, role, school) in new[] { ("kt2@ts02.vn", "accountant", "TS02"), ("qt@so.vn", "admin", (string?)null) })
        {
            var args = new List<string> { "users", "add", "--email", email, "--name", "Người dùng", "--role", role, "--password-env", variable };
            if (school is not null) args.AddRange(["--school", school]);
            await host.Fees.OkAsync([.. args]);
        }
        return host;
    }

    private static async Task<(HttpClient Client, CookieContainer Cookies)> SignInAsync(BankHost host, string email)
    {
        var cookies = new CookieContainer();
        var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = host.BaseAddress };
        var r = await client.PostAsJsonAsync("/api/auth/sign-in", new { email, password = Password });
        Assert.Equal(HttpStatusCode.NoContent, r.StatusCode);
        return (client, cookies);
    }

    private static async Task<(HttpStatusCode Status, string Html)> UploadAsync(HttpClient client, string page, string csv)
    {
        var token = Forms.Token(await client.GetStringAsync(page));
        using var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes(csv)), "Upload", "roster.csv" },
        };
        var r = await client.PostAsync(page, form);
        return (r.StatusCode, await r.Content.ReadAsStringAsync());
    }

    private static string Element(string html, string pattern) => Regex.Match(html, pattern, RegexOptions.Singleline).Value;

    private static Task<List<string>> PupilAsync(BankHost host, string code) => host.Fees.Db.ListAsync(
        $"SELECT concat_ws('|', s.full_name, s.date_of_birth, g.full_name, g.phone, sc.code, c.name) FROM students s " +
        $"JOIN schools sc ON sc.id = s.school_id JOIN classes c ON c.id = s.class_id LEFT JOIN guardians g ON g.id = s.guardian_id WHERE s.student_code = '{code}'");

    [Fact]
    public async Task RosterUpload_ByAnAccountant_NamingAPupilOfAnotherSchool_IsRefusedOnItsLine_AndThePupilIsUntouched()
    {
        await using var host = await StartAsync();
        var (ts02, cookies) = await SignInAsync(host, "kt2@ts02.vn");
        var before = await PupilAsync(host, "7900000001");
        // Line 2 is a new pupil of TS02, line 3 takes TS01's An with another name, birth date and phone.
        var csv = Samples.StudentHeader +
            "TS02,7900000042,Võ Minh Khang,03/03/2013,Nam,6,6A1,Võ Văn Lộc,0912000042,,,\n" +
            "TS02,7900000001,Người Lạ Mặt,01/01/2013,Nam,6,6A1,Người Lạ,0999999999,,,\n";

        var (status, html) = await UploadAsync(ts02, "/truong/TS02/hoc-sinh", csv);
        cookies.Add(host.BaseAddress, new Cookie("fees.lang", "en"));
        var (_, english) = await UploadAsync(ts02, "/truong/TS02/hoc-sinh", csv);
        // The school's own pupils still upload as before.
        var (_, own) = await UploadAsync(ts02, "/truong/TS02/hoc-sinh", Samples.StudentHeader +
            "TS02,7900000040,Đặng Quốc Bảo,07/07/2013,Nam,6,6A1,Đặng Văn Hùng,0912000099,,,\n");

        Assert.Equal(HttpStatusCode.OK, status);
        var problems = Element(html, "<table id=\"problems\">.*?</table>");
        Assert.Matches(@"<td>3</td><td>student_code</td><td>học sinh 7900000001 thuộc trường khác; việc chuyển trường do quản trị viên thực hiện\.</td>", problems);
        Assert.Contains("student 7900000001 belongs to another school; a transfer is made by the administrator.", Element(english, "<table id=\"problems\">.*?</table>"));
        Assert.Single(Regex.Matches(problems, "<tr><td>"));
        // Nothing about the other school's pupil: not the name, the birth date, the phone, nor which school.
        foreach (var secret in new[] { "Nguyễn Văn An", "12/05/2018", "2018-05-12", "0912000001", "Nguyễn Văn Bình", "TS01", "Tiểu học", "1A1" })
        {
            Assert.DoesNotContain(secret, problems);
            Assert.DoesNotContain(secret, Element(html, "<main>.*</main>"));
        }
        Assert.Equal(before, await PupilAsync(host, "7900000001"));
        Assert.Equal(["Nguyễn Văn An|2018-05-12|Nguyễn Văn Bình|0912000001|TS01|1A1"], before);
        Assert.Empty(await PupilAsync(host, "7900000042"));
        Assert.Equal(0, await host.Fees.Db.ScalarAsync("SELECT count(*) FROM student_transfers"));
        Assert.Contains("0 new, 1 changed, 0 transferred, 0 unchanged", Element(own, "<p id=\"imported\".*?</p>"));
        Assert.Equal(["Đặng Quốc Bảo|2013-07-07|Đặng Văn Hùng|0912000099|TS02|6A1"], await PupilAsync(host, "7900000040"));
    }

    [Fact]
    public async Task TransferPage_ByTheAdministrator_MovesThePupilWithWhoAndWhy_AndAnAccountantIsRefused()
    {
        await using var host = await StartAsync();
        var (admin, _) = await SignInAsync(host, "qt@so.vn");
        var (accountant, _) = await SignInAsync(host, "kt2@ts02.vn");
        var accountantToken = Forms.Token(await accountant.GetStringAsync("/truong/TS02/hoc-sinh"));
        Dictionary<string, string> Form(string token, string from) => new()
        {
            ["__RequestVerificationToken"] = token, ["Student"] = "7900000001", ["From"] = from, ["To"] = "TS02", ["Class"] = "6A1",
            ["Reason"] = "Gia đình chuyển nhà về Hiệp Thành",
        };

        var accountantGet = await accountant.GetAsync("/quan-tri/chuyen-truong?Student=7900000001");
        var accountantPost = await accountant.PostAsync("/quan-tri/chuyen-truong", new FormUrlEncodedContent(Form(accountantToken, "TS01")));
        var found = await admin.GetStringAsync("/quan-tri/chuyen-truong?Student=7900000001");
        var posted = await admin.PostAsync("/quan-tri/chuyen-truong", new FormUrlEncodedContent(Form(Forms.Token(found), Forms.Hidden(found, "From"))));
        var after = await admin.GetStringAsync(posted.Headers.Location!.ToString());
        // The same form sent again, after the pupil moved: nothing more happens.
        var stale = await admin.PostAsync("/quan-tri/chuyen-truong", new FormUrlEncodedContent(Form(Forms.Token(found), "TS01")));

        foreach (var refused in new[] { accountantGet, accountantPost })
        {
            Assert.Equal(HttpStatusCode.Found, refused.StatusCode);
            Assert.Contains("/khong-duoc-phep", refused.Headers.Location!.ToString());
        }
        Assert.Contains("Còn 1 thông báo chưa nộp đủ (1.371.800 ₫) ở trường TS01", found);
        Assert.Equal(HttpStatusCode.Found, posted.StatusCode);
        Assert.Contains("Đã chuyển học sinh 7900000001 từ trường TS01 sang trường TS02, lớp 6A1. 1 thông báo còn 1.371.800 ₫ chưa nộp vẫn thuộc trường TS01", after);
        var recent = Element(after, "<table id=\"transfers\"[^>]*>.*?</table>");
        Assert.Contains("web:qt@so.vn", recent);
        Assert.Contains("Gia đình chuyển nhà về Hiệp Thành", recent);
        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
        Assert.Contains("đã đổi trường sau khi mở trang", await stale.Content.ReadAsStringAsync());

        Assert.Equal(["Nguyễn Văn An|2018-05-12|Nguyễn Văn Bình|0912000001|TS02|6A1"], await PupilAsync(host, "7900000001"));
        Assert.Equal(["web:qt@so.vn|Gia đình chuyển nhà về Hiệp Thành|TS01|TS02"], await host.Fees.Db.ListAsync(
            "SELECT concat_ws('|', t.actor, t.reason, f.code, o.code) FROM student_transfers t JOIN schools f ON f.id = t.from_school_id JOIN schools o ON o.id = t.to_school_id"));
        Assert.Equal(["web:qt@so.vn"], await host.Fees.Db.ListAsync("SELECT actor FROM audit_log WHERE action = 'students.transfer'"));
        // The old notice stays where it was issued.
        Assert.Equal(["TS01"], await host.Fees.Db.ListAsync(
            "SELECT sc.code FROM notices n JOIN schools sc ON sc.id = n.school_id JOIN students s ON s.id = n.student_id WHERE s.student_code = '7900000001'"));
    }

    [Fact]
    public async Task AfterATransferByTheCli_ParentPortal_ShowsTheOldNoticeWithTheOldSchoolsAccountAndQr_AndTheNewWithTheNewSchools()
    {
        await using var host = await StartAsync();
        var transfer = await host.Fees.OkAsync("students", "transfer", "--student", "7900000001", "--to", "TS02", "--class", "6A1", "--reason", "Chuyển nhà");
        await host.Fees.OkAsync("notices", "issue", "--period", "2025-10");
        var notices = await host.Fees.Db.ListAsync(
            "SELECT n.notice_no FROM notices n JOIN students s ON s.id = n.student_id WHERE s.student_code = '7900000001' ORDER BY n.period_key");
        var ts01Vcb = host.Account("TS01", "VCB").AccountNo;
        var ts02Bidv = host.Account("TS02", "BIDV").AccountNo;

        var parent = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = host.BaseAddress };
        var lookup = await parent.PostAsync("/phu-huynh", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Forms.Token(await parent.GetStringAsync("/phu-huynh")),
            ["Code"] = await host.PaymentCodeAsync("7900000001"), ["DateOfBirth"] = "12/05/2018",
        }));
        var page = await parent.GetStringAsync("/phu-huynh/hoc-sinh");
        async Task<VietQrPayload> QrAsync(string notice) =>
            VietQrDecoder.Decode(QrImageReader.Read(await parent.GetByteArrayAsync($"/phu-huynh/qr/{notice}"))!);
        var oldQr = await QrAsync(notices[0]);
        var newQr = await QrAsync(notices[1]);

        Assert.Contains("1 notice(s) with 1.371.800 ₫ still to pay stay with TS01", transfer);
        Assert.Equal([$"cli:{Environment.UserName}|Chuyển nhà"], await host.Fees.Db.ListAsync("SELECT actor || '|' || reason FROM student_transfers"));
        Assert.Equal(2, notices.Count);
        Assert.StartsWith("TS01-202509-", notices[0]);
        Assert.StartsWith("TS02-202510-", notices[1]);
        Assert.Equal(HttpStatusCode.Redirect, lookup.StatusCode);
        var oldCard = Element(page, $"<details class=\"month card\" data-notice=\"{notices[0]}\">.*?</details>");
        var newCard = Element(page, $"<details class=\"month card\" data-notice=\"{notices[1]}\">.*?</details>");
        Assert.Contains("Trường Tiểu học Thử Nghiệm", oldCard);
        Assert.Contains(ts01Vcb, oldCard);
        Assert.DoesNotContain(ts02Bidv, oldCard);
        Assert.DoesNotContain("issued-by", newCard);
        var howToPay = Element(page, "<ul class=\"rows banks\">.*?</ul>");
        Assert.Contains(ts02Bidv, howToPay);
        Assert.DoesNotContain(ts01Vcb, howToPay);
        Assert.Equal(("970436", ts01Vcb, 1_371_800L), (oldQr.BankBin, oldQr.Account, oldQr.AmountVnd!.Value));
        Assert.Equal(("970418", ts02Bidv), (newQr.BankBin, newQr.Account));

        // The notices export and the printed notices follow the notice's school too.
        var export = Path.Combine(host.Fees.Folder, "n.csv");
        foreach (var (period, school, account) in new[] { ("2025-09", "TS01", ts01Vcb), ("2025-10", "TS02", ts02Bidv) })
        {
            await host.Fees.OkAsync("notices", "export", "--period", period, "--out", export);
            var row = File.ReadAllLines(export).Single(l => l.Contains(",7900000001,", StringComparison.Ordinal)).Split(',');
            Assert.Equal((school, account), (row[1], row[14]));
        }
        var september = await host.Fees.OkAsync("notices", "pdf", "--period", "2025-09", "--school", "TS01", "--out", Path.Combine(host.Fees.Folder, "ts01.pdf"));
        Assert.Contains("Wrote 3 notice(s) of TS01", september);
    }
}
