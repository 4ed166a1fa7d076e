using System.Globalization;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Files;
using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Api.Application.Attendance;

/// <summary>One pupil's absences in one month as a file gives them: counts, and the days when the file names them.</summary>
public sealed record AbsenceMonth(string StudentCode, BillingMonth Month, int WithNotice, int WithoutNotice, int[]? DaysWithNotice, int[]? DaysWithoutNotice, int Line);

/// <summary>
/// The days a pupil can be absent from meals: never a Sunday, and a Saturday only in a month that counts more school
/// days than it has weekdays (a school that teaches on Saturdays). Meals on other days were never billed, so an
/// absence on one gives nothing back (a weekend refunded as meals was found by attack, 5 December 2026).
/// </summary>
public static class SchoolWeek
{
    public static string NotASchoolDay(DateOnly day, bool vietnamese) => vietnamese
        ? $"ngày {day:dd/MM/yyyy} là {(day.DayOfWeek == DayOfWeek.Sunday ? "Chủ nhật" : "thứ Bảy")}, không phải ngày học, không có bữa ăn nào để hoàn."
        : $"{day:dd/MM/yyyy} is a {day.DayOfWeek}, not a school day: no meal was billed for it.";
}

/// <summary>
/// Reads an attendance file (docs/contracts/attendance.md) in either shape schools keep: one row per pupil and
/// month with the days absent with and without notice, or one row per pupil and day absent with its kind.
/// Every problem names the file, the line and the column; nothing is stored here.
/// </summary>
public static class AttendanceFile
{
    private static readonly ColumnSpec[] Columns =
    [
        new("student_code", true, "Mã học sinh", "Mã định danh"),
        new("month", false, "Tháng"),
        new("absent_with_notice", false, "Nghỉ có phép", "Số ngày nghỉ có phép"),
        new("absent_without_notice", false, "Nghỉ không phép", "Số ngày nghỉ không phép"),
        new("date", false, "Ngày", "Ngày nghỉ"),
        new("absence", false, "Loại nghỉ", "Có phép"),
    ];

    /// <summary>
    /// The rows, grouped per pupil and month; <paramref name="schoolDays"/> gives the most days a month can count at a pupil's school, or
    /// null for a month of a school year without a schedule.
    /// </summary>
    public static IReadOnlyList<AbsenceMonth> Read(TabularData data, Func<BillingMonth, string, int?> schoolDays, DateOnly today)
    {
        var map = new HeaderMap(data, Columns);
        var monthly = map.Has("month") || map.Has("absent_with_notice") || map.Has("absent_without_notice");
        var daily = map.Has("date") || map.Has("absence");
        if (monthly == daily)
            throw new BadInputException(data.SourceName, data.HeaderLine, null,
                "the header must give either month, absent_with_notice and absent_without_notice (one row per pupil and month) or date and absence (one row per day absent).",
                "dòng tiêu đề phải có hoặc các cột Tháng, Nghỉ có phép, Nghỉ không phép (mỗi học sinh một dòng mỗi tháng) hoặc các cột Ngày, Loại nghỉ (mỗi ngày nghỉ một dòng).");
        var need = monthly ? new[] { "month", "absent_with_notice", "absent_without_notice" } : ["date", "absence"];
        foreach (var col in need.Where(c => !map.Has(c)))
            throw new BadInputException(data.SourceName, data.HeaderLine, col, $"the header has no column {col}.", $"dòng tiêu đề thiếu cột {col}.");
        var problems = new List<InputProblem>();
        var result = monthly ? ReadMonthly(data, map, problems, today) : ReadDaily(data, map, problems, today, schoolDays);
        foreach (var m in result)
        {
            if (schoolDays(m.Month, m.StudentCode) is not { } most)
            {
                problems.Add(new InputProblem(data.SourceName, m.Line, map.Describe(monthly ? "month" : "date"),
                    $"school year {SchoolYear.Containing(m.Month)} has no fee schedule, so {m.Month} billed no meals to give back.",
                    $"năm học {SchoolYear.Containing(m.Month)} chưa có biểu phí, nên tháng {m.Month.Month:D2}/{m.Month.Year} không thu tiền ăn nào để hoàn."));
                continue;
            }
            if (m.WithNotice + m.WithoutNotice > most)
                problems.Add(new InputProblem(data.SourceName, m.Line, null,
                    $"pupil {m.StudentCode} is absent {m.WithNotice + m.WithoutNotice} days in {m.Month}, which has {most} school days.",
                    $"học sinh {m.StudentCode} nghỉ {m.WithNotice + m.WithoutNotice} ngày trong tháng {m.Month.Month:D2}/{m.Month.Year}, tháng có {most} ngày học."));
        }
        if (problems.Count > 0) throw new BadInputException(problems);
        return result;
    }

    private static List<AbsenceMonth> ReadMonthly(TabularData data, HeaderMap map, List<InputProblem> problems, DateOnly today)
    {
        var seen = new Dictionary<(string, int), int>();
        var list = new List<AbsenceMonth>();
        foreach (var r in data.Rows)
        {
            void Bad(string col, string en, string vi) => problems.Add(new InputProblem(data.SourceName, r.Line, map.Describe(col), en, vi));
            var code = Code(map.Get(r, "student_code"), s => Bad("student_code", s.En, s.Vi));
            var month = Month(map.Get(r, "month"), today, s => Bad("month", s.En, s.Vi));
            var with = Days(map.Get(r, "absent_with_notice"), s => Bad("absent_with_notice", s.En, s.Vi));
            var without = Days(map.Get(r, "absent_without_notice"), s => Bad("absent_without_notice", s.En, s.Vi));
            if (code is null || month is null || with is null || without is null) continue;
            if (seen.TryGetValue((code, month.Value.Key), out var first))
            {
                Bad("month", $"pupil {code} already has {month} on line {first}.", $"học sinh {code} đã có tháng {month.Value.Month:D2}/{month.Value.Year} ở dòng {first}.");
                continue;
            }
            seen[(code, month.Value.Key)] = r.Line;
            list.Add(new AbsenceMonth(code, month.Value, with.Value, without.Value, null, null, r.Line));
        }
        return list;
    }

    private static List<AbsenceMonth> ReadDaily(TabularData data, HeaderMap map, List<InputProblem> problems, DateOnly today, Func<BillingMonth, string, int?> schoolDays)
    {
        var seen = new Dictionary<(string, DateOnly), int>();
        var days = new List<(string Code, DateOnly Day, bool Notice, int Line)>();
        foreach (var r in data.Rows)
        {
            void Bad(string col, string en, string vi) => problems.Add(new InputProblem(data.SourceName, r.Line, map.Describe(col), en, vi));
            var code = Code(map.Get(r, "student_code"), s => Bad("student_code", s.En, s.Vi));
            var day = Values.ParseDate(map.Get(r, "date"), out var why);
            if (day is null) Bad("date", why!.En, why.Vi);
            else if (day > today) Bad("date", $"{day:dd/MM/yyyy} has not come yet.", $"ngày {day:dd/MM/yyyy} chưa tới.");
            else if (code is not null && schoolDays(BillingMonth.Of(day.Value), code) is { } most && !SchoolDays.IsSchoolDay(day.Value, most))
            {
                Bad("date", SchoolWeek.NotASchoolDay(day.Value, false), SchoolWeek.NotASchoolDay(day.Value, true));
                continue;
            }
            var kind = Kind(map.Get(r, "absence"));
            if (kind is null)
                Bad("absence", $"\"{map.Get(r, "absence")}\" is not P (with notice) or K (without notice).",
                    $"\"{map.Get(r, "absence")}\" không phải P (có phép) hoặc K (không phép).");
            if (code is null || day is null || day > today || kind is null) continue;
            if (seen.TryGetValue((code, day.Value), out var first))
            {
                Bad("date", $"pupil {code} is already absent on {day:dd/MM/yyyy} on line {first}.", $"học sinh {code} đã có ngày nghỉ {day:dd/MM/yyyy} ở dòng {first}.");
                continue;
            }
            seen[(code, day.Value)] = r.Line;
            days.Add((code, day.Value, kind.Value, r.Line));
        }
        return days.GroupBy(d => (d.Code, Month: BillingMonth.Of(d.Day)))
            .Select(g => new AbsenceMonth(g.Key.Code, g.Key.Month, g.Count(d => d.Notice), g.Count(d => !d.Notice),
                g.Where(d => d.Notice).Select(d => d.Day.Day).Order().ToArray(), g.Where(d => !d.Notice).Select(d => d.Day.Day).Order().ToArray(),
                g.Min(d => d.Line)))
            .ToList();
    }

    private static string? Code(string text, Action<Said> bad)
    {
        if (text.Length == 0) { bad(new("is empty.", "đang để trống.")); return null; }
        if (text.Length > 20 || !text.All(char.IsAsciiLetterOrDigit)) { bad(new($"\"{text}\" is not a student code.", $"\"{text}\" không phải mã học sinh.")); return null; }
        return text;
    }

    private static readonly string[] MonthFormats = ["MM/yyyy", "M/yyyy", "yyyy-MM"];

    /// <summary>A month like 09/2025 or 2025-09, not after the current one.</summary>
    public static BillingMonth? Month(string text, DateOnly today, Action<Said> bad)
    {
        if (!DateTime.TryParseExact(text.Trim(), MonthFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            bad(new($"\"{text}\" is not a month (write MM/yyyy).", $"\"{text}\" không phải là tháng (viết MM/yyyy)."));
            return null;
        }
        var month = new BillingMonth(d.Year, d.Month);
        if (month > BillingMonth.Of(today))
        {
            bad(new($"{month} has not come yet.", $"tháng {month.Month:D2}/{month.Year} chưa tới."));
            return null;
        }
        return month;
    }

    private static int? Days(string text, Action<Said> bad)
    {
        if (text.Trim().Length == 0) return 0;
        if (int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= 31) return n;
        bad(new($"\"{text}\" is not a number of days (0-31).", $"\"{text}\" không phải số ngày (0-31)."));
        return null;
    }

    private static bool? Kind(string text) => HeaderMap.Fold(text) switch
    {
        // Not "x": many roll-call sheets mark a pupil present with it.
        "p" or "cp" or "co phep" => true,
        "k" or "kp" or "khong phep" => false,
        _ => null,
    };
}
