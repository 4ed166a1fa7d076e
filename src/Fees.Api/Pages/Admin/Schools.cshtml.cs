using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TdmEdu.Fees.Api.Application.Roster;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Api.Web;

namespace TdmEdu.Fees.Api.Pages.Admin;

/// <summary>
/// The administrator's schools: each with its level, ward, accounts in use and receipt series, and a new school with its
/// first bank account (SchoolDesk, the rules and the store of `fees schools import`). One school's page edits it.
/// </summary>
public sealed class SchoolsModel(FeesDb db, BusinessClock clock, Lang lang) : PageModel
{
    public List<SchoolViews.SchoolRow> Schools { get; private set; } = [];
    [BindProperty] public string Code { get; set; } = "";
    [BindProperty] public string Name { get; set; } = "";
    [BindProperty] public string Level { get; set; } = "";
    [BindProperty] public string? Ward { get; set; }
    [BindProperty] public string? TaxCode { get; set; }
    [BindProperty] public string? Address { get; set; }
    [BindProperty] public string Bank { get; set; } = "";
    /// <summary>The aggregator a new account is collected through; empty for its bank itself.</summary>
    [BindProperty] public string? Via { get; set; }
    [BindProperty] public string AccountNo { get; set; } = "";
    [BindProperty] public string AccountName { get; set; } = "";
    [BindProperty(SupportsGet = true)] public string? Message { get; set; }
    public string? Problem { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => Schools = await new SchoolViews(db).ListAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        try
        {
            var said = await new SchoolDesk(db, clock, Actor.Of(User)).AddSchoolAsync(
                new(Code, Name, Level, Ward, TaxCode, Address), new(Bank, AccountNo, AccountName, Via), ct);
            return LocalRedirect($"/quan-tri/truong/{Uri.EscapeDataString(Code.Trim().ToUpperInvariant())}?message={Uri.EscapeDataString(lang.Say(said))}");
        }
        catch (Exception e) when (e is BadInputException or BusinessRuleException)
        {
            Problem = lang.FieldReasons(e);
            db.ChangeTracker.Clear();
            Schools = await new SchoolViews(db).ListAsync(ct);
            return Page();
        }
    }
}
