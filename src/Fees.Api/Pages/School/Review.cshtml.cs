using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TdmEdu.Fees.Api.Application.Matching;
using TdmEdu.Fees.Api.Application.Review;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Api.Web;

namespace TdmEdu.Fees.Api.Pages.School;

/// <summary>
/// The bank lines the matcher would not apply, for the school's accountant: confirm for a pupil, split over
/// several, mark as not a fee; and the lines already decided, to undo or move to another pupil. Every decision
/// has a reason. Forms on decided lines carry the decision they saw, so a decision made meanwhile by a
/// colleague is not undone or moved blindly.
/// </summary>
[MovesMoney]
public sealed class ReviewModel(FeesDb db, BusinessClock clock, Lang lang) : PageModel
{
    public string School { get; private set; } = "";
    public List<QueueItem> Items { get; private set; } = [];
    public List<DecidedItem> Decided { get; private set; } = [];
    [BindProperty] public string Line { get; set; } = "";
    [BindProperty] public string? Student { get; set; }
    /// <summary>A code typed in a line's form (its suggestion buttons send <see cref="Student"/> instead).</summary>
    [BindProperty] public string? Typed { get; set; }
    [BindProperty] public string? Parts { get; set; }
    [BindProperty] public string Reason { get; set; } = "";
    [BindProperty] public Guid? Seen { get; set; }
    [BindProperty(SupportsGet = true)] public string? Message { get; set; }
    public string? Problem { get; private set; }

    private ReviewQueue Queue => new(db, clock, Actor.Of(User));

    public async Task<IActionResult> OnGetAsync(string school, CancellationToken ct)
    {
        if (!SchoolAccess.CanMoveMoney(User, school)) return Forbid();
        School = school.ToUpperInvariant();
        await LoadAsync(Queue, ct);
        return Page();
    }

    /// <summary>Confirms for the suggestion clicked, or for the code typed; never for a suggestion nobody chose.</summary>
    public Task<IActionResult> OnPostConfirmAsync(string school, CancellationToken ct) =>
        DecideAsync(school, q => (string.IsNullOrWhiteSpace(Student) ? Typed : Student) is { } code && !string.IsNullOrWhiteSpace(code)
            ? q.ConfirmAsync(Line, code.Trim(), Reason, ct)
            : throw new BadInputException("--student", null, null, "choose a suggested pupil or type a pupil code.", "hãy chọn một học sinh được gợi ý hoặc nhập mã học sinh."), ct);

    public Task<IActionResult> OnPostSplitAsync(string school, CancellationToken ct) =>
        DecideAsync(school, q => q.SplitAsync(Line, ReviewQueue.ParseParts(Parts ?? ""), Reason, ct), ct);

    public Task<IActionResult> OnPostIgnoreAsync(string school, CancellationToken ct) =>
        DecideAsync(school, q => q.IgnoreAsync(Line, Reason, ct), ct);

    public Task<IActionResult> OnPostReassignAsync(string school, CancellationToken ct) =>
        DecideAsync(school, q => string.IsNullOrWhiteSpace(Student)
            ? throw new BadInputException("--student", null, null, "name the student.", "hãy nhập mã học sinh nhận khoản tiền.")
            : q.ReassignAsync(Line, Student.Trim(), Reason, ct, Seen ?? Guid.Empty), ct);

    public Task<IActionResult> OnPostUndoAsync(string school, CancellationToken ct) =>
        DecideAsync(school, q => q.UndoAsync(Line, Reason, ct, Seen ?? Guid.Empty), ct);

    private async Task<IActionResult> DecideAsync(string school, Func<ReviewQueue, Task<Said>> decide, CancellationToken ct)
    {
        if (!SchoolAccess.CanMoveMoney(User, school)) return Forbid();
        School = school.ToUpperInvariant();
        var queue = Queue;
        try
        {
            if (!await queue.BelongsToAsync(Line, School, ct))
                throw new BadInputException("ID", null, null, $"school {School} has no bank line {Line}.", $"trường {School} không có giao dịch {Line}.");
            var message = lang.Say(await decide(queue));
            return LocalRedirect($"/truong/{School}/doi-soat?message={Uri.EscapeDataString(message)}");
        }
        catch (Exception e) when (e is BadInputException or BusinessRuleException)
        {
            Problem = lang.Say(e);
            await LoadAsync(queue, ct);
            return Page();
        }
    }

    private Dictionary<string, PupilName> _names = [];

    /// <summary>An item's suggestions, best first, each with the pupil's name (the school's pupils only).</summary>
    public List<NamedSuggestion> SuggestionsOf(QueueItem item) => BankViews.Suggested(item.Suggestions, _names);

    private async Task LoadAsync(ReviewQueue queue, CancellationToken ct)
    {
        Items = await queue.ListAsync(School, ct);
        Decided = await queue.DecidedAsync(School, 100, ct);
        _names = await BankViews.NamesAsync(db, School, Items.SelectMany(i => SuggestionJson.Read(i.Suggestions).Select(s => s.PaymentCode)).ToList(), ct);
    }
}
