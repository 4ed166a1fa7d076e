using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using TdmEdu.Fees.Api.Security;

namespace TdmEdu.Fees.Api.Tests.Security;

/// <summary>
/// Whom the service trusts to have issued a school's certificate (contracts/ereceipts.md §6, §11, §12): the sandbox's
/// own only in the sandbox; with configured roots, a chain to one of them at the signing time; before signing, a serial
/// the school registered with the tax office when the list is given.
/// </summary>
public sealed class CertificateTrustTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 9, 10, 3, 0, 0, TimeSpan.Zero);
    private readonly string _folder = Directory.CreateTempSubdirectory("trust-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static CertificateTrust Trust(params (string Key, string Value)[] settings) =>
        new(new ConfigurationBuilder().AddInMemoryCollection(settings.ToDictionary(s => s.Key, s => (string?)s.Value)).Build());

    private static X509Certificate2 Authority(string name)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}, O={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        return request.CreateSelfSigned(Now.AddYears(-5), Now.AddYears(5));
    }

    private static X509Certificate2 School(X509Certificate2 issuer)
    {
        using var key = RSA.Create(2048);
        var name = new X500DistinguishedNameBuilder();
        name.AddCommonName("Trường Tiểu học Thử Nghiệm");
        name.AddOrganizationName("Trường Tiểu học Thử Nghiệm");
        name.Add("0.9.2342.19200300.100.1.1", "MST:3700000001", UniversalTagNumber.UTF8String);
        var request = new CertificateRequest(name.Build(), key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, true));
        return request.Create(issuer, Now.AddYears(-1), Now.AddYears(2), RandomNumberGenerator.GetBytes(12));
    }

    [Fact]
    public void ASandboxCertificate_IsTrustedOnlyInTheSandbox()
    {
        using var sandbox = SchoolCertificates.MakeSandbox("Trường Tiểu học Thử Nghiệm", "3700000001", Now);

        Assert.Null(Trust(("EReceipts:SandboxCertificates", _folder)).Problem(sandbox, Now));
        Assert.Equal("chứng thư thử nghiệm không được tin cậy ngoài môi trường thử nghiệm.", Trust().Problem(sandbox, Now)?.Vi);
    }

    [Fact]
    public void WithConfiguredRoots_OnlyACertificateIssuedUnderOneOfThem_IsTrusted()
    {
        using var ca = Authority("Test CA");
        using var stranger = Authority("Other CA");
        var roots = Path.Combine(_folder, "roots.pem");
        File.WriteAllText(roots, ca.ExportCertificatePem());
        var trust = Trust(("EReceipts:TrustedRoots", roots));
        using var issued = School(ca);
        using var forged = School(stranger);

        Assert.Null(trust.Problem(issued, Now));
        Assert.Equal("the certificate does not chain to a configured trusted certification authority.", trust.Problem(forged, Now)?.En);
        // At a time the issuing authority's certificate did not yet cover, the chain does not hold either.
        Assert.NotNull(trust.Problem(issued, Now.AddYears(-6)));
    }

    [Fact]
    public void BeforeSigning_ASerialTheSchoolDidNotRegister_IsRefused()
    {
        using var ca = Authority("Test CA");
        using var issued = School(ca);
        var trust = Trust(("EReceipts:Schools:TS01:RegisteredSerials", "00AA, " + issued.SerialNumber.ToLowerInvariant()));

        Assert.Null(trust.Problem(issued, Now, "TS01"));
        Assert.Contains("not among those school TS01 registered", Trust(("EReceipts:Schools:TS01:RegisteredSerials", "00AA")).Problem(issued, Now, "TS01")?.En);
        // Verifying a receipt already signed does not ask for the registration.
        Assert.Null(Trust(("EReceipts:Schools:TS01:RegisteredSerials", "00AA")).Problem(issued, Now));
    }
}

/// <summary>A sandbox certificate made anew (its school's tax code changed, or it expired) keeps the one it replaces beside it.</summary>
public sealed class SandboxCertificateRetirementTests
{
    [Fact]
    public void ARegeneratedSandboxCertificate_KeepsTheOneItReplaces_WithItsPassword()
    {
        var folder = Directory.CreateTempSubdirectory("certs-").FullName;
        try
        {
            var source = new ReceiptCertificateSource(new ConfigurationBuilder()
                .AddInMemoryCollection(new Dictionary<string, string?> { ["EReceipts:SandboxCertificates"] = folder }).Build());
            var now = new DateTimeOffset(2026, 9, 10, 3, 0, 0, TimeSpan.Zero);
            var first = source.For("TS01", "Trường Thử", "3700000001", now).Certificate!.SerialNumber;
            var second = source.For("TS01", "Trường Thử", "3700000091", now.AddMinutes(1)).Certificate!.SerialNumber;

            Assert.NotEqual(first, second);
            var retired = Assert.Single(Directory.GetFiles(folder, "TS01.retired-*.p12"));
            using var kept = SchoolCertificates.Load(File.ReadAllBytes(retired), File.ReadAllText(Path.ChangeExtension(retired, ".password")).Trim());
            Assert.Equal(first, kept.SerialNumber);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
