using TdmEdu.Fees.Api.Application.Messages;
using TdmEdu.Fees.Api.Application.Reports;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Printing;
using TdmEdu.Fees.Api.Web;
using TdmEdu.Fees.BankAdapters.VietQr;

namespace TdmEdu.Fees.Api.Http;

/// <summary>
/// The files of the parent portal: what the parent's look-up session (a sealed cookie, no account) may download, for
/// the pupil looked up and that pupil's siblings (ParentSession.PupilsAsync) and nobody else. Anything else is 401
/// or 404, answered as a page (HttpErrors): these are opened from the portal in a browser.
/// </summary>
public static class ParentEndpoints
{
    /// <summary>The copy buttons' script: a file of this site, as the pages' Content-Security-Policy runs no inline script.</summary>
    public const string CopyScriptPath = "/phu-huynh/chep.js";

    public static void Map(IEndpointRouteBuilder app)
    {
        // The link in a message (contracts/notifications.md §4): it opens that pupil's page and no other; anything
        // wrong with it (format, signature, expiry, revoked) is the same "link expired or wrong" on the look-up page.
        app.MapGet(ParentLinks.Path + "{token}", async (string token, HttpResponse response, ParentSession session, ParentLinks links, BusinessClock clock, CancellationToken ct) =>
        {
            response.Headers.CacheControl = "no-store";
            if (token.Length > 100 || await links.OpenAsync(token, clock.Now, ct) is not { } opened) return Results.Redirect("/phu-huynh?lien-ket=sai");
            session.StartFromLink(response, opened.StudentId, opened.Lid);
            return Results.Redirect("/phu-huynh/hoc-sinh");
        });
        // The QR of one month's notice.
        app.MapGet("/phu-huynh/qr/{noticeNo}", async (string noticeNo, HttpRequest request, HttpResponse response, ParentSession session, ParentLookup lookup, CancellationToken ct) =>
        {
            var pupils = await session.PupilsAsync(request, lookup, ct);
            if (pupils.Count == 0) return Results.Unauthorized();
            var notice = (await lookup.ViewsAsync(pupils, ct)).SelectMany(v => v.Notices).FirstOrDefault(n => n.NoticeNo == noticeNo);
            return Png(response, notice?.VietQr);
        });
        // The QR that pays every open month one school is owed for one pupil. The parameter is not named {school}: that
        // name marks the staff routes a school's access rule guards (Web/Access); here the family is the guard.
        app.MapGet("/phu-huynh/qr-tong/{studentId:guid}/{schoolCode}", async (Guid studentId, string schoolCode, HttpRequest request, HttpResponse response,
            ParentSession session, ParentLookup lookup, CancellationToken ct) =>
        {
            var pupils = await session.PupilsAsync(request, lookup, ct);
            if (pupils.Count == 0) return Results.Unauthorized();
            if (!pupils.Contains(studentId)) return Results.NotFound();
            var total = (await lookup.ViewAsync(studentId, ct)).Totals.FirstOrDefault(t => t.School.Code == schoolCode);
            return Png(response, total?.VietQr);
        });
        // A receipt of a pupil of the family, and of no other: the session names the pupils.
        app.MapGet("/phu-huynh/bien-lai/{receiptId:guid}", async (Guid receiptId, HttpRequest request, HttpResponse response, ParentSession session,
            ParentLookup lookup, ReceiptPdf pdf, CancellationToken ct) =>
        {
            var pupils = await session.PupilsAsync(request, lookup, ct);
            if (pupils.Count == 0) return Results.Unauthorized();
            response.Headers.CacheControl = "no-store";
            foreach (var pupil in pupils)
            {
                if (await pdf.RenderAsync(receiptId, null, pupil, ct) is { } printed)
                    return Results.File(printed.Pdf, "application/pdf", printed.FileName);
            }
            return Results.NotFound();
        });
        app.MapGet(CopyScriptPath, (HttpResponse response) =>
        {
            response.Headers.CacheControl = "public, max-age=3600";
            return Results.Text(CopyScript.Value, "text/javascript; charset=utf-8");
        });
    }

    // A QR names an amount owed now: never cached, so a page reloaded after paying never shows yesterday's amount.
    private static IResult Png(HttpResponse response, string? payload)
    {
        if (payload is null) return Results.NotFound();
        response.Headers.CacheControl = "no-store";
        return Results.File(VietQrImage.Png(payload), "image/png");
    }

    private static readonly Lazy<string> CopyScript = new(() =>
    {
        using var stream = typeof(ParentEndpoints).Assembly.GetManifestResourceStream("parent-copy.js")
            ?? throw new InvalidOperationException("The copy script is not embedded in the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });
}
