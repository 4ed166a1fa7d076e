using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TdmEdu.Fees.Api.Application.Pupils;
using TdmEdu.Fees.Api.Web;

namespace TdmEdu.Fees.Api.Pages.School;

/// <summary>
/// A pupil's page for the school's staff, found by payment code: class, state, notices, payments with their receipts,
/// credit, the guardian, transfers and messages. Read only. The guardian's phone and e-mail address are whole for the
/// school's accountant, who imported them with the roster and calls families about money (a refund, a transfer paid for
/// the wrong child); the principal and the administrator see them half hidden, as the parent's page shows them.
/// </summary>
[ShowsPupils]
public sealed class PupilModel(PupilFiles files) : PageModel
{
    public string School { get; private set; } = "";
    public PupilRecord? Record { get; private set; }
    public bool WholeContacts { get; private set; }

    public async Task<IActionResult> OnGetAsync(string school, string code, CancellationToken ct)
    {
        if (!SchoolAccess.CanSeePupils(User, school)) return Forbid();
        School = school.ToUpperInvariant();
        WholeContacts = SchoolAccess.CanMoveMoney(User, School);
        Record = await files.PupilAsync(School, code.Trim().ToUpperInvariant(), WholeContacts, ct);
        return Record is null ? NotFound() : Page();
    }

    /// <summary>A receipt of the pupil's payments at this school, as a PDF.</summary>
    public async Task<IActionResult> OnGetReceiptAsync(string school, string code, Guid receipt, [FromServices] Printing.ReceiptPdf pdf, CancellationToken ct)
    {
        if (!SchoolAccess.CanSeePupils(User, school)) return Forbid();
        School = school.ToUpperInvariant();
        if (await files.PupilIdAsync(School, code.Trim().ToUpperInvariant(), ct) is not { } pupil) return NotFound();
        return await pdf.RenderAsync(receipt, School, pupil, ct) is { } printed ? File(printed.Pdf, "application/pdf", printed.FileName) : NotFound();
    }
}
