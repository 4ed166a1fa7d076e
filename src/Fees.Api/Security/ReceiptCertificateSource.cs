using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace TdmEdu.Fees.Api.Security;

/// <summary>
/// Where each school's signing certificate comes from (contracts/ereceipts.md §6): the PKCS#12 file named by
/// <c>EReceipts:Schools:{code}:CertificatePath</c>, its password in the environment variable named by
/// <c>…:CertificatePasswordEnv</c>. In the sandbox (<c>EReceipts:SandboxCertificates</c> names a folder) a school
/// without one gets a self-signed sandbox certificate there, as <c>fees ereceipts sandbox-cert</c> writes it; a
/// production configuration leaves that key unset, and a school without a certificate then waits.
/// </summary>
public sealed class ReceiptCertificateSource(IConfiguration config)
{
    private readonly CertificateTrust trust = new(config);

    private static readonly Lock SandboxWrites = new();
    private readonly ConcurrentDictionary<string, (DateTime Written, X509Certificate2 Certificate)> loaded = new(StringComparer.Ordinal);

    /// <summary>The folder sandbox certificates are kept in, or null outside the sandbox.</summary>
    public string? SandboxFolder => config["EReceipts:SandboxCertificates"] is { Length: > 0 } f ? f : null;

    /// <summary>The school's certificate, or why there is none (English, Vietnamese).</summary>
    public (X509Certificate2? Certificate, (string En, string Vi)? Problem) For(string schoolCode, string schoolName, string taxCode, DateTimeOffset now)
    {
        var section = config.GetSection($"EReceipts:Schools:{schoolCode}");
        string path, password;
        if (section["CertificatePath"] is { Length: > 0 } configured)
        {
            path = configured;
            var env = section["CertificatePasswordEnv"];
            if (string.IsNullOrEmpty(env) || Environment.GetEnvironmentVariable(env) is not { } fromEnv)
                return (null, ($"the password of school {schoolCode}'s certificate is not in the environment (EReceipts:Schools:{schoolCode}:CertificatePasswordEnv).",
                    $"mật khẩu chứng thư số của trường {schoolCode} chưa có trong biến môi trường đã cấu hình."));
            password = fromEnv;
        }
        else if (SandboxFolder is { } folder)
        {
            path = Path.Combine(folder, schoolCode + ".p12");
            var secret = Path.Combine(folder, schoolCode + ".password");
            // One writer at a time: a reader never pairs one certificate with another's password.
            lock (SandboxWrites)
            {
                if (!File.Exists(path) || !File.Exists(secret) || !SandboxFits(path, secret, taxCode, now)) Write(folder, schoolCode, schoolName, taxCode, now).Certificate.Dispose();
                password = File.ReadAllText(secret).Trim();
            }
        }
        else
            return (null, ($"school {schoolCode} has no signing certificate configured (EReceipts:Schools:{schoolCode}:CertificatePath).",
                $"trường {schoolCode} chưa được cấu hình chứng thư số để ký biên lai."));
        try
        {
            var written = File.GetLastWriteTimeUtc(path);
            if (loaded.TryGetValue(path, out var cached) && cached.Written == written) return (cached.Certificate, null);
            var certificate = SchoolCertificates.Load(File.ReadAllBytes(path), password);
            loaded[path] = (written, certificate);
            return (certificate, null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            return (null, ($"school {schoolCode}'s certificate cannot be read: {e.GetType().Name}.", $"không đọc được chứng thư số của trường {schoolCode}."));
        }
    }

    /// <summary>The school's certificate when it passes the checks before signing (§6), or why it does not.</summary>
    public (X509Certificate2? Certificate, (string En, string Vi)? Problem) ForSigning(string schoolCode, string schoolName, string taxCode, DateTimeOffset now)
    {
        var (found, problem) = For(schoolCode, schoolName, taxCode, now);
        if (problem is not null) return (null, problem);
        if (SchoolCertificates.Check(found!, taxCode, now) is { } bad) return (null, bad);
        return trust.Problem(found!, now, schoolCode) is { } untrusted ? (null, untrusted) : (found, null);
    }

    /// <summary>Whether the sandbox certificate kept for a school still fits it (its tax code, this day); else a new one is made.</summary>
    private static bool SandboxFits(string path, string secret, string taxCode, DateTimeOffset now)
    {
        try
        {
            using var c = SchoolCertificates.Load(File.ReadAllBytes(path), File.ReadAllText(secret).Trim());
            return SchoolCertificates.Check(c, taxCode, now) is null;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>Writes a school's sandbox certificate and its password (owner-only) into <paramref name="folder"/>; returns the certificate file.</summary>
    public static (string Path, X509Certificate2 Certificate) WriteSandbox(string folder, string schoolCode, string schoolName, string taxCode, DateTimeOffset now)
    {
        lock (SandboxWrites) return Write(folder, schoolCode, schoolName, taxCode, now);
    }

    private static (string Path, X509Certificate2 Certificate) Write(string folder, string schoolCode, string schoolName, string taxCode, DateTimeOffset now)
    {
        Directory.CreateDirectory(folder);
        var certificate = SchoolCertificates.MakeSandbox(schoolName, taxCode, now);
        var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var p12 = Path.Combine(folder, schoolCode + ".p12");
        var secret = Path.Combine(folder, schoolCode + ".password");
        // The certificate it replaces is kept beside it: the receipts it signed are verified with it for good.
        if (File.Exists(p12) && File.Exists(secret))
        {
            var retired = $"{schoolCode}.retired-{now.UtcDateTime:yyyyMMddHHmmssfff}";
            File.Move(p12, Path.Combine(folder, retired + ".p12"), overwrite: true);
            File.Move(secret, Path.Combine(folder, retired + ".password"), overwrite: true);
        }
        // The password first, then the certificate: a reader never finds a certificate without its password.
        File.WriteAllText(secret, password);
        File.WriteAllBytes(p12, certificate.Export(X509ContentType.Pkcs12, password));
        if (!OperatingSystem.IsWindows())
            foreach (var f in new[] { p12, secret }) File.SetUnixFileMode(f, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return (p12, certificate);
    }
}
