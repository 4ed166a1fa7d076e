using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TdmEdu.Fees.Api.Application.Roster;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Files;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Api.Web;
using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Api.Pages.Admin;

/// <summary>
/// The authority's fee schedule for a school year: upload it (JSON, as `fees schedule import` reads it; the same
/// file twice changes nothing), or edit the latest one in place: item names and amounts, reduction percents. An
/// edit is stored through the same path as an upload, so it is validated the same way; notices already issued
/// keep the amounts they were issued with. The form carries a fingerprint of the schedule it showed, so an
/// upload or another edit made meanwhile is not overwritten.
/// </summary>
[RequestSizeLimit(MaxRequestBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = MaxRequestBytes)]
public sealed class ScheduleModel(FeesDb db, BusinessClock clock, Lang lang) : PageModel
{
    /// <summary>Twice the largest schedule: a file over its limit is still received and refused in words naming it.</summary>
    public const long MaxRequestBytes = 2 * 1024 * 1024;

    [BindProperty] public IFormFile? Upload { get; set; }
    [BindProperty] public List<string> ItemName { get; set; } = [];
    [BindProperty] public List<string> ItemAmount { get; set; } = [];
    [BindProperty] public List<string> PolicyPercent { get; set; } = [];
    [BindProperty] public string? Seen { get; set; }
    public FeeSchedule? Current { get; private set; }
    public ScheduleImportResult? Result { get; private set; }
    public string? Problem { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => Current = await ScheduleStore.LoadLatestAsync(db, ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var limits = FileLimits.Schedule;
        if (Upload is null || Upload.Length is 0)
        {
            Problem = lang.English ? $"Choose a fee schedule JSON file (at most {FileLimits.Mb(limits.MaxBytes, false)})." : $"Hãy chọn tệp biểu phí JSON (tối đa {FileLimits.Mb(limits.MaxBytes, true)}).";
            Current = await ScheduleStore.LoadLatestAsync(db, ct);
            return Page();
        }
        try
        {
            var name = Path.GetFileName(Upload.FileName);
            // Refused by its size alone, before it is read into memory.
            if (Upload.Length > limits.MaxBytes) throw limits.TooLarge(name, Upload.Length, limits.MaxBytes);
            using var ms = new MemoryStream();
            await Upload.CopyToAsync(ms, ct);
            var schedule = ScheduleImport.Parse(ms.ToArray(), name);
            Result = await new ScheduleImport(db, clock, Actor.Of(User)).StoreAsync(schedule, ct);
        }
        catch (BadInputException e)
        {
            Problem = lang.Say(e);
        }
        Current = await ScheduleStore.LoadLatestAsync(db, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostEditAsync(CancellationToken ct)
    {
        Current = await ScheduleStore.LoadLatestAsync(db, ct);
        try
        {
            if (Current is null) throw new BusinessRuleException("There is no schedule to edit; upload one first.", "Chưa có biểu phí để sửa; hãy tải biểu phí lên trước.");
            if (Seen != Fingerprint(Current))
                throw new BusinessRuleException("The schedule changed since this page was opened (an upload or another edit); nothing was saved. Look at it again.",
                    "Biểu phí vừa được thay đổi sau khi mở trang (tải lên hoặc sửa khác); chưa lưu gì. Hãy xem lại.");
            if (ItemName.Count != Current.Items.Count || ItemAmount.Count != Current.Items.Count || PolicyPercent.Count != Current.Policies.Count)
                throw new BusinessRuleException("The form does not match the schedule; open the page again.", "Biểu mẫu không khớp với biểu phí; hãy mở lại trang.");
            var problems = new List<InputProblem>();
            var items = Current.Items.Select((item, i) =>
            {
                var amount = Values.ParseAmount(ItemAmount[i], out var why);
                if (amount is null) problems.Add(new InputProblem("bieu-phi", null, item.Code, why!, $"số tiền \"{ItemAmount[i]}\" không phải là số đồng (ví dụ 1.500.000)."));
                return item with { Name = ItemName[i].Trim(), AmountVnd = amount ?? item.AmountVnd };
            }).ToList();
            var policies = Current.Policies.Select((p, i) =>
            {
                if (!int.TryParse(PolicyPercent[i].Trim().TrimEnd('%').Trim(), out var percent))
                    problems.Add(new InputProblem("bieu-phi", null, p.Code, $"\"{PolicyPercent[i]}\" is not a percent.", $"\"{PolicyPercent[i]}\" không phải là một tỷ lệ phần trăm."));
                return p with { Percent = percent };
            }).ToList();
            var edited = Current with { Items = items, Policies = policies };
            problems.AddRange(edited.Validate().Select(e => new InputProblem("bieu-phi", null, null, e)));
            if (problems.Count > 0) throw new BadInputException(problems);
            Result = await new ScheduleImport(db, clock, Actor.Of(User)).StoreAsync(edited, ct);
            Current = await ScheduleStore.LoadLatestAsync(db, ct);
        }
        catch (Exception e) when (e is BadInputException or BusinessRuleException)
        {
            Problem = lang.Say(e);
        }
        return Page();
    }

    /// <summary>
    /// Next school year's schedule made from this year's: the same items, amounts, reductions, months and school days,
    /// stored through the same path as an upload and then edited here. Only from the current school year's (by the
    /// business clock), so a second click does not make the year after.
    /// </summary>
    public async Task<IActionResult> OnPostNextYearAsync(CancellationToken ct)
    {
        Current = await ScheduleStore.LoadLatestAsync(db, ct);
        try
        {
            if (Current is null) throw new BusinessRuleException("There is no schedule to copy; upload one first.", "Chưa có biểu phí để sao chép; hãy tải biểu phí lên trước.");
            if (Seen != Fingerprint(Current))
                throw new BusinessRuleException("The schedule changed since this page was opened (an upload or another edit); nothing was saved. Look at it again.",
                    "Biểu phí vừa được thay đổi sau khi mở trang (tải lên hoặc sửa khác); chưa lưu gì. Hãy xem lại.");
            var thisYear = SchoolYear.Containing(BillingMonth.Of(clock.Today));
            if (Current.SchoolYear.StartYear > thisYear.StartYear)
                throw new BusinessRuleException($"The schedule for {Current.SchoolYear} exists already; edit it below.", $"Biểu phí năm học {Current.SchoolYear} đã có; hãy sửa ở dưới.");
            Result = await new ScheduleImport(db, clock, Actor.Of(User)).StoreAsync(Current with { SchoolYear = new SchoolYear(Current.SchoolYear.StartYear + 1) }, ct);
            Current = await ScheduleStore.LoadLatestAsync(db, ct);
        }
        catch (Exception e) when (e is BadInputException or BusinessRuleException)
        {
            Problem = lang.Say(e);
        }
        return Page();
    }

    /// <summary>What the edit form shows, hashed: names, amounts and percents in order.</summary>
    public static string Fingerprint(FeeSchedule s)
    {
        var text = string.Join('\n', s.Items.Select(i => $"{i.Code}|{i.Name}|{i.AmountVnd}").Concat(s.Policies.Select(p => $"{p.Code}|{p.Percent}")));
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{s.SchoolYear}\n{text}")))[..16];
    }
}
