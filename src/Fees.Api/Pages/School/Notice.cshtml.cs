using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TdmEdu.Fees.Api.Application.Payments;
using TdmEdu.Fees.Api.Application.Pupils;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Api.Web;
using TdmEdu.Fees.Domain.Notices;

namespace TdmEdu.Fees.Api.Pages.School;

/// <summary>
/// A notice the school issued, for its staff: lines, reductions, amounts, the money on it and its messages. Its
/// accountant may cancel it from here with a reason, by the same ledger call as `notices cancel`: money on it becomes the
/// pupil's credit after a confirmation that says how much, and the form carries the state it showed, so a notice that
/// changed since (a payment came in, a colleague cancelled it) is left alone.
/// </summary>
[ShowsPupils]
public sealed class NoticeModel(PupilFiles files, FeesDb db, BusinessClock clock, Lang lang) : PageModel
{
    public string School { get; private set; } = "";
    public NoticeRecord? Record { get; private set; }
    /// <summary>Whether this login may cancel the notice, and the notice is still open to it.</summary>
    public bool MayCancel { get; private set; }
    [BindProperty] public string? Reason { get; set; }
    /// <summary>The notice's state and paid amount the form showed.</summary>
    [BindProperty] public string? SeenStatus { get; set; }
    [BindProperty] public long? SeenPaid { get; set; }
    /// <summary>The accountant's tick: the money paid becomes the pupil's credit.</summary>
    [BindProperty] public bool Sure { get; set; }
    [BindProperty(SupportsGet = true)] public string? Said { get; set; }
    public string? Problem { get; private set; }

    public async Task<IActionResult> OnGetAsync(string school, string noticeNo, CancellationToken ct)
    {
        if (!SchoolAccess.CanSeePupils(User, school)) return Forbid();
        return await LoadAsync(school, noticeNo, ct) ? Page() : NotFound();
    }

    [MovesMoney]
    public async Task<IActionResult> OnPostCancelAsync(string school, string noticeNo, CancellationToken ct)
    {
        if (!SchoolAccess.CanMoveMoney(User, school)) return Forbid();
        // What the form showed, before the page reads the notice as it is now.
        var seen = Enum.GetValues<NoticeStatus>().Where(s => s.ToWire() == SeenStatus).Select(s => (NoticeStatus?)s).FirstOrDefault();
        var seenPaid = SeenPaid ?? -1;
        if (!await LoadAsync(school, noticeNo, ct)) return NotFound();
        var why = (Reason ?? "").Trim();
        if (why.Length > CorrectionDesk.MaxReasonLength)
            Problem = lang.Format("notice-cancel-too-long", CorrectionDesk.MaxReasonLength);
        else if (seenPaid > 0 && !Sure)
            Problem = lang.Format("notice-cancel-not-sure", Lang.Money(seenPaid));
        if (Problem is not null) return Page();
        try
        {
            var (status, _, _) = await new NoticeWithdrawals(db, clock, Actor.Of(User))
                .CancelAsync(Record!.NoticeNo, why, ct, new NoticeCancelGuard(School, seen ?? (NoticeStatus)(-1), seenPaid));
            return LocalRedirect($"/truong/{School}/thong-bao/{Uri.EscapeDataString(Record.NoticeNo)}?said={(status == NoticeStatus.Refunded ? "da-hoan" : "da-huy")}");
        }
        catch (Exception e) when (e is BadInputException or BusinessRuleException)
        {
            Problem = lang.Reasons(e);
            await LoadAsync(school, noticeNo, ct);
            return Page();
        }
    }

    private async Task<bool> LoadAsync(string school, string noticeNo, CancellationToken ct)
    {
        School = school.ToUpperInvariant();
        Record = await files.NoticeAsync(School, noticeNo.Trim().ToUpperInvariant(), ct);
        if (Record is null) return false;
        MayCancel = SchoolAccess.CanMoveMoney(User, School) && Record.Status is not ("cancelled" or "refunded");
        // The form shows the notice as it is now: a refused form is drawn again with the state it was refused for.
        (SeenStatus, SeenPaid) = (Record.Status, Record.PaidVnd);
        return true;
    }
}
