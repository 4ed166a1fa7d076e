using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using TdmEdu.Fees.BankAdapters.Banks;
using TdmEdu.Fees.BankAdapters.Inbound;

namespace TdmEdu.Fees.BankAdapters.Vcb;

/// <summary>Vietcombank credit notification (family B): body, RSA-SHA256 signature over the raw body, answers.</summary>
public static class VcbNotification
{
    public const string SignatureHeader = "X-VCB-Signature";

    /// <summary>The account the body names, read before the signature can be checked with that account's key.</summary>
    public static string AccountOf(JsonElement body) => BankJson.Required(body, "accountNumber");

    public static bool SignatureMatches(string publicKeyPem, ReadOnlySpan<byte> rawBody, string? signatureBase64)
    {
        if (string.IsNullOrWhiteSpace(signatureBase64)) return false;
        byte[] signature;
        try
        {
            signature = Convert.FromBase64String(signatureBase64.Trim());
        }
        catch (FormatException)
        {
            return false;
        }
        // Reading a PEM key costs more than checking a signature with it, so keys are kept, a few per bank key.
        var pool = Keys.GetOrAdd(publicKeyPem, _ => new ConcurrentBag<RSA>());
        if (!pool.TryTake(out var rsa))
        {
            rsa = RSA.Create();
            rsa.ImportFromPem(publicKeyPem);
        }
        try
        {
            return rsa.VerifyData(rawBody, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }
        finally
        {
            if (pool.Count < 16) pool.Add(rsa); else rsa.Dispose();
        }
    }

    private static readonly ConcurrentDictionary<string, ConcurrentBag<RSA>> Keys = new(StringComparer.Ordinal);

    public static string Sign(string privateKeyPem, ReadOnlySpan<byte> rawBody)
    {
        using var rsa = RSA.Create();
        rsa.ImportFromPem(privateKeyPem);
        return Convert.ToBase64String(rsa.SignData(rawBody, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    public static BankEvent Parse(JsonElement o)
    {
        var (id, amount, kind, original) = BankJson.Movement(o, "creditDebit");
        return new BankEvent(BankDirectory.Vcb, kind, id, BankJson.Required(o, "referenceNumber"), amount, AccountOf(o),
            BankJson.Text(o, "virtualAccount"), null, null, BankJson.Text(o, "content", BankJson.MaxTextLength) ?? "", original,
            BankJson.Text(o, "transactionTime"), BankJson.Date(BankJson.Text(o, "valueDate")));
    }

    public static (int Status, string Body) Ok(Guid refId) => (200, JsonSerializer.Serialize(new { code = "00", message = "success", refId }));
    public static (int Status, string Body) Malformed => (400, """{"code":"01"}""");
    public static (int Status, string Body) BadSignature => (401, """{"code":"05"}""");
    public static (int Status, string Body) OurFailure => (500, """{"code":"99"}""");
}
