using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TdmEdu.Fees.Api.Application.Receipts;
using TdmEdu.Fees.Api.Web;
using TdmEdu.Fees.Domain.Receipts;

namespace TdmEdu.Fees.Api.Pages.Public;

/// <summary>
/// The verification page anyone reaches from a receipt's QR code or by typing its tax code and lookup code
/// (contracts/ereceipts.md §12). No login, never indexed, limited per address; a wrong pair shows exactly the page an
/// unknown one does. The payer's name is masked to initials and the given name.
/// </summary>
public sealed class ReceiptModel(ReceiptVerification verification, ReceiptLookupLimit limit) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Mst { get; set; }
    [BindProperty(SupportsGet = true)] public string? Code { get; set; }
    public VerifiedReceipt? Found { get; private set; }
    public string? Problem { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Response.Headers["X-Robots-Tag"] = "noindex";
        if (string.IsNullOrWhiteSpace(Mst) && string.IsNullOrWhiteSpace(Code)) return Page();
        // The form sends ?mst=…&code=…: the address a QR holds is the one to keep and share.
        if (RouteData.Values["mst"] is null && !string.IsNullOrWhiteSpace(Mst) && LookupCode.Normalise(Code) is { } typed)
            return Redirect($"/bien-lai/{Uri.EscapeDataString(Mst.Trim())}/{typed}");
        if (!limit.TryTake(HttpContext))
        {
            Problem = "er-too-many";
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            return Page();
        }
        Found = await verification.FindAsync(Mst, Code, ct);
        if (Found is null)
        {
            Problem = "er-not-found";
            Response.StatusCode = StatusCodes.Status404NotFound;
        }
        return Page();
    }
}
