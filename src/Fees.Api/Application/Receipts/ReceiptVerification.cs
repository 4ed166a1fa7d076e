using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Api.Security;
using TdmEdu.Fees.Domain.Receipts;

namespace TdmEdu.Fees.Api.Application.Receipts;

/// <summary>What the signature check says of a stored receipt: valid, invalid (with why), a sandbox certificate, or not signed yet.</summary>
public enum SignatureVerdict { Valid, Invalid, Sandbox, NotSigned }

/// <summary>A receipt as anyone holding its tax code and lookup code may see it (contracts/ereceipts.md §12): the payer's name masked.</summary>
public sealed record VerifiedReceipt(
    string Status, string SchoolName, string TaxCode, string Template, string Series, long Number, DateOnly IssuedOn,
    IReadOnlyList<(string Name, long AmountVnd)> Items, long TotalVnd, string TotalInWords, bool Cash, string PayerMasked,
    SignatureVerdict Verdict, string? Problem, string? CertificateSubject, string? CertificateSerial, DateTime? ValidFrom, DateTime? ValidTo,
    DateTime? SigningTime, string? Sha256, string LookupCode, (string Template, string Series, long Number, string Code)? ReplacedBy,
    (string Template, string Series, long Number, string Code)? Replaces)
{
    public string NumberText => Number.ToString("D" + Receipt.NumberDigits, System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// Finds a receipt by its school's tax code and its lookup code, and checks its signature: the stored XML verified
/// with the certificate it carries (ReceiptSignature), then our rules: the certificate valid at the signing time,
/// naming the school's tax code, and a sandbox certificate accepted only as "sandbox", never as valid. A pair that
/// does not match, whatever part is wrong, is the same null as an unknown one.
/// </summary>
public sealed class ReceiptVerification(FeesDb db, CertificateTrust trust)
{
    /// <summary>The receipt, or null for any pair that names none.</summary>
    public async Task<VerifiedReceipt?> FindAsync(string? taxCode, string? lookupCode, CancellationToken ct)
    {
        var code = LookupCode.Normalise(lookupCode);
        var mst = (taxCode ?? "").Trim();
        if (code is null || mst.Length is < 10 or > 14) return null;
        var found = await (from rc in db.Receipts.AsNoTracking()
                       join s in db.ReceiptSeries.AsNoTracking() on rc.SeriesId equals s.Id
                       join sc in db.Schools.AsNoTracking() on rc.SchoolId equals sc.Id
                       join p in db.Payments.AsNoTracking() on rc.PaymentId equals p.Id
                       where rc.LookupCode == code
                       select new { rc, s.Template, s.Series, sc.Name, SchoolTaxCode = sc.TaxCode, p.Method }).ToListAsync(ct);
        // The tax code a signed receipt states is its own for good: its QR keeps working after the school's is corrected.
        var r = found.Select(x => new { x.rc, x.Template, x.Series, x.Name, x.Method, x.SchoolTaxCode, TaxCode = Stated(x.rc.SignedXml) ?? x.SchoolTaxCode })
            .FirstOrDefault(x => x.TaxCode == mst || x.SchoolTaxCode == mst);
        if (r is null) return null;
        var items = await db.ReceiptItems.AsNoTracking().Where(i => i.ReceiptId == r.rc.Id).OrderBy(i => i.Position)
            .Select(i => new { i.Name, i.AmountVnd }).ToListAsync(ct);
        var (verdict, problem, cert, signedAt) = Check(r.rc.SignedXml, r.TaxCode!);
        // Who issued the certificate: a configured authority, or the sandbox's only in the sandbox.
        if (verdict is SignatureVerdict.Valid or SignatureVerdict.Sandbox && trust.Problem(cert!, new DateTimeOffset(signedAt!.Value, TimeSpan.FromHours(7))) is { } untrusted)
            (verdict, problem) = (SignatureVerdict.Invalid, untrusted.En);
        // A signature valid in itself is still checked against the record: the certificate the school signed with, and
        // what the document states (a document re-signed with some other certificate is not this receipt).
        if (verdict is SignatureVerdict.Valid or SignatureVerdict.Sandbox && Disagrees(r.rc.SignedXml!, r.rc, r.Template, r.Series, r.TaxCode!, cert!) is { } why)
            (verdict, problem) = (SignatureVerdict.Invalid, why);
        var next = await Neighbour(x => x.ReplacesReceiptId == r.rc.Id, ct);
        var before = r.rc.ReplacesReceiptId is { } o ? await Neighbour(x => x.Id == o, ct) : null;
        return new VerifiedReceipt(r.rc.Status, r.Name, r.TaxCode!, r.Template, r.Series, r.rc.Number, r.rc.IssuedOn ?? DateOnly.FromDateTime(r.rc.IssuedAt.UtcDateTime),
            items.Select(i => (i.Name, i.AmountVnd)).ToList(), r.rc.AmountVnd, Domain.Money.AmountInWords.Dong(r.rc.AmountVnd), r.Method == PaymentMethods.Cash,
            Mask(r.rc.PayerName), verdict, problem, cert?.Subject, cert?.SerialNumber, cert?.NotBefore.ToUniversalTime(), cert?.NotAfter.ToUniversalTime(),
            signedAt, r.rc.XmlSha256, code, next, before);
    }

    /// <summary>The collecting unit's tax code a signed document states, or null.</summary>
    private static string? Stated(byte[]? xml)
    {
        if (xml is null) return null;
        try { return ReceiptXmlWriter.Facts(System.Xml.Linq.XDocument.Parse(System.Text.Encoding.UTF8.GetString(xml))).TaxCode; }
        catch (System.Xml.XmlException) { return null; }
    }

    /// <summary>The signed XML to download, or null as for <see cref="FindAsync"/> (and for a receipt not signed yet).</summary>
    public async Task<(byte[] Xml, string FileName)?> XmlAsync(string? taxCode, string? lookupCode, CancellationToken ct)
    {
        if (await FindAsync(taxCode, lookupCode, ct) is not { Sha256: not null } r) return null;
        var xml = await db.Receipts.AsNoTracking().Where(x => x.LookupCode == r.LookupCode && x.XmlSha256 == r.Sha256).Select(x => x.SignedXml).FirstAsync(ct);
        return (xml!, $"bien-lai-{r.TaxCode}-{r.Template}-{r.Series}-{r.NumberText}.xml");
    }

    /// <summary>The signature's verdict on stored bytes, for the given school's tax code.</summary>
    public static (SignatureVerdict Verdict, string? Problem, System.Security.Cryptography.X509Certificates.X509Certificate2? Certificate, DateTime? SigningTime)
        Check(byte[]? xml, string taxCode)
    {
        if (xml is null) return (SignatureVerdict.NotSigned, null, null, null);
        var check = ReceiptSignature.Verify(xml);
        if (!check.Valid) return (SignatureVerdict.Invalid, check.Problem, check.Certificate, check.SigningTime);
        var cert = check.Certificate!;
        var at = new DateTimeOffset(check.SigningTime!.Value, TimeSpan.FromHours(7));
        if (SchoolCertificates.Check(cert, taxCode, at, forSigning: false) is { } bad)
            return (SignatureVerdict.Invalid, bad.En, cert, check.SigningTime);
        return (SchoolCertificates.IsSandbox(cert) ? SignatureVerdict.Sandbox : SignatureVerdict.Valid, null, cert, check.SigningTime);
    }

    /// <summary>Where the signed document and the receipt's record disagree, or null when they agree.</summary>
    public static string? Disagrees(byte[] xml, ReceiptRow row, string template, string series, string taxCode, System.Security.Cryptography.X509Certificates.X509Certificate2 certificate)
    {
        if (row.CertSerial is { } serial && !string.Equals(serial, certificate.SerialNumber, StringComparison.OrdinalIgnoreCase))
            return "the document is signed with another certificate than the one the school signed this receipt with.";
        System.Xml.Linq.XDocument doc;
        try { doc = System.Xml.Linq.XDocument.Parse(System.Text.Encoding.UTF8.GetString(xml)); }
        catch (System.Xml.XmlException) { return "the document cannot be read."; }
        var f = ReceiptXmlWriter.Facts(doc);
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var pairs = new (string What, string? Stated, string Recorded)[]
        {
            ("template", f.Template, template), ("series", f.Series, series), ("number", f.Number, row.Number.ToString(inv)),
            ("lookup code", f.LookupCode, row.LookupCode ?? ""), ("tax code", f.TaxCode, taxCode), ("total", f.TotalVnd, row.AmountVnd.ToString(inv)),
        };
        return pairs.FirstOrDefault(p => p.Stated != p.Recorded) is { What: not null } bad
            ? $"the document states the {bad.What} {bad.Stated ?? "(nothing)"}, the record {bad.Recorded}."
            : null;
    }

    /// <summary>"Nguyễn Thị Lan" → "N. T. Lan": initials and the given name, which is the last word in Vietnamese.</summary>
    public static string Mask(string? name)
    {
        var words = (name ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0) return "";
        return string.Join(' ', words[..^1].Select(w => char.ToUpperInvariant(w[0]) + ".").Append(words[^1]));
    }

    private async Task<(string, string, long, string)?> Neighbour(System.Linq.Expressions.Expression<Func<ReceiptRow, bool>> which, CancellationToken ct)
    {
        var x = await db.Receipts.AsNoTracking().Where(which).Join(db.ReceiptSeries.AsNoTracking(), r => r.SeriesId, s => s.Id,
            (r, s) => new { s.Template, s.Series, r.Number, r.LookupCode }).FirstOrDefaultAsync(ct);
        return x is null ? null : (x.Template, x.Series, x.Number, x.LookupCode ?? "");
    }
}
