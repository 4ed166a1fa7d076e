using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TdmEdu.Fees.Api.Application.Roster;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Api.Web;

namespace TdmEdu.Fees.Api.Pages.Admin;

/// <summary>
/// One school for the administrator: its details, its bank accounts (add, edit, retire; an account that has received money
/// is retired, never overwritten), and its receipt series (each with the last number used; next year's started here).
/// Every act goes through SchoolDesk and is in the audit log.
/// </summary>
public sealed class SchoolModel(FeesDb db, BusinessClock clock, Lang lang) : PageModel
{
    public SchoolViews.OneSchool? School { get; private set; }
    /// <summary>The year of the series that comes next, and whether it may start today.</summary>
    public int NextYear { get; private set; }
    public bool MayStart { get; private set; }
    public int? YearInUse { get; private set; }
    [BindProperty(SupportsGet = true)] public string Code { get; set; } = "";
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
    /// <summary>The account an edit or a retire acts on.</summary>
    [BindProperty] public Guid Account { get; set; }
    [BindProperty(SupportsGet = true)] public string? Message { get; set; }
    public string? Problem { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        return School is null ? NotFound() : Page();
    }

    public Task<IActionResult> OnPostAsync(CancellationToken ct) =>
        ActAsync(d => d.EditSchoolAsync(Code, new(Code, Name, Level, Ward, TaxCode, Address), ct), ct);

    public Task<IActionResult> OnPostAddAccountAsync(CancellationToken ct) =>
        ActAsync(d => d.AddAccountAsync(Code, new(Bank, AccountNo, AccountName, Via), ct), ct);

    public Task<IActionResult> OnPostEditAccountAsync(CancellationToken ct) =>
        ActAsync(d => d.EditAccountAsync(Code, Account, new("", AccountNo, AccountName), ct), ct);

    public Task<IActionResult> OnPostRetireAsync(CancellationToken ct) => ActAsync(d => d.RetireAccountAsync(Code, Account, ct), ct);

    public Task<IActionResult> OnPostStartSeriesAsync(CancellationToken ct) => ActAsync(d => d.StartNextSeriesAsync(Code, ct), ct);

    private async Task<IActionResult> ActAsync(Func<SchoolDesk, Task<Said>> act, CancellationToken ct)
    {
        try
        {
            var said = await act(new SchoolDesk(db, clock, Actor.Of(User)));
            return LocalRedirect($"/quan-tri/truong/{Uri.EscapeDataString(Code.Trim().ToUpperInvariant())}?message={Uri.EscapeDataString(lang.Say(said))}");
        }
        catch (Exception e) when (e is BadInputException or BusinessRuleException)
        {
            Problem = lang.FieldReasons(e);
            db.ChangeTracker.Clear();
            await LoadAsync(ct);
            return School is null ? NotFound() : Page();
        }
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        School = await new SchoolViews(db).OneAsync(Code, ct);
        if (School is null) return;
        var inUse = School.Series.FirstOrDefault(s => s.InUse);
        YearInUse = inUse?.Year;
        NextYear = SchoolDesk.NextSeriesYear(inUse?.Series, clock.Today);
        MayStart = NextYear <= clock.Today.Year;
    }
}
