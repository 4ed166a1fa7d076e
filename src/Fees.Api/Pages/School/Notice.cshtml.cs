using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TdmEdu.Fees.Api.Application.Pupils;
using TdmEdu.Fees.Api.Web;

namespace TdmEdu.Fees.Api.Pages.School;

/// <summary>A notice the school issued, for its staff: lines, reductions, amounts, the money on it and its messages. Read only.</summary>
[ShowsPupils]
public sealed class NoticeModel(PupilFiles files) : PageModel
{
    public string School { get; private set; } = "";
    public NoticeRecord? Record { get; private set; }

    public async Task<IActionResult> OnGetAsync(string school, string noticeNo, CancellationToken ct)
    {
        if (!SchoolAccess.CanSeePupils(User, school)) return Forbid();
        School = school.ToUpperInvariant();
        Record = await files.NoticeAsync(School, noticeNo.Trim().ToUpperInvariant(), ct);
        return Record is null ? NotFound() : Page();
    }
}
