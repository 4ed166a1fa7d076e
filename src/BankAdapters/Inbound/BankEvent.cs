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

/// <summary>
/// A bank body we cannot take: the adapter answers with the bank's own code and this reason. <see cref="Field"/> names
/// the field when its name is one we can repeat safely (never a value from the body).
/// </summary>
public sealed class MalformedBankCallException(string reason, string? field = null) : Exception(reason)
{
    public string? Field { get; } = field;
}

/// <summary>Field readers shared by the adapters: untrusted JSON, whole-đồng amounts.</summary>
public static class BankJson
{
    public const long AmountCeilingVnd = 1_000_000_000_000;

    /// <summary>
    /// Identifiers, references, codes and times. They become unique keys of the inbox, the payments and the bank
    /// reference claims (B-tree entries, which PostgreSQL caps at about 2,700 bytes); 100 characters is several
    /// times what any bank sends and keeps the BIDV key (service id, colon, trans id) far under that cap.
    /// </summary>
    public const int MaxIdLength = 100;

    /// <summary>Free text (a transfer description, a reversal reason): banks cut theirs at a few hundred characters.</summary>
    public const int MaxTextLength = 1000;

    public static JsonElement ParseObject(ReadOnlySpan<byte> body)
    {
        // Strings are checked for UTF-8 only when read; a broken byte is a malformed call, refused up front.
        if (!System.Text.Unicode.Utf8.IsValid(body)) throw new MalformedBankCallException("the body is not UTF-8 text");
        JsonElement root;
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 16 });
            using var doc = JsonDocument.ParseValue(ref reader);
            // ParseValue stops after the object; anything but white space after it is not part of a call we can store.
            if (reader.Read()) throw new MalformedBankCallException("the body has more than one JSON value");
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new MalformedBankCallException("the body is not a JSON object");
            root = doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new MalformedBankCallException("the body is not valid JSON");
        }
        CheckStrings(root, null);
        return root;
    }

    /// <summary>
    /// Every name and string in the body, read or not, must be text PostgreSQL can hold and a person can read: no
    /// control character (NUL above all) and no half of a surrogate pair. Whatever a later reader takes from the
    /// stored copy is then safe to store and compare.
    /// </summary>
    private static void CheckStrings(JsonElement e, string? field)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                var names = new HashSet<string>(StringComparer.Ordinal);
                foreach (var p in e.EnumerateObject())
                {
                    var name = Decoded(() => p.Name, field);
                    var top = field ?? (IsPlainName(name) ? name : null);
                    if (HasControl(name)) throw new MalformedBankCallException($"{Say(top)} has a control character in its name", top);
                    // {"amount":1000,...,"amount":5000000}: which one counts would depend on the reader; such a call is refused.
                    if (!names.Add(name)) throw new MalformedBankCallException($"{Say(top)} appears twice", top);
                    CheckStrings(p.Value, top ?? "");
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in e.EnumerateArray()) CheckStrings(item, field);
                break;
            case JsonValueKind.String:
                var text = Decoded(() => e.GetString() ?? "", field);
                if (HasControl(text)) throw new MalformedBankCallException($"{Say(field)} holds a control character", NullIfEmpty(field));
                break;
        }
    }

    private static string Decoded(Func<string> read, string? field)
    {
        try
        {
            return read();
        }
        catch (InvalidOperationException)
        {
            // System.Text.Json refuses an escaped lone surrogate (\ud800) only when the string is read.
            throw new MalformedBankCallException($"{Say(field)} is not valid Unicode text", NullIfEmpty(field));
        }
    }

    private static bool HasControl(string text) => text.AsSpan().IndexOfAnyInRange('\u0000', '\u001f') >= 0 || text.AsSpan().IndexOfAnyInRange('\u007f', '\u009f') >= 0;

    private static bool IsPlainName(string name) => name.Length is > 0 and <= 40 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');

    private static string Say(string? field) => string.IsNullOrEmpty(field) ? "a field" : field;

    private static string? NullIfEmpty(string? field) => string.IsNullOrEmpty(field) ? null : field;

    /// <summary>A string field, or null when absent. A number where a string is expected is read as its text.</summary>
    public static string? Text(JsonElement o, string name, int maxLength = MaxIdLength)
    {
        var text = o.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number => v.GetRawText(),
            JsonValueKind.Null => null,
            _ => throw new MalformedBankCallException($"{name} is not a text", name),
        } : null;
        if (text is not null && text.Length > maxLength)
            throw new MalformedBankCallException($"{name} is longer than {maxLength} characters", name);
        return text;
    }

    public static string Required(JsonElement o, string name, int maxLength = MaxIdLength) =>
        Text(o, name, maxLength) is { } v && !string.IsNullOrWhiteSpace(v) ? v : throw new BankFieldMissingException(name);

    /// <summary>Whole VND above 0 and below 10^12, as a JSON number or a string of digits; anything else is malformed.</summary>
    public static long Amount(JsonElement o, string name)
    {
        if (!o.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) throw new BankFieldMissingException(name);
        var text = v.ValueKind switch
        {
            JsonValueKind.Number => v.GetRawText(),
            JsonValueKind.String => v.GetString() ?? "",
            _ => throw new MalformedBankCallException($"{name} is not an amount", name),
        };
        return ParseAmount(text) ?? throw new MalformedBankCallException($"{name} is not a whole number of đồng above 0 and below 10^12", name);
    }

    public static long? ParseAmount(string text)
    {
        if (text.Length is 0 or > 13 || !text.All(char.IsAsciiDigit)) return null;
        var v = long.Parse(text, CultureInfo.InvariantCulture);
        return v is > 0 and < AmountCeilingVnd ? v : null;
    }

    /// <summary>
    /// What VCB's and MSB's notifications say alike, read in the order their errors are reported: the transaction
    /// id, a whole-VND amount in VND, and a C/D sign, where a debit naming the transaction it undoes is a reversal.
    /// </summary>
    public static (string Id, long Amount, BankEventKind Kind, string? Original) Movement(JsonElement o, string signField)
    {
        var id = Required(o, "transactionId");
        var amount = Amount(o, "amount");
        var currency = Text(o, "currency") ?? "VND";
        if (currency != "VND") throw new MalformedBankCallException("currency is not VND", "currency");
        var sign = Required(o, signField);
        var original = Text(o, "originalTransactionId");
        var kind = sign switch
        {
            "C" => BankEventKind.Credit,
            "D" when !string.IsNullOrEmpty(original) => BankEventKind.Reversal,
            "D" => BankEventKind.OtherDebit,
            _ => throw new MalformedBankCallException($"{signField} is neither C nor D", signField),
        };
        return (id, amount, kind, original);
    }

    public static DateOnly? Date(string? text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
}

/// <summary>A required field is absent or empty: the bank's "missing parameter" answer.</summary>
public sealed class BankFieldMissingException(string field) : Exception($"{field} is missing")
{
    public string Field { get; } = field;
}
