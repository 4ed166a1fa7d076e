using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Application.Payments;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Api.Web;

namespace TdmEdu.Fees.Api.Pages.School;

/// <summary>
/// One receipt of the school: the payment behind it, where the money went, and its corrections. The school's
/// accountant reverses a cash payment (the money handed back) or replaces the receipt by a new number, with a reason;
/// above the authority's limit the request waits for the principal (Pages/School/Approvals).
/// </summary>
[ShowsPupils]
public sealed class ReceiptModel(FeesDb db, BusinessClock clock, Lang lang) : PageModel
{
    public string School { get; private set; } = "";
    public ReceiptViews.View? Shown { get; private set; }
    public bool MayAct { get; private set; }
    [BindProperty] public string? Reason { get; set; }
    [BindProperty(SupportsGet = true)] public string? Said { get; set; }
    public string? Problem { get; private set; }

    public async Task<IActionResult> OnGetAsync(string school, Guid id, CancellationToken ct)
    {
        if (!SchoolAccess.CanSeePupils(User, school)) return Forbid();
        return await ShowAsync(school, id, ct) ? Page() : NotFound();
    }

    /// <summary>The receipt as a PDF, for whoever may read the page (the principal too).</summary>
    public async Task<IActionResult> OnGetPdfAsync(string school, Guid id, [FromServices] Printing.ReceiptPdf pdf, CancellationToken ct)
    {
        if (!SchoolAccess.CanSeePupils(User, school)) return Forbid();
        return await pdf.RenderAsync(id, school.ToUpperInvariant(), null, ct) is { } printed ? File(printed.Pdf, "application/pdf", printed.FileName) : NotFound();
    }

    [MovesMoney]
    public Task<IActionResult> OnPostReverseAsync(string school, Guid id, CancellationToken ct) => AskAsync(school, id, CorrectionDesk.Reverse, ct);

    [MovesMoney]
    public Task<IActionResult> OnPostReplaceAsync(string school, Guid id, CancellationToken ct) => AskAsync(school, id, CorrectionDesk.Replace, ct);

    private async Task<IActionResult> AskAsync(string school, Guid id, string kind, CancellationToken ct)
    {
        if (!SchoolAccess.CanMoveMoney(User, school)) return Forbid();
        try
        {
            var done = await new CorrectionDesk(db, clock, Actor.Of(User)).AskForReceiptAsync(school, kind, id, Reason ?? "", ct);
            var said = done.Status == CorrectionDesk.Done ? (kind == CorrectionDesk.Reverse ? "da-huy" : "da-thay") : "cho-duyet";
            // A replaced receipt's page sends the accountant on to the new one.
            var next = kind == CorrectionDesk.Replace && done.Status == CorrectionDesk.Done
                ? await db.Receipts.AsNoTracking().Where(r => r.ReplacesReceiptId == id).Select(r => (Guid?)r.Id).SingleOrDefaultAsync(ct) ?? id
                : id;
            return LocalRedirect($"/truong/{school.ToUpperInvariant()}/bien-lai/{next}?said={said}");
        }
        catch (Exception e) when (e is BadInputException or BusinessRuleException or DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            Problem = e is DbUpdateConcurrencyException
                ? (lang.English ? "The receipt changed meanwhile; look at it again." : "Biên lai vừa thay đổi; hãy xem lại.")
                : lang.Reasons(e);
            return await ShowAsync(school, id, ct) ? Page() : NotFound();
        }
    }

    private async Task<bool> ShowAsync(string school, Guid id, CancellationToken ct)
    {
        School = school.ToUpperInvariant();
        MayAct = SchoolAccess.CanMoveMoney(User, school);
        Shown = await new ReceiptViews(db, School).ReceiptAsync(id, ct);
        return Shown is not null;
    }
}
