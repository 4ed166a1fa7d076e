using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using TdmEdu.Fees.Api.Sandbox;
using TdmEdu.Fees.NotifyAdapters;
using TdmEdu.Fees.NotifyAdapters.Esms;
using TdmEdu.Fees.NotifyAdapters.Zalo;
using WireMock.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace TdmEdu.Fees.Api.Tests.Sandbox;

/// <summary>
/// `fees notify-sim` on a free port, driven through the real adapters wired from configuration as the service wires
/// them; its callbacks land on WireMock.Net standing in for the service.
/// </summary>
public sealed class NotifySimulatorTests : IAsyncLifetime
{
    private const string Hook = "/api/notify/esms/callback/hook-secret";
    private readonly WireMockServer _service = WireMockServer.Start();
    private NotifySimulator _sim = null!;

    public async Task InitializeAsync()
    {
        _service.Given(Request.Create().WithPath("/api/notify/zalo/events").UsingPost()).RespondWith(Response.Create().WithBody("ok"));
        _service.Given(Request.Create().WithPath(Hook).UsingGet()).RespondWith(Response.Create().WithBody("OK"));
        _sim = await StartAsync(quota: 5000);
    }

    public async Task DisposeAsync()
    {
        await _sim.DisposeAsync();
        _service.Stop();
    }

    private Task<NotifySimulator> StartAsync(int quota) =>
        NotifySimulator.StartAsync(new NotifySimulator.Settings(0, new Uri(_service.Url!), quota), CancellationToken.None);

    private static ServiceProvider Service(NotifySimulator sim) => new ServiceCollection().AddNotifyChannels(new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Notify:Zalo:ApiBase"] = sim.Address.ToString(), ["Notify:Zalo:OAuthBase"] = sim.Address.ToString(),
            ["Notify:Zalo:AppId"] = NotifySimulator.Sandbox.AppId, ["Notify:Zalo:AppSecret"] = NotifySimulator.Sandbox.AppSecret,
            ["Notify:Zalo:RefreshToken"] = NotifySimulator.Sandbox.RefreshToken, ["Notify:Zalo:Templates:notice_issued"] = "400001",
            ["Notify:Esms:ApiBase"] = sim.Address.ToString(), ["Notify:Esms:ApiKey"] = NotifySimulator.Sandbox.EsmsApiKey,
            ["Notify:Esms:SecretKey"] = NotifySimulator.Sandbox.EsmsSecretKey, ["Notify:Esms:Brandname"] = "TRUONGHOC",
            // The service's public address: the simulator calls its path on --callback-base.
            ["Notify:Esms:CallbackUrl"] = "https://thuhocphi.example.vn" + Hook,
        }).Build()).BuildServiceProvider();

    private static OutboundMessage Message(NotificationChannel channel, string phone) => new(Guid.CreateVersion7(), channel, MessageKind.NoticeIssued, "", phone,
        new MessageValues("TH Phú Hòa 2", "TH Phu Hoa 2", "An", 9, 2026, 1_500_000, null, null, new DateOnly(2026, 9, 15), "HS12345671", null,
            "http://127.0.0.1:5080/phu-huynh/l/AAAAAAAAAAAAAAAAAAAAAA.t0abcd.kBBBBBBBBBBBBBBBBBBBBBB"));

    private static async Task<SendOutcome> SendAsync(ServiceProvider sp, NotificationChannel channel, string phone) =>
        await sp.GetServices<INotificationChannel>().Single(c => c.Channel == channel).SendAsync(Message(channel, phone), CancellationToken.None);

    /// <summary>The first call to the service on <paramref name="path"/>, waited for within a bound.</summary>
    private async Task<ILogEntry> CallbackAsync(string path)
    {
        for (var until = DateTime.UtcNow.AddSeconds(15); DateTime.UtcNow < until; await Task.Delay(50))
            if (_service.LogEntries.FirstOrDefault(e => e.RequestMessage.Path == path) is { } hit) return hit;
        throw new TimeoutException($"no call to {path} within 15 s");
    }

    [Fact]
    public async Task ZnsSend_IsAccepted_AndASignedDeliveryEventReachesTheService()
    {
        using var sp = Service(_sim);

        var accepted = Assert.IsType<Accepted>(await SendAsync(sp, NotificationChannel.ZaloZns, "84912345671"));

        var call = (await CallbackAsync("/api/notify/zalo/events")).RequestMessage;
        var body = call.BodyAsBytes!;
        Assert.True(ZaloEvents.SignatureMatches(NotifySimulator.Sandbox.AppId, body, NotifySimulator.Sandbox.OaSecretKey, call.Headers![ZaloEvents.SignatureHeader].Single()));
        Assert.Equal(accepted.ProviderMessageId, Assert.IsType<ZaloDelivery>(ZaloEvents.Parse(body)).MsgId);
        var status = await sp.GetRequiredService<ZaloZnsChannel>().StatusAsync(accepted.ProviderMessageId, "84912345671", CancellationToken.None);
        Assert.Equal(DeliveryState.Delivered, status.State);
    }

    [Fact]
    public async Task SmsSend_ToAnEight_IsAccepted_AndTheGetCallbackSaysItFailed()
    {
        using var sp = Service(_sim);

        var accepted = Assert.IsType<Accepted>(await SendAsync(sp, NotificationChannel.Sms, "84912345678"));

        var query = (await CallbackAsync(Hook)).RequestMessage.Query!;
        var delivery = EsmsCallback.Parse(name => query.TryGetValue(name, out var v) ? v.Single() : null);
        Assert.Equal((accepted.ProviderMessageId, DeliveryState.Failed, "0912345678"), (delivery.SmsId, delivery.State, query["phonenumber"].Single()));
    }

    [Theory]
    [InlineData("84912345676", "Failed -118 Unreachable next")]
    [InlineData("84912345677", "Failed -141 OptedOut next")]
    public async Task ZnsSend_ByLastDigit_IsRefusedAsTheTableSays(string phone, string expected)
    {
        using var sp = Service(_sim);

        Assert.Equal(expected, Describe(await SendAsync(sp, NotificationChannel.ZaloZns, phone)));
    }

    [Fact]
    public async Task SmsSend_ToANine_FirstGets503_ThenGoes()
    {
        using var sp = Service(_sim);

        Assert.Equal("Retry HTTP 503", Describe(await SendAsync(sp, NotificationChannel.Sms, "84912345679")));
        Assert.IsType<Accepted>(await SendAsync(sp, NotificationChannel.Sms, "84912345679"));
    }

    [Fact]
    public async Task Quota_Spent_IsMinus144_ForTheWholeChannel()
    {
        await using var sim = await StartAsync(quota: 1);
        using var sp = Service(sim);

        Assert.IsType<Accepted>(await SendAsync(sp, NotificationChannel.ZaloZns, "84912345671"));
        var retry = Assert.IsType<Retry>(await SendAsync(sp, NotificationChannel.ZaloZns, "84912345672"));

        Assert.Equal(("-144", true), (retry.Code, retry.WholeChannel));
    }

    [Fact]
    public async Task RefreshToken_IsSingleUse_ASecondServiceStartingFromItIsRefused()
    {
        using var first = Service(_sim);
        using var second = Service(_sim);

        Assert.IsType<Accepted>(await SendAsync(first, NotificationChannel.ZaloZns, "84912345671"));
        var failed = Assert.IsType<Failed>(await SendAsync(second, NotificationChannel.ZaloZns, "84912345672"));

        Assert.Equal(("-14020", FailureHint.DisableChannel), (failed.Code, failed.Hint));
    }

    [Fact]
    public async Task SimMessages_ListWhatEachPhoneReceived_WithTheLink_AndClear()
    {
        using var sp = Service(_sim);
        await SendAsync(sp, NotificationChannel.ZaloZns, "84912345673");
        await SendAsync(sp, NotificationChannel.Sms, "84912345673");
        using var http = new HttpClient { BaseAddress = _sim.Address };

        var listed = await http.GetFromJsonAsync<JsonElement>("/_sim/messages?phone=0912345673");

        Assert.Equal(["zalo_zns", "sms"], listed.EnumerateArray().Select(m => m.GetProperty("channel").GetString()));
        Assert.All(listed.EnumerateArray(), m => Assert.EndsWith("/phu-huynh/l/AAAAAAAAAAAAAAAAAAAAAA.t0abcd.kBBBBBBBBBBBBBBBBBBBBBB", m.GetProperty("link").GetString()));
        (await http.DeleteAsync("/_sim/messages")).EnsureSuccessStatusCode();
        Assert.Equal(0, (await http.GetFromJsonAsync<JsonElement>("/_sim/messages")).GetArrayLength());
    }

    [Fact]
    public async Task Command_WithABadCallbackBase_ExitsWith2NamingTheOption()
    {
        var r = await Support.Cli.RunAsync("notify-sim", "--callback-base", "not-an-address");

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--callback-base", r.Err);
    }

    private static string Describe(SendOutcome o) => o switch
    {
        Failed f => $"Failed {f.Code} {f.Hint}" + (f.TryNextChannel ? " next" : ""),
        Retry r => $"Retry {r.Code}",
        _ => o.GetType().Name,
    };
}
