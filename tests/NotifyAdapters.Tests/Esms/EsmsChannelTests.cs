using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using TdmEdu.Fees.NotifyAdapters.Esms;
using TdmEdu.Fees.NotifyAdapters.Tests.Support;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace TdmEdu.Fees.NotifyAdapters.Tests.Esms;

/// <summary>The SMS channel against WireMock.Net playing eSMS: the request, §8's table code by code, the status poll.</summary>
public sealed class EsmsChannelTests : IDisposable
{
    private readonly EsmsWire _esms = new();

    public void Dispose() => _esms.Dispose();

    private async Task<SendOutcome> SendAsync(EsmsOptions? options = null, MessageValues? values = null)
    {
        using var sp = _esms.Services(options);
        return await sp.GetRequiredService<EsmsSmsChannel>().SendAsync(Samples.Message(NotificationChannel.Sms, "84912345678", values: values), CancellationToken.None);
    }

    [Fact]
    public async Task Send_Accepted_CarriesEveryValueAsAString()
    {
        _esms.SendAnswers(new { CodeResult = "100", SMSID = "sms-7" });
        using var sp = _esms.Services(_esms.Options(sandbox: true));
        var message = Samples.Message(NotificationChannel.Sms, "84912345678");

        var outcome = await sp.GetRequiredService<EsmsSmsChannel>().SendAsync(message, CancellationToken.None);

        Assert.Equal("Accepted sms-7 2", Samples.Describe(outcome));
        var body = JsonDocument.Parse(_esms.Server.LogEntries.Single().RequestMessage.Body!).RootElement;
        Assert.All(body.EnumerateObject(), p => Assert.Equal(JsonValueKind.String, p.Value.ValueKind));
        Assert.Equal(("api-key", "secret-key", "TRUONGHOC", "2"), (S(body, "ApiKey"), S(body, "SecretKey"), S(body, "Brandname"), S(body, "SmsType")));
        Assert.Equal(("0912345678", "0", "1"), (S(body, "Phone"), S(body, "IsUnicode"), S(body, "Sandbox")));
        Assert.Equal(message.Id.ToString(), S(body, "RequestId"));
        Assert.Equal("https://thuhocphi.example.vn/api/notify/esms/callback/hook", S(body, "CallbackUrl"));
        Assert.StartsWith("TH Phu Hoa 2: Thong bao thu T9/2026 cua em An: 1.500.000 d,", S(body, "Content"));
        Assert.Equal(S(body, "Content"), outcome.Body);
    }

    private static string? S(JsonElement e, string name) => e.GetProperty(name).GetString();

    [Theory]
    [InlineData("100", "Accepted sms-1 2")]
    [InlineData("124", "Accepted sms-1 2")]
    [InlineData("99", "Failed 99 Unreachable next")]
    [InlineData("108", "Failed 108 NextChannel next")]
    [InlineData("177", "Failed 177 NextChannel next")]
    [InlineData("146", "Failed 146 None alert")]
    [InlineData("101", "Failed 101 DisableChannel alert")]
    [InlineData("102", "Failed 102 DisableChannel alert")]
    [InlineData("103", "Failed 103 DisableChannel alert")]
    [InlineData("104", "Failed 104 DisableChannel alert")]
    [InlineData("140", "Failed 140 DisableChannel alert")]
    [InlineData("105", "Retry 105")]
    [InlineData("789", "Retry 789")]
    public async Task Send_Code_IsMappedAsTheTableSays(string code, string expected)
    {
        _esms.SendAnswers(code is "100" or "124" ? new { CodeResult = code, SMSID = "sms-1" } : new { CodeResult = code, SMSID = (string?)null, ErrorMessage = "e" });

        Assert.Equal(expected, Samples.Describe(await SendAsync()));
    }

    [Fact]
    public async Task Send_CodeAsANumber_IsReadToo()
    {
        _esms.Server.Given(Request.Create().WithPath(EsmsWire.SendPath).UsingPost())
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody("{\"CodeResult\":103,\"ErrorMessage\":\"Balance not enough\"}"));

        Assert.Equal("Failed 103 DisableChannel alert", Samples.Describe(await SendAsync()));
    }

    [Theory]
    [InlineData(503, "Retry HTTP 503")]
    [InlineData(500, "Retry HTTP 500")]
    public async Task Send_HttpError_IsRetried(int status, string expected)
    {
        _esms.SendAnswers(new { }, status);

        Assert.Equal(expected, Samples.Describe(await SendAsync()));
    }

    [Fact]
    public async Task Send_NoAnswerWithinTheTimeout_IsUnknown()
    {
        _esms.SendAnswers(new { CodeResult = "100", SMSID = "late" }, delay: TimeSpan.FromSeconds(2));

        Assert.Equal("Unknown TIMEOUT", Samples.Describe(await SendAsync(_esms.Options(timeout: TimeSpan.FromMilliseconds(300)))));
    }

    [Fact]
    public async Task Send_TextOverTwoParts_IsRefusedWithoutCallingEsms()
    {
        var outcome = await SendAsync(values: Samples.Values(link: Samples.Link + "/" + new string('x', 200)));

        Assert.Equal("Failed TOO_LONG None alert", Samples.Describe(outcome));
        Assert.Empty(_esms.Server.LogEntries);
    }

    [Theory]
    [InlineData("true", "true", DeliveryState.Delivered)]
    [InlineData("true", "false", DeliveryState.Failed)]
    [InlineData("false", "false", DeliveryState.Sent)]
    public async Task Status_ReadsTheReceiver(string isSent, string result, DeliveryState state)
    {
        _esms.Server.Given(Request.Create().WithPath(EsmsWire.StatusPath).WithParam("ApiKey", "api-key").WithParam("SecretKey", "secret-key").WithParam("RefId", "sms-7").UsingGet())
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json")
                .WithBody($"{{\"CodeResult\":\"100\",\"ReceiverList\":[{{\"IsSent\":{isSent},\"NetworkName\":\"Viettel\",\"Phone\":\"0912345678\",\"Retry\":0,\"SentResult\":{result}}}]}}"));
        using var sp = _esms.Services();

        Assert.Equal(state, (await sp.GetRequiredService<EsmsSmsChannel>().StatusAsync("sms-7", CancellationToken.None)).State);
    }

    [Fact]
    public async Task Status_Refused_IsNoAnswer_WithTheCode()
    {
        _esms.Server.Given(Request.Create().WithPath(EsmsWire.StatusPath).UsingGet()).RespondWith(Response.Create().WithBodyAsJson(new { CodeResult = "101", ErrorMessage = "Authorize Failed" }));
        using var sp = _esms.Services();

        Assert.Equal(new DeliveryReport(DeliveryState.NoAnswer, null, null, "101"), await sp.GetRequiredService<EsmsSmsChannel>().StatusAsync("x", CancellationToken.None));
    }
}
