using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using TdmEdu.Fees.BankAdapters.Banks;
using TdmEdu.Fees.BankAdapters.Inbound;

namespace TdmEdu.Fees.BankAdapters.Msb;

/// <summary>MSB virtual-account credit notification (family B): HMAC-SHA256 over timestamp and body, 300 s window.</summary>
public static class MsbNotification
{
    public const string TimestampHeader = "X-MSB-Timestamp";
    public const string SignatureHeader = "X-MSB-Signature";
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(300);

    public static string AccountOf(JsonElement body) => BankJson.Required(body, "accountNumber");

    public static string Sign(string secret, string timestamp, ReadOnlySpan<byte> rawBody)
    {
        var message = new byte[timestamp.Length + 1 + rawBody.Length];
        Encoding.ASCII.GetBytes(timestamp + ".").CopyTo(message, 0);
        rawBody.CopyTo(message.AsSpan(timestamp.Length + 1));
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message));
    }

    public static bool SignatureMatches(string secret, string? timestamp, ReadOnlySpan<byte> rawBody, string? signature) =>
        !string.IsNullOrEmpty(timestamp) && !string.IsNullOrEmpty(signature)
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(secret, timestamp, rawBody)),
            Encoding.ASCII.GetBytes(signature.Trim().ToLowerInvariant()));

    public static bool IsFresh(string? timestamp, DateTimeOffset now) =>
        long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var t)
        && t < 100_000_000_000 && (now - DateTimeOffset.FromUnixTimeSeconds(t)).Duration() <= Window;

    public static BankEvent Parse(JsonElement o)
    {
        var (id, amount, kind, original) = BankJson.Movement(o, "dcSign");
        var va = BankJson.Text(o, "vaNumber");
        if (va is not null && (va.Length != 14 || !va.All(char.IsAsciiDigit))) throw new MalformedBankCallException("vaNumber is not 14 digits", "vaNumber");
        return new BankEvent(BankDirectory.Msb, kind, id, id, amount, AccountOf(o), va, null, null, BankJson.Text(o, "remark", BankJson.MaxTextLength) ?? "", original,
            BankJson.Text(o, "transactionTime"), BankJson.Date(BankJson.Text(o, "valueDate")));
    }

    public static (int Status, string Body) Ok => (200, """{"code":"00"}""");
    public static (int Status, string Body) Malformed => (400, """{"code":"01"}""");
    public static (int Status, string Body) BadSignature => (401, """{"code":"97"}""");
    public static (int Status, string Body) Stale => (401, """{"code":"98"}""");
    public static (int Status, string Body) OurFailure => (500, """{"code":"99"}""");
}
