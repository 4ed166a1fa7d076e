using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using TdmEdu.Fees.NotifyAdapters.Templates;

namespace TdmEdu.Fees.NotifyAdapters.Zalo;

/// <summary>
/// Zalo ZNS (§7): one template message per call, with our outbox id as tracking_id. Only error 0 is success; a
/// token Zalo calls bad is refreshed once and the send made again; everything else is mapped by <see cref="ZaloErrors"/>.
/// </summary>
public sealed class ZaloZnsChannel(IZaloZnsApi api, ZaloTokenKeeper tokens, ZaloOptions options, TimeProvider time, ILogger<ZaloZnsChannel> log)
    : INotificationChannel
{
    private ProviderQuota? _lastQuota;

    public NotificationChannel Channel => NotificationChannel.ZaloZns;

    /// <summary>The quota of the last answer that carried one (a send or a quota call).</summary>
    public ProviderQuota? LastQuota => Volatile.Read(ref _lastQuota);

    public async ValueTask<SendOutcome> SendAsync(OutboundMessage message, CancellationToken ct)
    {
        var outcome = await DecideAsync(message, ct);
        log.LogInformation("ZNS send of message {MessageId}: {Outcome} {Code}", message.Id, outcome.GetType().Name, ProviderCall.CodeOf(outcome));
        return outcome;
    }

    private async Task<SendOutcome> DecideAsync(OutboundMessage message, CancellationToken ct)
    {
        if (!IsZaloPhone(message.Destination))
            return new Failed("BAD_DESTINATION", "the destination is not 84 and 9 digits", FailureHint.None, null);
        if (!options.TemplateIds.TryGetValue(message.Kind, out var templateId) || string.IsNullOrWhiteSpace(templateId))
            return new Failed("NO_TEMPLATE", $"no ZNS template id is configured for {WireNames.Of(message.Kind)}", FailureHint.None, null) { TryNextChannel = true, Alert = true };
        var data = MessageTemplates.Zns(message.Kind, message.Values);
        if (data.Data is null)
            return new Failed("MISSING_VALUE", $"the message has no value for {{{data.Missing}}}", FailureHint.None, null) { Alert = true };

        var request = new ZaloSendRequest
        {
            Phone = message.Destination, TemplateId = templateId, TemplateData = data.Data, TrackingId = message.Id.ToString(),
            Mode = options.Development ? "development" : null,
        };
        // The body kept as proof is exactly what Zalo was given, less the phone number.
        var body = JsonSerializer.Serialize(new { template_id = templateId, template_data = data.Data });

        string token;
        try
        {
            token = await tokens.AccessTokenAsync(ct);
        }
        catch (ZaloTokenException e)
        {
            return TokenFailure(e, body);
        }
        var (outcome, refused) = await SendOnceAsync(token, request, message.Kind, body, ct);
        if (!refused) return outcome;
        try
        {
            token = await tokens.RefreshAsync(token, ct);
        }
        catch (ZaloTokenException e)
        {
            return TokenFailure(e, body);
        }
        (outcome, refused) = await SendOnceAsync(token, request, message.Kind, body, ct);
        // A token refused right after its refresh: Zalo is confused, not us; the outbox tries again later.
        return refused ? new Retry(((Retry)outcome).Code, null, body) : outcome;
    }

    /// <summary>One send; <c>refused</c> when Zalo called the token bad (the outcome is then a <see cref="Retry"/>).</summary>
    private async Task<(SendOutcome Outcome, bool Refused)> SendOnceAsync(string token, ZaloSendRequest request, MessageKind kind, string body, CancellationToken ct)
    {
        var call = await ProviderCall.RunAsync(() => api.SendAsync(token, request, ct), body, ct);
        if (call.Failure is not null) return (call.Failure, false);
        var response = call.Response!;
        if (response.StatusCode == HttpStatusCode.Unauthorized) return (new Retry(ProviderCall.Http(response.StatusCode), null, body), true);
        if (!response.IsSuccessStatusCode) return (new Retry(ProviderCall.Http(response.StatusCode), null, body), false);
        if (response.Content is null || ZaloJson.Long(response.Content.Error) is not { } error) return (new Unknown("BAD_ANSWER", body), false);
        if (ZaloErrors.TokenErrors.Contains(error)) return (new Retry(error.ToString(CultureInfo.InvariantCulture), null, body), true);
        if (error != 0) return (ZaloErrors.Map(error, kind, time.GetUtcNow(), body), false);

        var sent = response.Content.Data;
        if (string.IsNullOrEmpty(sent?.MsgId)) return (new Unknown("NO_MSG_ID", body), false);
        var quota = sent.Quota?.Read();
        if (quota is not null) Volatile.Write(ref _lastQuota, quota);
        // ZNS is priced per delivered message (§3), so the cost is counted on delivery, not here.
        return (new Accepted(sent.MsgId, 1, null, body) { Quota = quota }, false);
    }

    private static SendOutcome TokenFailure(ZaloTokenException e, string body) => e.Permanent
        ? new Failed(e.Code, e.Message, FailureHint.DisableChannel, body) { TryNextChannel = true, Alert = true }
        : new Retry(e.Code, null, body);

    /// <summary>
    /// Where a sent message stands (§7.3): status 1 is delivered [S]; -1 failed; anything else still on its way.
    /// Any trouble asking is <see cref="DeliveryState.NoAnswer"/>: the poll is tried again later.
    /// </summary>
    public async Task<DeliveryReport> StatusAsync(string msgId, string phone, CancellationToken ct)
    {
        var answer = await AskAsync((token, c) => api.StatusAsync(token, msgId, phone, c), ct);
        if (answer.Report is not null) return answer.Report;
        var data = answer.Data!;
        return ZaloJson.Long(data.Status) switch
        {
            1 => new DeliveryReport(DeliveryState.Delivered, ZaloJson.Millis(data.DeliveryTime), null, "1"),
            -1 => new DeliveryReport(DeliveryState.Failed, null, null, "-1"),
            _ => new DeliveryReport(DeliveryState.Sent, null, null, null),
        };
    }

    /// <summary>The OA's daily quota now (§7.3), or null when Zalo did not say.</summary>
    public async Task<ProviderQuota?> QuotaAsync(CancellationToken ct)
    {
        var answer = await AskAsync((token, c) => api.QuotaAsync(token, c), ct);
        var quota = answer.Data?.Read();
        if (quota is not null) Volatile.Write(ref _lastQuota, quota);
        return quota;
    }

    private async Task<(T? Data, DeliveryReport? Report)> AskAsync<T>(Func<string, CancellationToken, Task<Refit.IApiResponse<ZaloAnswer<T>>>> call, CancellationToken ct)
        where T : class
    {
        DeliveryReport NoAnswer(string code) => new(DeliveryState.NoAnswer, null, null, code);
        string? refusedToken = null;
        for (var attempt = 0; ; attempt++)
        {
            string token;
            try
            {
                token = attempt == 0 ? await tokens.AccessTokenAsync(ct) : await tokens.RefreshAsync(refusedToken, ct);
            }
            catch (ZaloTokenException e)
            {
                return (null, NoAnswer(e.Code));
            }
            var result = await ProviderCall.RunAsync(() => call(token, ct), null, ct);
            if (result.Failure is not null) return (null, NoAnswer(ProviderCall.CodeOf(result.Failure)));
            var response = result.Response!;
            var error = response.Content is null ? null : ZaloJson.Long(response.Content.Error);
            var refused = response.StatusCode == HttpStatusCode.Unauthorized || error is { } e2 && ZaloErrors.TokenErrors.Contains(e2);
            if (refused && attempt == 0)
            {
                refusedToken = token;
                continue;
            }
            if (!response.IsSuccessStatusCode) return (null, NoAnswer(ProviderCall.Http(response.StatusCode)));
            if (error is not 0 || response.Content!.Data is null) return (null, NoAnswer(error?.ToString(CultureInfo.InvariantCulture) ?? "BAD_ANSWER"));
            return (response.Content.Data, null);
        }
    }

    /// <summary>ZNS takes 84 and the 9 digits of a Vietnamese mobile number, no plus (§7.2).</summary>
    public static bool IsZaloPhone(string destination) =>
        destination.Length == 11 && destination.StartsWith("84", StringComparison.Ordinal) && destination.All(char.IsAsciiDigit);
}
