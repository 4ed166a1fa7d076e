using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using TdmEdu.Fees.Api.Application.Receipts;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.TvanAdapters;

namespace TdmEdu.Fees.Api.Http;

/// <summary>
/// The T-VAN provider's callback (contracts/ereceipts.md §10): <c>POST /api/ereceipts/provider/events</c>, signed
/// with HMAC-SHA256 in <c>X-Tvan-Signature</c> within 300 s. Stored, then answered 200; refused 401 unsigned (and when
/// no provider is configured, since nothing could check it). No body reaches the log.
/// </summary>
public static class TvanHooks
{
    public const int MaxEventBytes = 64 * 1024;
    public const string Path = "/api/ereceipts/provider/events";

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost(Path, async (HttpContext http, TvanOutbox outbox, BusinessClock clock, ILoggerFactory logs, CancellationToken ct) =>
        {
            if (http.RequestServices.GetService<TvanOptions>() is not { } options) return Results.Text("", statusCode: 401);
            http.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize = MaxEventBytes;
            using var buffer = new MemoryStream();
            try { await http.Request.Body.CopyToAsync(buffer, ct); }
            catch (BadHttpRequestException) { return Results.Text("the body is over 64 KB", statusCode: 413); }
            var body = buffer.ToArray();
            var log = logs.CreateLogger("TvanHooks");
            if (TvanSignature.Problem(http.Request.Headers[TvanSignature.Header], options.CallbackSecret, body, clock.Now) is { } bad)
            {
                log.LogWarning("A provider callback without a valid signature: {Problem}", bad);
                return Results.Text(bad, statusCode: 401);
            }
            TvanStatus? status;
            try
            {
                status = JsonSerializer.Deserialize<TvanStatus>(body);
            }
            catch (JsonException)
            {
                return Results.Text("the body is not the status JSON of the contract", statusCode: 400);
            }
            if (status is null) return Results.Text("the body is not the status JSON of the contract", statusCode: 400);
            var (stored, problem) = await outbox.ApplyAsync(status, "callback", ct);
            if (!stored) return Results.Text(problem!, statusCode: 400);
            if (problem is not null) log.LogWarning("A provider callback stored that names no document of ours ({Problem})", problem);
            return Results.Text("ok");
        });
    }
}
