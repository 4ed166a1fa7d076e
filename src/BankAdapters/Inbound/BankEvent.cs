using System.Globalization;
using System.Text.Json;

namespace TdmEdu.Fees.BankAdapters.Inbound;

public enum BankEventKind { Credit, Reversal, OtherDebit }

/// <summary>
/// What a bank told us, in our own terms. Bank DTOs stay inside their adapters; the ledger and the matcher
/// see only this.
/// </summary>
public sealed record BankEvent(
    string Bank,
    BankEventKind Kind,
    string IdempotencyKey,
    string BankRef,
    long AmountVnd,
    string AccountNumber,
    string? VirtualAccount,
    string? CustomerId,
    string? BillId,
    string Description,
    string? OriginalKey,
    string? RawTime,
    DateOnly? ValueDate);

/// <summary>A bank body we cannot take: the adapter answers with the bank's own code and this reason (never logged with the body).</summary>
public sealed class MalformedBankCallException(string reason) : Exception(reason);

/// <summary>Field readers shared by the adapters: untrusted JSON, whole-đồng amounts.</summary>
public static class BankJson
{
    public const long AmountCeilingVnd = 1_000_000_000_000;

    public static JsonElement ParseObject(ReadOnlySpan<byte> body)
    {
        // Strings are checked for UTF-8 only when read; a broken byte is a malformed call, refused up front.
        if (!System.Text.Unicode.Utf8.IsValid(body)) throw new MalformedBankCallException("the body is not UTF-8 text");
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 16 });
            using var doc = JsonDocument.ParseValue(ref reader);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new MalformedBankCallException("the body is not a JSON object");
            return doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new MalformedBankCallException("the body is not valid JSON");
        }
    }

    /// <summary>A string field, or null when absent. A number where a string is expected is read as its text.</summary>
    public static string? Text(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number => v.GetRawText(),
            JsonValueKind.Null => null,
            _ => throw new MalformedBankCallException($"{name} is not a text"),
        } : null;

    public static string Required(JsonElement o, string name) =>
        Text(o, name) is { Length: > 0 } v ? v : throw new MissingFieldException(name);

    /// <summary>Whole VND above 0 and below 10^12, as a JSON number or a string of digits; anything else is malformed.</summary>
    public static long Amount(JsonElement o, string name)
    {
        if (!o.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) throw new MissingFieldException(name);
        var text = v.ValueKind switch
        {
            JsonValueKind.Number => v.GetRawText(),
            JsonValueKind.String => v.GetString() ?? "",
            _ => throw new MalformedBankCallException($"{name} is not an amount"),
        };
        return ParseAmount(text) ?? throw new MalformedBankCallException($"{name} is not a whole number of đồng above 0 and below 10^12");
    }

    public static long? ParseAmount(string text)
    {
        if (text.Length is 0 or > 13 || !text.All(char.IsAsciiDigit)) return null;
        var v = long.Parse(text, CultureInfo.InvariantCulture);
        return v is > 0 and < AmountCeilingVnd ? v : null;
    }

    public static DateOnly? Date(string? text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
}

/// <summary>A required field is absent or empty: the bank's "missing parameter" answer.</summary>
public sealed class MissingFieldException(string field) : Exception($"{field} is missing")
{
    public string Field { get; } = field;
}
