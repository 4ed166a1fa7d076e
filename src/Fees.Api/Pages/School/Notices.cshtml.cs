using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TdmEdu.Fees.Api.Application.Billing;
using TdmEdu.Fees.Api.Application.Pupils;
using TdmEdu.Fees.Api.Application.Reports;
using TdmEdu.Fees.Api.Pages.Shared;
using TdmEdu.Fees.Api.Web;
using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Api.Pages.School;

/// <summary>A school's notices of a month, filtered by state and class (a list of the school's classes in age order); classes in age order, names sorted the Vietnamese way within a class.</summary>
public sealed class NoticesModel(SchoolMonth months, NoticeMonths noticeMonths, PupilSearch pupils, Lang lang) : PageModel
{
    public string School { get; private set; } = "";
    public string Period { get; private set; } = "";
    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    [BindProperty(SupportsGet = true)] public string? Class { get; set; }
    public List<NoticeRow> Rows { get; private set; } = [];
    /// <summary>The school's classes in age order, for the class filter.</summary>
    public IReadOnlyList<ClassChoice> Classes { get; private set; } = [];
    /// <summary>Whether the rows name the pupil, link to each notice's page and offer the PDF and XLSX (all of which name pupils): not for the auditor.</summary>
    public bool MayOpen { get; private set; }
    public MonthPicker? Picker { get; private set; }

    public async Task<IActionResult> OnGetAsync(string school, string period, CancellationToken ct)
    {
        if (!SchoolAccess.CanRead(User, school)) return Forbid();
        if (!BillingMonth.TryParse(period, out var month)) return NotFound();
        (School, Period) = (school.ToUpperInvariant(), month.ToString());
        Picker = await MonthPicker.ForAsync(noticeMonths, School, month, m => $"/truong/{School}/{m}/thong-bao", ct);
        var vietnamese = System.Globalization.CultureInfo.GetCultureInfo("vi-VN").CompareInfo;
        Classes = await pupils.ClassesAsync(School, ct);
        MayOpen = SchoolAccess.CanSeePupils(User, School);
        // Classes in age order; a class the notice names that the school no longer has goes last.
        var place = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < Classes.Count; i++) place.TryAdd(Classes[i].Name, i);
        Rows = (await months.NoticesAsync(School, month, string.IsNullOrEmpty(Status) ? null : Status, ct))
            .Where(r => string.IsNullOrWhiteSpace(Class) || string.Equals(r.ClassName, Class.Trim(), StringComparison.OrdinalIgnoreCase))
            .OrderBy(r => place.GetValueOrDefault(r.ClassName, int.MaxValue)).ThenBy(r => r.ClassName, StringComparer.Ordinal)
            .ThenBy(r => GivenNameFirst(r.StudentName), Comparer<string>.Create((a, b) => vietnamese.Compare(a, b, System.Globalization.CompareOptions.None)))
            .ToList();
        return Page();
    }

    /// <summary>The notices shown (the school, or one class), printable (they name the pupils: not for the auditor): one A4 page each, or two to a page (per=2).</summary>
    [ShowsPupils]
    public async Task<IActionResult> OnGetPdfAsync(string school, string period, [FromServices] Printing.NoticePdf pdf, CancellationToken ct, int per = 1)
    {
        if (!SchoolAccess.CanSeePupils(User, school)) return Forbid();
        if (!BillingMonth.TryParse(period, out var month)) return NotFound();
        var (bytes, _) = await pdf.RenderAsync(school.ToUpperInvariant(), month, string.IsNullOrWhiteSpace(Class) ? null : Class.Trim(), per == 2 ? 2 : 1, ct);
        return File(bytes, "application/pdf", $"thong-bao-{school.ToUpperInvariant()}-{month}{(string.IsNullOrWhiteSpace(Class) ? "" : "-" + Class.Trim())}.pdf");
    }

    /// <summary>The school's notices of the month as a spreadsheet, the columns of `notices export`.</summary>
    [ShowsPupils]
    public async Task<IActionResult> OnGetXlsxAsync(string school, string period, [FromServices] NoticeExport export, CancellationToken ct)
    {
        if (!SchoolAccess.CanSeePupils(User, school)) return Forbid();
        if (!BillingMonth.TryParse(period, out var month)) return NotFound();
        var rows = await export.QueryAsync(month, school.ToUpperInvariant(), ct);
        return File(await NoticeSheet.WriteAsync(rows, lang, ct), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            $"thong-bao-{school.ToUpperInvariant()}-{month}.xlsx");
    }

    /// <summary>Vietnamese names sort by the given name (the last word), then the rest.</summary>
    private static string GivenNameFirst(string name)
    {
        var words = name.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words.Length == 0 ? "" : words[^1] + " " + string.Join(' ', words[..^1]);
    }
}
