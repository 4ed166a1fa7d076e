using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Application.Roster;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Api.Web;

namespace TdmEdu.Fees.Api.Pages.Admin;

/// <summary>
/// The administrator moves a pupil to another school (`fees students transfer` in a page): find the pupil by
/// student code, see what stays open at the school they leave, choose the school and class, say why. The latest
/// transfers are listed with who made them and why. Only the administrator reaches /Admin (WebHost's conventions).
/// </summary>
public sealed class TransfersModel(FeesDb db, BusinessClock clock, Lang lang) : PageModel
{
    public const int Listed = 50;

    public TransferCandidate? Pupil { get; private set; }
    public List<(string Code, string Name)> Schools { get; private set; } = [];
    public List<string> ClassNames { get; private set; } = [];
    public List<TransferEntry> Recent { get; private set; } = [];
    [BindProperty(SupportsGet = true)] public string? Student { get; set; }
    [BindProperty] public string? From { get; set; }
    [BindProperty] public string? To { get; set; }
    [BindProperty] public string? Class { get; set; }
    [BindProperty] public string? Reason { get; set; }
    [BindProperty(SupportsGet = true)] public string? Message { get; set; }
    public string? Problem { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        try
        {
            var done = await new StudentTransfers(db, clock, Actor.Of(User))
                .TransferAsync(Student ?? "", To ?? "", Class, Reason ?? "", ct, seenFromSchool: From);
            return LocalRedirect($"/quan-tri/chuyen-truong?message={Uri.EscapeDataString(lang.Say(done.Said))}");
        }
        catch (Exception e) when (e is BadInputException or BusinessRuleException)
        {
            Problem = lang.Say(e);
            db.ChangeTracker.Clear();
            await LoadAsync(ct);
            return Page();
        }
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var transfers = new StudentTransfers(db, clock, Actor.Of(User));
        if (!string.IsNullOrWhiteSpace(Student))
        {
            Pupil = await transfers.FindAsync(Student, ct);
            if (Pupil is null && Problem is null)
                Problem = lang.Say(new Said($"There is no student {Student.Trim()}.", $"Không có học sinh {Student.Trim()}."));
        }
        if (Pupil is not null)
        {
            Schools = (await db.Schools.AsNoTracking().Where(s => s.Code != Pupil.SchoolCode).OrderBy(s => s.Code)
                .Select(s => new { s.Code, s.Name }).ToListAsync(ct)).Select(s => (s.Code, s.Name)).ToList();
            // Suggestions only (class names repeat across schools); the service checks the chosen school has the class.
            ClassNames = (await db.Classes.AsNoTracking().Select(c => c.Name).Distinct().ToListAsync(ct)).Order(StringComparer.Ordinal).ToList();
        }
        Recent = await transfers.RecentAsync(Listed, ct);
    }
}
