using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TdmEdu.Fees.Api.Application.Roster;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Files;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Api.Web;

namespace TdmEdu.Fees.Api.Pages.School;

/// <summary>
/// The school's roster upload (CSV or XLSX), all or nothing, with the CLI's row-by-row report; its own pupils
/// only. Read within <see cref="FileLimits.RosterUpload"/>; the whole upload within <see cref="UploadTime"/>;
/// a client that leaves stops the reading and the storing (the handler's token is the request's).
/// </summary>
[MovesMoney]
[RequestSizeLimit(MaxRequestBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = MaxRequestBytes)]
public sealed class RosterModel(FeesDb db, BusinessClock clock) : PageModel
{
    /// <summary>
    /// The request body taken: more than the largest roster, so that a file over the limit is still received (the
    /// form reader spools it to disk) and refused in words naming it; nginx stops bodies over 20 MB before this.
    /// </summary>
    public const long MaxRequestBytes = 21 * 1024 * 1024;

    /// <summary>Reading, checking and storing one upload: under nginx's 60 s, so the answer is ours, not a gateway's.</summary>
    public static readonly TimeSpan UploadTime = TimeSpan.FromSeconds(50);

    public string School { get; private set; } = "";
    [BindProperty] public IFormFile? Upload { get; set; }
    public StudentImportResult? Result { get; private set; }
    public List<InputProblem> Problems { get; private set; } = [];

    public IActionResult OnGet(string school)
    {
        if (!SchoolAccess.CanMoveMoney(User, school)) return Forbid();
        School = school.ToUpperInvariant();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string school, CancellationToken ct)
    {
        if (!SchoolAccess.CanMoveMoney(User, school)) return Forbid();
        School = school.ToUpperInvariant();
        var limits = FileLimits.RosterUpload;
        (Result, Problems) = await Uploads.ImportAsync(Upload, limits, UploadTime,
            (path, token) => new StudentImport(db, clock, Actor.Of(User)) { Limits = limits }.ImportAsync(path, token, School), ct);
        return Page();
    }
}
