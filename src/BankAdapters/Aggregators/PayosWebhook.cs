using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using TdmEdu.Fees.BankAdapters.Banks;
using TdmEdu.Fees.BankAdapters.Inbound;

namespace TdmEdu.Fees.BankAdapters.Aggregators;

/// <summary>
/// payOS's webhook (docs/contracts/aggregators.md): <c>{"code","desc","success","data":{...},"signature"}</c>, where
/// <c>signature</c> is HMAC-SHA256 under the checksum key over <c>data</c> written as <c>key=value&amp;…</c> with its keys
/// in order (null as nothing, an array as compact JSON with sorted keys). Only a paid call (<c>data.code</c> "00") is
/// money; idempotent on the bank's reference <c>data.reference</c>.
/// </summary>
public static class PayosWebhook
{
    public static JsonElement Data(JsonElement body) =>
        body.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object ? d
        : throw new MalformedBankCallException("data is not an object", "data");

    public static string AccountOf(JsonElement body) => BankJson.Required(Data(body), "accountNumber");

    /// <summary>The text payOS signs: every field of <paramref name="data"/>, keys in ordinal order, <c>key=value</c> joined by &amp;.</summary>
    public static string Signed(JsonElement data) => string.Join('&', data.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => Pair(p.Name, p.Value.ValueKind switch
    {
        JsonValueKind.Null => "",
        JsonValueKind.String => p.Value.GetString() is "null" or "undefined" ? "" : p.Value.GetString(),
        JsonValueKind.Number => p.Value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Array => SortedJson.Write(p.Value),
        _ => throw new MalformedBankCallException($"data.{p.Name} is an object; payOS signs no nested objects", "data"),
    })));

    /// <summary>
    /// One <c>key=value</c>. The signed text escapes nothing, so an &amp; inside a value (or an = or &amp; in a key) could
    /// move text from one field to another under the same signature: a reference that swallows the next field would be a
    /// new reference, paid again. Such a call is refused.
    /// </summary>
    private static string Pair(string key, string? value) =>
        key.Contains('&', StringComparison.Ordinal) || key.Contains('=', StringComparison.Ordinal) || value is not null && value.Contains('&', StringComparison.Ordinal)
            ? throw new MalformedBankCallException($"data.{key} holds an & (or its name an =): its signed text would be ambiguous", "data")
            : key + "=" + value;

    public static string Sign(string checksumKey, JsonElement data) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(checksumKey), Encoding.UTF8.GetBytes(Signed(data))));

    public static bool SignatureMatches(string checksumKey, JsonElement body) =>
        body.TryGetProperty("signature", out var s) && s.ValueKind == JsonValueKind.String && s.GetString() is { Length: 64 } signature
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(checksumKey, Data(body))), Encoding.ASCII.GetBytes(signature.ToLowerInvariant()));

    public static BankEvent Parse(JsonElement body)
    {
        var o = Data(body);
        if (BankJson.Required(o, "code") != "00") throw new MalformedBankCallException("data.code is not 00 (paid)", "code");
        var currency = BankJson.Text(o, "currency") ?? "VND";
        if (currency != "VND") throw new MalformedBankCallException("currency is not VND", "currency");
        var reference = BankJson.Required(o, "reference");
        var amount = BankJson.Amount(o, "amount");
        var time = BankJson.Text(o, "transactionDateTime");
        return new BankEvent(BankDirectory.Payos, BankEventKind.Credit, reference, reference, amount, AccountOf(body), null, null, null,
            BankJson.Text(o, "description", BankJson.MaxTextLength) ?? "", null, time, Aggregated.Day(time));
    }

    public static (int Status, string Body) Ok => (200, """{"success":true}""");
    public static (int Status, string Body) Malformed => (400, """{"success":false,"message":"Bad request"}""");
    public static (int Status, string Body) BadSignature => (401, """{"success":false,"message":"Invalid signature"}""");
    public static (int Status, string Body) OurFailure => (500, """{"success":false,"message":"Internal error"}""");
}
