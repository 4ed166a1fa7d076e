using System.Security.Cryptography;
using System.Text;

namespace TdmEdu.Fees.BankAdapters.Bidv;

/// <summary>
/// BIDV's bearer tokens (contracts/banks.md, family A step 1), stateless: <c>user|expires|password-tag</c> in
/// base64url, a dot, and a keyed hash of that text. The keyed hash is the host's (derived from its master key),
/// so a token is good on every instance and survives a restart; nothing is stored. The tag binds a token to the
/// password it was issued for without carrying it: two accounts may share a username with different passwords,
/// and a token then acts only for the accounts whose password it was issued with.
/// </summary>
public sealed class BidvToken(Func<string, byte[]> mac)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(300);

    /// <summary>Whom a bearer token was issued to: the username and the tag of the password.</summary>
    public sealed record Holder(string User, string PasswordTag);

    /// <summary>The user and password of a <c>Basic</c> authorization header, or null when it is not one.</summary>
    public static (string User, string Password)? BasicCredentials(string authorization)
    {
        if (!authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)) return null;
        try
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(authorization[6..].Trim()));
            var colon = pair.IndexOf(':');
            return colon <= 0 ? null : (pair[..colon], pair[(colon + 1)..]);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>A stored password against one given, in constant time.</summary>
    public static bool PasswordMatches(string stored, string given) => FixedEquals(stored, given);

    /// <summary>A token for <paramref name="user"/>, good for <see cref="Lifetime"/> from <paramref name="now"/>.</summary>
    public string Mint(string user, string password, DateTimeOffset now)
    {
        var expires = now.Add(Lifetime).ToUnixTimeSeconds();
        var payload = $"{user}|{expires}|{PasswordTag(user, password)}";
        return B64Url(Encoding.UTF8.GetBytes(payload)) + "." + B64Url(mac(payload));
    }

    /// <summary>The holder of a <c>Bearer</c> authorization header, if the token is ours and not expired at <paramref name="now"/>.</summary>
    public Holder? Read(string authorization, DateTimeOffset now)
    {
        if (!authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return null;
        var parts = authorization[7..].Trim().Split('.');
        if (parts.Length != 2) return null;
        try
        {
            var payload = Encoding.UTF8.GetString(FromB64Url(parts[0]));
            if (!CryptographicOperations.FixedTimeEquals(mac(payload), FromB64Url(parts[1]))) return null;
            // user|expires|tag, read from the end: a username may hold a bar.
            var tagBar = payload.LastIndexOf('|');
            var expiresBar = tagBar <= 0 ? -1 : payload.LastIndexOf('|', tagBar - 1);
            if (expiresBar <= 0 || !long.TryParse(payload[(expiresBar + 1)..tagBar], out var expires) || now.ToUnixTimeSeconds() > expires) return null;
            return new Holder(payload[..expiresBar], payload[(tagBar + 1)..]);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>True when the token was issued with <paramref name="password"/> (an account's stored one).</summary>
    public bool IssuedWith(Holder holder, string password) => FixedEquals(PasswordTag(holder.User, password), holder.PasswordTag);

    private string PasswordTag(string user, string password) => B64Url(mac($"password|{user}|{password}")[..16]);

    private static bool FixedEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));

    private static string B64Url(byte[] b) => Convert.ToBase64String(b).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromB64Url(string s)
    {
        var t = s.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(t + new string('=', (4 - t.Length % 4) % 4));
    }
}
