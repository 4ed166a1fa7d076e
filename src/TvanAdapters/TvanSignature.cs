using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace TdmEdu.Fees.TvanAdapters;

/// <summary>
/// The provider's callback signature (contracts/ereceipts.md §10): header <c>X-Tvan-Signature: t=&lt;unix s&gt;,v1=&lt;hex&gt;</c>,
/// HMAC-SHA256 with the shared secret over <c>t + "." + raw body</c>, accepted within 300 s of our clock.
/// </summary>
public static class TvanSignature
{
    public const string Header = "X-Tvan-Signature";
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(300);

    public static string Make(string secret, DateTimeOffset at, ReadOnlySpan<byte> body)
    {
        var t = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return $"t={t},v1={Convert.ToHexStringLower(Mac(secret, t, body))}";
    }

    /// <summary>Null when the header is the secret's signature of this body made within the window; else why not.</summary>
    public static string? Problem(string? header, string secret, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(header) || header.Length > 300) return "no signature";
        string? t = null, v1 = null;
        foreach (var part in header.Split(','))
        {
            var eq = part.IndexOf('=');
            if (eq <= 0) return "the signature is not t=…,v1=…";
            var (name, value) = (part[..eq].Trim(), part[(eq + 1)..].Trim());
            if (name == "t") t = value;
            else if (name == "v1") v1 = value;
        }
        if (t is null || v1 is null) return "the signature is not t=…,v1=…";
        if (!long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds > 32_503_680_000)
            return "the signature's time is not a number of seconds";
        var at = DateTimeOffset.FromUnixTimeSeconds(seconds);
        if ((now - at).Duration() > Window) return "the signature's time is outside the 300-second window";
        byte[] given;
        try
        {
            given = Convert.FromHexString(v1);
        }
        catch (FormatException)
        {
            return "the signature is not hexadecimal";
        }
        return CryptographicOperations.FixedTimeEquals(given, Mac(secret, t, body)) ? null : "the signature does not match the body";
    }

    private static byte[] Mac(string secret, string t, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.ASCII.GetBytes(t + ".");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        return HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message);
    }
}
