using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using TdmEdu.Fees.NotifyAdapters.Smtp;
using TdmEdu.Fees.NotifyAdapters.Tests.Support;

namespace TdmEdu.Fees.NotifyAdapters.Tests.Smtp;

/// <summary>
/// STARTTLS against an smtp4dev that offers it with a certificate of its own (a private relay): used when offered,
/// and the pinned certificate is the only one believed.
/// </summary>
public sealed class SmtpTlsTests(SmtpTlsTests.TlsServer fixture) : IClassFixture<SmtpTlsTests.TlsServer>
{
    /// <summary>One smtp4dev offering STARTTLS with a self-signed certificate made here, and that certificate's pin.</summary>
    public sealed class TlsServer : IAsyncLifetime
    {
        private readonly string _dir = Directory.CreateTempSubdirectory("smtp-tls-").FullName;

        public Smtp4dev Server { get; private set; } = null!;
        public string Pin { get; private set; } = "";

        public async Task InitializeAsync()
        {
            using var key = RSA.Create(2048);
            var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            var san = new SubjectAlternativeNameBuilder();
            san.AddIpAddress(System.Net.IPAddress.Loopback);
            request.CertificateExtensions.Add(san.Build());
            using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
            await File.WriteAllTextAsync(Path.Combine(_dir, "cert.pem"), cert.ExportCertificatePem());
            await File.WriteAllTextAsync(Path.Combine(_dir, "key.pem"), key.ExportPkcs8PrivateKeyPem());
            Pin = Convert.ToHexString(SHA256.HashData(cert.RawData));
            Server = await Smtp4dev.StartAsync(null, "--tlsmode=StartTls",
                "--tlscertificate=" + Path.Combine(_dir, "cert.pem"), "--tlscertificateprivatekey=" + Path.Combine(_dir, "key.pem"));
        }

        public async Task DisposeAsync()
        {
            await Server.DisposeAsync();
            Directory.Delete(_dir, recursive: true);
        }
    }

    private async Task<SendOutcome> SendAsync(SmtpSecurity security, string? pin, string to)
    {
        var options = new SmtpOptions
        {
            Host = "127.0.0.1", Port = fixture.Server.SmtpPort, Security = security, FromAddress = "no-reply@thuhocphi.example.vn", CertificateSha256 = pin,
        };
        using var sp = new ServiceCollection().AddSmtpEmail(options).BuildServiceProvider();
        return await sp.GetRequiredService<SmtpEmailChannel>().SendAsync(Samples.Message(NotificationChannel.Email, to), CancellationToken.None);
    }

    [Theory]
    [InlineData(SmtpSecurity.Auto)]
    [InlineData(SmtpSecurity.StartTls)]
    public async Task OfferedStartTls_IsUsed_WithThePinnedCertificate(SmtpSecurity security)
    {
        var to = $"tls.{security}@phuhuynh.example.vn";

        Assert.IsType<Accepted>(await SendAsync(security, fixture.Pin, to));

        Assert.True((await fixture.Server.ReadAsync(to)).Secure);
    }

    [Fact]
    public async Task ACertificateNobodyVouchesFor_IsRefused_AndRetriedLater()
    {
        Assert.Equal("Retry SMTP_TLS", Samples.Describe(await SendAsync(SmtpSecurity.StartTls, null, "unpinned@phuhuynh.example.vn")));
        Assert.Equal("Retry SMTP_TLS", Samples.Describe(await SendAsync(SmtpSecurity.StartTls, new string('0', 64), "wrong-pin@phuhuynh.example.vn")));
        Assert.Empty(await fixture.Server.MessagesAsync());
    }
}
