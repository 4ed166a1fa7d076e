using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Application.Payments;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Api.Web;

namespace TdmEdu.Fees.Api.Pages.School;

/// <summary>
/// A pupil's credit at this school (money paid beyond what they owed) and its refund, in cash at the counter or by
/// transfer, with a reason; above the authority's limit the refund waits for the principal.
/// </summary>
[ShowsPupils]
public sealed class RefundModel(FeesDb db, BusinessClock clock, Lang lang) : PageModel
{
    public string School { get; private set; } = "";
    public string Code { get; private set; } = "";
    public string Pupil { get; private set; } = "";
    public long CreditVnd { get; private set; }
    public bool MayAct { get; private set; }
    [BindProperty] public string? Amount { get; set; }
    [BindProperty] public string Method { get; set; } = PaymentMethods.Cash;
    [BindProperty] public string? Reason { get; set; }
    [BindProperty(SupportsGet = true)] public string? Said { get; set; }
    public string? Problem { get; private set; }

    public async Task<IActionResult> OnGetAsync(string school, string code, CancellationToken ct)
    {
        if (!SchoolAccess.CanSeePupils(User, school)) return Forbid();
        return await LoadAsync(school, code, ct) is null ? NotFound() : Page();
    }

    [MovesMoney]
    public async Task<IActionResult> OnPostAsync(string school, string code, CancellationToken ct)
    {
        if (!SchoolAccess.CanMoveMoney(User, school)) return Forbid();
        if (await LoadAsync(school, code, ct) is not { } studentId) return NotFound();
        if (!Lang.TryParseAmount(Amount, out var amount))
        {
            Problem = lang.English ? "The amount is a whole number of đồng, like 150.000." : "Số tiền phải là số đồng, ví dụ 150.000.";
            return Page();
        }
        try
        {
            var done = await new CorrectionDesk(db, clock, Actor.Of(User)).AskForRefundAsync(School, studentId, amount, Method, Reason ?? "", ct);
            return LocalRedirect($"/truong/{School}/hoan-tien/{Uri.EscapeDataString(Code)}?said={(done.Status == CorrectionDesk.Done ? "da-hoan" : "cho-duyet")}");
        }
        catch (Exception e) when (e is BadInputException or BusinessRuleException)
        {
            db.ChangeTracker.Clear();
            Problem = lang.Reasons(e);
            await LoadAsync(school, code, ct);
            return Page();
        }
    }

    /// <summary>The pupil, found by student code among those who had money at this school.</summary>
    private async Task<Guid?> LoadAsync(string school, string code, CancellationToken ct)
    {
        School = school.ToUpperInvariant();
        MayAct = SchoolAccess.CanMoveMoney(User, school);
        var schoolId = await db.Schools.AsNoTracking().Where(s => s.Code == School).Select(s => (Guid?)s.Id).SingleOrDefaultAsync(ct);
        var pupil = await db.Students.AsNoTracking().Where(s => s.StudentCode == code && (s.SchoolId == schoolId || db.Payments.Any(p => p.StudentId == s.Id && p.SchoolId == schoolId)))
            .Select(s => new { s.Id, s.FullName, s.StudentCode }).SingleOrDefaultAsync(ct);
        if (pupil is null || schoolId is null) return null;
        (Code, Pupil) = (pupil.StudentCode, pupil.FullName);
        CreditVnd = await new Ledger(db, clock, Actor.Of(User)).RefundableAtAsync(pupil.Id, schoolId.Value, ct);
        return pupil.Id;
    }
}
