using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace TdmEdu.Fees.NotifyAdapters.Zalo;

/// <summary>What a call to our Zalo webhook says (§7.3).</summary>
public abstract record ZaloEvent;

/// <summary>A ZNS delivery: <c>user_received_message</c> with <c>delivery_time</c>; the host matches on msg_id and dedupes.</summary>
public sealed record ZaloDelivery(string EventName, string MsgId, DateTimeOffset DeliveredAt) : ZaloEvent;

/// <summary>Any other event, or an OA chat receipt (no delivery_time): answered 200 and otherwise ignored.</summary>
public sealed record ZaloOtherEvent(string EventName) : ZaloEvent;

/// <summary>A body that is not a Zalo event; the reason names the field.</summary>
public sealed record ZaloBadEvent(string Reason) : ZaloEvent;

/// <summary>What the endpoint does with a call after the signature check.</summary>
public enum ZaloSignatureCheck
{
    /// <summary>Signed by Zalo for our app: take it.</summary>
    Valid,
    /// <summary>Not signed for us: log and answer 401.</summary>
    Refused,
    /// <summary>Not signed for us, but the check is log-only (§7.3): log and take it.</summary>
    LoggedOnly,
}

/// <summary>
/// The webhook's pure half: the signature check and the reading of the body, for the host's endpoint to call with
/// the raw bytes it received. Bodies are bounded; nothing here throws on what a caller sends.
/// </summary>
public static class ZaloEvents
{
    public const string SignatureHeader = "X-ZEvent-Signature";
    public const string DeliveryEvent = "user_received_message";
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>Hex SHA-256 of app_id + raw body + timestamp + OA secret key [S].</summary>
    public static string Signature(string appId, ReadOnlySpan<byte> rawBody, string timestamp, string oaSecretKey)
    {
        var head = Encoding.UTF8.GetBytes(appId);
        var tail = Encoding.UTF8.GetBytes(timestamp + oaSecretKey);
        var all = new byte[head.Length + rawBody.Length + tail.Length];
        head.CopyTo(all, 0);
        rawBody.CopyTo(all.AsSpan(head.Length));
        tail.CopyTo(all, head.Length + rawBody.Length);
        return Convert.ToHexStringLower(SHA256.HashData(all));
    }

    /// <summary>
    /// Whether <paramref name="header"/> (hex, maybe prefixed <c>mac=</c>) signs this body for our app; the timestamp is
    /// the body's own <c>timestamp</c>. Compared in constant time.
    /// </summary>
    public static bool SignatureMatches(string appId, byte[] rawBody, string oaSecretKey, string? header)
    {
        if (string.IsNullOrWhiteSpace(header) || rawBody.Length > MaxBodyBytes || Timestamp(rawBody) is not { } timestamp) return false;
        var given = header.Trim();
        if (given.StartsWith("mac=", StringComparison.OrdinalIgnoreCase)) given = given[4..];
        var expected = Signature(appId, rawBody, timestamp, oaSecretKey);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(given.ToLowerInvariant()));
    }

    /// <summary>The check with the options' app id, OA secret key and log-only switch; no OA secret key configured refuses all.</summary>
    public static ZaloSignatureCheck Check(ZaloOptions options, byte[] rawBody, string? header) =>
        options.OaSecretKey is { Length: > 0 } key && SignatureMatches(options.AppId, rawBody, key, header) ? ZaloSignatureCheck.Valid
        : options.EnforceEventSignature ? ZaloSignatureCheck.Refused : ZaloSignatureCheck.LoggedOnly;

    public static ZaloEvent Parse(byte[] rawBody)
    {
        if (rawBody.Length > MaxBodyBytes) return new ZaloBadEvent($"the body is over {MaxBodyBytes} bytes");
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(rawBody, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException)
        {
            return new ZaloBadEvent("the body is not JSON");
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return new ZaloBadEvent("the body is not a JSON object");
            if (!root.TryGetProperty("event_name", out var name) || name.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(name.GetString()))
                return new ZaloBadEvent("event_name is missing");
            var eventName = name.GetString()!;
            if (eventName != DeliveryEvent || !root.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.Object
                || !message.TryGetProperty("delivery_time", out var delivery))
                return new ZaloOtherEvent(eventName);
            if (!message.TryGetProperty("msg_id", out var id) || id.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(id.GetString()) || id.GetString()!.Length > 100)
                return new ZaloBadEvent("message.msg_id is missing or longer than 100 characters");
            if (ZaloJson.Millis(delivery) is not { } at) return new ZaloBadEvent("message.delivery_time is not epoch milliseconds");
            return new ZaloDelivery(eventName, id.GetString()!, at);
        }
    }

    /// <summary>The body's timestamp exactly as written (string or number), which the signature covers.</summary>
    private static string? Timestamp(byte[] rawBody)
    {
        try
        {
            using var doc = JsonDocument.Parse(rawBody, new JsonDocumentOptions { MaxDepth = 16 });
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("timestamp", out var t)) return null;
            return t.ValueKind switch
            {
                JsonValueKind.String => t.GetString(),
                JsonValueKind.Number => t.GetRawText(),
                _ => null,
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
