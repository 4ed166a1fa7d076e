using System.Security.Claims;
using TdmEdu.Fees.Api.Application.Reports;
using TdmEdu.Fees.Api.Web;
using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Api.Pages.Shared;

/// <summary>
/// The staff's menu and homes. An entry is a page; it is shown to a login only when <see cref="SchoolAccess.MayOpen"/>
/// says the page would open for it (the page's folder policy and its marks, the same rules the page checks), so the menu
/// holds no second list of who may do what and never offers a page that answers "not allowed".
/// </summary>
public static class Menu
{
    /// <summary>
    /// A page of the menu: its address, where {school} and {period} are the school and the month being worked on
    /// ({period?} is left out when no month is), its page model, and the pages under it (which mark it as current).
    /// </summary>
    public sealed record Entry(string Id, string Label, string Route, Type Page, params Type[] Under);

    /// <summary>An entry as one login sees it on one page.</summary>
    public sealed record Shown(string Id, string Label, string Href, bool Current);

    public static readonly IReadOnlyList<Entry> Entries =
    [
        new("month", "menu-month", "/truong/{school}/{period}", typeof(School.MonthModel)),
        new("notices", "notices", "/truong/{school}/{period}/thong-bao", typeof(School.NoticesModel), typeof(School.NoticeModel)),
        new("billing", "billing", "/truong/{school}/lap-thong-bao", typeof(School.BillingModel)),
        new("cash", "cash-title", "/truong/{school}/thu-tien-mat", typeof(School.CashModel)),
        new("review", "queue", "/truong/{school}/doi-soat", typeof(School.ReviewModel)),
        new("statement", "link-statement", "/truong/{school}/sao-ke", typeof(School.StatementModel)),
        new("transactions", "link-transactions", "/truong/{school}/giao-dich", typeof(School.TransactionsModel)),
        new("search", "ps-title", "/truong/{school}/tim-kiem", typeof(School.SearchModel), typeof(School.PupilModel), typeof(School.RefundModel), typeof(School.LeaveModel)),
        new("roster", "roster", "/truong/{school}/hoc-sinh", typeof(School.RosterModel)),
        new("attendance", "att-title", "/truong/{school}/{period}/diem-danh", typeof(School.AttendanceModel)),
        new("cashbook", "cashbook-title", "/truong/{school}/so-quy", typeof(School.CashBookModel)),
        new("books", "acc-title", "/truong/{school}/{period}/so-sach", typeof(School.BooksModel)),
        new("bankbook", "bb-title", "/truong/{school}/{period}/so-tien-gui", typeof(School.BankBookModel)),
        new("receipts", "receiptlist-title", "/truong/{school}/bang-ke-bien-lai", typeof(School.ReceiptListModel), typeof(School.ReceiptModel)),
        new("approvals", "approvals-title", "/truong/{school}/duyet", typeof(School.ApprovalsModel)),
        new("messages", "messages-link", "/truong/{school}/tin-nhan", typeof(School.MessagesModel), typeof(School.MessageSettingsModel)),
        new("close", "close-title", "/truong/{school}/{period}/khoa-so", typeof(School.CloseModel)),
        new("admin", "menu-admin", "/quan-tri", typeof(Admin.HomeModel)),
        new("authority", "schools", "/so/{period?}", typeof(Authority.OverviewModel), typeof(Authority.SchoolModel)),
        new("users", "users", "/quan-tri/nguoi-dung", typeof(Admin.UsersModel)),
        new("schools", "sch-title", "/quan-tri/truong", typeof(Admin.SchoolsModel), typeof(Admin.SchoolModel)),
        new("schedule", "schedule", "/quan-tri/bieu-phi", typeof(Admin.ScheduleModel)),
        new("banks", "bank-settings", "/quan-tri/ngan-hang", typeof(Admin.BanksModel)),
        new("transfers", "transfers", "/quan-tri/chuyen-truong", typeof(Admin.TransfersModel)),
        new("audit", "audit-title", "/quan-tri/nhat-ky", typeof(Admin.AuditModel)),
    ];

    /// <summary>
    /// The school the menu is for: the login's own, or, for the auditor and the administrator (who have none), the school of
    /// the page they are on.
    /// </summary>
    public static string? SchoolFor(ClaimsPrincipal user, HttpContext http) =>
        SchoolAccess.SchoolOf(user) ?? (http.GetRouteValue("school") as string)?.ToUpperInvariant();

    /// <summary>The entries this login may open, for the page of <paramref name="page"/>; the month is the page's, or the landing month.</summary>
    public static async Task<IReadOnlyList<Shown>> ForAsync(HttpContext http, Type? page, Lang lang, NoticeMonths months, CancellationToken ct)
    {
        var user = http.User;
        if (user.Identity?.IsAuthenticated != true) return [];
        var school = SchoolFor(user, http);
        var open = Entries.Where(e => SchoolAccess.MayOpen(user, school, e.Page)).ToList();
        string? period = BillingMonth.TryParse(http.GetRouteValue("period") as string, out var m) ? m.ToString() : null;
        if (period is null && school is not null && open.Any(e => e.Route.Contains("{period}", StringComparison.Ordinal)))
            period = (await months.LandingAsync(school, ct)).ToString();
        return open.Select(e => new Shown(e.Id, lang[e.Label], Href(e.Route, school, period), e.Page == page || e.Under.Contains(page))).ToList();
    }

    /// <summary>An entry's address for a school and a month (either may be absent where the route needs none).</summary>
    public static string Href(string route, string? school, string? period) => route
        .Replace("{school}", school, StringComparison.Ordinal)
        .Replace("{period}", period, StringComparison.Ordinal)
        .Replace("/{period?}", period is null ? "" : "/" + period, StringComparison.Ordinal);

    /// <summary>
    /// Where a login starts: a school's staff on their school's latest month with notices, the administrator on the
    /// administration's home, the education office on all schools.
    /// </summary>
    public static async Task<string> HomeAsync(ClaimsPrincipal user, NoticeMonths months, CancellationToken ct)
    {
        if (user.IsInRole(Roles.Admin)) return "/quan-tri";
        var school = SchoolAccess.SchoolOf(user);
        var month = await months.LandingAsync(school, ct);
        return school is null ? $"/so/{month}" : $"/truong/{school}/{month}";
    }
}
