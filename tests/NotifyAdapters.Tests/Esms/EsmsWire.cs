using Microsoft.Extensions.DependencyInjection;
using TdmEdu.Fees.NotifyAdapters.Esms;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace TdmEdu.Fees.NotifyAdapters.Tests.Esms;

/// <summary>WireMock.Net playing eSMS with the shapes of §8, and the channel wired as the host wires it.</summary>
public sealed class EsmsWire : IDisposable
{
    public const string SendPath = "/MainService.svc/json/SendMultipleMessage_V4_post_json/";
    public const string StatusPath = "/MainService.svc/json/GetSmsReceiverStatus_get";

    public WireMockServer Server { get; } = WireMockServer.Start();

    public void Dispose() => Server.Stop();

    public EsmsOptions Options(TimeSpan? timeout = null, bool sandbox = false) => new()
    {
        ApiBase = new Uri(Server.Url!), ApiKey = "api-key", SecretKey = "secret-key", Brandname = "TRUONGHOC",
        Sandbox = sandbox, CallbackUrl = new Uri("https://thuhocphi.example.vn/api/notify/esms/callback/hook"),
        Timeout = timeout ?? TimeSpan.FromSeconds(5),
    };

    public ServiceProvider Services(EsmsOptions? options = null) => new ServiceCollection().AddEsmsSms(options ?? Options()).BuildServiceProvider();

    public void SendAnswers(object body, int status = 200, TimeSpan? delay = null)
    {
        var response = Response.Create().WithStatusCode(status).WithBodyAsJson(body);
        if (delay is { } d) response = response.WithDelay(d);
        Server.Given(Request.Create().WithPath(SendPath).UsingPost()).RespondWith(response);
    }
}
