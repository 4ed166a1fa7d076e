using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace TdmEdu.Fees.NotifyAdapters.Links;

/// <summary>
/// The signing keys of links, by one-character key id (§4): each at least 32 bytes; two may be live while one
/// replaces the other, and new links are signed with <see cref="Current"/>.
/// </summary>
public sealed class LinkKeys
{
    public const int MinKeyBytes = 32;
    public const int MaxLiveKeys = 2;

    private readonly Dictionary<char, byte[]> _keys;

    public LinkKeys(IReadOnlyDictionary<char, byte[]> keys, char current)
    {
        if (keys.Count is 0 or > MaxLiveKeys) throw new ArgumentException($"Link keys: {keys.Count} given; one or two may be live.", nameof(keys));
        foreach (var (kid, key) in keys)
        {
            if (!char.IsAsciiLetterOrDigit(kid)) throw new ArgumentException($"Link key id '{kid}' is not one ASCII letter or digit.", nameof(keys));
            if (key.Length < MinKeyBytes) throw new ArgumentException($"Link key '{kid}' has {key.Length} bytes; at least {MinKeyBytes} are needed.", nameof(keys));
        }
        if (!keys.ContainsKey(current)) throw new ArgumentException($"The current link key '{current}' is not among the keys.", nameof(current));
        _keys = keys.ToDictionary(k => k.Key, k => k.Value.ToArray());
        Current = current;
    }

    public char Current { get; }

    internal byte[]? Of(char kid) => _keys.GetValueOrDefault(kid);
}

public enum LinkCheck
{
    Valid,
    Malformed,
    BadSignature,
    Expired,
}

/// <summary>A checked token: when <see cref="LinkCheck.Valid"/>, its id and expiry; the host then checks the row.</summary>
public sealed record LinkResult(LinkCheck Check, string? Lid, DateTimeOffset? ExpiresAt);

/// <summary>
/// A signed, expiring token <c>{lid}.{exp}.{kid}{sig}</c> (§4): lid 16 random bytes in base64url, exp Unix seconds in
/// base36, kid one character, sig the first 16 bytes of HMAC-SHA256(key[kid], prefix + "." + lid + "." + exp) in
/// base64url. The parent's page uses prefix <c>pl1</c>; the e-mail opt-out link (§9) <c>un1</c>, so one can never
/// stand for the other. Checks go in the order format, signature (constant time), expiry.
/// </summary>
public sealed class PortalLink
{
    public const string PortalPrefix = "pl1";
    public const string UnsubscribePrefix = "un1";
    public const int LidLength = 22;
    public const int SigLength = 22;
    private const int MaxExpLength = 13;
    private const string Base36 = "0123456789abcdefghijklmnopqrstuvwxyz";

    private readonly string _prefix;
    private readonly LinkKeys _keys;

    private PortalLink(string prefix, LinkKeys keys) => (_prefix, _keys) = (prefix, keys);

    public static PortalLink Portal(LinkKeys keys) => new(PortalPrefix, keys);

    public static PortalLink Unsubscribe(LinkKeys keys) => new(UnsubscribePrefix, keys);

    /// <summary>A new link id: 16 random bytes, base64url (22 characters).</summary>
    public static string NewLid() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));

    /// <summary>A link id made from a known 16-byte id (e.g. the outbox row's), for tokens that need no row of their own.</summary>
    public static string LidOf(Guid id) => Base64Url.EncodeToString(id.ToByteArray());

    public string Create(string lid, DateTimeOffset expiresAt)
    {
        if (!IsBase64Url(lid, LidLength)) throw new ArgumentException("A link id is 22 base64url characters.", nameof(lid));
        var seconds = expiresAt.ToUnixTimeSeconds();
        if (seconds <= 0) throw new ArgumentOutOfRangeException(nameof(expiresAt), "A link expires after 1970.");
        var exp = ToBase36(seconds);
        return $"{lid}.{exp}.{_keys.Current}{Sign(_keys.Of(_keys.Current)!, lid, exp)}";
    }

    public LinkResult Verify(string? token, DateTimeOffset now)
    {
        var malformed = new LinkResult(LinkCheck.Malformed, null, null);
        if (token is null || token.Length > LidLength + MaxExpLength + SigLength + 3) return malformed;
        var parts = token.Split('.');
        if (parts.Length != 3) return malformed;
        var (lid, exp, tail) = (parts[0], parts[1], parts[2]);
        if (!IsBase64Url(lid, LidLength) || tail.Length != 1 + SigLength || !IsBase64Url(tail[1..], SigLength)) return malformed;
        if (exp.Length is 0 or > MaxExpLength || exp[0] == '0' || !exp.All(c => Base36.Contains(c))) return malformed;
        var seconds = FromBase36(exp);
        if (seconds is null) return malformed;

        var key = _keys.Of(tail[0]);
        // An unknown key id is signed by nobody we trust: the same answer as a wrong signature, after the same work.
        var expected = Sign(key ?? new byte[LinkKeys.MinKeyBytes], lid, exp);
        var same = CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(tail[1..]));
        if (key is null || !same) return new LinkResult(LinkCheck.BadSignature, null, null);

        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(seconds.Value);
        return now >= expiresAt ? new LinkResult(LinkCheck.Expired, lid, expiresAt) : new LinkResult(LinkCheck.Valid, lid, expiresAt);
    }

    private string Sign(byte[] key, string lid, string exp) =>
        Base64Url.EncodeToString(HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(_prefix + "." + lid + "." + exp)).AsSpan(0, 16));

    private static bool IsBase64Url(string s, int length) =>
        s.Length == length && s.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private static string ToBase36(long n)
    {
        var sb = new StringBuilder();
        for (; n > 0; n /= 36) sb.Insert(0, Base36[(int)(n % 36)]);
        return sb.ToString();
    }

    private static long? FromBase36(string s)
    {
        long n = 0;
        foreach (var c in s)
        {
            // Checked arithmetic is on: a value past the last representable instant is malformed, not a crash.
            if (n > (DateTimeOffset.MaxValue.ToUnixTimeSeconds() - Base36.IndexOf(c)) / 36) return null;
            n = n * 36 + Base36.IndexOf(c);
        }
        return n;
    }
}
