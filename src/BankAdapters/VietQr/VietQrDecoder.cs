using System.Globalization;
using System.Text;

namespace TdmEdu.Fees.BankAdapters.VietQr;

/// <summary>A payload is not a valid VietQR code; the message says what is wrong and where.</summary>
public sealed class VietQrFormatException(string message) : FormatException(message);

/// <summary>
/// A strict VietQR decoder: every length must fit its parent exactly, 00 comes first and 63 last, the CRC must
/// match, the mandatory fields must be there with their fixed values. Other fields may come in any order, and text
/// fields may hold Vietnamese letters (the encoder writes ASCII only).
/// </summary>
public static class VietQrDecoder
{
    private sealed record Field(string Id, string Value, int Offset);

    public static VietQrPayload Decode(string payload)
    {
        if (string.IsNullOrWhiteSpace(payload)) throw new VietQrFormatException("The payload is empty.");
        payload = payload.Trim();
        // Codes found in the wild carry Vietnamese letters in text fields (the merchant's name, the city): each counts
        // as one character in a field's length, and the CRC runs over the payload's UTF-8 bytes. Control characters
        // and broken UTF-16 are no text at all.
        byte[] bytes;
        try
        {
            bytes = Strict.GetBytes(payload);
        }
        catch (System.Text.EncoderFallbackException)
        {
            throw new VietQrFormatException("The payload holds a broken character (a lone UTF-16 surrogate).");
        }
        if (payload.EnumerateRunes().Any(Rune.IsControl)) throw new VietQrFormatException("The payload holds control characters.");

        var top = Parse(payload, "the payload", 0);
        if (top[0].Id != "00") throw new VietQrFormatException($"Field 00 (payload format) must come first; field {top[0].Id} does.");
        if (top[^1].Id != "63") throw new VietQrFormatException($"Field 63 (CRC) must come last; field {top[^1].Id} does.");
        var duplicate = top.GroupBy(f => f.Id).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new VietQrFormatException($"Field {duplicate.Key} appears twice.");

        var crcField = top[^1];
        if (crcField.Value.Length != 4 || !crcField.Value.All(Uri.IsHexDigit))
            throw new VietQrFormatException($"Field 63 (CRC) must be 4 hex digits; it is \"{crcField.Value}\".");
        // Field 63 is last and its 4 hex digits are one byte each: the CRC covers every byte before them.
        var expected = Crc16.Compute(bytes.AsSpan(0, bytes.Length - 4)).ToString("X4", CultureInfo.InvariantCulture);
        if (!string.Equals(expected, crcField.Value, StringComparison.OrdinalIgnoreCase))
            throw new VietQrFormatException($"Bad CRC: field 63 says {crcField.Value.ToUpperInvariant()} but the payload's CRC is {expected}.");

        var f = top.ToDictionary(x => x.Id, x => x.Value);
        string Need(string id, string name) =>
            f.TryGetValue(id, out var v) ? v : throw new VietQrFormatException($"Mandatory field {id} ({name}) is missing.");

        if (Need("00", "payload format") != "01") throw new VietQrFormatException($"Field 00 (payload format) must be 01; it is {f["00"]}.");
        var initiation = Need("01", "initiation method") switch
        {
            "11" => QrInitiation.Static,
            "12" => QrInitiation.Dynamic,
            var other => throw new VietQrFormatException($"Field 01 (initiation method) must be 11 (static) or 12 (dynamic); it is {other}."),
        };

        var account = Parse(Need("38", "consumer account"), "field 38", 4 + payload.IndexOf("38", StringComparison.Ordinal));
        var a = Unique(account, "38");
        if (!a.TryGetValue("00", out var guid)) throw new VietQrFormatException("Mandatory field 38/00 (NAPAS id) is missing.");
        if (guid != VietQrPayload.NapasGuid) throw new VietQrFormatException($"Field 38/00 must be {VietQrPayload.NapasGuid}; it is {guid}.");
        if (!a.TryGetValue("01", out var beneficiaryText)) throw new VietQrFormatException("Mandatory field 38/01 (beneficiary) is missing.");
        var b = Unique(Parse(beneficiaryText, "field 38/01", 0), "38/01");
        if (!b.TryGetValue("00", out var bin)) throw new VietQrFormatException("Mandatory field 38/01/00 (bank BIN) is missing.");
        if (bin.Length != 6 || !bin.All(char.IsAsciiDigit)) throw new VietQrFormatException($"Field 38/01/00 (bank BIN) must be 6 digits; it is \"{bin}\".");
        if (!b.TryGetValue("01", out var acct)) throw new VietQrFormatException("Mandatory field 38/01/01 (account or card number) is missing.");
        if (acct.Length > 19 || !acct.All(char.IsAsciiLetterOrDigit))
            throw new VietQrFormatException($"Field 38/01/01 (account) must be at most 19 letters or digits; it is \"{acct}\".");
        if (!a.TryGetValue("02", out var service)) throw new VietQrFormatException("Mandatory field 38/02 (service code) is missing.");
        if (service is not (VietQrPayload.ToAccount or VietQrPayload.ToCard))
            throw new VietQrFormatException($"Unknown service code in field 38/02: \"{service}\" (expected QRIBFTTA or QRIBFTTC).");

        if (Need("53", "currency") != "704") throw new VietQrFormatException($"Field 53 (currency) must be 704 (VND); it is {f["53"]}.");
        if (Need("58", "country") != "VN") throw new VietQrFormatException($"Field 58 (country) must be VN; it is {f["58"]}.");

        long? amount = null;
        if (f.TryGetValue("54", out var amountText))
        {
            if (!amountText.All(char.IsAsciiDigit))
                throw new VietQrFormatException($"Field 54 (amount) must be whole đồng in digits only; it is \"{amountText}\".");
            if (amountText.Length > 13) throw new VietQrFormatException("Field 54 (amount) is longer than 13 characters.");
            if (amountText[0] == '0') throw new VietQrFormatException($"Field 54 (amount) must not start with 0 or be 0; it is \"{amountText}\".");
            var v = long.Parse(amountText, CultureInfo.InvariantCulture);
            if (v > VietQrPayload.MaxAmountVnd) throw new VietQrFormatException($"Field 54 (amount) {v} is not below 500,000,000 đồng per transfer.");
            amount = v;
        }

        string? purpose = null, bill = null;
        if (f.TryGetValue("62", out var extraText))
        {
            var extra = Unique(Parse(extraText, "field 62", 0), "62");
            purpose = extra.GetValueOrDefault("08");
            bill = extra.GetValueOrDefault("01");
            if (purpose is { Length: > VietQrPayload.MaxPurposeLength })
                throw new VietQrFormatException($"Field 62/08 (purpose) is {purpose.Length} characters; at most 25.");
        }
        return new VietQrPayload(initiation, bin, acct, service, amount, purpose, bill);
    }

    private static Dictionary<string, string> Unique(List<Field> fields, string path)
    {
        var dup = fields.GroupBy(x => x.Id).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) throw new VietQrFormatException($"Field {path}/{dup.Key} appears twice.");
        return fields.ToDictionary(x => x.Id, x => x.Value);
    }

    /// <summary>
    /// Splits id-length-value fields; every declared length must fit what is left of the parent. Lengths and positions
    /// count characters (Unicode scalar values), not UTF-16 units nor bytes.
    /// </summary>
    private static List<Field> Parse(string parent, string where, int baseOffset)
    {
        var fields = new List<Field>();
        var text = parent.EnumerateRunes().ToArray();
        string Text(int from, int count) => string.Concat(text.Skip(from).Take(count));
        var i = 0;
        while (i < text.Length)
        {
            if (text.Length - i < 4)
                throw new VietQrFormatException($"{Cap(where)} has {text.Length - i} stray character(s) at its end (\"{Text(i, text.Length - i)}\"): the declared lengths do not add up.");
            var id = Text(i, 2);
            var lenText = Text(i + 2, 2);
            if (!id.All(char.IsAsciiDigit)) throw new VietQrFormatException($"{Cap(where)}: \"{id}\" at position {baseOffset + i} is not a 2-digit field id.");
            if (!lenText.All(char.IsAsciiDigit)) throw new VietQrFormatException($"{Cap(where)}: field {id} has length \"{lenText}\", not 2 digits.");
            var len = int.Parse(lenText, CultureInfo.InvariantCulture);
            if (len == 0) throw new VietQrFormatException($"{Cap(where)}: field {id} declares length 00.");
            if (i + 4 + len > text.Length)
                throw new VietQrFormatException($"{Cap(where)}: field {id} declares {len} characters but only {text.Length - i - 4} remain; its length overruns its parent.");
            fields.Add(new Field(id, Text(i + 4, len), baseOffset + i));
            i += 4 + len;
        }
        if (fields.Count == 0) throw new VietQrFormatException($"{Cap(where)} is empty.");
        return fields;
    }

    private static readonly System.Text.UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static string Cap(string s) => char.ToUpperInvariant(s[0]) + s[1..];
}
