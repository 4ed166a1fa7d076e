using System.Security.Cryptography;
using System.Text;
using TdmEdu.Fees.Api.Common;

namespace TdmEdu.Fees.Api.Security;

/// <summary>
/// Seals bank secrets for storage with AES-GCM under the master key from FEES_MASTER_KEY (32 bytes, base64).
/// `./fees` creates a local key under .data/ on first use; production takes it from the environment.
/// </summary>
public sealed class SecretBox
{
    public const string Variable = "FEES_MASTER_KEY";
    private readonly byte[] _key;

    public SecretBox(byte[] key)
    {
        if (key.Length != 32) throw new ArgumentException("The master key is 32 bytes.", nameof(key));
        _key = key;
    }

    public static SecretBox FromEnvironment()
    {
        var text = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(text))
            throw new EnvironmentProblemException($"{Variable} is not set: bank secrets cannot be read or stored. ./fees sets a local one; in production give it from the secret store.");
        try
        {
            return new SecretBox(Convert.FromBase64String(text.Trim()));
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw new EnvironmentProblemException($"{Variable} is not 32 bytes in base64.");
        }
    }

    public static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public string Seal(string secret)
    {
        var nonce = RandomNumberGenerator.GetBytes(12);
        var plain = Encoding.UTF8.GetBytes(secret);
        var cipher = new byte[plain.Length];
        var tag = new byte[16];
        using (var aes = new AesGcm(_key, 16)) aes.Encrypt(nonce, plain, cipher, tag);
        return "v1:" + Convert.ToBase64String([.. nonce, .. tag, .. cipher]);
    }

    public string Open(string sealedText)
    {
        if (!sealedText.StartsWith("v1:", StringComparison.Ordinal)) throw new CryptographicException("Unknown sealed-secret format.");
        var all = Convert.FromBase64String(sealedText[3..]);
        var plain = new byte[all.Length - 28];
        using (var aes = new AesGcm(_key, 16)) aes.Decrypt(all.AsSpan(0, 12), all.AsSpan(28), all.AsSpan(12, 16), plain);
        return Encoding.UTF8.GetString(plain);
    }

    /// <summary>
    /// A password for a demo login, the same on every start of one installation and different in every other:
    /// derived from the master key, never stored in git or in clear in the database.
    /// </summary>
    public string DemoPassword(string login)
    {
        var bytes = HMACSHA256.HashData(HKDF.DeriveKey(HashAlgorithmName.SHA256, _key, 32, info: "demo-login"u8.ToArray()), Encoding.UTF8.GetBytes(login));
        const string alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        return "Fees-" + string.Concat(bytes.Take(12).Select(b => alphabet[b % alphabet.Length])) + "-7";
    }

    /// <summary>A keyed hash for stateless tokens (BIDV bearer tokens), derived from the master key.</summary>
    /// <summary>A key of its own for one purpose (HKDF over the master key), so no two uses share a key.</summary>
    public byte[] DeriveKey(string purpose) => HKDF.DeriveKey(HashAlgorithmName.SHA256, _key, 32, info: Encoding.UTF8.GetBytes(purpose));

    public byte[] Mac(string message) =>
        HMACSHA256.HashData(HKDF.DeriveKey(HashAlgorithmName.SHA256, _key, 32, info: "bidv-token"u8.ToArray()), Encoding.UTF8.GetBytes(message));
}
