using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace TdmEdu.Fees.Api.Security;

/// <summary>
/// A school's signing certificate (contracts/ereceipts.md §6): PKCS#12 loaded with an ephemeral key, checked before
/// each signature (within its validity, RSA of at least 2048 bits with its private key, the school's tax code in its
/// subject as Vietnamese CAs write it, "MST:&lt;tax code&gt;"), and the sandbox's self-signed one for `./fees up`,
/// which says so in its subject so every receipt signed with it can say "chứng thư thử nghiệm".
/// </summary>
public static class SchoolCertificates
{
    public const string SandboxOrganisation = "TdmEdu sandbox";
    private const string UserId = "0.9.2342.19200300.100.1.1";

    /// <summary>A self-signed RSA-2048 certificate `CN=school, O=TdmEdu sandbox, UID=MST:tax code`, valid from a year before <paramref name="now"/> to three years after.</summary>
    public static X509Certificate2 MakeSandbox(string schoolName, string taxCode, DateTimeOffset now)
    {
        using var rsa = RSA.Create(2048);
        var name = new X500DistinguishedNameBuilder();
        name.AddCommonName(schoolName);
        name.AddOrganizationName(SandboxOrganisation);
        name.Add(UserId, "MST:" + taxCode, UniversalTagNumber.UTF8String);
        var request = new CertificateRequest(name.Build(), rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, critical: true));
        // From a year back, so a sandbox whose clock is set in the past (tests, demos of last school year) can sign.
        using var made = request.CreateSelfSigned(now.AddYears(-1), now.AddYears(3));
        // Through PKCS#12, as a school's real certificate comes: the key is then usable for signing on every platform.
        var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        return Load(made.Export(X509ContentType.Pkcs12, password), password);
    }

    public static X509Certificate2 Load(byte[] pkcs12, string password) =>
        X509CertificateLoader.LoadPkcs12(pkcs12, password, X509KeyStorageFlags.EphemeralKeySet);

    /// <summary>Whether the certificate is the sandbox's own (its receipts say so everywhere).</summary>
    public static bool IsSandbox(X509Certificate2 certificate) =>
        certificate.SubjectName.EnumerateRelativeDistinguishedNames().Any(n => n.GetSingleElementType().Value == "2.5.4.10" && n.GetSingleElementValue() == SandboxOrganisation);

    /// <summary>The tax code the subject names ("MST:3700000000" in UID, or anywhere in the subject), or null.</summary>
    public static string? TaxCode(X509Certificate2 certificate)
    {
        var at = certificate.Subject.IndexOf("MST:", StringComparison.Ordinal);
        if (at < 0) return null;
        var digits = new string(certificate.Subject[(at + 4)..].TakeWhile(c => char.IsAsciiDigit(c) || c == '-').ToArray());
        return digits.Length == 0 ? null : digits;
    }

    /// <summary>
    /// Why this certificate may not sign the school's receipts at <paramref name="at"/> (English, Vietnamese), or null when it may;
    /// checking a signature already made (<paramref name="forSigning"/> false), the private key is not asked for.
    /// </summary>
    public static (string En, string Vi)? Check(X509Certificate2 certificate, string taxCode, DateTimeOffset at, bool forSigning = true)
    {
        if (forSigning && !certificate.HasPrivateKey) return ("the certificate has no private key.", "chứng thư số không có khoá bí mật.");
        if (at < certificate.NotBefore || at > certificate.NotAfter)
            return ($"the certificate is valid from {certificate.NotBefore:yyyy-MM-dd} to {certificate.NotAfter:yyyy-MM-dd}, not on {at:yyyy-MM-dd}.",
                $"chứng thư số có hiệu lực từ {certificate.NotBefore:dd/MM/yyyy} đến {certificate.NotAfter:dd/MM/yyyy}, không phải ngày {at:dd/MM/yyyy}.");
        using var rsa = certificate.GetRSAPublicKey();
        if (rsa is null || rsa.KeySize < 2048) return ("the certificate's key is not RSA of at least 2048 bits.", "khoá của chứng thư số không phải RSA từ 2048 bit.");
        if (TaxCode(certificate) != taxCode)
            return ($"the certificate names the tax code {TaxCode(certificate) ?? "(none)"}, not the school's {taxCode}.",
                $"chứng thư số ghi mã số thuế {TaxCode(certificate) ?? "(không có)"}, không phải mã số thuế {taxCode} của trường.");
        return null;
    }
}
