using System.Net;
using System.Net.Http.Json;
using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Messages;

/// <summary>The school's messaging settings page over real HTTP: every bad field named and nothing written, good ones stored once with an audit entry.</summary>
public sealed class MessageSettingsTests
{
    private const string Page = "/truong/TS01/tin-nhan/cai-dat";
    private const string Audits = "SELECT count(*) FROM audit_log WHERE action = 'messaging.settings'";

    private static async Task<HttpClient> SignedInAsync(BankHost host, string email, string role, string school, string? language = null)
    {
        await Support.Browser.AddLoginAsync(host.Fees, email, "Người dùng", role, school);
        var cookies = new CookieContainer();
        if (language is not null) cookies.Add(host.BaseAddress, new Cookie(Web.Lang.Cookie, language));
        var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = host.BaseAddress };
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsJsonAsync("/api/auth/sign-in", new { email, password = Support.Browser.Password })).StatusCode);
        return client;
    }

    /// <summary>Posts the form as the page gave it (its token and fingerprint), with the fields given; the answer and its text decoded.</summary>
    private static async Task<(HttpStatusCode Status, string? Location, string Html)> SaveAsync(HttpClient client, Dictionary<string, string> fields, string? seen = null)
    {
        var form = await client.GetStringAsync(Page);
        var values = new Dictionary<string, string>(fields)
        {
            ["__RequestVerificationToken"] = Forms.Token(form),
            ["Seen"] = seen ?? Forms.Hidden(form, "Seen"),
        };
        var r = await client.PostAsync(Page, new FormUrlEncodedContent(values));
        return (r.StatusCode, r.Headers.Location?.OriginalString, WebUtility.HtmlDecode(await r.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task BadFields_AreEachNamedWithTheirReason_AndNothingIsWritten()
    {
        await using var host = await BankHost.StartAsync();
        var accountant = await SignedInAsync(host, "kt@ts01.vn", "accountant", "TS01");

        var (status, _, html) = await SaveAsync(accountant, new()
        {
            ["ShortName"] = new string('A', 31), ["ZaloEnabled"] = "maybe", ["ReplyToEmail"] = "ke toan@truong", ["SmsMonthlyBudgetVnd"] = "12abc",
            ["DueReminderDays"] = "0", ["FirstOverdueDays"] = "61", ["SecondOverdueDays"] = "x",
        });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Chưa lưu gì:", html);
        foreach (var said in new[]
                 {
                     "Tên trường trong tin nhắn: tối đa 30 ký tự (đang có 31).", "Zalo: \"maybe\" không phải bật hay tắt.",
                     "Địa chỉ nhận thư trả lời: không phải một địa chỉ thư điện tử (ten@mien.vn).",
                     "Ngân sách SMS mỗi tháng: \"12abc\" không phải số đồng từ 0 đến 1.000.000.000 (ví dụ 500.000); để trống nếu không giới hạn.",
                     "Nhắc trước hạn nộp: \"0\" không phải số ngày từ 1 đến 15.", "Nhắc quá hạn lần 1: \"61\" không phải số ngày từ 1 đến 60.",
                     "Nhắc quá hạn lần 2: \"x\" không phải số ngày từ 1 đến 60.",
                 })
            Assert.Contains($"<li>{said}</li>", html);
        // Each bad field is marked and keeps what was typed, so it can be corrected in place.
        Assert.Equal(6, System.Text.RegularExpressions.Regex.Matches(html, "aria-invalid=\"true\"").Count);
        Assert.Contains("value=\"12abc\"", html);

        foreach (var (fields, said) in new (Dictionary<string, string>, string)[]
                 {
                     (new() { ["DueReminderDays"] = "" }, "Nhắc trước hạn nộp: hãy nhập số ngày từ 1 đến 15."),
                     (new() { ["DueReminderDays"] = "16" }, "Nhắc trước hạn nộp: \"16\" không phải số ngày từ 1 đến 15."),
                     (new() { ["DueReminderDays"] = "3", ["FirstOverdueDays"] = "5", ["SecondOverdueDays"] = "5" }, "Nhắc quá hạn lần 2: trùng ngày với lần 1"),
                     (new() { ["DueReminderDays"] = "3", ["SmsMonthlyBudgetVnd"] = "-500" }, "Ngân sách SMS mỗi tháng: \"-500\" không phải số đồng"),
                     (new() { ["DueReminderDays"] = "3", ["SmsMonthlyBudgetVnd"] = "1.000.000.001" }, "Ngân sách SMS mỗi tháng: \"1.000.000.001\" không phải số đồng"),
                     (new() { ["DueReminderDays"] = "3", ["ShortName"] = "TH Phú Hòa 🙂" }, "Tên trường trong tin nhắn: chỉ gồm chữ, số, khoảng trắng"),
                     (new() { ["DueReminderDays"] = "3", ["ShortName"] = "vcb-hoantien.com" }, "Tên trường trong tin nhắn: sau dấu chấm phải có khoảng trắng"),
                 })
        {
            var answer = await SaveAsync(accountant, fields);
            Assert.Equal(HttpStatusCode.OK, answer.Status);
            Assert.Contains(said, answer.Html);
        }

        // The same refusal in English for an English page.
        var english = await SignedInAsync(host, "kt2@ts01.vn", "accountant", "TS01", "en");
        Assert.Contains("<li>Monthly SMS budget: \"12abc\" is not a whole number of đồng from 0 to 1,000,000,000 (for example 500.000); leave it blank for no budget.</li>",
            (await SaveAsync(english, new() { ["DueReminderDays"] = "3", ["SmsMonthlyBudgetVnd"] = "12abc" })).Html);

        Assert.Equal(0, await host.Fees.Db.ScalarAsync("SELECT count(*) FROM school_messaging"));
        Assert.Equal(0, await host.Fees.Db.ScalarAsync(Audits));
    }

    [Fact]
    public async Task GoodSettings_AreStoredInOneRow_WithOneAuditEntryWithoutTheAddress_AndAStaleFormOverwritesNothing()
    {
        await using var host = await BankHost.StartAsync();
        var accountant = await SignedInAsync(host, "kt@ts01.vn", "accountant", "TS01");
        var good = new Dictionary<string, string>
        {
            ["ShortName"] = "  TH Thử Nghiệm ", ["ZaloEnabled"] = "true", ["SmsEnabled"] = "true", ["ReplyToEmail"] = "KeToan@TS01.edu.vn",
            ["SmsMonthlyBudgetVnd"] = "500.000", ["DueReminderDays"] = "2", ["FirstOverdueDays"] = "10", ["SecondOverdueDays"] = "3", ["SendOnSunday"] = "true",
        };

        var first = await SaveAsync(accountant, good, seen: "new");
        Assert.Equal((HttpStatusCode.Found, Page + "?ket-qua=luu"), (first.Status, first.Location));
        Assert.Contains("Đã lưu cài đặt tin nhắn.", WebUtility.HtmlDecode(await accountant.GetStringAsync(first.Location)));
        var row = await host.Fees.Db.ListAsync("""
            SELECT concat_ws('|', short_name, zalo_enabled, sms_enabled, email_enabled, reply_to_email, sms_monthly_budget_vnd, due_reminder_days,
                             array_to_string(overdue_reminder_days, ','), send_on_sunday) FROM school_messaging
            """);
        Assert.Equal(["TH Thử Nghiệm|t|t|f|ketoan@ts01.edu.vn|500000|2|3,10|t"], row);
        var audit = await host.Fees.Db.ListAsync("SELECT concat_ws('|', actor, entity_key, details) FROM audit_log WHERE action = 'messaging.settings'");
        var entry = Assert.Single(audit);
        Assert.StartsWith("web:kt@ts01.vn|TS01|", entry);
        Assert.Contains("\"created\": true", entry);
        Assert.Contains("reply_to_email", entry);
        Assert.DoesNotContain("ketoan", entry, StringComparison.OrdinalIgnoreCase);

        // The form shows what is stored; saving it unchanged writes nothing and says so.
        var shown = WebUtility.HtmlDecode(await accountant.GetStringAsync(Page));
        Assert.Contains("value=\"500.000\"", shown);
        var again = await SaveAsync(accountant, good);
        Assert.Equal(Page + "?ket-qua=khong-doi", again.Location);
        Assert.Equal(1, await host.Fees.Db.ScalarAsync(Audits));

        // A form opened before that save (it showed the defaults) changes nothing, and says why.
        var stale = await SaveAsync(accountant, new(good) { ["SmsMonthlyBudgetVnd"] = "" }, seen: "new");
        Assert.Equal(HttpStatusCode.OK, stale.Status);
        Assert.Contains("Cài đặt vừa được người khác thay đổi sau khi mở trang nên chưa lưu gì.", stale.Html);
        Assert.Equal(500_000, await host.Fees.Db.ScalarAsync("SELECT sms_monthly_budget_vnd FROM school_messaging"));

        // A later change is one more entry naming only what changed.
        var changed = await SaveAsync(accountant, new(good) { ["SmsMonthlyBudgetVnd"] = "", ["SecondOverdueDays"] = "" });
        Assert.Equal(Page + "?ket-qua=luu", changed.Location);
        Assert.Equal(["null|10"], await host.Fees.Db.ListAsync(
            "SELECT concat_ws('|', coalesce(sms_monthly_budget_vnd::text, 'null'), array_to_string(overdue_reminder_days, ',')) FROM school_messaging"));
        Assert.Equal(["sms_monthly_budget_vnd", "overdue_reminder_days"], await host.Fees.Db.ListAsync(
            "SELECT jsonb_array_elements_text(details::jsonb -> 'changed') FROM audit_log WHERE action = 'messaging.settings' AND id = (SELECT max(id) FROM audit_log)"));

        // The principal neither sees nor changes them.
        var principal = await SignedInAsync(host, "ht@ts01.vn", "principal", "TS01");
        Assert.Contains("/khong-duoc-phep", (await principal.GetAsync(Page)).Headers.Location?.OriginalString);
    }
}
