using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using TdmEdu.Fees.Domain.Receipts;

namespace TdmEdu.Fees.Api.Security;

/// <summary>A receipt signed: the bytes kept (the legal document), their SHA-256, when and with which certificate.</summary>
public sealed record SignedReceipt(byte[] Xml, string Sha256, DateTime SigningTime, string CertificateSerial, string CertificateSubject);

/// <summary>What the signature of a stored receipt says: valid or not (and why), the certificate it names and when it was signed.</summary>
public sealed record SignatureCheck(bool Valid, string? Problem, X509Certificate2? Certificate, DateTime? SigningTime);

/// <summary>
/// The school's digital signature on an e-receipt (contracts/ereceipts.md §6): W3C XML Signature, enveloped in
/// <c>DSCKS/TCThu</c>, RSA-SHA256 over exclusive C14N; one reference to the receipt's data (<c>#data</c>) and one
/// to the signing time (<c>#SigningTime</c>, an <c>Object</c> holding <c>SignatureProperties</c>), and the
/// certificate in <c>KeyInfo/X509Data</c>. The check verifies the signature with the certificate the document
/// carries and insists on exactly these two references, so no part of a receipt can be left out of what is signed.
/// </summary>
public static class ReceiptSignature
{
    private const string SigningTimeId = "SigningTime";
    private static readonly TimeSpan Vietnam = TimeSpan.FromHours(7);

    /// <summary>Signs the receipt <paramref name="unsigned"/> (from <see cref="ReceiptXmlWriter"/>) at <paramref name="at"/>.</summary>
    public static SignedReceipt Sign(XDocument unsigned, Guid receiptId, X509Certificate2 certificate, DateTimeOffset at) =>
        Sign(unsigned, $"sig-{receiptId}", ReceiptXmlWriter.Signer, certificate, at);

    /// <summary>
    /// Signs another document the school files (an error notice, a usage report: <see cref="TaxOfficeXml"/>) the same
    /// way: its data element is <c>Id="data"</c> and its signature goes in <c>DSCKS/{signer}</c> under the root.
    /// </summary>
    public static SignedReceipt Sign(XDocument unsigned, string signatureId, string signer, X509Certificate2 certificate, DateTimeOffset at)
    {
        var key = certificate.GetRSAPrivateKey() ?? throw new CryptographicException("the certificate has no RSA private key.");
        var doc = Load(ReceiptXmlWriter.Bytes(unsigned));
        var place = doc.SelectSingleNode($"/*/DSCKS/{signer}") as XmlElement
                    ?? throw new CryptographicException($"the document has no place for its signature (DSCKS/{signer}).");
        // Signed in +07:00, written without the offset (Decision 1271), to the second.
        var local = at.ToOffset(Vietnam).DateTime;
        local = local.AddTicks(-(local.Ticks % TimeSpan.TicksPerSecond));

        var signed = new SignedXml(doc) { SigningKey = key };
        signed.SignedInfo!.SignatureMethod = SignedXml.XmlDsigRSASHA256Url;
        signed.SignedInfo.CanonicalizationMethod = SignedXml.XmlDsigExcC14NTransformUrl;
        signed.Signature.Id = signatureId;
        var data = new Reference("#" + ReceiptXmlWriter.DataId) { DigestMethod = SignedXml.XmlDsigSHA256Url };
        data.AddTransform(new XmlDsigEnvelopedSignatureTransform());
        data.AddTransform(new XmlDsigExcC14NTransform());
        signed.AddReference(data);

        // The Id on the Object, not on the SignatureProperty inside it: .NET's SignedXml does not resolve the latter.
        var properties = doc.CreateElement("SignatureProperties", SignedXml.XmlDsigNamespaceUrl);
        var property = doc.CreateElement("SignatureProperty", SignedXml.XmlDsigNamespaceUrl);
        property.SetAttribute("Target", "#" + signatureId);
        var time = doc.CreateElement("SigningTime", SignedXml.XmlDsigNamespaceUrl);
        time.InnerText = local.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        property.AppendChild(time);
        properties.AppendChild(property);
        signed.AddObject(new DataObject { Id = SigningTimeId, Data = properties.SelectNodes(".")! });
        var when = new Reference("#" + SigningTimeId) { DigestMethod = SignedXml.XmlDsigSHA256Url };
        when.AddTransform(new XmlDsigExcC14NTransform());
        signed.AddReference(when);

        var x509 = new KeyInfoX509Data(certificate);
        x509.AddSubjectName(certificate.SubjectName.Name);
        signed.KeyInfo = new KeyInfo();
        signed.KeyInfo.AddClause(x509);
        signed.ComputeSignature();
        place.AppendChild(doc.ImportNode(signed.GetXml(), true));

        var bytes = Save(doc);
        return new SignedReceipt(bytes, Convert.ToHexStringLower(SHA256.HashData(bytes)), local, certificate.SerialNumber, certificate.Subject);
    }

    /// <summary>Checks a stored receipt's signature with the certificate it carries (trust in that certificate is the caller's rule).</summary>
    public static SignatureCheck Verify(byte[] xml) => Verify(xml, ReceiptXmlWriter.Root, ReceiptXmlWriter.Data, ReceiptXmlWriter.Signer);

    /// <summary>The same check for another document the school signs: its root, data element and signature place.</summary>
    public static SignatureCheck Verify(byte[] xml, string root, string data, string signer)
    {
        XmlDocument doc;
        try
        {
            doc = Load(xml);
        }
        catch (XmlException e)
        {
            return new SignatureCheck(false, $"not XML: {e.Message}", null, null);
        }
        var ns = new XmlNamespaceManager(doc.NameTable);
        ns.AddNamespace("ds", SignedXml.XmlDsigNamespaceUrl);
        var signatures = doc.SelectNodes("//ds:Signature", ns)!;
        if (signatures.Count != 1 || doc.SelectSingleNode($"/{root}/DSCKS/{signer}/ds:Signature", ns) is not XmlElement element)
            return new SignatureCheck(false, $"the document does not carry exactly one signature, in DSCKS/{signer}.", null, null);
        // One element of each Id the references name: a second "data" could be signed while the first is shown.
        // SignedXml finds a reference's element by an Id, ID or id attribute: each spelling is counted.
        if (doc.SelectNodes($"//*[@Id='{ReceiptXmlWriter.DataId}' or @ID='{ReceiptXmlWriter.DataId}' or @id='{ReceiptXmlWriter.DataId}']")!.Count != 1 || doc.SelectSingleNode($"/{root}/{data}[@Id='{ReceiptXmlWriter.DataId}']") is null)
            return new SignatureCheck(false, "the receipt's data is not the one element the signature names.", null, null);
        var signed = new SignedXml(doc);
        try
        {
            signed.LoadXml(element);
        }
        catch (CryptographicException e)
        {
            return new SignatureCheck(false, $"the signature cannot be read: {e.Message}", null, null);
        }
        var certificate = signed.KeyInfo?.OfType<KeyInfoX509Data>().SelectMany(d => d.Certificates?.OfType<X509Certificate2>() ?? []).FirstOrDefault();
        var time = element.SelectSingleNode($"ds:Object[@Id='{SigningTimeId}']/ds:SignatureProperties/ds:SignatureProperty/ds:SigningTime", ns)?.InnerText;
        DateTime? signedAt = DateTime.TryParseExact(time, "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? t : null;
        if (certificate is null) return new SignatureCheck(false, "the signature carries no certificate.", null, signedAt);
        var info = signed.SignedInfo!;
        var uris = info.References.OfType<Reference>().Select(r => r.Uri).ToList();
        if (info.SignatureMethod != SignedXml.XmlDsigRSASHA256Url || uris.Count != 2 || !uris.Contains("#" + ReceiptXmlWriter.DataId) || !uris.Contains("#" + SigningTimeId)
            || info.References.OfType<Reference>().Any(r => r.DigestMethod != SignedXml.XmlDsigSHA256Url))
            return new SignatureCheck(false, "the signature is not RSA-SHA256 over the receipt's data and its signing time.", certificate, signedAt);
        if (signedAt is null) return new SignatureCheck(false, "the signature states no signing time.", certificate, null);
        bool valid;
        try
        {
            valid = signed.CheckSignature(certificate, verifySignatureOnly: true);
        }
        catch (CryptographicException e)
        {
            return new SignatureCheck(false, $"the signature cannot be checked: {e.Message}", certificate, signedAt);
        }
        return valid ? new SignatureCheck(true, null, certificate, signedAt)
            : new SignatureCheck(false, "the signature does not match the receipt: it was changed after signing.", certificate, signedAt);
    }

    private static XmlDocument Load(byte[] bytes)
    {
        var doc = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        using var reader = XmlReader.Create(new MemoryStream(bytes), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
        doc.Load(reader);
        return doc;
    }

    private static byte[] Save(XmlDocument doc)
    {
        using var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = false }))
            doc.Save(writer);
        return buffer.ToArray();
    }
}
