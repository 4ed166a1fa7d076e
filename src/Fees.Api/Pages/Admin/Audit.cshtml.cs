using System.Globalization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Application.Reports;
using TdmEdu.Fees.Api.Persistence;

namespace TdmEdu.Fees.Api.Pages.Admin;

/// <summary>
/// The audit log for the administrator (only the administrator reaches /Admin): newest first, a page at a time, found by
/// school, who, kind of act, entity key and business dates (AuditSearch). Details show ids, counts and amounts, with long
/// digit runs in typed text masked.
/// </summary>
public sealed class AuditModel(FeesDb db) : PageModel
{
    public AuditSearch.Page Found { get; private set; } = new([], null, false);
    public List<(string Code, string Name)> Schools { get; private set; } = [];
    public string? Problem { get; private set; }
    public string? School { get; set; }
    public string? Who { get; set; }
    public string? Kind { get; set; }
    public string? Key { get; set; }
    public string? From { get; set; }
    public string? To { get; set; }

    public async Task OnGetAsync(string? truong, string? nguoi, string? loai, string? khoa, string? tu, string? den, long? truoc, CancellationToken ct)
    {
        (School, Who, Kind, Key, From, To) = (truong, nguoi, loai, khoa, tu, den);
        Schools = (await db.Schools.AsNoTracking().OrderBy(s => s.Code).Select(s => new { s.Code, s.Name }).ToListAsync(ct)).Select(s => (s.Code, s.Name)).ToList();
        if (!Day(tu, out var from) || !Day(den, out var to))
        {
            Problem = "audit-bad-date";
            return;
        }
        Found = await new AuditSearch(db).FindAsync(new AuditSearch.Filter(truong, nguoi, loai, khoa, from, to, truoc), ct);
    }

    /// <summary>The address of a page with the same filters: before an entry (older ones), or from the newest.</summary>
    public string Link(long? before) => "/quan-tri/nhat-ky?" + string.Join("&", new[]
        {
            ("truong", School), ("nguoi", Who), ("loai", Kind), ("khoa", Key), ("tu", From), ("den", To),
            ("truoc", before?.ToString(CultureInfo.InvariantCulture)),
        }.Where(p => !string.IsNullOrWhiteSpace(p.Item2)).Select(p => $"{p.Item1}={Uri.EscapeDataString(p.Item2!)}"));

    /// <summary>A date field: empty, or dd/MM/yyyy as the page asks (yyyy-MM-dd is taken too).</summary>
    private static bool Day(string? text, out DateOnly? day)
    {
        day = null;
        if (string.IsNullOrWhiteSpace(text)) return true;
        if (!DateOnly.TryParseExact(text.Trim(), ["dd/MM/yyyy", "d/M/yyyy", "yyyy-MM-dd"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return false;
        day = d;
        return true;
    }
}
