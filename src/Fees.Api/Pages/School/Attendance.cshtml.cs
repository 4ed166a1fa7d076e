using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TdmEdu.Fees.Api.Application.Attendance;
using TdmEdu.Fees.Api.Application.Reports;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Files;
using TdmEdu.Fees.Api.Pages.Shared;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Api.Web;
using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Api.Pages.School;

/// <summary>
/// A class's month of absences as a grid of days (P with notice, K without), saved all at once, or a school's file
/// uploaded (docs/contracts/attendance.md). Either replaces what was recorded for the months it names; the next
/// notice gives back the meals not eaten. The school's accountant only: it changes what families pay.
/// </summary>
[MovesMoney]
[RequestSizeLimit(RosterModel.MaxRequestBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = RosterModel.MaxRequestBytes, ValueCountLimit = 4 * ClassMonth.MaxPupils * 32)]
public sealed class AttendanceModel(FeesDb db, BusinessClock clock, NoticeMonths months) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Lop { get; set; }
    [BindProperty] public IFormFile? Upload { get; set; }
    /// <summary>The fingerprint of the grid as it was shown (<see cref="ClassMonth.Fingerprint"/>).</summary>
    [BindProperty] public string? Shown { get; set; }
    public bool Stale { get; private set; }
    public ClassMonth Grid { get; private set; } = null!;
    public MonthPicker Picker { get; private set; } = null!;
    public AttendanceResult? Result { get; private set; }
    public List<InputProblem> Problems { get; private set; } = [];
    public bool Future { get; private set; }
    /// <summary>The most school days the month counts (null: no schedule for its school year); it says whether Saturdays are taught.</summary>
    public int? MostDays { get; private set; }

    /// <summary>A day a pupil can be marked absent on: Sundays never, Saturdays only where the month counts them.</summary>
    /// A day already recorded absent is shown even when it no longer is a school day, so that saving never drops it unseen.
    public bool SchoolDay(int day) => (MostDays is { } most && SchoolDays.IsSchoolDay(new DateOnly(Grid.Month.Year, Grid.Month.Month, day), most))
        || Grid.Pupils.Any(p => p.WithNotice.Contains(day) || p.WithoutNotice.Contains(day));

    public async Task<IActionResult> OnGetAsync(string school, string period, CancellationToken ct) =>
        !SchoolAccess.CanMoveMoney(User, school) ? Forbid() : await LoadAsync(school, period, ct) ? Page() : NotFound();

    /// <summary>The grid of one class: every pupil shown is saved, a cell left empty is a day present.</summary>
    public async Task<IActionResult> OnPostAsync(string school, string period, CancellationToken ct)
    {
        if (!SchoolAccess.CanMoveMoney(User, school)) return Forbid();
        if (!await LoadAsync(school, period, ct)) return NotFound();
        if (Future) return Page();
        var store = new AttendanceStore(db, clock, Actor.Of(User));
        if (MostDays is not { } most)
        {
            Problems.Add(new InputProblem("", null, null, $"school year {SchoolYear.Containing(Grid.Month)} has no fee schedule; there are no meals to give back.",
                $"năm học {SchoolYear.Containing(Grid.Month)} chưa có biểu phí; không có tiền ăn nào để hoàn."));
            return Page();
        }
        var rows = new List<AbsenceMonth>();
        var shown = Grid.Pupils.GroupBy(p => p.StudentCode).ToDictionary(g => g.Key, g => g.First());
        var today = clock.Today;
        for (var i = 0; i < ClassMonth.MaxPupils && Request.Form[$"p{i}"] is { Count: 1 } code; i++)
        {
            var marks = Enumerable.Range(1, Grid.Days).Select(d => (Day: d, Mark: Request.Form[$"d{i}_{d}"].ToString())).ToList();
            var bad = marks.FirstOrDefault(m => m.Mark is not ("" or "P" or "K"));
            if (bad.Mark is not null)
                Problems.Add(new InputProblem(code.ToString(), null, $"{bad.Day}", $"\"{bad.Mark}\" is not P or K.", $"\"{bad.Mark}\" không phải P hoặc K."));
            var with = marks.Where(m => m.Mark == "P").Select(m => m.Day).ToArray();
            var without = marks.Where(m => m.Mark == "K").Select(m => m.Day).ToArray();
            foreach (var late in with.Concat(without).Where(d => new DateOnly(Grid.Month.Year, Grid.Month.Month, d) > today))
                Problems.Add(new InputProblem(code.ToString(), null, $"{late}", $"day {late} has not come yet.", $"ngày {late} chưa tới."));
            foreach (var off in with.Concat(without).Select(d => new DateOnly(Grid.Month.Year, Grid.Month.Month, d)).Where(d => !SchoolDays.IsSchoolDay(d, most)))
                Problems.Add(new InputProblem(code.ToString(), null, $"{off.Day}", SchoolWeek.NotASchoolDay(off, false), SchoolWeek.NotASchoolDay(off, true)));
            // A pupil left empty whose month holds nothing, or only the counts a file gave, is not saved: the grid cannot
            // show counts as days, and saving it empty would take back what the file recorded.
            if (with.Length + without.Length == 0 && shown.TryGetValue(code.ToString(), out var was)
                && (was.CountsOnly || (was.WithNotice.Length == 0 && was.WithoutNotice.Length == 0))) continue;
            if (with.Length + without.Length > most)
                Problems.Add(new InputProblem(code.ToString(), null, null, $"{with.Length + without.Length} days absent, but the month has {most} school days.",
                    $"nghỉ {with.Length + without.Length} ngày, nhưng tháng chỉ có {most} ngày học."));
            rows.Add(new AbsenceMonth(code.ToString(), Grid.Month, with.Length, without.Length, with, without, i + 1));
        }
        if (Problems.Count > 0) return Page();
        try
        {
            var (className, shownAs) = (Grid.ClassName, Shown);
            Result = await store.StoreAsync(rows, Grid.School, $"grid {Grid.ClassName}", ct,
                async token => (await ClassMonth.LoadAsync(db, school, Grid.Month, className, token))?.Fingerprint == shownAs);
        }
        catch (StaleGridException)
        {
            // Show what is recorded now, so the accountant redoes the marks on the newer month.
            Stale = true;
            await LoadAsync(school, period, ct);
            return Page();
        }
        catch (BadInputException e)
        {
            // The grid has no lines or columns: a problem names the pupil, as the grid's own checks do.
            var byLine = rows.ToDictionary(r => r.Line, r => r.StudentCode);
            Problems = [.. e.Problems.Select(p => p.Line is { } l && byLine.TryGetValue(l, out var who) ? p with { Source = who, Line = null, Column = null } : p)];
            return Page();
        }
        await LoadAsync(school, period, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostFileAsync(string school, string period, CancellationToken ct)
    {
        if (!SchoolAccess.CanMoveMoney(User, school)) return Forbid();
        if (!await LoadAsync(school, period, ct)) return NotFound();
        var limits = FileLimits.AttendanceUpload;
        (Result, Problems) = await Uploads.ImportAsync(Upload, limits, RosterModel.UploadTime,
            (path, token) => new AttendanceStore(db, clock, Actor.Of(User)).ImportAsync(path, Grid.School, token, limits), ct);
        await LoadAsync(school, period, ct);
        return Page();
    }

    private async Task<bool> LoadAsync(string school, string period, CancellationToken ct)
    {
        if (!BillingMonth.TryParse(period, out var month)) return false;
        var grid = await ClassMonth.LoadAsync(db, school, month, Lop, ct);
        if (grid is null) return false;
        Grid = grid;
        Future = month > BillingMonth.Of(clock.Today);
        MostDays = (await new AttendanceStore(db, clock, Actor.Of(User)).SchoolDaysAsync(ct))(month, grid.School);
        Picker = await MonthPicker.ForAsync(months, grid.School, month, m => $"/truong/{grid.School}/{m}/diem-danh" + (grid.ClassName is null ? "" : $"?lop={Uri.EscapeDataString(grid.ClassName)}"), ct);
        return true;
    }
}
