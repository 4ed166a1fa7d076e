using TdmEdu.Fees.Api.Application.Messages;
using TdmEdu.Fees.Api.Application.Reports;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Printing;
using TdmEdu.Fees.Api.Web;
using TdmEdu.Fees.BankAdapters.VietQr;

namespace TdmEdu.Fees.Api.Http;

/// <summary>
/// The files of the parent portal: what the parent's look-up session (a sealed cookie, no account) may download.
/// Anything else is 401 or 404, answered as a page (HttpErrors): these are opened from the portal in a browser.
/// </summary>
public static class ParentEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        // The link in a message (contracts/notifications.md §4): it opens that pupil's page and no other; anything
        // wrong with it (format, signature, expiry, revoked) is the same "link expired or wrong" on the look-up page.
        app.MapGet(ParentLinks.Path + "{token}", async (string token, HttpResponse response, ParentSession session, ParentLinks links, BusinessClock clock, CancellationToken ct) =>
        {
            response.Headers.CacheControl = "no-store";
            if (token.Length > 100 || await links.OpenAsync(token, clock.Now, ct) is not { } id) return Results.Redirect("/phu-huynh?lien-ket=sai");
            session.Start(response, id);
            return Results.Redirect("/phu-huynh/hoc-sinh");
        });
        // The QR of a notice, for the parent who looked the child up (and for nobody else).
        app.MapGet("/phu-huynh/qr/{noticeNo}", async (string noticeNo, HttpRequest request, ParentSession session, ParentLookup lookup, CancellationToken ct) =>
        {
            if (session.StudentOf(request) is not { } id) return Results.Unauthorized();
            var notice = (await lookup.ViewAsync(id, ct)).Notices.FirstOrDefault(n => n.NoticeNo == noticeNo);
            return notice?.VietQr is { } payload
                ? Results.File(VietQrImage.Png(payload), "image/png")
                : Results.NotFound();
        });
        // A receipt of the child the parent looked up, and of no other: the session names the pupil.
        app.MapGet("/phu-huynh/bien-lai/{receiptId:guid}", async (Guid receiptId, HttpRequest request, HttpResponse response, ParentSession session, ReceiptPdf pdf, CancellationToken ct) =>
        {
            if (session.StudentOf(request) is not { } id) return Results.Unauthorized();
            response.Headers.CacheControl = "no-store";
            return await pdf.RenderAsync(receiptId, null, id, ct) is { } printed
                ? Results.File(printed.Pdf, "application/pdf", printed.FileName)
                : Results.NotFound();
        });
    }
}
