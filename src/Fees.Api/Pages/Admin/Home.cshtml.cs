using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Pages.Shared;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Api.Web;

namespace TdmEdu.Fees.Api.Pages.Admin;

/// <summary>
/// The administrator's home: the administration's tasks, each with what it is for; the menu's own entries. Above
/// them, the schools whose receipts wait for their signature and why (no certificate, no tax code, a certificate that
/// fails its checks): the administrator is the one who can mend that, and the money is not held back meanwhile. And
/// the schools whose receipts have not reached the tax office 72 hours on, or whose documents the provider will not take.
/// </summary>
public sealed class HomeModel(FeesDb db, Application.Receipts.TaxOfficeBacklog backlog) : PageModel
{
    public sealed record Waiting(string School, int Receipts, DateTimeOffset Oldest, string? Problem);

    public IReadOnlyList<Menu.Entry> Tasks { get; private set; } = [];
    public IReadOnlyList<Waiting> Unsigned { get; private set; } = [];
    public IReadOnlyList<Application.Receipts.TaxOfficeBacklog.School> NotAccepted { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        Tasks = Menu.Entries.Where(e => e.Page != typeof(HomeModel) && !e.Route.Contains("{school}", StringComparison.Ordinal)
                                        && SchoolAccess.MayOpen(User, null, e.Page)).ToList();
        // Only what has waited past the signing job's next two runs: a receipt made a moment ago is not a problem yet.
        var before = DateTimeOffset.UtcNow.AddMinutes(-2);
        Unsigned = await (from r in db.Receipts.AsNoTracking()
                          join s in db.Schools.AsNoTracking() on r.SchoolId equals s.Id
                          where r.Status == ReceiptStates.PendingSignature && r.SignedXml == null && r.IssuedAt < before
                          group r by s.Code into g
                          orderby g.Key
                          select new Waiting(g.Key, g.Count(), g.Min(r => r.IssuedAt), g.Max(r => r.SignProblem))).Take(50).ToListAsync(ct);
        NotAccepted = await backlog.LoadAsync(null, DateTimeOffset.UtcNow, ct);
    }
}
