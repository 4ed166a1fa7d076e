using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Application.Pupils;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Files;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Api.Web;

namespace TdmEdu.Fees.Api.Pages.School;

/// <summary>
/// A pupil of this school leaves (<see cref="Leavers"/>): the school's accountant gives the last day and the reason.
/// What the family paid beyond is held as credit; paying it back is the refund page's (with its approval limit).
/// </summary>
[ShowsPupils]
public sealed class LeaveModel(FeesDb db, BusinessClock clock, Lang lang) : PageModel
{
    public string School { get; private set; } = "";
    public string Code { get; private set; } = "";
    public string Pupil { get; private set; } = "";
    public DateOnly? LeftOn { get; private set; }
    public bool MayAct { get; private set; }
    [BindProperty] public string? Day { get; set; }
    [BindProperty] public string? Reason { get; set; }
    public string? Done { get; private set; }
    public long HeldVnd { get; private set; }
    public string? Problem { get; private set; }

    public async Task<IActionResult> OnGetAsync(string school, string code, CancellationToken ct)
    {
        if (!SchoolAccess.CanSeePupils(User, school)) return Forbid();
        return await LoadAsync(school, code, ct) ? Page() : NotFound();
    }

    [MovesMoney]
    public async Task<IActionResult> OnPostAsync(string school, string code, CancellationToken ct)
    {
        if (!SchoolAccess.CanMoveMoney(User, school)) return Forbid();
        if (!await LoadAsync(school, code, ct)) return NotFound();
        if (Values.ParseDate(Day?.Trim() ?? "", out _) is not { } day)
        {
            Problem = lang["leave-bad-day"];
            return Page();
        }
        try
        {
            var done = await new Leavers(db, clock, Actor.Of(User)).LeaveAsync(Code, day, Reason ?? "", payBackInCash: false, School, ct);
            (Done, HeldVnd) = (lang.English ? done.En : done.Vi, done.HeldVnd);
        }
        catch (Exception e) when (e is BadInputException or BusinessRuleException)
        {
            db.ChangeTracker.Clear();
            Problem = lang.Reasons(e);
        }
        await LoadAsync(school, code, ct);
        return Page();
    }

    /// <summary>The leave undone (<see cref="Leavers.ReturnAsync"/>): the pupil stays.</summary>
    [MovesMoney]
    public async Task<IActionResult> OnPostReturnAsync(string school, string code, CancellationToken ct)
    {
        if (!SchoolAccess.CanMoveMoney(User, school)) return Forbid();
        if (!await LoadAsync(school, code, ct)) return NotFound();
        try
        {
            var done = await new Leavers(db, clock, Actor.Of(User)).ReturnAsync(Code, Reason ?? "", School, ct);
            (Done, HeldVnd) = (lang.English ? done.En : done.Vi, done.HeldVnd);
        }
        catch (Exception e) when (e is BadInputException or BusinessRuleException)
        {
            db.ChangeTracker.Clear();
            Problem = lang.Reasons(e);
        }
        Reason = null;
        await LoadAsync(school, code, ct);
        return Page();
    }

    /// <summary>A pupil of this school, by student code.</summary>
    private async Task<bool> LoadAsync(string school, string code, CancellationToken ct)
    {
        School = school.ToUpperInvariant();
        MayAct = SchoolAccess.CanMoveMoney(User, School);
        var pupil = await (from s in db.Students.AsNoTracking() join sc in db.Schools.AsNoTracking() on s.SchoolId equals sc.Id
                           where s.StudentCode == code && sc.Code == School select new { s.StudentCode, s.FullName, s.LeftOn }).SingleOrDefaultAsync(ct);
        if (pupil is null) return false;
        (Code, Pupil, LeftOn) = (pupil.StudentCode, pupil.FullName, pupil.LeftOn);
        return true;
    }
}
