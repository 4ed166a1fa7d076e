using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Serilog.Core;
using Serilog.Events;
using TdmEdu.Fees.Api.Application.Banks;
using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Hostile;

/// <summary>
/// A full run with the log at Debug, copied aside: parents look up, staff sign in and take cash, the three banks
/// call, a statement is reconciled, bad calls are refused. Then the log is scanned for every name, phone
/// number, account number and secret the run handled: none may appear, in any spelling.
/// </summary>
public sealed class LogPrivacyTests
{
    private sealed class Copy : ILogEventSink
    {
        public readonly ConcurrentQueue<string> Lines = new();

        public void Emit(LogEvent e)
        {
            var sb = new StringBuilder(e.RenderMessage(CultureInfo.InvariantCulture));
            foreach (var p in e.Properties) sb.Append(' ').Append(p.Key).Append('=').Append(p.Value.ToString());
            if (e.Exception is not null) sb.Append(' ').Append(e.Exception);
            Lines.Enqueue(sb.ToString());
        }
    }

    [Fact]
    public async Task AFullRun_LogsNoNamePhoneAccountNumberOrSecret()
    {
        var log = new Copy();
        await using var host = await BankHost.StartAsync(logs: log);
        var fees = host.Fees;
        await Support.Browser.AddLoginAsync(fees, "kt@ts01.vn", "Kế toán Lan", "accountant", "TS01");
        var an = await host.PaymentCodeAsync("7900000001");
        var bao = await host.PaymentCodeAsync("7900000040");
        var vcb = host.Account("TS01", "VCB");
        var msb = host.Account("TS02", "MSB");
        var bidv = host.Account("TS02", "BIDV");

        // Parents: a right look-up, a wrong date of birth (the masked name), garbage.
        var parent = new HttpClient(new HttpClientHandler { CookieContainer = new System.Net.CookieContainer() }) { BaseAddress = host.BaseAddress };
        foreach (var (code, dob) in new[] { (an, "12/05/2018"), (an, "01/01/2000"), ("'; DROP TABLE students; --", "x") })
        {
            var form = await parent.GetStringAsync("/phu-huynh");
            var antiforgery = Forms.Token(form);
            await parent.PostAsync("/phu-huynh", new FormUrlEncodedContent(new Dictionary<string, string> { ["Code"] = code, ["DateOfBirth"] = dob, ["__RequestVerificationToken"] = antiforgery }));
        }
        // Staff: a sign-in with a wrong password, then the right one, over the API.
        var staff = new HttpClient(new HttpClientHandler { CookieContainer = new System.Net.CookieContainer() }) { BaseAddress = host.BaseAddress };
        await staff.PostAsync("/api/auth/sign-in", new StringContent("{\"email\":\"kt@ts01.vn\",\"password\":\"Sai-Mat-Khau-123\"}", Encoding.UTF8, "application/json"));
        await staff.PostAsync("/api/auth/sign-in", new StringContent($"{{\"email\":\"kt@ts01.vn\",\"password\":\"{Support.Browser.Password}\"}}", Encoding.UTF8, "application/json"));
        await staff.GetStringAsync("/api/schools/TS01/notices?period=2025-09");

        // The banks: VCB and MSB notifications (with payer names and accounts), a forged one, BIDV inquiry and payment.
        await host.VcbAsync(host.VcbBody("VCBP1", 500_000, $"{an} hoc phi be An"));
        await host.VcbAsync(host.VcbBody("VCBP2", 500_000, $"{an} hoc phi"), signature: "Zm9yZ2Vk");
        await host.MsbAsync(host.MsbBody("MSBP1", 300_000, msb.Msb!.VaPrefix + bao[^8..]));
        var token = await host.BidvTokenAsync();
        await host.BidvAsync("getbill", new { customer_id = bao, service_id = bidv.Bidv!.ServiceId }, token);
        await host.BidvAsync("paybill", host.PayBill("BP1", bao, "TS02-202509-00001", "200000"), token);
        using (var scope = host.App.Services.CreateScope())
        {
            var logger = scope.ServiceProvider.GetRequiredService<ILogger<InboxProcessor>>();
            await using var db = fees.Db.Open();
            await new InboxProcessor(db, new Api.Common.BusinessClock(fees.Clock), logger).ProcessPendingAsync(100);
        }
        await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00002", "--amount", "100000", "--payer", "Trần Văn Cường");

        var text = string.Join('\n', log.Lines);
        Assert.True(log.Lines.Count > 20, $"the run logged only {log.Lines.Count} lines; is the copy wired?");
        Assert.Contains("stored as", text);          // the banks' calls were logged
        Assert.Contains("RequestPath=\"/phu-huynh\"", text); // and the requests
        await using (var db = fees.Db.Open())
        {
            var people = db.Students.Select(s => s.FullName).ToList()
                .Concat(db.Guardians.Select(g => new[] { g.FullName ?? "", g.Phone ?? "", g.Email ?? "" }).ToList().SelectMany(x => x));
            var forbidden = people
                .Concat(db.BankAccounts.Select(a => a.AccountNo).ToList())
                .Concat(["NGUYEN VAN A", "TRAN THI B", "0123456789", "9876543210", "Trần Văn Cường", "Kế toán Lan", Support.Browser.Password, "Sai-Mat-Khau-123",
                         msb.Msb!.Secret, bidv.Bidv!.Password, bidv.Bidv!.Secret, token])
                .Where(s => s.Length >= 6).Distinct().ToList();
            foreach (var s in forbidden)
            {
                Assert.DoesNotContain(s, text, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain(Unmarked(s), Unmarked(text), StringComparison.OrdinalIgnoreCase);
            }
        }
    }

    /// <summary>Without Vietnamese marks ("Trần" → "Tran"), as banks write names.</summary>
    private static string Unmarked(string s) =>
        string.Concat(s.Normalize(NormalizationForm.FormD).Where(c => CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)).Replace('đ', 'd').Replace('Đ', 'D');

    [Fact]
    public async Task AParentLinkAndTheSmsHook_AreLoggedWithoutTheirSecrets()
    {
        var log = new Copy();
        await using var host = await BankHost.StartAsync(logs: log);
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = host.BaseAddress };
        const string token = "AAAAAAAAAAAAAAAAAAAAAA.t0abcd.aBBBBBBBBBBBBBBBBBBBBBB";
        const string hook = "c0ffee0123456789c0ffee0123456789";

        await client.GetAsync("/phu-huynh/l/" + token);
        await client.GetAsync("/api/notify/esms/callback/" + hook + "?SMSID=1&phonenumber=84912000001");

        // The request log's line is written as the response completes, which may be just after the client has it.
        var text = "";
        for (var until = DateTime.UtcNow.AddSeconds(10); DateTime.UtcNow < until && !text.Contains("/api/notify/esms/callback/…"); await Task.Delay(20))
            text = string.Join('\n', log.Lines);
        Assert.Contains("RequestPath=\"/phu-huynh/l/…\" StatusCode=302", text);
        Assert.Contains("RequestPath=\"/api/notify/esms/callback/…\" StatusCode=404", text);
        foreach (var secret in new[] { token, "t0abcd", hook, "84912000001" }) Assert.DoesNotContain(secret, text);
    }
}
