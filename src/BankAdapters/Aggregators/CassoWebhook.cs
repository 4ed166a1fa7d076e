using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using TdmEdu.Fees.BankAdapters.Banks;
using TdmEdu.Fees.BankAdapters.Inbound;

namespace TdmEdu.Fees.BankAdapters.Aggregators;

/// <summary>
/// Casso's webhook v2 (docs/contracts/aggregators.md): <c>{"error":0,"data":{...}}</c>, signed in
/// <c>X-Casso-Signature: t=MILLISECONDS,v1=HEX</c> with HMAC-SHA512 under the webhook's checksum key, over the time, a dot
/// and the whole body as compact JSON with every object's keys sorted. A call older or newer than
/// <see cref="Window"/> is refused, so a captured call cannot be sent again later; idempotent on <c>data.id</c>.
/// </summary>
public static class CassoWebhook
{
    public const string SignatureHeader = "X-Casso-Signature";
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    public static JsonElement Data(JsonElement body) =>
        body.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object ? d
        : throw new MalformedBankCallException("data is not an object", "data");

    public static string AccountOf(JsonElement body) => BankJson.Required(Data(body), "accountNumber");

    public static string Sign(string checksumKey, long timestampMs, JsonElement body) =>
        Convert.ToHexStringLower(HMACSHA512.HashData(Encoding.UTF8.GetBytes(checksumKey),
            Encoding.UTF8.GetBytes(timestampMs.ToString(CultureInfo.InvariantCulture) + "." + SortedJson.Write(body))));

    /// <summary>The header's time and signature, or null when it is not <c>t=…,v1=…</c>.</summary>
    public static (long TimestampMs, string Signature)? Header(string? header)
    {
        if (string.IsNullOrEmpty(header)) return null;
        long? t = null;
        string? v1 = null;
        foreach (var part in header.Split(','))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0) return null;
            var (name, value) = (part[..eq].Trim(), part[(eq + 1)..].Trim());
            if (name == "t" && value.Length is > 0 and <= 15 && value.All(char.IsAsciiDigit)) t = long.Parse(value, CultureInfo.InvariantCulture);
            else if (name == "v1") v1 = value;
        }
        return t is { } time && v1 is { Length: > 0 } sig ? (time, sig) : null;
    }

    public static bool SignatureMatches(string checksumKey, string? header, JsonElement body) =>
        Header(header) is { } h
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(checksumKey, h.TimestampMs, body)), Encoding.ASCII.GetBytes(h.Signature.ToLowerInvariant()));

    public static bool IsFresh(string? header, DateTimeOffset now) =>
        Header(header) is { } h && h.TimestampMs < 100_000_000_000_000 && (now - DateTimeOffset.FromUnixTimeMilliseconds(h.TimestampMs)).Duration() <= Window;

    public static BankEvent Parse(JsonElement body)
    {
        if (!body.TryGetProperty("error", out var error) || error.ValueKind != JsonValueKind.Number || error.GetRawText() != "0")
            throw new MalformedBankCallException("error is not 0", "error");
        var o = Data(body);
        var id = BankJson.Required(o, "id");
        if (!id.All(char.IsAsciiDigit)) throw new MalformedBankCallException("id is not a number", "id");
        // Money out is written as a negative amount.
        var raw = o.TryGetProperty("amount", out var a) && a.ValueKind == JsonValueKind.Number ? a.GetRawText() : throw new BankFieldMissingException("amount");
        var kind = raw.StartsWith('-') ? BankEventKind.OtherDebit : BankEventKind.Credit;
        var amount = BankJson.ParseAmount(raw.TrimStart('-'))
                     ?? throw new MalformedBankCallException("amount is not a whole number of đồng above 0 and below 10^12", "amount");
        // As for SePay: without the bank's reference the call could not be joined with its statement line.
        var reference = BankJson.Required(o, "reference");
        var time = BankJson.Text(o, "transactionDateTime");
        return new BankEvent(BankDirectory.Casso, kind, id, reference, amount, AccountOf(body), null, null, null,
            BankJson.Text(o, "description", BankJson.MaxTextLength) ?? "", null, time, Aggregated.Day(time));
    }

    public static (int Status, string Body) Ok => (200, """{"success":true}""");
    public static (int Status, string Body) Malformed => (400, """{"success":false,"message":"Bad request"}""");
    public static (int Status, string Body) BadSignature => (401, """{"success":false,"message":"Invalid signature"}""");
    public static (int Status, string Body) Stale => (401, """{"success":false,"message":"Stale timestamp"}""");
    public static (int Status, string Body) OurFailure => (500, """{"success":false,"message":"Internal error"}""");
}
