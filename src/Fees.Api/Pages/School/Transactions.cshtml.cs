using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TdmEdu.Fees.Api.Application.Statements;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Api.Web;

namespace TdmEdu.Fees.Api.Pages.School;

/// <summary>
/// Every bank transaction of the school's accounts, newest first, whichever channel brought it: its outcome and the reason
/// in the page's language, the pupils and notices its money pays now (linked). Filters by days, outcome and channel, in the
/// address (a GET form), paged. It names pupils, so it is the school's staff's, never the auditor's.
/// </summary>
[ShowsPupils]
public sealed class TransactionsModel(FeesDb db) : PageModel
{
    public const int PageSize = 50;

    public string School { get; private set; } = "";
    [BindProperty(SupportsGet = true, Name = "tu")] public string? From { get; set; }
    [BindProperty(SupportsGet = true, Name = "den")] public string? To { get; set; }
    [BindProperty(SupportsGet = true, Name = "ket-qua")] public string? Outcome { get; set; }
    [BindProperty(SupportsGet = true, Name = "kenh")] public string? Channel { get; set; }
    [BindProperty(SupportsGet = true, Name = "trang")] public int PageNo { get; set; } = 1;
    public List<BankLineView> Lines { get; private set; } = [];
    public long Total { get; private set; }
    public int Pages => (int)Math.Max(1, (Total + PageSize - 1) / PageSize);
    public bool BadDays { get; private set; }

    public async Task<IActionResult> OnGetAsync(string school, CancellationToken ct)
    {
        if (!SchoolAccess.CanSeePupils(User, school)) return Forbid();
        School = school.ToUpperInvariant();
        var from = Day(From);
        var to = Day(To);
        BadDays = from is null && !string.IsNullOrEmpty(From) || to is null && !string.IsNullOrEmpty(To) || from > to;
        if (BadDays) (from, to) = (null, null);
        if (!BankTransactions.Outcomes.Contains(Outcome)) Outcome = null;
        if (!BankTransactions.Channels.Contains(Channel)) Channel = null;
        PageNo = Math.Clamp(PageNo, 1, 100_000);
        var rows = await new BankTransactions(db).ListAsync(new TransactionFilter(School, from, to, Outcome, Channel, NewestFirst: true,
            Skip: (PageNo - 1) * PageSize, Take: PageSize), ct);
        Total = rows.Count > 0 ? rows[0].Total : 0;
        Lines = await BankViews.OfTransactionsAsync(db, School, rows, ct);
        return Page();
    }

    /// <summary>This page's address with another page number, keeping the filters.</summary>
    public string PageLink(int page) => $"/truong/{School}/giao-dich?" + string.Join('&', new[]
    {
        ("tu", From), ("den", To), ("ket-qua", Outcome), ("kenh", Channel), ("trang", page.ToString(CultureInfo.InvariantCulture)),
    }.Where(p => !string.IsNullOrEmpty(p.Item2)).Select(p => $"{p.Item1}={Uri.EscapeDataString(p.Item2!)}"));

    private static DateOnly? Day(string? text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) && Lang.IsSensibleDay(d) ? d : null;
}
