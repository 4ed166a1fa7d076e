using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TdmEdu.Fees.Api.Application;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Api.Web;

namespace TdmEdu.Fees.Api.Pages.School;

/// <summary>The school's roster upload (CSV or XLSX), all or nothing, with the CLI's row-by-row report; its own pupils only.</summary>
[MovesMoney]
public sealed class RosterModel(FeesDb db, BusinessClock clock) : PageModel
{
    public const long MaxBytes = 20 * 1024 * 1024;

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
        var extension = Path.GetExtension(Upload?.FileName ?? "").ToLowerInvariant();
        if (Upload is null || Upload.Length == 0 || Upload.Length > MaxBytes || extension is not (".csv" or ".xlsx"))
        {
            Problems = [new InputProblem(Upload?.FileName ?? "", null, null, "Choose a CSV or XLSX file under 20 MB.", "Hãy chọn một tệp CSV hoặc XLSX dưới 20 MB.")];
            return Page();
        }
        // The file keeps its name (the report names it) in a folder of its own, removed after.
        var folder = Directory.CreateTempSubdirectory("fees-upload-");
        try
        {
            var path = Path.Combine(folder.FullName, Path.GetFileName(Upload.FileName));
            await using (var f = System.IO.File.Create(path)) await Upload.CopyToAsync(f, ct);
            Result = await new StudentImport(db, clock, Actor.Of(User)).ImportAsync(path, ct, School);
        }
        catch (BadInputException e)
        {
            Problems = e.Problems.ToList();
        }
        finally
        {
            folder.Delete(true);
        }
        return Page();
    }
}
