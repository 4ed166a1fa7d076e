using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TdmEdu.Fees.Api.Application.Messages;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Api.Web;
using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Api.Pages.School;

/// <summary>
/// The school's messages to parents for a month: what "send notices" would queue and who cannot be reached, the
/// delivery report, the month's messages (never a body, a phone or an address), re-sending failures, and what the
/// month cost. Anyone who may read the school reads it; sending and re-sending cost the school money, so they are
/// its accountant's, and each ends in a redirect, so a reload never sends twice.
/// </summary>
public sealed class MessagesModel(FeesDb db, BusinessClock clock, Lang lang) : PageModel
{
    public static readonly string[] Statuses = ["queued", "sending", "sent", "delivered", "failed", "unknown", "suppressed", "cancelled"];
    public static readonly string[] Channels = ["zalo_zns", "sms", "email"];
    /// <summary>The report's columns: a message being sent is still waiting, as far as the accountant is concerned.</summary>
    public static readonly string[] ReportStatuses = ["queued", "sent", "delivered", "failed", "unknown", "suppressed", "cancelled"];

    public string School { get; private set; } = "";
    public BillingMonth Month { get; private set; }
    public bool CanAct { get; private set; }
    [BindProperty(SupportsGet = true, Name = "thang")] public string? Thang { get; set; }
    [BindProperty(SupportsGet = true, Name = "trang-thai")] public string? Status { get; set; }
    [BindProperty(SupportsGet = true, Name = "kenh")] public string? Channel { get; set; }
    [BindProperty] public List<Guid> Ids { get; set; } = [];
    /// <summary>What the last action did, carried by its redirect as counts (never as text, so a link cannot put words on the page).</summary>
    [BindProperty(SupportsGet = true, Name = "xep")] public int? Queued { get; set; }
    [BindProperty(SupportsGet = true, Name = "gui-lai")] public int? Requeued { get; set; }
    [BindProperty(SupportsGet = true, Name = "chon")] public int? Asked { get; set; }
    public string? Problem { get; private set; }

    public MessagePreview? Preview { get; private set; }
    public Dictionary<(string Channel, string Status), int> Report { get; private set; } = [];
    public List<MessageRow> Rows { get; private set; } = [];
    public List<CostLine> Costs { get; private set; } = [];
    public SmsBudget Budget { get; private set; } = new(null, 0);
    public const int ListLimit = 1000;

    private SchoolMessages Service => new(db, clock, Actor.Of(User));

    public async Task<IActionResult> OnGetAsync(string school, CancellationToken ct)
    {
        if (!SchoolAccess.CanRead(User, school)) return Forbid();
        if (!Begin(school)) Month = BillingMonth.Of(clock.Today);
        await LoadAsync(ct);
        return Page();
    }

    [MovesMoney]
    public async Task<IActionResult> OnPostSendAsync(string school, CancellationToken ct)
    {
        if (!SchoolAccess.CanMoveMoney(User, school)) return Forbid();
        if (!Begin(school)) return await ShowAsync(ct);
        var queued = await Service.QueueNoticesAsync(School, Month, ct);
        return LocalRedirect($"{Here}&xep={queued}");
    }

    /// <summary>The messages ticked in the list.</summary>
    [MovesMoney]
    public async Task<IActionResult> OnPostResendAsync(string school, CancellationToken ct)
    {
        if (!SchoolAccess.CanMoveMoney(User, school)) return Forbid();
        if (!Begin(school)) return await ShowAsync(ct);
        if (Ids.Count is 0 or > ListLimit)
        {
            Problem = lang["choose-none"];
            return await ShowAsync(ct);
        }
        return await ResendAsync(Ids, ct);
    }

    /// <summary>Every failed message of the month (not the unknown ones: those may have arrived, a person chooses them one by one).</summary>
    [MovesMoney]
    public async Task<IActionResult> OnPostResendFailedAsync(string school, CancellationToken ct)
    {
        if (!SchoolAccess.CanMoveMoney(User, school)) return Forbid();
        if (!Begin(school)) return await ShowAsync(ct);
        var failed = await Service.ListAsync(School, Month, null, "failed", null, ct);
        if (failed.Count == 0)
        {
            Problem = lang["no-failed"];
            return await ShowAsync(ct);
        }
        return await ResendAsync(failed.Select(m => m.Id).ToList(), ct);
    }

    private async Task<IActionResult> ResendAsync(List<Guid> ids, CancellationToken ct)
    {
        var distinct = ids.Distinct().ToList();
        var requeued = await Service.ResendAsync(School, distinct, ct);
        return LocalRedirect($"{Here}&gui-lai={requeued}&chon={distinct.Count}");
    }

    /// <summary>The page's address for the month and filters shown.</summary>
    public string Here => $"/truong/{School}/tin-nhan?thang={Month}"
        + (Status is null ? "" : $"&trang-thai={Status}") + (Channel is null ? "" : $"&kenh={Channel}");

    /// <summary>Reads the school, the month and the filters; false (with the problem said) when the month is not one.</summary>
    private bool Begin(string school)
    {
        School = school.ToUpperInvariant();
        CanAct = SchoolAccess.CanMoveMoney(User, School);
        // Unknown filter values show everything rather than nothing: a filter is a view, not a question to refuse.
        Status = Statuses.Contains(Status) ? Status : null;
        Channel = Channels.Contains(Channel) ? Channel : null;
        if (string.IsNullOrWhiteSpace(Thang))
        {
            Month = BillingMonth.Of(clock.Today);
            return true;
        }
        if (BillingMonth.TryParse(Thang.Trim(), out var month))
        {
            Month = month;
            return true;
        }
        Problem = lang.Format("bad-month", Thang.Length > 20 ? Thang[..20] + "…" : Thang);
        return false;
    }

    private async Task<IActionResult> ShowAsync(CancellationToken ct)
    {
        if (Month == default) Month = BillingMonth.Of(clock.Today);
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var service = Service;
        Preview = await service.PreviewAsync(School, Month, ct);
        Report = (await service.ReportAsync(School, Month, ct))
            .GroupBy(r => (r.Channel, r.Status == "sending" ? "queued" : r.Status)).ToDictionary(g => g.Key, g => g.Sum(r => r.Count));
        Rows = await service.ListAsync(School, Month, null, Status, Channel, ct);
        Costs = await service.CostsAsync(School, Month.Year, Month.Month, ct);
        Budget = await new MessagingSettings(db, clock, Actor.Of(User)).BudgetAsync(School, Month, ct);
    }

    /// <summary>An instant as the school reads it: 05/09 10:00, Asia/Ho_Chi_Minh.</summary>
    public static string Local(DateTimeOffset? at) => at is { } t ? TimeZoneInfo.ConvertTime(t, BusinessClock.Zone).ToString("dd/MM HH:mm", System.Globalization.CultureInfo.InvariantCulture) : "";
}
