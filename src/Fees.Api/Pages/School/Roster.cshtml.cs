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
        var extension = Path.GetExtension(Upload?.FileName ?? "").ToLowerInvariant();
        if (Upload is null || Upload.Length == 0 || extension is not (".csv" or ".xlsx"))
        {
            Problems = [new InputProblem(Upload?.FileName ?? "", null, null, $"Choose a CSV or XLSX file of at most {FileLimits.Mb(limits.MaxBytes, false)}.",
                $"Hãy chọn một tệp CSV hoặc XLSX tối đa {FileLimits.Mb(limits.MaxBytes, true)}.")];
            return Page();
        }
        var name = Path.GetFileName(Upload.FileName);
        // Refused by its size alone, before a byte of it is parsed.
        if (Upload.Length > limits.MaxBytesFor(name))
        {
            Problems = [.. limits.TooLarge(name, Upload.Length, limits.MaxBytesFor(name)).Problems];
            return Page();
        }
        using var time = CancellationTokenSource.CreateLinkedTokenSource(ct);
        time.CancelAfter(UploadTime);
        // The file keeps its name (the report names it) in a folder of its own, removed after.
        var folder = Directory.CreateTempSubdirectory("fees-upload-");
        try
        {
            var path = Path.Combine(folder.FullName, name);
            await using (var f = System.IO.File.Create(path)) await Upload.CopyToAsync(f, time.Token);
            Result = await new StudentImport(db, clock, Actor.Of(User)) { Limits = limits }.ImportAsync(path, time.Token, School);
        }
        catch (BadInputException e)
        {
            Problems = [.. e.Problems];
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // Out of time: the transaction was rolled back with the cancelled command.
            Problems = [.. limits.TookTooLong(name, UploadTime, storing: true).Problems];
        }
        finally
        {
            folder.Delete(true);
        }
        return Page();
    }
}
