using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace TdmEdu.Fees.Api.Security;

/// <summary>
/// Whom the service trusts to have issued a school's signing certificate (contracts/ereceipts.md §6, §11, §12):
/// a sandbox certificate only in the sandbox (<c>EReceipts:SandboxCertificates</c> set); when
/// <c>EReceipts:TrustedRoots</c> names a PEM file of CA certificates, a chain to one of them at the signing time; and,
/// before signing, when <c>EReceipts:Schools:{code}:RegisteredSerials</c> lists the serials the school registered
/// with the tax office (01/ĐKTĐ-CTĐT), one of those.
/// </summary>
public sealed class CertificateTrust(IConfiguration config)
{
    private readonly Lazy<X509Certificate2Collection> roots = new(() => LoadRoots(config["EReceipts:TrustedRoots"]));

    public bool SandboxMode => config["EReceipts:SandboxCertificates"] is { Length: > 0 };

    /// <summary>Why this certificate is not trusted for the school's receipts at <paramref name="at"/>, or null; with a school code, also its registration.</summary>
    public (string En, string Vi)? Problem(X509Certificate2 certificate, DateTimeOffset at, string? schoolCode = null)
    {
        if (SchoolCertificates.IsSandbox(certificate))
            return SandboxMode ? null : ("a sandbox certificate is not trusted outside the sandbox.", "chứng thư thử nghiệm không được tin cậy ngoài môi trường thử nghiệm.");
        if (roots.Value.Count > 0)
        {
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(roots.Value);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.VerificationTime = at.UtcDateTime;
            chain.ChainPolicy.VerificationTimeIgnored = false;
            if (!chain.Build(certificate))
                return ("the certificate does not chain to a configured trusted certification authority.",
                    "chứng thư số không do tổ chức chứng thực được tin cậy cấp.");
        }
        if (schoolCode is not null && config[$"EReceipts:Schools:{schoolCode}:RegisteredSerials"] is { Length: > 0 } serials
            && !serials.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Contains(certificate.SerialNumber, StringComparer.OrdinalIgnoreCase))
            return ($"the certificate's serial {certificate.SerialNumber} is not among those school {schoolCode} registered with the tax office.",
                $"số sê-ri {certificate.SerialNumber} của chứng thư số chưa được trường {schoolCode} đăng ký với cơ quan thuế.");
        return null;
    }

    private static X509Certificate2Collection LoadRoots(string? path)
    {
        var found = new X509Certificate2Collection();
        if (string.IsNullOrWhiteSpace(path)) return found;
        try
        {
            found.ImportFromPemFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new InvalidOperationException($"EReceipts:TrustedRoots ({path}) cannot be read as PEM certificates: {e.Message}");
        }
        return found;
    }
}
