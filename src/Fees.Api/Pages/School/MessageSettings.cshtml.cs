using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TdmEdu.Fees.Api.Application.Messages;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Api.Web;

namespace TdmEdu.Fees.Api.Pages.School;

/// <summary>
/// How the school reaches its families (the accountant's): short name, channels, reply-to address, SMS budget and
/// reminder days. The rules are in <see cref="MessagingSettings"/>; the form carries the fingerprint of what it showed,
/// so a colleague's change made meanwhile is not overwritten blindly. A bad field is shown as typed, with its reason.
/// </summary>
[MovesMoney]
public sealed class MessageSettingsModel(FeesDb db, BusinessClock clock, Lang lang) : PageModel
{
    public string School { get; private set; } = "";
    public bool Stored { get; private set; }
    [BindProperty] public string? ShortName { get; set; }
    [BindProperty] public string? ZaloEnabled { get; set; }
    [BindProperty] public string? SmsEnabled { get; set; }
    [BindProperty] public string? EmailEnabled { get; set; }
    [BindProperty] public string? ReplyToEmail { get; set; }
    [BindProperty] public string? SmsMonthlyBudgetVnd { get; set; }
    [BindProperty] public string? DueReminderDays { get; set; }
    [BindProperty] public string? FirstOverdueDays { get; set; }
    [BindProperty] public string? SecondOverdueDays { get; set; }
    [BindProperty] public string? SendOnSunday { get; set; }
    [BindProperty] public string? Seen { get; set; }
    /// <summary>What the last save did, carried by its redirect: "luu" (saved) or "khong-doi" (nothing changed).</summary>
    [BindProperty(SupportsGet = true, Name = "ket-qua")] public string? Outcome { get; set; }
    public IReadOnlyList<string> Problems { get; private set; } = [];
    public HashSet<string> Invalid { get; private set; } = [];

    private MessagingSettings Service => new(db, clock, Actor.Of(User));

    public async Task<IActionResult> OnGetAsync(string school, CancellationToken ct)
    {
        if (!SchoolAccess.CanMoveMoney(User, school)) return Forbid();
        School = school.ToUpperInvariant();
        await ShowStoredAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string school, CancellationToken ct)
    {
        if (!SchoolAccess.CanMoveMoney(User, school)) return Forbid();
        School = school.ToUpperInvariant();
        var input = new MessagingSettingsInput(ShortName, ZaloEnabled, SmsEnabled, EmailEnabled, ReplyToEmail, SmsMonthlyBudgetVnd,
            DueReminderDays, FirstOverdueDays, SecondOverdueDays, SendOnSunday);
        try
        {
            var changed = await Service.SaveAsync(School, input, Seen, ct);
            return LocalRedirect($"/truong/{School}/tin-nhan/cai-dat?ket-qua={(changed ? "luu" : "khong-doi")}");
        }
        catch (BadInputException e)
        {
            // The form comes back as typed, each bad field marked; what is stored is untouched.
            Problems = e.Problems.Select(p => p.Render(vietnamese: !lang.English)).ToList();
            Invalid = MessagingSettings.Check(input, out _).Select(p => p.Field).ToHashSet();
            Stored = (await Service.GetAsync(School, ct)).Stored;
            return Page();
        }
        catch (BusinessRuleException e)
        {
            Problems = [lang.Say(e)];
            await ShowStoredAsync(ct);
            return Page();
        }
    }

    private async Task ShowStoredAsync(CancellationToken ct)
    {
        var s = await Service.GetAsync(School, ct);
        var v = s.Values;
        Stored = s.Stored;
        Seen = s.Fingerprint;
        ShortName = v.ShortName;
        ZaloEnabled = v.ZaloEnabled ? "true" : null;
        SmsEnabled = v.SmsEnabled ? "true" : null;
        EmailEnabled = v.EmailEnabled ? "true" : null;
        ReplyToEmail = v.ReplyToEmail;
        SmsMonthlyBudgetVnd = v.SmsMonthlyBudgetVnd is { } b ? Lang.Number(b) : null;
        DueReminderDays = v.DueReminderDays.ToString(System.Globalization.CultureInfo.InvariantCulture);
        FirstOverdueDays = v.OverdueReminderDays.Length > 0 ? v.OverdueReminderDays[0].ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        SecondOverdueDays = v.OverdueReminderDays.Length > 1 ? v.OverdueReminderDays[1].ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        SendOnSunday = v.SendOnSunday ? "true" : null;
    }

    public bool On(string? flag) => flag is "true" or "on";
}
