using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Application.Pupils;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Api.Application.Attendance;

/// <summary>A pupil's row of the class grid: the days marked absent with and without notice, or only counts when a file gave counts.</summary>
public sealed record GridPupil(string StudentCode, string FullName, int[] WithNotice, int[] WithoutNotice, int? CountWithNotice, int? CountWithoutNotice)
{
    /// <summary>The month was recorded as counts (a month file), so the grid has no days to show for it.</summary>
    public bool CountsOnly => CountWithNotice is not null;

    public char Mark(int day) => WithNotice.Contains(day) ? 'P' : WithoutNotice.Contains(day) ? 'K' : ' ';
}

/// <summary>One class's month of attendance, as the grid page shows and saves it.</summary>
public sealed record ClassMonth(string School, BillingMonth Month, IReadOnlyList<ClassChoice> Classes, string? ClassName, IReadOnlyList<GridPupil> Pupils)
{
    public int Days => DateTime.DaysInMonth(Month.Year, Month.Month);

    public bool Weekend(int day) => new DateOnly(Month.Year, Month.Month, day).DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;

    /// <summary>Most pupils a grid shows: a class is at most about 50; the form's field limit is set from this.</summary>
    public const int MaxPupils = 80;

    /// <summary>
    /// What the grid showed, as a short fingerprint: a save is refused when the class's month changed since (a file
    /// imported or a colleague's save meanwhile), so a grid opened earlier never overwrites newer absences.
    /// </summary>
    public string Fingerprint
    {
        get
        {
            var text = string.Join('\n', Pupils.Select(p => $"{p.StudentCode}|{string.Join(',', p.WithNotice)}|{string.Join(',', p.WithoutNotice)}|{p.CountWithNotice}|{p.CountWithoutNotice}"));
            return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{ClassName}\n{text}")))[..16];
        }
    }

    public static async Task<ClassMonth?> LoadAsync(FeesDb db, string schoolCode, BillingMonth month, string? className, CancellationToken ct)
    {
        var school = await db.Schools.AsNoTracking().Where(s => s.Code == schoolCode.ToUpperInvariant()).Select(s => new { s.Id, s.Code }).SingleOrDefaultAsync(ct);
        if (school is null) return null;
        var classes = ClassOrder.Sort((await db.Classes.AsNoTracking().Where(c => c.SchoolId == school.Id).Select(c => new { c.Name, c.Grade }).ToListAsync(ct))
            .Select(c => new ClassChoice(c.Name, c.Grade)));
        var chosen = classes.FirstOrDefault(c => string.Equals(c.Name, className, StringComparison.OrdinalIgnoreCase))?.Name ?? classes.FirstOrDefault()?.Name;
        if (chosen is null) return new ClassMonth(school.Code, month, classes, null, []);
        var pupils = await (from s in db.Students.AsNoTracking()
                            join c in db.Classes.AsNoTracking() on s.ClassId equals c.Id
                            where s.SchoolId == school.Id && c.Name == chosen
                            join a in db.Attendance.AsNoTracking().Where(a => a.PeriodKey == month.Key) on s.Id equals a.StudentId into aa
                            from a in aa.DefaultIfEmpty()
                            orderby s.FullName, s.StudentCode
                            select new { s.StudentCode, s.FullName, A = a }).Take(MaxPupils).ToListAsync(ct);
        return new ClassMonth(school.Code, month, classes, chosen, pupils
            .OrderBy(p => p.FullName.Split(' ')[^1], StringComparer.Create(new System.Globalization.CultureInfo("vi-VN"), false)).ThenBy(p => p.FullName)
            .Select(p => p.A is null ? new GridPupil(p.StudentCode, p.FullName, [], [], null, null)
                : p.A.DaysWithNotice is null ? new GridPupil(p.StudentCode, p.FullName, [], [], p.A.AbsentWithNotice, p.A.AbsentWithoutNotice)
                : new GridPupil(p.StudentCode, p.FullName, p.A.DaysWithNotice, p.A.DaysWithoutNotice ?? [], null, null)).ToList());
    }
}
