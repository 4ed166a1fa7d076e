using Microsoft.AspNetCore.Http.Features;
using TdmEdu.Fees.Api.Application.Messages;
using TdmEdu.Fees.NotifyAdapters.Esms;
using TdmEdu.Fees.NotifyAdapters.Zalo;

namespace TdmEdu.Fees.Api.Http;

/// <summary>
/// The providers' calls back (contracts/notifications.md §10): Zalo's delivery events (signed) and eSMS's delivery
/// callback (a GET to a secret path). Stored first, answered at once, never with ProblemDetails; no phone number and
/// no body reaches the log.
/// </summary>
public static class NotifyHooks
{
    public const int MaxEventBytes = 64 * 1024;

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/api/notify/zalo/events", async (HttpContext http, Deliveries deliveries, ILoggerFactory logs, CancellationToken ct) =>
        {
            // Without Zalo configured no signature can be checked: refused like a bad one, and never as ProblemDetails (§10).
            if (http.RequestServices.GetService<ZaloOptions>() is not { } options) return Results.Text("", statusCode: 401);
            http.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize = MaxEventBytes;
            using var buffer = new MemoryStream();
            try { await http.Request.Body.CopyToAsync(buffer, ct); }
            catch (BadHttpRequestException) { return Results.StatusCode(413); }
            var body = buffer.ToArray();
            var check = ZaloEvents.Check(options, body, http.Request.Headers["X-ZEvent-Signature"]);
            if (check != ZaloSignatureCheck.Valid) logs.CreateLogger("NotifyHooks").LogWarning("A Zalo event without a valid signature ({Check})", check);
            if (check == ZaloSignatureCheck.Refused) return Results.Text("", statusCode: 401);
            if (ZaloEvents.Parse(body) is ZaloDelivery d)
                await deliveries.ZaloDeliveredAsync(d.EventName, d.MsgId, d.DeliveredAt, System.Text.Encoding.UTF8.GetString(body), ct);
            return Results.Text("ok");
        });
        app.MapGet("/api/notify/esms/callback/{hookSecret}", async (string hookSecret, HttpRequest request, IConfiguration config, Deliveries deliveries, CancellationToken ct) =>
        {
            var secret = config["Notify:Esms:HookSecret"];
            if (string.IsNullOrEmpty(secret) || !System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
                    System.Text.Encoding.UTF8.GetBytes(hookSecret), System.Text.Encoding.UTF8.GetBytes(secret)))
                return Results.Text("", statusCode: 404);
            var d = EsmsCallback.Parse(name => request.Query[name].FirstOrDefault());
            if (d.Problem is not null) return Results.Text("bad request", statusCode: 400);
            // The phone number stays out of what is kept.
            var kept = string.Join('&', request.Query.Where(q => !q.Key.Equals("phonenumber", StringComparison.OrdinalIgnoreCase)).Select(q => $"{q.Key}={q.Value}"));
            await deliveries.SmsReportAsync(d.SmsId, d.RequestId, d.State, d.TotalPriceVnd, kept, ct);
            return Results.Text("OK");
        });
    }
}
