using System.Net;
using System.Net.Http.Json;
using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Cli;

/// <summary>
/// `fees users passwd|disable|enable|remove EMAIL` and the administrator's page keep the same rules: passwords by
/// environment variable and under the password rules, unknown logins named, and the last active administrator
/// never disabled or removed; an administrator does not disable or remove their own login from the page.
/// </summary>
public sealed class UsersCommandTests
{
    [Fact]
    public async Task UsersPasswd_TakesThePasswordByVariableName_AndRefusesWhatTheRulesRefuse_InWords()
    {
        await using var fees = await Support.Fees.StartAsync();
        await fees.SetUpExampleSchoolAsync();
        await Support.Browser.AddLoginAsync(fees, "kt@ts01.vn", "Kế toán", "accountant", "TS01");
        const string Row = "SELECT password_hash || security_stamp FROM users WHERE email = 'kt@ts01.vn'";
        var before = (await fees.Db.ListAsync(Row)).Single();
        Environment.SetEnvironmentVariable("FEES_TEST_WEAK_PW", "yeu");
        Environment.SetEnvironmentVariable("FEES_TEST_GOOD_PW", "Mat-Khau-Moi-2026");

        var unset = await fees.RunAsync("users", "passwd", "kt@ts01.vn", "--password-env", "FEES_TEST_NOT_SET_" + Guid.NewGuid().ToString("N"));
        var weak = await fees.RunAsync("users", "passwd", "kt@ts01.vn", "--password-env", "FEES_TEST_WEAK_PW");
        var unknown = await fees.RunAsync("users", "passwd", "ai-do@ts01.vn", "--password-env", "FEES_TEST_GOOD_PW");
        var noLogin = await fees.RunAsync("users", "disable");
        var unchanged = (await fees.Db.ListAsync(Row)).Single();
        var set = await fees.RunAsync("users", "passwd", "kt@ts01.vn", "--password-env", "FEES_TEST_GOOD_PW");
        var made = await fees.RunAsync("users", "passwd", "kt@ts01.vn");

        Assert.Equal(2, unset.ExitCode);
        Assert.Contains("is not set (passwords are passed by name, never on the command line)", unset.Err);
        Assert.Equal(2, weak.ExitCode);
        Assert.Contains("at least 12 characters", weak.Err);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("There is no login ai-do@ts01.vn.", unknown.Err);
        Assert.Equal(1, noLogin.ExitCode);
        Assert.Equal(before, unchanged);
        Assert.True(set.ExitCode == 0, set.ToString());
        Assert.DoesNotContain("Mat-Khau-Moi-2026", set.Out);
        Assert.Matches("Its password, shown once: Fees-\\S{16}-7a", made.Out);
        Assert.NotEqual(before, (await fees.Db.ListAsync(Row)).Single());
        Assert.Equal(2, await fees.Db.ScalarAsync("SELECT count(*) FROM audit_log WHERE action = 'users.passwd' AND entity_key = 'kt@ts01.vn'"));
    }

    [Fact]
    public async Task TheLastActiveAdministrator_CannotBeDisabledOrRemoved_NorAnAdministratorsOwnLoginFromThePage()
    {
        await using var host = await BankHost.StartAsync();
        await Support.Browser.AddLoginAsync(host.Fees, "qt@so.vn", "Quản trị", "admin");
        var lastDisable = await host.Fees.RunAsync("users", "disable", "qt@so.vn");
        var lastRemove = await host.Fees.RunAsync("users", "remove", "qt@so.vn");
        await Support.Browser.AddLoginAsync(host.Fees, "qt2@so.vn", "Quản trị 2", "admin");

        var admin = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = host.BaseAddress };
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsJsonAsync("/api/auth/sign-in", new { email = "qt@so.vn", password = Support.Browser.Password })).StatusCode);
        async Task<(HttpStatusCode Status, string Html)> ActAsync(string handler, string login)
        {
            using var r = await admin.PostAsync($"/quan-tri/nguoi-dung?handler={handler}", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = Forms.Token(await admin.GetStringAsync("/quan-tri/nguoi-dung")), ["Login"] = login,
            }));
            return (r.StatusCode, await r.Content.ReadAsStringAsync());
        }
        var self = await ActAsync("Disable", "qt@so.vn");
        var selfRemove = await ActAsync("Remove", "qt@so.vn");
        var other = await ActAsync("Disable", "qt2@so.vn");
        var lastAgain = await host.Fees.RunAsync("users", "disable", "qt@so.vn");
        var twice = await host.Fees.OkAsync("users", "disable", "qt2@so.vn");
        var disabledAdminRemoved = await ActAsync("Remove", "qt2@so.vn");

        Assert.Equal(3, lastDisable.ExitCode);
        Assert.Contains("qt@so.vn is the last active administrator; add or enable another administrator first", lastDisable.Err);
        Assert.Equal(3, lastRemove.ExitCode);
        Assert.Equal(HttpStatusCode.OK, self.Status);
        Assert.Contains("Bạn không thể tự khoá tài khoản của chính mình; hãy nhờ một quản trị viên khác.", self.Html);
        Assert.Contains("Bạn không thể tự xoá tài khoản của chính mình", selfRemove.Html);
        Assert.Equal(HttpStatusCode.Redirect, other.Status);
        Assert.Equal(3, lastAgain.ExitCode);
        Assert.Contains("qt2@so.vn was already disabled; nothing changed.", twice);
        Assert.Equal(HttpStatusCode.Redirect, disabledAdminRemoved.Status);
        Assert.Equal(["qt@so.vn"], await host.Fees.Db.ListAsync("SELECT email FROM users WHERE lockout_end IS NULL ORDER BY email"));
        Assert.Equal(0, await host.Fees.Db.ScalarAsync("SELECT count(*) FROM users WHERE email = 'qt2@so.vn'"));
    }
}
