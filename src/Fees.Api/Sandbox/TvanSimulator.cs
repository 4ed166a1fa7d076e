using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using TdmEdu.Fees.Api.Http;
using TdmEdu.Fees.Api.Security;
using TdmEdu.Fees.Domain.Receipts;
using TdmEdu.Fees.TvanAdapters;

namespace TdmEdu.Fees.Api.Sandbox;

/// <summary>
/// `fees tvan-sim` (contracts/ereceipts.md §13): plays the T-VAN provider of §10 on 127.0.0.1. It checks the bearer
/// token, the hash and the signature of each upload and the idempotency rules (the same key and hash answer the first
/// answer; another hash 409), answers 202, and 2 s later calls the service back signed: accepted, or rejected with
/// E_CONTENT for a receipt whose number ends in 13. With --down it answers 503 to everything. It keeps what it took
/// (not the XML) for GET /_sim/documents. For `./fees up`; the tests use WireMock.Net with the same shapes.
/// </summary>
public sealed class TvanSimulator : IAsyncDisposable
{
    /// <summary>The sandbox's credentials; the service's sandbox settings name the same.</summary>
    public static class Sandbox
    {
        public const string Token = "sandbox-tvan-token";
        public const string CallbackSecret = "sandbox-tvan-callback-secret";
    }

    public sealed record Settings(int Port, Uri CallbackBase, bool Down);

    /// <summary>The service's settings (EReceipts:Tvan:…) for this sandbox.</summary>
    public static IEnumerable<(string Key, string Value)> ServiceSettings(Uri sim) =>
        [("EReceipts:Tvan:ApiBase", sim.ToString()), ("EReceipts:Tvan:Token", Sandbox.Token), ("EReceipts:Tvan:CallbackSecret", Sandbox.CallbackSecret)];

    /// <summary>One document the simulator holds.</summary>
    public sealed record Held(string ProviderId, string Key, string Sha256, string Kind, string TaxCode, string? Template, string? Series, long? Number, DateTimeOffset At)
    {
        public string Status { get; set; } = TvanStates.Received;
        public List<TvanError> Errors { get; } = [];
        public DateTimeOffset UpdatedAt { get; set; } = At;
    }

    private const int MaxBodyBytes = 4 * 1024 * 1024;
    private const int MaxXmlBytes = 2 * 1024 * 1024;
    private readonly WebApplication _app;
    private readonly Settings _settings;
    private readonly HttpClient _callbacks = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly ConcurrentDictionary<string, Held> _byKey = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Held> _byId = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _calling = new(4);
    private readonly CancellationTokenSource _stopping = new();
    private int _failedCallbacks;

    /// <summary>Released once per callback made (taken or not): what a caller waits on to see the service told.</summary>
    public SemaphoreSlim CallbackMade { get; } = new(0);

    private TvanSimulator(WebApplication app, Settings settings) => (_app, _settings) = (app, settings);

    public Uri Address { get; private set; } = null!;

    /// <summary>Callbacks the service did not take (it was down, or refused): the simulator goes on, as a provider does.</summary>
    public int FailedCallbacks => _failedCallbacks;

    public static async Task<TvanSimulator> StartAsync(Settings settings, CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{settings.Port}");
        builder.WebHost.ConfigureKestrel(o => o.Limits.MaxRequestBodySize = MaxBodyBytes);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.Critical);
        var app = builder.Build();
        var sim = new TvanSimulator(app, settings);
        app.MapPost("/v1/documents", (Delegate)((HttpContext http) => sim.UploadAsync(http)));
        app.MapGet("/v1/documents/{providerId}", (HttpRequest request, string providerId) =>
        {
            if (sim.Refusal(request) is { } refused) return refused;
            return sim._byId.TryGetValue(providerId, out var held) ? Results.Json(Status(held)) : Error(404, "NOT_FOUND", "no such document");
        });
        app.MapGet("/_sim/documents", () => Results.Json(sim.List()));
        await app.StartAsync(ct);
        sim.Address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return sim;
    }

    public async Task WaitUntilStoppedAsync(CancellationToken ct)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(ct, _app.Lifetime.ApplicationStopping);
        try
        {
            await Task.Delay(Timeout.Infinite, either.Token);
        }
        catch (OperationCanceledException)
        {
            // Stopping is the normal end.
        }
    }

    public IReadOnlyList<Held> List() => [.. _byId.Values.OrderBy(h => h.At)];

    private IResult? Refusal(HttpRequest request)
    {
        if (_settings.Down) return Error(503, "UNAVAILABLE", "the sandbox provider is down (--down)");
        return request.Headers.Authorization.ToString() == "Bearer " + Sandbox.Token ? null : Error(401, "UNAUTHENTICATED", "the bearer token is not the sandbox's");
    }

    private async Task<IResult> UploadAsync(HttpContext http)
    {
        if (Refusal(http.Request) is { } refused) return refused;
        var key = http.Request.Headers["Idempotency-Key"].ToString();
        if (key.Length is 0 or > 100) return Error(400, "XML_MALFORMED", "the Idempotency-Key header is missing or over 100 characters");
        TvanDocument? doc;
        try
        {
            doc = await JsonSerializer.DeserializeAsync<TvanDocument>(http.Request.Body, cancellationToken: http.RequestAborted);
        }
        catch (Exception e) when (e is JsonException or BadHttpRequestException)
        {
            return e is BadHttpRequestException ? Error(400, "TOO_LARGE", "the upload is over 4 MB") : Error(400, "XML_MALFORMED", "the body is not the upload JSON");
        }
        if (doc is null) return Error(400, "XML_MALFORMED", "the body is not the upload JSON");
        byte[] xml;
        try
        {
            xml = Convert.FromBase64String(doc.XmlBase64);
        }
        catch (FormatException)
        {
            return Error(400, "XML_MALFORMED", "xmlBase64 is not base64");
        }
        if (xml.Length > MaxXmlBytes) return Error(400, "TOO_LARGE", "the message is over 2 MB");
        if (Convert.ToHexStringLower(SHA256.HashData(xml)) != doc.Sha256) return Error(400, "XML_MALFORMED", "sha256 is not the hash of the XML");
        var check = doc.Kind switch
        {
            TvanKinds.Receipt => ReceiptSignature.Verify(xml),
            TvanKinds.ErrorNotice => ReceiptSignature.Verify(xml, TaxOfficeXml.NoticeRoot, TaxOfficeXml.NoticeData, TaxOfficeXml.Signer),
            TvanKinds.UsageReport => ReceiptSignature.Verify(xml, TaxOfficeXml.ReportRoot, TaxOfficeXml.ReportData, TaxOfficeXml.Signer),
            _ => null,
        };
        if (check is null) return Error(400, "XML_MALFORMED", $"kind \"{doc.Kind}\" is not receipt, error_notice or usage_report");
        if (!check.Valid) return Error(422, "SIGNATURE_INVALID", check.Problem ?? "the signature does not verify");

        var fresh = new Held("SIM" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8)), key, doc.Sha256, doc.Kind, doc.TaxCode, doc.Template, doc.Series, doc.Number, DateTimeOffset.UtcNow);
        var held = _byKey.GetOrAdd(key, fresh);
        if (!ReferenceEquals(held, fresh))
            return held.Sha256 == doc.Sha256
                ? Results.Json(new { providerId = held.ProviderId, status = held.Status }, statusCode: 200)
                : Error(409, "IDEMPOTENCY_CONFLICT", "this key was used for a document with another sha256");
        _byId[held.ProviderId] = held;
        _ = DecideLaterAsync(held);
        return Results.Json(new { providerId = held.ProviderId, status = held.Status }, statusCode: 202);
    }

    /// <summary>Two seconds on: the tax office's answer, then the signed callback.</summary>
    private async Task DecideLaterAsync(Held held)
    {
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(2), _stopping.Token);
            lock (held)
            {
                if (held.Kind == TvanKinds.Receipt && held.Number % 100 == 13)
                {
                    held.Status = TvanStates.Rejected;
                    held.Errors.Add(new TvanError { Code = "E_CONTENT", Text = "Nội dung biên lai không hợp lệ (hộp cát: số kết thúc bằng 13)." });
                }
                else held.Status = TvanStates.Accepted;
                held.UpdatedAt = DateTimeOffset.UtcNow;
            }
            await _calling.WaitAsync(_stopping.Token);
            try
            {
                var body = JsonSerializer.SerializeToUtf8Bytes(Status(held));
                using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_settings.CallbackBase, TvanHooks.Path)) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
                request.Headers.TryAddWithoutValidation(TvanSignature.Header, TvanSignature.Make(Sandbox.CallbackSecret, DateTimeOffset.UtcNow, body));
                using var response = await _callbacks.SendAsync(request, _stopping.Token);
                if (!response.IsSuccessStatusCode) Interlocked.Increment(ref _failedCallbacks);
                CallbackMade.Release();
            }
            finally
            {
                _calling.Release();
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
        catch (HttpRequestException)
        {
            Interlocked.Increment(ref _failedCallbacks);
            CallbackMade.Release();
        }
    }

    private static TvanStatus Status(Held h) => new()
    {
        ProviderId = h.ProviderId, Status = h.Status, MessageId = "V0100000000" + h.ProviderId[3..].ToUpperInvariant(), Errors = [.. h.Errors],
        UpdatedAt = h.UpdatedAt.ToOffset(TimeSpan.FromHours(7)).ToString("yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture),
    };

    private static IResult Error(int status, string code, string text) => Results.Json(new { code, text }, statusCode: status);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _callbacks.Dispose();
        _stopping.Dispose();
        _calling.Dispose();
        CallbackMade.Dispose();
    }
}
