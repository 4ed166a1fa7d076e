using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using TdmEdu.Fees.NotifyAdapters.Zalo;

namespace TdmEdu.Fees.Api.Sandbox;

/// <summary>
/// `fees notify-sim` (contracts/notifications.md §11): plays Zalo (token, ZNS send, status, quota) and eSMS (send,
/// status) on 127.0.0.1 with the providers' shapes, and 1 s after a send calls the service back as they would (the
/// signed Zalo delivery event, the eSMS GET callback). The last digit of the phone decides what happens (§11's
/// table). For `./fees up` and browser tests; unit and contract tests use WireMock.Net.
/// </summary>
public sealed partial class NotifySimulator : IAsyncDisposable
{
    /// <summary>The sandbox credentials the simulator takes and signs with; the service's sandbox settings name the same.</summary>
    public static class Sandbox
    {
        public const string AppId = "sandbox-zalo-app";
        public const string AppSecret = "sandbox-zalo-app-secret";
        public const string OaSecretKey = "sandbox-zalo-oa-secret";
        public const string RefreshToken = "sandbox-zalo-refresh-token";
        public const string EsmsApiKey = "sandbox-esms-api-key";
        public const string EsmsSecretKey = "sandbox-esms-secret-key";
        public const long SmsPartPriceVnd = 800;
    }

    public sealed record Settings(int Port, Uri CallbackBase, int ZnsQuota);

    /// <summary>The service's eSMS settings (Notify:Esms:…) for this sandbox, with its callback on <paramref name="service"/>.</summary>
    public static IEnumerable<(string Key, string Value)> EsmsSettings(Uri sim, Uri service, string hookSecret) =>
    [
        ("Notify:Esms:ApiBase", sim.ToString()), ("Notify:Esms:ApiKey", Sandbox.EsmsApiKey), ("Notify:Esms:SecretKey", Sandbox.EsmsSecretKey),
        ("Notify:Esms:Brandname", "TRUONGHOC"), ("Notify:Esms:Sandbox", "true"),
        ("Notify:Esms:CallbackUrl", new Uri(service, "/api/notify/esms/callback/" + hookSecret).ToString()), ("Notify:Esms:HookSecret", hookSecret),
    ];

    /// <summary>What one channel received: the phone as 84…, the provider's id, what was said, and the link in it.</summary>
    public sealed record Received(string Channel, string Phone, string ProviderId, string RequestId, string? TemplateId,
        IReadOnlyDictionary<string, string>? TemplateData, string? Content, string? Link, DateTimeOffset At)
    {
        public string State { get; set; } = "accepted";
    }

    private readonly WebApplication _app;
    private readonly Settings _settings;
    private readonly HttpClient _callbacks = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly ConcurrentQueue<Received> _received = new();
    private readonly ConcurrentDictionary<string, byte> _usedRefreshTokens = new();
    private readonly ConcurrentDictionary<string, byte> _accessTokens = new();
    private readonly ConcurrentDictionary<string, byte> _firstCallDone = new();
    private readonly ConcurrentDictionary<string, byte> _requestIds = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly object _quotaLock = new();
    private (DateOnly Day, int Count) _quota;

    private NotifySimulator(WebApplication app, Settings settings) => (_app, _settings) = (app, settings);

    /// <summary>The address it listens on (the port given, or the one the system chose for 0).</summary>
    public Uri Address { get; private set; } = null!;

    /// <summary>Callbacks that could not be delivered (the service was down): the simulator goes on, as the providers do.</summary>
    public int FailedCallbacks => _failedCallbacks;

    private int _failedCallbacks;

    public static async Task<NotifySimulator> StartAsync(Settings settings, CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{settings.Port}");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // A port in use is said in one sentence by the command; the host's own stack trace would only repeat it.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.Critical);
        var app = builder.Build();
        var sim = new NotifySimulator(app, settings);
        sim.MapZalo(app);
        sim.MapEsms(app);
        app.MapGet("/_sim/messages", (string? phone) => Results.Json(sim.List(phone)));
        app.MapDelete("/_sim/messages", () =>
        {
            sim._received.Clear();
            return Results.Ok(new { cleared = true });
        });
        await app.StartAsync(ct);
        sim.Address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return sim;
    }

    /// <summary>Until <paramref name="ct"/> is cancelled or the host is told to stop (SIGTERM reaches its lifetime, not the caller's token).</summary>
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

    public IReadOnlyList<Received> List(string? phone)
    {
        var wanted = phone is null ? null : Normalise(phone);
        return [.. _received.Where(r => wanted is null || r.Phone == wanted).OrderBy(r => r.At)];
    }

    /// <summary>84 and 9 digits, from either form.</summary>
    private static string Normalise(string phone) => phone.StartsWith('0') && phone.Length == 10 ? "84" + phone[1..] : phone;

    private static char LastDigit(string phone) => phone.Length > 0 ? phone[^1] : '0';

    private void MapZalo(WebApplication app)
    {
        app.MapPost("/v4/oa/access_token", async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync();
            if (request.Headers["secret_key"] != Sandbox.AppSecret || form["app_id"] != Sandbox.AppId)
                return Results.Json(new { error = -14014, error_name = "Invalid app secret or app id" });
            var refresh = form["refresh_token"].ToString();
            // Single-use: the first use of any refresh token is good (so the service can start from its configured one).
            if (refresh.Length == 0 || !_usedRefreshTokens.TryAdd(refresh, 0))
                return Results.Json(new { error = -14020, error_name = "Refresh token is invalid or already used" });
            var access = Token("at");
            _accessTokens[access] = 0;
            return Results.Json(new { access_token = access, refresh_token = Token("rt"), expires_in = "90000" });
        });
        app.MapPost("/message/template", async (HttpRequest request) =>
        {
            if (!_accessTokens.ContainsKey(request.Headers["access_token"].ToString())) return ZaloError(-124, "Access token is invalid");
            var body = await JsonNode.ParseAsync(request.Body) as JsonObject;
            var phone = body?["phone"]?.GetValue<string>() ?? "";
            if (!Regex.IsMatch(phone, "^84[0-9]{9}$")) return ZaloError(-108, "Phone number is invalid");
            if (LastDigit(phone) == '9' && _firstCallDone.TryAdd("zns:" + phone, 0))
                await Task.Delay(TimeSpan.FromSeconds(35), _stopping.Token);
            if (LastDigit(phone) == '6') return ZaloError(-118, "Zalo account does not exist");
            if (LastDigit(phone) == '7') return ZaloError(-141, "User refused to receive ZNS from this OA");
            if (TakeQuota() is not { } remaining) return ZaloError(-144, "OA has exceeded its daily quota");
            var data = body!["template_data"] as JsonObject;
            var values = data?.ToDictionary(p => p.Key, p => p.Value?.ToString() ?? "") ?? [];
            var got = new Received("zalo_zns", phone, Token("msg"), body["tracking_id"]?.ToString() ?? "", body["template_id"]?.ToString(),
                values, null, values.GetValueOrDefault("link"), DateTimeOffset.UtcNow);
            _received.Enqueue(got);
            if (LastDigit(phone) != '8') Later(() => DeliverZaloAsync(got));
            return Results.Json(new
            {
                error = 0, message = "Success",
                data = new
                {
                    msg_id = got.ProviderId, sent_time = got.At.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), sending_mode = "1",
                    quota = new { dailyQuota = _settings.ZnsQuota.ToString(CultureInfo.InvariantCulture), remainingQuota = remaining.ToString(CultureInfo.InvariantCulture) },
                },
            });
        });
        app.MapGet("/message/status", (HttpRequest request, string? message_id) =>
        {
            if (!_accessTokens.ContainsKey(request.Headers["access_token"].ToString())) return ZaloError(-124, "Access token is invalid");
            var got = _received.FirstOrDefault(r => r.Channel == "zalo_zns" && r.ProviderId == message_id);
            if (got is null) return ZaloError(-100, "Message not found");
            var delivered = got.State == "delivered";
            return Results.Json(new
            {
                error = 0, message = "Success",
                data = new { delivery_time = delivered ? got.At.AddSeconds(1).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) : null, status = delivered ? 1 : 0 },
            });
        });
        app.MapGet("/message/quota", (HttpRequest request) =>
        {
            if (!_accessTokens.ContainsKey(request.Headers["access_token"].ToString())) return ZaloError(-124, "Access token is invalid");
            lock (_quotaLock)
            {
                var used = _quota.Day == Today() ? _quota.Count : 0;
                return Results.Json(new { error = 0, message = "Success", data = new { dailyQuota = _settings.ZnsQuota.ToString(CultureInfo.InvariantCulture), remainingQuota = (_settings.ZnsQuota - used).ToString(CultureInfo.InvariantCulture) } });
            }
        });
    }

    private static IResult ZaloError(int code, string message) => Results.Json(new { error = code, message });

    /// <summary>One accepted send against today's quota (Vietnam's day); null when it is spent.</summary>
    private int? TakeQuota()
    {
        lock (_quotaLock)
        {
            var today = Today();
            if (_quota.Day != today) _quota = (today, 0);
            if (_quota.Count >= _settings.ZnsQuota) return null;
            _quota.Count++;
            return _settings.ZnsQuota - _quota.Count;
        }
    }

    private static DateOnly Today() => DateOnly.FromDateTime(DateTimeOffset.UtcNow.ToOffset(NotifyAdapters.VietnamTime.Offset).DateTime);

    private async Task DeliverZaloAsync(Received got)
    {
        got.State = "delivered";
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var body = JsonSerializer.SerializeToUtf8Bytes(new
        {
            app_id = Sandbox.AppId, event_name = ZaloEvents.DeliveryEvent, timestamp,
            sender = new { id = "sandbox-oa" }, recipient = new { id = got.Phone },
            message = new { msg_id = got.ProviderId, delivery_time = got.At.AddSeconds(1).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) },
        });
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_settings.CallbackBase, "/api/notify/zalo/events"))
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } },
        };
        request.Headers.Add(ZaloEvents.SignatureHeader, "mac=" + ZaloEvents.Signature(Sandbox.AppId, body, timestamp, Sandbox.OaSecretKey));
        await CallBackAsync(request);
    }

    /// <summary>Runs a callback 1 s from now, off the request that caused it.</summary>
    private void Later(Func<Task> callback) => _ = Task.Run(async () =>
    {
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(1), _stopping.Token);
            await callback();
        }
        catch (OperationCanceledException)
        {
            // The simulator is stopping.
        }
    });

    private async Task CallBackAsync(HttpRequestMessage request)
    {
        using var _ = request;
        try
        {
            using var response = await _callbacks.SendAsync(request, _stopping.Token);
            if (!response.IsSuccessStatusCode) Interlocked.Increment(ref _failedCallbacks);
        }
        catch (HttpRequestException)
        {
            Interlocked.Increment(ref _failedCallbacks);
        }
    }

    private static string Token(string prefix) => prefix + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    private static string? LinkIn(string text) => Regex.Match(text, @"https?://\S+") is { Success: true } m ? m.Value : null;

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _callbacks.Dispose();
        _stopping.Dispose();
    }
}
