using Microsoft.Extensions.DependencyInjection;
using TdmEdu.Fees.NotifyAdapters.Tests.Support;
using TdmEdu.Fees.NotifyAdapters.Zalo;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace TdmEdu.Fees.NotifyAdapters.Tests.Zalo;

/// <summary>WireMock.Net playing Zalo's OAuth and ZNS hosts with the shapes of §7, and the channel wired as the host wires it.</summary>
public sealed class ZaloWire : IDisposable
{
    public const string AppId = "4321987650";
    public const string AppSecret = "app-secret";
    public const string Phone = "84912345678";

    public WireMockServer Server { get; } = WireMockServer.Start();
    public TestClock Clock { get; } = new(Samples.Evening);
    public InMemoryZaloTokenStore Store { get; } = new(new ZaloTokenPair("AT1", "RT1", Samples.Evening.AddHours(20)));

    public void Dispose() => Server.Stop();

    public ZaloOptions Options(TimeSpan? timeout = null, Uri? apiBase = null) => new()
    {
        ApiBase = apiBase ?? new Uri(Server.Url!), OAuthBase = new Uri(Server.Url!), AppId = AppId, AppSecret = AppSecret,
        TemplateIds = Enum.GetValues<MessageKind>().ToDictionary(k => k, k => "7" + (int)k + "0001"),
        Timeout = timeout ?? TimeSpan.FromSeconds(5),
    };

    public ServiceProvider Services(ZaloOptions? options = null, IZaloTokenStore? store = null) =>
        new ServiceCollection().AddSingleton<TimeProvider>(Clock).AddSingleton(store ?? Store).AddZaloZns(options ?? Options()).BuildServiceProvider();

    public ZaloZnsChannel Channel(ServiceProvider sp) => sp.GetRequiredService<ZaloZnsChannel>();

    public void SendAnswers(object body, int status = 200, string? accessToken = null, TimeSpan? delay = null)
    {
        var request = Request.Create().WithPath("/message/template").UsingPost();
        if (accessToken is not null) request = request.WithHeader("access_token", accessToken);
        var response = Response.Create().WithStatusCode(status).WithBodyAsJson(body);
        if (delay is { } d) response = response.WithDelay(d);
        Server.Given(request).RespondWith(response);
    }

    public static object Success(string msgId = "msg-1", int remaining = 4999) => new
    {
        error = 0, message = "Success",
        data = new { msg_id = msgId, sent_time = "1764856800000", sending_mode = "1", quota = new { dailyQuota = "5000", remainingQuota = remaining.ToString() } },
    };

    public static object Error(int code) => new { error = code, message = "error " + code };

    /// <summary>The token host hands out AT{n+1}/RT{n+1} for RT{n}, once each, and -14020 for a refresh token used twice.</summary>
    public void TokenHostWithSingleUseRefreshTokens(int upTo = 5)
    {
        for (var n = 1; n <= upTo; n++)
        {
            var scenario = "rt" + n;
            Server.Given(Request.Create().WithPath("/v4/oa/access_token").UsingPost().WithBody(new RegexMatcher($"(^|&)refresh_token=RT{n}(&|$)")))
                .InScenario(scenario).WillSetStateTo("used")
                .RespondWith(Response.Create().WithBodyAsJson(new { access_token = $"AT{n + 1}", refresh_token = $"RT{n + 1}", expires_in = "90000" }));
            Server.Given(Request.Create().WithPath("/v4/oa/access_token").UsingPost().WithBody(new RegexMatcher($"(^|&)refresh_token=RT{n}(&|$)")))
                .InScenario(scenario).WhenStateIs("used")
                .RespondWith(Response.Create().WithBodyAsJson(new { error = -14020, error_name = "Refresh token is used", error_description = "used" }));
        }
    }

    public int Calls(string path) => Server.LogEntries.Count(e => e.RequestMessage.Path == path);
}
