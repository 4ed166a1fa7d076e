using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TdmEdu.Fees.Api.Application;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Api.Web;

namespace TdmEdu.Fees.Api.Pages.School;

/// <summary>The bank lines the matcher would not apply, for the school's accountant: confirm for a pupil, or mark as not a fee, with a reason.</summary>
[MovesMoney]
public sealed class ReviewModel(FeesDb db, BusinessClock clock) : PageModel
{
    public string School { get; private set; } = "";
    public List<QueueItem> Items { get; private set; } = [];
    [BindProperty] public string Line { get; set; } = "";
    [BindProperty] public string? Student { get; set; }
    [BindProperty] public string Reason { get; set; } = "";
    [BindProperty(SupportsGet = true)] public string? Message { get; set; }
    public string? Problem { get; private set; }

    private ReviewQueue Queue => new(db, clock, Actor.Of(User));

    public async Task<IActionResult> OnGetAsync(string school, CancellationToken ct)
    {
        if (!SchoolAccess.CanMoveMoney(User, school)) return Forbid();
        School = school.ToUpperInvariant();
        Items = await Queue.ListAsync(School, ct);
        return Page();
    }

    public Task<IActionResult> OnPostConfirmAsync(string school, CancellationToken ct) =>
        DecideAsync(school, q => q.ConfirmAsync(Line, Student, Reason, ct), ct);

    public Task<IActionResult> OnPostIgnoreAsync(string school, CancellationToken ct) =>
        DecideAsync(school, q => q.IgnoreAsync(Line, Reason, ct), ct);

    private async Task<IActionResult> DecideAsync(string school, Func<ReviewQueue, Task<string>> decide, CancellationToken ct)
    {
        if (!SchoolAccess.CanMoveMoney(User, school)) return Forbid();
        School = school.ToUpperInvariant();
        var queue = Queue;
        try
        {
            if (!await queue.BelongsToAsync(Line, School, ct)) return NotFound();
            var message = await decide(queue);
            return LocalRedirect($"/truong/{School}/doi-soat?message={Uri.EscapeDataString(message)}");
        }
        catch (Exception e) when (e is BadInputException or BusinessRuleException)
        {
            Problem = e.Message;
            Items = await queue.ListAsync(School, ct);
            return Page();
        }
    }
}
