using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using TdmEdu.Fees.Api.Application.Banks;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Hosting;
using TdmEdu.Fees.Api.Sandbox;
using TdmEdu.Fees.Api.Security;
using TdmEdu.Fees.BankAdapters.Bidv;
using TdmEdu.Fees.BankAdapters.Msb;
using TdmEdu.Fees.BankAdapters.Vcb;

namespace TdmEdu.Fees.Api.Tests.Support;

/// <summary>
/// The service on a loopback port over a test database, with the example schools given sandbox bank
/// credentials, and helpers that call it the way each bank does.
/// </summary>
public sealed class BankHost : IAsyncDisposable
{
    /// <summary>One master key for the whole test run; the CLI reads it from the environment.</summary>
    public static readonly SecretBox Box = MakeBox();

    private static SecretBox MakeBox()
    {
        var key = SecretBox.NewKey();
        Environment.SetEnvironmentVariable(SecretBox.Variable, key);
        return SecretBox.FromEnvironment();
    }

    private BankHost(Support.Fees fees, WebApplication app, HttpClient http, List<SandboxCredentials> credentials)
    {
        Fees = fees;
        App = app;
        Http = http;
        Credentials = credentials;
    }

    public Support.Fees Fees { get; }
    public WebApplication App { get; }
    public HttpClient Http { get; }
    public List<SandboxCredentials> Credentials { get; }
    public Uri BaseAddress => Http.BaseAddress!;

    /// <summary>The example school set-up, September billed, the host started (worker off unless asked).</summary>
    public static async Task<BankHost> StartAsync(bool runWorker = false, Serilog.Core.ILogEventSink? logs = null, string? node = null,
        Func<Support.Fees, Task>? before = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var fees = await Support.Fees.StartAsync();
        await fees.SetUpExampleSchoolAsync();
        await fees.OkAsync("students", "import", fees.File("ts02.csv", Samples.StudentHeader +
            "TS02,7900000040,Đặng Quốc Bảo,07/07/2013,Nam,6,6A1,Đặng Văn Hùng,0912000040,,,\n" +
            "TS02,7900000041,Đặng Thị Thu,08/08/2014,Nữ,6,6A1,Đặng Văn Hùng,0912000040,,,\n"));
        await fees.OkAsync("notices", "issue", "--period", "2025-09");
        if (before is not null) await before(fees);
        var creds = await fees.SandboxBanksAsync();
        var app = WebHost.Build(fees.Db.ConnectionString, 0, Box, runWorker, fees.Clock,
            logs is null ? Serilog.Events.LogEventLevel.Information : Serilog.Events.LogEventLevel.Debug, instanceId: node, logCopy: logs, settings: settings);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new BankHost(fees, app, new HttpClient { BaseAddress = new Uri(address) }, creds);
    }

    public SandboxCredentials Account(string school, string bank) => Credentials.Single(c => c.SchoolCode == school && c.Bank == bank);

    public Task<string> PaymentCodeAsync(string studentCode) => Fees.PaymentCodeAsync(studentCode);

    /// <summary>Applies what the inbox holds, as the worker would.</summary>
    public async Task<int> ProcessInboxAsync()
    {
        await using var db = Fees.Db.Open();
        return await new InboxProcessor(db, new BusinessClock(Fees.Clock)).ProcessPendingAsync(1000);
    }

    public async Task<(int Status, JsonElement Body)> PostAsync(string path, string body, Action<HttpRequestMessage>? headers = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        headers?.Invoke(request);
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return ((int)response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    // ---- BIDV ----

    public async Task<string> BidvTokenAsync(string school = "TS02", string? password = null)
    {
        var b = Account(school, "BIDV").Bidv!;
        var (status, body) = await PostAsync("/api/banks/bidv/token_generate", "{}", r =>
            r.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{b.Username}:{password ?? b.Password}"))));
        return status == 200 ? body.GetProperty("access_token").GetString()! : "";
    }

    public Task<(int Status, JsonElement Body)> BidvAsync(string route, object body, string token) =>
        PostAsync($"/api/banks/bidv/{route}", JsonSerializer.Serialize(body), r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token));

    public object PayBill(string transId, string customerId, string billId, string amount, string? checksum = null, string school = "TS02")
    {
        var b = Account(school, "BIDV").Bidv!;
        return new
        {
            trans_id = transId, trans_date = "20250910093000", customer_id = customerId, service_id = b.ServiceId, bill_id = billId, amount,
            checksum = checksum ?? BidvBillPayment.PaymentChecksumMd5(b.Secret, transId, billId, amount), trans_bidv = "B" + transId,
        };
    }

    // ---- VCB ----

    public string VcbBody(string transactionId, long amount, string content, string creditDebit = "C", string? original = null, string? account = null) =>
        VcbCalls.Body(account ?? Account("TS01", "VCB").AccountNo, transactionId, amount, content, creditDebit, original);

    public Task<(int Status, JsonElement Body)> VcbAsync(string body, string? signature = null) =>
        PostAsync("/api/banks/vcb/notify", body, r => r.Headers.Add(VcbNotification.SignatureHeader,
            signature ?? VcbNotification.Sign(Account("TS01", "VCB").Vcb!.PrivateKeyPem, Encoding.UTF8.GetBytes(body))));

    // ---- MSB ----

    public string MsbBody(string transactionId, long amount, string? va, string dcSign = "C", string? original = null) =>
        JsonSerializer.Serialize(new
        {
            transactionId, referenceNo = "IB20SML247/" + transactionId, vaNumber = va, accountNumber = Account("TS02", "MSB").AccountNo, amount,
            currency = "VND", transactionTime = "2025-09-10 09:30:00", valueDate = "2025-09-10", dcSign, remark = "03000000000001-123456-hoc phi",
            payerName = "TRAN THI B", payerAccount = "9876543210", payerBankCode = "970422", originalTransactionId = original,
        });

    public Task<(int Status, JsonElement Body)> MsbAsync(string body, long? timestamp = null, string? signature = null)
    {
        var ts = (timestamp ?? Fees.Clock.Now.ToUnixTimeSeconds()).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return PostAsync("/api/banks/msb/notify", body, r =>
        {
            r.Headers.Add(MsbNotification.TimestampHeader, ts);
            r.Headers.Add(MsbNotification.SignatureHeader, signature ?? MsbNotification.Sign(Account("TS02", "MSB").Msb!.Secret, ts, Encoding.UTF8.GetBytes(body)));
        });
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        await Fees.DisposeAsync();
    }
}
