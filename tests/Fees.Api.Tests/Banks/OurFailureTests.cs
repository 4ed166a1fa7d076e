using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using TdmEdu.Fees.Api.Hosting;
using TdmEdu.Fees.Api.Tests.Support;
using TdmEdu.Fees.BankAdapters.Bidv;

namespace TdmEdu.Fees.Api.Tests.Banks;

public sealed class OurFailureTests
{
    [Fact]
    public async Task DatabaseDown_EachBankGetsItsRetryAnswer_AndTheHostKeepsServing()
    {
        // A database nobody listens on: every call fails on our side.
        await using var app = WebHost.Build("Host=127.0.0.1;Port=1;Username=x;Database=x;Timeout=1", 0, BankHost.Box, runWorker: false);
        await app.StartAsync();
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var http = new HttpClient { BaseAddress = new Uri(url) };
        async Task<(int, string)> Post(string path, string body, Action<HttpRequestMessage>? h = null)
        {
            using var r = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            h?.Invoke(r);
            using var response = await http.SendAsync(r);
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        var bidv = await Post("/api/banks/bidv/token_generate", "{}", r => r.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String("u:p"u8.ToArray())));
        var vcb = await Post("/api/banks/vcb/notify", """{"accountNumber":"0281000111222","transactionId":"X"}""", r => r.Headers.Add("X-VCB-Signature", "AAAA"));
        var msb = await Post("/api/banks/msb/notify", """{"accountNumber":"03000000000001","transactionId":"X"}""");
        var health = await http.GetAsync("/health");

        Assert.Equal((500, BidvBillPayment.Answer(BidvBillPayment.SystemError)), bidv);
        Assert.Equal((500, """{"code":"99"}"""), vcb);
        Assert.Equal((500, """{"code":"99"}"""), msb);
        Assert.Equal(503, (int)health.StatusCode);
    }

    [Fact]
    public async Task GetBill_WhenEverythingIsPaid_Is012()
    {
        await using var host = await BankHost.StartAsync();
        var token = await host.BidvTokenAsync();
        var b = host.Account("TS02", "BIDV").Bidv!;
        var code = await host.PaymentCodeAsync("7900000040");
        await host.BidvAsync("paybill", host.PayBill("T9000", code, "TS02-202509-00001", "1371800"), token);
        await host.ProcessInboxAsync();

        var (status, body) = await host.BidvAsync("getbill", new { customer_id = code, service_id = b.ServiceId,
            checksum = BidvBillPayment.InquiryChecksum(b.Secret, b.ServiceId, code) }, token);

        Assert.Equal((400, "012"), (status, body.GetProperty("result_code").GetString()));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("unknown-account")]
    [InlineData("fraction")]
    [InlineData("bad-va")]
    public async Task Msb_MalformedCall_Is400WithCode01(string what)
    {
        await using var host = await BankHost.StartAsync();
        var good = host.MsbBody("FT7000", 1000, "88000000000000");
        var body = what switch
        {
            "unknown-account" => good.Replace(host.Account("TS02", "MSB").AccountNo, "11111111111111"),
            "fraction" => good.Replace("\"amount\":1000", "\"amount\":1000.25"),
            "bad-va" => good.Replace("88000000000000", "12AB"),
            _ => what,
        };

        var (status, answer) = await host.MsbAsync(body);

        Assert.Equal((400, "01"), (status, answer.GetProperty("code").GetString()));
        Assert.Equal(0, await host.Fees.Db.ScalarAsync("SELECT count(*) FROM bank_inbox"));
    }
}
