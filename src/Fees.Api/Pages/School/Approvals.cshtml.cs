using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Application.Payments;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Api.Web;

namespace TdmEdu.Fees.Api.Pages.School;

/// <summary>
/// The corrections of a school that wait for its principal (above the authority's limit), and the last ones decided.
/// The principal approves (the correction is made then) or rejects, with a note; the accountant sees where each stands.
/// </summary>
[ShowsPupils]
public sealed class ApprovalsModel(FeesDb db, BusinessClock clock, Lang lang) : PageModel
{
    public sealed record Row(Guid Id, string Kind, long AmountVnd, string Reason, string RequestedBy, DateTimeOffset RequestedAt, string Status,
        string? DecidedBy, string? DecisionNote, Guid? ReceiptId, string? Pupil);

    public string School { get; private set; } = "";
    public bool MayDecide { get; private set; }
    public long LimitVnd { get; private set; }
    public IReadOnlyList<Row> Waiting { get; private set; } = [];
    public IReadOnlyList<Row> Decided { get; private set; } = [];
    [BindProperty] public Guid RequestId { get; set; }
    [BindProperty] public string? Note { get; set; }
    [BindProperty(SupportsGet = true)] public string? Said { get; set; }
    public string? Problem { get; private set; }

    public async Task<IActionResult> OnGetAsync(string school, CancellationToken ct)
    {
        if (!SchoolAccess.CanSeePupils(User, school)) return Forbid();
        await LoadAsync(school, ct);
        return Page();
    }

    [PrincipalDecides]
    public Task<IActionResult> OnPostApproveAsync(string school, CancellationToken ct) => DecideAsync(school, true, ct);

    [PrincipalDecides]
    public Task<IActionResult> OnPostRejectAsync(string school, CancellationToken ct) => DecideAsync(school, false, ct);

    private async Task<IActionResult> DecideAsync(string school, bool approve, CancellationToken ct)
    {
        if (!SchoolAccess.CanApprove(User, school)) return Forbid();
        try
        {
            await new CorrectionDesk(db, clock, Actor.Of(User)).DecideAsync(school, RequestId, approve, Note, ct);
            return LocalRedirect($"/truong/{school.ToUpperInvariant()}/duyet?said={(approve ? "da-duyet" : "tu-choi")}");
        }
        catch (Exception e) when (e is BadInputException or BusinessRuleException or DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            Problem = e is BadInputException or BusinessRuleException ? lang.Reasons(e) : lang.English ? "Something changed meanwhile; look again." : "Dữ liệu vừa thay đổi; hãy xem lại.";
            await LoadAsync(school, ct);
            return Page();
        }
    }

    private async Task LoadAsync(string school, CancellationToken ct)
    {
        School = school.ToUpperInvariant();
        MayDecide = SchoolAccess.CanApprove(User, school);
        var s = await db.Schools.AsNoTracking().Where(x => x.Code == School).Select(x => new { x.Id, x.AuthorityId }).SingleAsync(ct);
        LimitVnd = await db.Authorities.AsNoTracking().Where(a => a.Id == s.AuthorityId).Select(a => a.CorrectionApprovalLimitVnd).SingleAsync(ct);
        var rows = from c in db.CorrectionRequests.AsNoTracking()
                   where c.SchoolId == s.Id
                   join r in db.Receipts on c.ReceiptId equals r.Id into rr
                   from r in rr.DefaultIfEmpty()
                   join p in db.Payments on r.PaymentId equals p.Id into pp
                   from p in pp.DefaultIfEmpty()
                   join st in db.Students on (c.StudentId ?? p.StudentId) equals st.Id into ss
                   from st in ss.DefaultIfEmpty()
                   select new { c, Pupil = st.FullName };
        Waiting = (await rows.Where(x => x.c.Status == CorrectionDesk.Pending).OrderBy(x => x.c.RequestedAt).Take(200).ToListAsync(ct)).Select(x => ToRow(x.c, x.Pupil)).ToList();
        Decided = (await rows.Where(x => x.c.Status != CorrectionDesk.Pending).OrderByDescending(x => x.c.DecidedAt).Take(30).ToListAsync(ct)).Select(x => ToRow(x.c, x.Pupil)).ToList();
    }

    private static Row ToRow(CorrectionRequest c, string? pupil) =>
        new(c.Id, c.Kind, c.AmountVnd, c.Reason, c.RequestedBy, c.RequestedAt, c.Status, c.DecidedBy, c.DecisionNote, c.ReceiptId, pupil);
}
