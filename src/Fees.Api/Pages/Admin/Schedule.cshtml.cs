using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TdmEdu.Fees.Api.Application;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Api.Web;

namespace TdmEdu.Fees.Api.Pages.Admin;

/// <summary>The authority's fee schedule for a school year (JSON, as `fees schedule import` reads it); a second upload of the same file changes nothing.</summary>
public sealed class ScheduleModel(FeesDb db, BusinessClock clock, Lang lang) : PageModel
{
    [BindProperty] public IFormFile? Upload { get; set; }
    public ScheduleImportResult? Result { get; private set; }
    public string? Problem { get; private set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (Upload is null || Upload.Length is 0 or > 1_000_000)
        {
            Problem = lang.English ? "Choose a fee schedule JSON file (under 1 MB)." : "Hãy chọn tệp biểu phí JSON (dưới 1 MB).";
            return Page();
        }
        try
        {
            using var ms = new MemoryStream();
            await Upload.CopyToAsync(ms, ct);
            var schedule = ScheduleImport.Parse(ms.ToArray(), Path.GetFileName(Upload.FileName));
            Result = await new ScheduleImport(db, clock, Actor.Of(User)).StoreAsync(schedule, ct);
        }
        catch (BadInputException e)
        {
            Problem = lang.Say(e);
        }
        return Page();
    }
}
