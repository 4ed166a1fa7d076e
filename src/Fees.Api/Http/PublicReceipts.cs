using TdmEdu.Fees.Api.Application.Receipts;
using TdmEdu.Fees.Api.Web;

namespace TdmEdu.Fees.Api.Http;

/// <summary>
/// The receipt look-up for machines (contracts/ereceipts.md §12): <c>GET /api/public/receipts/{mst}/{code}</c> as
/// JSON, and the signed XML the page links to. No login; limited per address; a wrong pair and an unknown one are the
/// same 404; never indexed.
/// </summary>
public static class PublicReceipts
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/api/public/receipts/{mst}/{code}", async (string mst, string code, HttpContext http, ReceiptVerification verification,
            ReceiptLookupLimit limit, CancellationToken ct) =>
        {
            http.Response.Headers["X-Robots-Tag"] = "noindex";
            if (!limit.TryTake(http)) return Results.Problem(statusCode: 429, title: "Too many look-ups", detail: $"At most {ReceiptLookupLimit.PerMinute} look-ups a minute from one address.");
            if (await verification.FindAsync(mst, code, ct) is not { } r) return NotFound();
            return Results.Json(new
            {
                status = r.Status, school = r.SchoolName, taxCode = r.TaxCode, template = r.Template, series = r.Series, number = r.Number,
                issuedOn = r.IssuedOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                items = r.Items.Select(i => new { name = i.Name, amountVnd = i.AmountVnd }), totalVnd = r.TotalVnd, totalInWords = r.TotalInWords,
                paymentMethod = r.Cash ? "TM" : "CK", payer = r.PayerMasked,
                signature = new
                {
                    result = r.Verdict switch { SignatureVerdict.Valid => "valid", SignatureVerdict.Sandbox => "sandbox", SignatureVerdict.Invalid => "invalid", _ => "not_signed" },
                    problem = r.Problem, certificateSubject = r.CertificateSubject, certificateSerial = r.CertificateSerial,
                    validFrom = r.ValidFrom, validTo = r.ValidTo,
                    signingTime = r.SigningTime?.ToString("yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture), sha256 = r.Sha256,
                },
                replacedBy = r.ReplacedBy is { } n ? $"/bien-lai/{r.TaxCode}/{n.Code}" : null,
                replaces = r.Replaces is { } o ? $"/bien-lai/{r.TaxCode}/{o.Code}" : null,
                xml = r.Sha256 is null ? null : $"/bien-lai/{r.TaxCode}/{r.LookupCode}/xml",
            });
        }).AllowAnonymous().WithName("PublicReceipt").WithTags("Public receipts");

        app.MapGet("/bien-lai/{mst}/{code}/xml", async (string mst, string code, HttpContext http, ReceiptVerification verification,
            ReceiptLookupLimit limit, CancellationToken ct) =>
        {
            http.Response.Headers["X-Robots-Tag"] = "noindex";
            if (!limit.TryTake(http)) return Results.Problem(statusCode: 429, title: "Too many look-ups");
            return await verification.XmlAsync(mst, code, ct) is { } x ? Results.File(x.Xml, "application/xml", x.FileName) : NotFound();
        }).AllowAnonymous().ExcludeFromDescription();
    }

    private static IResult NotFound() => Results.Problem(statusCode: 404, title: "No such receipt",
        detail: "No receipt has this tax code and lookup code. Check both as printed on the receipt.");
}
