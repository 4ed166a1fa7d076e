using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using TdmEdu.Fees.Api.Security;
using TdmEdu.Fees.Domain.Receipts;

namespace TdmEdu.Fees.Api.Tests.Security;

/// <summary>
/// The school's signature on an e-receipt: what we sign, our check, and an independent verifier (xmlsec1, from
/// Debian) agree that a receipt is valid; one changed amount or signing time makes both say invalid; a receipt
/// that signs only part of itself, carries two data parts or two signatures is refused by our check.
/// </summary>
public sealed class ReceiptSignatureTests
{
    private static readonly DateTimeOffset At = new(2026, 9, 10, 3, 15, 42, 500, TimeSpan.Zero);

    private static X509Certificate2 Certificate() => SchoolCertificates.MakeSandbox("Trường Tiểu học Phú Hòa 2", "3700000000", At);

    private static readonly ReceiptDocument Receipt = new(
        "EBL01", "26T", 123, new DateOnly(2026, 9, 10), Cash: false, "7QK2M9XD4HTB", "https://thu.example.vn/bien-lai",
        new ReceiptCollector("Trường Tiểu học Phú Hòa 2", "3700000000", "Phường Phú Hòa, Thành phố Hồ Chí Minh"),
        new ReceiptPayer("Nguyễn Thị Lan", PaymentCode: "HS12345671"),
        [new ReceiptItem("Tiền ăn bán trú tháng 9/2026", 900_000), new ReceiptItem("Chăm sóc bán trú tháng 9/2026", 600_000)],
        [new ReceiptNote("Học sinh", "Nguyễn Văn An, lớp 3A")]);

    private static SignedReceipt Signed(X509Certificate2 certificate) =>
        ReceiptSignature.Sign(ReceiptXmlWriter.Write(Receipt), Guid.Parse("0199c0de-0000-7000-8000-000000000123"), certificate, At);

    private static byte[] Changed(byte[] xml, string from, string to)
    {
        var text = Encoding.UTF8.GetString(xml);
        Assert.Contains(from, text);
        return Encoding.UTF8.GetBytes(text.Replace(from, to, StringComparison.Ordinal));
    }

    [Fact]
    public void ASignedReceipt_IsValid_ItsSigningTimeInVietnamToTheSecond_AndItsHashThatOfItsBytes()
    {
        using var certificate = Certificate();
        var signed = Signed(certificate);

        var check = ReceiptSignature.Verify(signed.Xml);

        Assert.True(check.Valid, check.Problem);
        Assert.Equal(new DateTime(2026, 9, 10, 10, 15, 42), signed.SigningTime);
        Assert.Equal(signed.SigningTime, check.SigningTime);
        Assert.Equal(certificate.Thumbprint, check.Certificate!.Thumbprint);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(signed.Xml)), signed.Sha256);
        var text = Encoding.UTF8.GetString(signed.Xml);
        Assert.Contains("<DSCKS><TCThu><Signature Id=\"sig-0199c0de-0000-7000-8000-000000000123\" xmlns=\"http://www.w3.org/2000/09/xmldsig#\">", text);
        Assert.Contains("<SigningTime>2026-09-10T10:15:42</SigningTime>", text);
        Assert.Contains("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256", text);
        Assert.Contains("http://www.w3.org/2001/10/xml-exc-c14n#", text);
    }

    [Theory]
    [InlineData("<STien>900000</STien>", "<STien>900001</STien>")]
    [InlineData("<Ten>Nguyễn Thị Lan</Ten>", "<Ten>Nguyễn Thị Lân</Ten>")]
    [InlineData("<SigningTime>2026-09-10T10:15:42</SigningTime>", "<SigningTime>2026-09-09T10:15:42</SigningTime>")]
    public void OneChangeAfterSigning_MakesItInvalid(string from, string to)
    {
        using var certificate = Certificate();
        var check = ReceiptSignature.Verify(Changed(Signed(certificate).Xml, from, to));
        Assert.False(check.Valid);
    }

    [Fact]
    public void AReceiptWithASecondDataPartOrASecondSignatureOrNone_IsRefused()
    {
        using var certificate = Certificate();
        var xml = Signed(certificate).Xml;
        var text = Encoding.UTF8.GetString(xml);
        var data = text[text.IndexOf("<DLCTu", StringComparison.Ordinal)..(text.IndexOf("</DLCTu>", StringComparison.Ordinal) + "</DLCTu>".Length)];
        var wrapped = Encoding.UTF8.GetBytes(text.Replace("<DSCKS>", "<Bao>" + data.Replace("900000", "9000") + "</Bao><DSCKS>", StringComparison.Ordinal));
        Assert.Contains("one element", ReceiptSignature.Verify(wrapped).Problem);
        var upper = Encoding.UTF8.GetBytes(text.Replace("<DSCKS>", "<Bao ID=\"data\">" + data + "</Bao><DSCKS>", StringComparison.Ordinal));
        Assert.Contains("one element", ReceiptSignature.Verify(upper).Problem);
        var unsigned = ReceiptXmlWriter.Bytes(ReceiptXmlWriter.Write(Receipt));
        Assert.Contains("exactly one signature", ReceiptSignature.Verify(unsigned).Problem);
        Assert.False(ReceiptSignature.Verify("not xml"u8.ToArray()).Valid);
    }

    /// <summary>
    /// The independent check of the issue's "Done when": xmlsec1 (libxmlsec1, C), given only the certificate as trusted,
    /// verifies our signature, and refuses the receipt with one amount changed.
    /// </summary>
    [Fact]
    public async Task Xmlsec1_AnotherImplementation_VerifiesTheSignature_AndRefusesAChangedAmount()
    {
        using var certificate = Certificate();
        var signed = Signed(certificate);
        var folder = Directory.CreateTempSubdirectory("fees-xmlsec-");
        try
        {
            var pem = Path.Combine(folder.FullName, "school.pem");
            await File.WriteAllTextAsync(pem, certificate.ExportCertificatePem());
            var good = Path.Combine(folder.FullName, "receipt.xml");
            var bad = Path.Combine(folder.FullName, "changed.xml");
            await File.WriteAllBytesAsync(good, signed.Xml);
            await File.WriteAllBytesAsync(bad, Changed(signed.Xml, "<STien>900000</STien>", "<STien>900001</STien>"));

            var (okCode, okOut) = await Support.Xmlsec1.VerifyAsync(pem, good);
            var (badCode, badOut) = await Support.Xmlsec1.VerifyAsync(pem, bad);

            Assert.True(okCode == 0, okOut);
            Assert.Contains("OK", okOut);
            Assert.NotEqual(0, badCode);
            Assert.Contains("FAIL", badOut);
        }
        finally
        {
            folder.Delete(true);
        }
    }

    [Fact]
    public void TheSandboxCertificate_NamesTheTaxCodeAndSaysItIsTheSandbox_AndIsCheckedBeforeSigning()
    {
        using var certificate = Certificate();
        Assert.True(SchoolCertificates.IsSandbox(certificate));
        Assert.Equal("3700000000", SchoolCertificates.TaxCode(certificate));
        Assert.Null(SchoolCertificates.Check(certificate, "3700000000", At));
        Assert.Contains("không phải mã số thuế 3700000001", SchoolCertificates.Check(certificate, "3700000001", At)!.Value.Vi);
        Assert.Contains("not on 2030", SchoolCertificates.Check(certificate, "3700000000", At.AddYears(4))!.Value.En);
        using var publicOnly = X509CertificateLoader.LoadCertificate(certificate.Export(X509ContentType.Cert));
        Assert.Contains("private key", SchoolCertificates.Check(publicOnly, "3700000000", At)!.Value.En);
        using var rsa = RSA.Create(1024);
        using var small = new CertificateRequest("CN=x, UID=MST:3700000000", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSelfSigned(At.AddDays(-1), At.AddDays(1));
        Assert.Contains("2048", SchoolCertificates.Check(small, "3700000000", At)!.Value.En);
    }
}
