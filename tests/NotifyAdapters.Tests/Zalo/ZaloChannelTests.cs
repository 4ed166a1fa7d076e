using System.Text.Json;
using TdmEdu.Fees.NotifyAdapters.Tests.Support;
using TdmEdu.Fees.NotifyAdapters.Zalo;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace TdmEdu.Fees.NotifyAdapters.Tests.Zalo;

/// <summary>The ZNS channel against WireMock.Net playing Zalo: the request it sends, and §7.4's table code by code.</summary>
public sealed class ZaloChannelTests : IDisposable
{
    private readonly ZaloWire _zalo = new();

    public void Dispose() => _zalo.Dispose();

    private async Task<SendOutcome> SendAsync(MessageKind kind = MessageKind.NoticeIssued, ZaloOptions? options = null)
    {
        using var sp = _zalo.Services(options);
        return await _zalo.Channel(sp).SendAsync(Samples.Message(NotificationChannel.ZaloZns, ZaloWire.Phone, kind), CancellationToken.None);
    }

    [Fact]
    public async Task Send_Success_IsAccepted_WithTheMsgIdAndTheQuota()
    {
        _zalo.SendAnswers(ZaloWire.Success("zns-42", remaining: 17), accessToken: "AT1");
        using var sp = _zalo.Services();
        var message = Samples.Message(NotificationChannel.ZaloZns, ZaloWire.Phone);

        var outcome = await _zalo.Channel(sp).SendAsync(message, CancellationToken.None);

        var accepted = Assert.IsType<Accepted>(outcome);
        Assert.Equal(("zns-42", 1, (long?)null), (accepted.ProviderMessageId, accepted.Segments, accepted.CostVnd));
        Assert.Equal(new ProviderQuota(5000, 17), accepted.Quota);
        Assert.Equal(new ProviderQuota(5000, 17), _zalo.Channel(sp).LastQuota);
        var body = JsonDocument.Parse(_zalo.Server.LogEntries.Single().RequestMessage.Body!).RootElement;
        Assert.Equal(ZaloWire.Phone, body.GetProperty("phone").GetString());
        Assert.Equal("700001", body.GetProperty("template_id").GetString());
        Assert.Equal(message.Id.ToString(), body.GetProperty("tracking_id").GetString());
        Assert.Equal("1.500.000", body.GetProperty("template_data").GetProperty("amount").GetString());
        Assert.Equal("15/09/2026", body.GetProperty("template_data").GetProperty("due_date").GetString());
        Assert.False(body.TryGetProperty("mode", out _));
        Assert.DoesNotContain(ZaloWire.Phone, accepted.Body);
    }

    [Fact]
    public async Task Send_InDevelopmentMode_SaysSo()
    {
        _zalo.SendAnswers(ZaloWire.Success());

        await SendAsync(options: _zalo.Options() with { Development = true });

        Assert.Equal("development", JsonDocument.Parse(_zalo.Server.LogEntries.Single().RequestMessage.Body!).RootElement.GetProperty("mode").GetString());
    }

    [Theory]
    [InlineData(-100, "Retry -100")]
    [InlineData(-108, "Failed -108 NextChannel next")]
    [InlineData(-109, "Failed -109 None alert")]
    [InlineData(-111, "Failed -111 None alert")]
    [InlineData(-112, "Failed -112 None alert")]
    [InlineData(-117, "Failed -117 None alert")]
    [InlineData(-130, "Failed -130 None alert")]
    [InlineData(-131, "Failed -131 None alert")]
    [InlineData(-132, "Failed -132 None alert")]
    [InlineData(-146, "Failed -146 None alert")]
    [InlineData(-114, "Failed -114 NextChannel next")]
    [InlineData(-134, "Failed -134 NextChannel next")]
    [InlineData(-115, "Failed -115 DisableChannel next alert")]
    [InlineData(-135, "Failed -135 DisableChannel next alert")]
    [InlineData(-137, "Failed -137 DisableChannel next alert")]
    [InlineData(-118, "Failed -118 Unreachable next")]
    [InlineData(-119, "Failed -119 Unreachable next")]
    [InlineData(-133, "Retry -133 at 2026-12-05 07:00 +07:00")]
    [InlineData(-139, "Failed -139 OptedOut next")]
    [InlineData(-141, "Failed -141 OptedOut next")]
    [InlineData(-144, "Retry -144 at 2026-12-05 07:00 +07:00 whole")]
    [InlineData(-147, "Retry -147 at 2026-12-05 07:00 +07:00 whole")]
    [InlineData(-999, "Retry -999")]
    public async Task Send_ErrorCode_IsMappedAsTheTableSays(int code, string expected)
    {
        _zalo.SendAnswers(ZaloWire.Error(code));

        Assert.Equal(expected, Samples.Describe(await SendAsync()));
    }

    [Theory]
    [InlineData(MessageKind.NoticeIssued, true)]
    [InlineData(MessageKind.PaymentApplied, true)]
    [InlineData(MessageKind.ReminderDue, false)]
    [InlineData(MessageKind.ReminderOverdue, false)]
    [InlineData(MessageKind.ReceiptChanged, false)]
    public async Task OptOut_GoesOnBySms_OnlyForTheKindsThatCannotBeSwitchedOff(MessageKind kind, bool next)
    {
        _zalo.SendAnswers(ZaloWire.Error(-141));

        var failed = Assert.IsType<Failed>(await SendAsync(kind));

        Assert.Equal((FailureHint.OptedOut, next), (failed.Hint, failed.TryNextChannel));
    }

    [Fact]
    public async Task NightRefusal_AtTwoInTheMorning_WaitsUntilSevenTheSameDay()
    {
        _zalo.Clock.Now = new DateTimeOffset(2026, 12, 4, 19, 0, 0, TimeSpan.Zero); // 02:00 on the 5th in Vietnam
        _zalo.SendAnswers(ZaloWire.Error(-133));

        Assert.Equal(Samples.NextMorning, Assert.IsType<Retry>(await SendAsync()).NotBefore);
    }

    [Theory]
    [InlineData(500, "Retry HTTP 500")]
    [InlineData(503, "Retry HTTP 503")]
    [InlineData(429, "Retry HTTP 429")]
    public async Task Send_HttpError_IsRetried(int status, string expected)
    {
        _zalo.SendAnswers(new { }, status);

        Assert.Equal(expected, Samples.Describe(await SendAsync()));
    }

    [Fact]
    public async Task Send_AnswerThatIsNotZalos_IsUnknown()
    {
        _zalo.Server.Given(Request.Create().WithPath("/message/template").UsingPost())
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody("<html>proxy error</html>"));

        Assert.Equal("Unknown BAD_ANSWER", Samples.Describe(await SendAsync()));
    }

    [Fact]
    public async Task Send_NoAnswerWithinTheTimeout_IsUnknown()
    {
        _zalo.SendAnswers(ZaloWire.Success(), delay: TimeSpan.FromSeconds(2));

        Assert.Equal("Unknown TIMEOUT", Samples.Describe(await SendAsync(options: _zalo.Options(timeout: TimeSpan.FromMilliseconds(300)))));
    }

    [Fact]
    public async Task Send_NobodyListening_IsRetried_AsNothingLeft()
    {
        var closed = new Uri($"http://127.0.0.1:{Samples.FreePort()}");

        Assert.Equal("Retry CONNECT", Samples.Describe(await SendAsync(options: _zalo.Options(apiBase: closed))));
    }

    [Fact]
    public async Task Send_WithoutATemplateForTheKind_FailsBeforeCallingZalo()
    {
        var options = _zalo.Options() with { TemplateIds = new Dictionary<MessageKind, string>() };

        Assert.Equal("Failed NO_TEMPLATE None next alert", Samples.Describe(await SendAsync(options: options)));
        Assert.Empty(_zalo.Server.LogEntries);
    }

    [Fact]
    public async Task Send_ToAnythingButEightyFourAndNineDigits_FailsBeforeCallingZalo()
    {
        using var sp = _zalo.Services();

        var outcome = await _zalo.Channel(sp).SendAsync(Samples.Message(NotificationChannel.ZaloZns, "+84912345678"), CancellationToken.None);

        Assert.Equal("Failed BAD_DESTINATION None", Samples.Describe(outcome));
        Assert.Empty(_zalo.Server.LogEntries);
    }

    [Fact]
    public async Task Status_Delivered_GivesTheDeliveryTime()
    {
        _zalo.Server.Given(Request.Create().WithPath("/message/status").WithParam("message_id", "zns-42").WithParam("phone", ZaloWire.Phone).UsingGet())
            .RespondWith(Response.Create().WithBodyAsJson(new { error = 0, message = "Success", data = new { delivery_time = "1764856800000", status = 1 } }));
        using var sp = _zalo.Services();

        var report = await _zalo.Channel(sp).StatusAsync("zns-42", ZaloWire.Phone, CancellationToken.None);

        Assert.Equal(new DeliveryReport(DeliveryState.Delivered, DateTimeOffset.FromUnixTimeMilliseconds(1_764_856_800_000), null, "1"), report);
    }

    [Theory]
    [InlineData("{\"error\":0,\"data\":{\"status\":0}}", DeliveryState.Sent)]
    [InlineData("{\"error\":0,\"data\":{\"status\":-1}}", DeliveryState.Failed)]
    [InlineData("{\"error\":-100,\"message\":\"x\"}", DeliveryState.NoAnswer)]
    public async Task Status_Otherwise_IsReadAsIs(string answer, DeliveryState state)
    {
        _zalo.Server.Given(Request.Create().WithPath("/message/status").UsingGet())
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(answer));
        using var sp = _zalo.Services();

        Assert.Equal(state, (await _zalo.Channel(sp).StatusAsync("m", ZaloWire.Phone, CancellationToken.None)).State);
    }

    [Fact]
    public async Task Quota_IsReadFromItsCall()
    {
        _zalo.Server.Given(Request.Create().WithPath("/message/quota").WithHeader("access_token", "AT1").UsingGet())
            .RespondWith(Response.Create().WithBodyAsJson(new { error = 0, message = "Success", data = new { dailyQuota = 500, remainingQuota = "0" } }));
        using var sp = _zalo.Services();

        Assert.Equal(new ProviderQuota(500, 0), await _zalo.Channel(sp).QuotaAsync(CancellationToken.None));
    }
}
