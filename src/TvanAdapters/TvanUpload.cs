using System.Globalization;
using System.Net;
using System.Text.Json;
using Refit;

namespace TdmEdu.Fees.TvanAdapters;

/// <summary>What an upload's answer means for the outbox (contracts/ereceipts.md §10's table).</summary>
public abstract record TvanOutcome(string Code);

/// <summary>202, or 200 for a repeat of the same key and content: the provider holds the document.</summary>
public sealed record TvanTaken(string ProviderId, string Status) : TvanOutcome("TAKEN");

/// <summary>400 or 422: the document itself is refused; it will not be taken as it is.</summary>
public sealed record TvanRefused(string Code, string Text) : TvanOutcome(Code);

/// <summary>401 or 403, or an answer outside the contract: nothing wrong with the document, but we may not send; alert and try later.</summary>
public sealed record TvanPaused(string Code, string Text) : TvanOutcome(Code);

/// <summary>409: the key was used for other content. Never sent again under this key.</summary>
public sealed record TvanConflict(string Text) : TvanOutcome("IDEMPOTENCY_CONFLICT");

/// <summary>429, 5xx, a timeout or no connection: the provider did not take it yet; try again later.</summary>
public sealed record TvanLater(string Code, TimeSpan? RetryAfter) : TvanOutcome(Code);

public static class TvanUpload
{
    private const int MaxErrorBody = 16_384;

    /// <summary>
    /// One upload with what went wrong on the way made an outcome. The caller's own cancellation (the host stopping)
    /// is not an outcome and goes on as an exception.
    /// </summary>
    public static async Task<TvanOutcome> SendAsync(ITvanClient client, string key, TvanDocument document, CancellationToken ct)
    {
        IApiResponse<TvanReceived> response;
        try
        {
            response = await client.SubmitAsync(key, document, ct);
        }
        catch (Exception e) when (Travel(e, ct) is { } later)
        {
            return later;
        }
        if (response.Error is ApiRequestException wrapped)
        {
            ct.ThrowIfCancellationRequested();
            return Travel(wrapped.InnerException ?? wrapped, ct) ?? new TvanLater("NETWORK", null);
        }
        return Classify(response);
    }

    /// <summary>The outcome of an answer that came back.</summary>
    public static TvanOutcome Classify(IApiResponse<TvanReceived> response)
    {
        var status = (int?)response.StatusCode ?? 0;
        if (response.IsSuccessStatusCode)
        {
            if (response.Content?.ProviderId is { Length: > 0 and <= 200 } id)
                return new TvanTaken(id, response.Content.Status ?? TvanStates.Received);
            return new TvanPaused("BAD_ANSWER", $"HTTP {status} without a providerId");
        }
        var (code, text) = ErrorOf((response.Error as ApiException)?.Content);
        return status switch
        {
            400 or 422 => new TvanRefused(code ?? $"HTTP_{status}", text ?? ""),
            401 or 403 => new TvanPaused(code ?? $"HTTP_{status}", text ?? ""),
            409 => new TvanConflict(text ?? code ?? "IDEMPOTENCY_CONFLICT"),
            429 or >= 500 => new TvanLater(code ?? $"HTTP_{status}", RetryAfter(response)),
            _ => new TvanPaused(code ?? $"HTTP_{status}", text ?? "an answer the contract does not name"),
        };
    }

    /// <summary>The <c>{"code","text"}</c> of a refusal, when the body is one; never more than a bounded read.</summary>
    public static (string? Code, string? Text) ErrorOf(string? body)
    {
        if (string.IsNullOrWhiteSpace(body) || body.Length > MaxErrorBody) return (null, null);
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return (null, null);
            return (Text(doc.RootElement, "code", 100), Text(doc.RootElement, "text", 1000));
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    private static string? Text(JsonElement o, string name, int max) =>
        o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { } s ? (s.Length > max ? s[..max] : s) : null;

    private static TimeSpan? RetryAfter(IApiResponse response)
    {
        var header = response.Headers?.RetryAfter;
        if (header?.Delta is { } delta) return delta;
        if (header?.Date is { } date) return date - DateTimeOffset.UtcNow;
        return null;
    }

    private static TvanLater? Travel(Exception e, CancellationToken ct) => e switch
    {
        OperationCanceledException when ct.IsCancellationRequested => null,
        OperationCanceledException or TimeoutException => new TvanLater("TIMEOUT", null),
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError } => new TvanLater("CONNECT", null),
        HttpRequestException => new TvanLater("NETWORK", null),
        _ => null,
    };

    /// <summary>
    /// When the outbox tries again after the <paramref name="attempts"/>-th failed try: 1 min, 5 min, 15 min, 1 h,
    /// 3 h, then every 6 h, never giving up; a longer Retry-After from the provider wins.
    /// </summary>
    public static TimeSpan RetryDelay(int attempts, TimeSpan? retryAfter = null)
    {
        var delay = attempts switch
        {
            <= 1 => TimeSpan.FromMinutes(1),
            2 => TimeSpan.FromMinutes(5),
            3 => TimeSpan.FromMinutes(15),
            4 => TimeSpan.FromHours(1),
            5 => TimeSpan.FromHours(3),
            _ => TimeSpan.FromHours(6),
        };
        // A provider asking for more than a day is held to six hours: the document must still go.
        if (retryAfter is { } ra && ra > delay) delay = ra < TimeSpan.FromHours(6) ? ra : TimeSpan.FromHours(6);
        return delay;
    }

    public static string Http(HttpStatusCode status) => "HTTP " + ((int)status).ToString(CultureInfo.InvariantCulture);
}
