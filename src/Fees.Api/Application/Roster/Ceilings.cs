using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Files;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Api.Application.Roster;

public sealed record CeilingImportResult(IReadOnlyList<string> SchoolYears, int Ceilings);

/// <summary>
/// The city's ceilings (docs/contracts/ceilings.md): imported per school year, a year's list replacing the one before,
/// all or nothing; and the check every schedule import or edit passes before it is stored.
/// </summary>
public sealed class Ceilings(FeesDb db, BusinessClock clock, Actor actor)
{
    private static readonly ColumnSpec[] Columns =
    [
        new("school_year", true, "Năm học"),
        new("code", true, "Mã khoản", "Mã trần"),
        new("name", true, "Tên khoản"),
        new("area", true, "Địa bàn", "Phường/Xã"),
        new("level", false, "Cấp học"),
        new("unit", true, "Đơn vị tính"),
        new("max_amount", true, "Mức trần", "Mức tối đa"),
        new("max_rise_percent", false, "Mức tăng tối đa", "Tăng tối đa %"),
        new("legal_basis", true, "Văn bản", "Căn cứ"),
    ];

    public async Task<CeilingImportResult> ImportAsync(string path, CancellationToken ct = default)
    {
        var data = TabularFile.Read(path, FileLimits.Schools, ct);
        var ceilings = Read(data);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var years = ceilings.Select(c => c.Year.StartYear).Distinct().Order().ToArray();
        await db.FeeCeilings.Where(c => years.Contains(c.StartYear)).ExecuteDeleteAsync(ct);
        var now = clock.Now;
        db.FeeCeilings.AddRange(ceilings.Select(c => new FeeCeilingRow
        {
            Id = Guid.CreateVersion7(), StartYear = c.Year.StartYear, Code = c.Code, Name = c.Name, Area = c.Area.ToString(),
            Level = c.Level?.ToString() ?? "", Unit = c.Unit.ToString(), MaxAmountVnd = c.MaxAmountVnd, MaxRisePercent = c.MaxRisePercent,
            LegalBasis = c.LegalBasis, ImportedAt = now,
        }));
        var names = years.Select(y => new SchoolYear(y).ToString()).ToList();
        AuditLog.Record(db, clock, actor, "ceilings.import", "fee_ceilings", string.Join(",", names), new { school_years = names, ceilings = ceilings.Count });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new CeilingImportResult(names, ceilings.Count);
    }

    public static IReadOnlyList<FeeCeiling> Read(TabularData data)
    {
        var map = new HeaderMap(data, Columns);
        var problems = new List<InputProblem>();
        var list = new List<(FeeCeiling C, int Line)>();
        foreach (var r in data.Rows)
        {
            void Bad(string col, string en, string vi) => problems.Add(new InputProblem(data.SourceName, r.Line, map.Describe(col), en, vi));
            var yearText = map.Get(r, "school_year");
            var hasYear = SchoolYear.TryParse(yearText, out var year);
            if (!hasYear) Bad("school_year", $"\"{yearText}\" is not a school year like 2025-2026.", $"\"{yearText}\" không phải năm học dạng 2025-2026.");
            var code = map.Get(r, "code").ToUpperInvariant();
            if (code.Length is 0 or > 32 || !code.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
                Bad("code", $"\"{code}\" is not an item code (letters, digits, '_').", $"\"{code}\" không phải mã khoản (chữ, số, '_').");
            var name = map.Get(r, "name");
            if (name.Length == 0) Bad("name", "is empty.", "đang để trống.");
            AreaType? area = HeaderMap.Fold(map.Get(r, "area")) switch { "ward" or "phuong" => AreaType.Ward, "commune" or "xa" => AreaType.Commune, _ => null };
            if (area is null) Bad("area", $"\"{map.Get(r, "area")}\" is not ward or commune (phường, xã).", $"\"{map.Get(r, "area")}\" không phải phường hoặc xã.");
            var levelText = map.Get(r, "level");
            SchoolLevel? level = null;
            if (levelText.Length > 0)
            {
                if (Enum.TryParse<SchoolLevel>(levelText, true, out var lv) && Enum.IsDefined(lv) && levelText.All(char.IsAsciiLetter)) level = lv;
                else Bad("level", $"\"{levelText}\" is not a school level (MN, MG, TH, THCS, THPT).", $"\"{levelText}\" không phải cấp học (MN, MG, TH, THCS, THPT).");
            }
            FeeUnit? unit = HeaderMap.Fold(map.Get(r, "unit")) switch
            {
                "month" or "thang" => FeeUnit.Month, "day" or "ngay" => FeeUnit.Day, "once" or "lan" or "nam" => FeeUnit.Once, _ => null,
            };
            if (unit is null) Bad("unit", $"\"{map.Get(r, "unit")}\" is not month, day or once (tháng, ngày, lần).", $"\"{map.Get(r, "unit")}\" không phải tháng, ngày hoặc lần.");
            var max = Values.ParseAmount(map.Get(r, "max_amount"), out var why);
            if (max is null) Bad("max_amount", why!, why!);
            else if (max <= 0) Bad("max_amount", "must be above 0.", "phải lớn hơn 0.");
            int? rise = null;
            var riseText = map.Get(r, "max_rise_percent").TrimEnd('%').Trim();
            if (riseText.Length > 0)
            {
                if (int.TryParse(riseText, out var p) && p is >= 0 and <= 1000) rise = p;
                else Bad("max_rise_percent", $"\"{riseText}\" is not a whole percent (0-1000).", $"\"{riseText}\" không phải số phần trăm nguyên (0-1000).");
            }
            var basis = map.Get(r, "legal_basis");
            if (basis.Length == 0) Bad("legal_basis", "is empty: every ceiling names the document that sets it.", "đang để trống: mỗi mức trần phải ghi văn bản quy định.");
            if (hasYear && area is not null && unit is not null && max is > 0 && basis.Length > 0 && name.Length > 0 && problems.Count == 0)
                list.Add((new FeeCeiling(code, name, year, area.Value, level, unit.Value, max.Value, rise, basis), r.Line));
        }
        foreach (var dup in list.GroupBy(x => (x.C.Year, x.C.Code, x.C.Area, x.C.Level, x.C.Unit)).Where(g => g.Count() > 1))
            problems.Add(new InputProblem(data.SourceName, dup.ElementAt(1).Line, null,
                $"the ceiling of {dup.Key.Code} for this area, level and unit is already on line {dup.First().Line}.",
                $"mức trần của {dup.Key.Code} cho địa bàn, cấp học và đơn vị tính này đã có ở dòng {dup.First().Line}."));
        if (problems.Count > 0) throw new BadInputException(problems);
        if (list.Count == 0) throw new BadInputException(data.SourceName, null, null, "the file holds no ceiling.", "tệp không có mức trần nào.");
        return list.Select(x => x.C).ToList();
    }

    /// <summary>Refuses a schedule priced above a ceiling, or risen more than allowed, naming item, school, ceiling and document.</summary>
    public static async Task CheckAsync(FeesDb db, FeeSchedule schedule, string source, CancellationToken ct, string? onlySchool = null)
    {
        var rows = await db.FeeCeilings.AsNoTracking().Where(c => c.StartYear == schedule.SchoolYear.StartYear).ToListAsync(ct);
        if (rows.Count == 0) return;
        var ceilings = rows.Select(c => new FeeCeiling(c.Code, c.Name, new SchoolYear(c.StartYear), Enum.Parse<AreaType>(c.Area),
            c.Level.Length == 0 ? null : Enum.Parse<SchoolLevel>(c.Level), Enum.Parse<FeeUnit>(c.Unit), c.MaxAmountVnd, c.MaxRisePercent, c.LegalBasis)).ToList();
        var schools = (await (from s in db.Schools.AsNoTracking()
                              join w in db.Wards.AsNoTracking() on s.WardId equals w.Id into ww
                              from w in ww.DefaultIfEmpty()
                              where onlySchool == null || s.Code == onlySchool
                              select new { s.Code, s.Level, Ward = w == null ? null : w.Name }).ToListAsync(ct))
            .Select(s => new CeilingSchool(s.Code, Enum.Parse<SchoolLevel>(s.Level), AreaOf(s.Ward))).ToList();
        var lastYear = await ScheduleStore.LoadAsync(db, new SchoolYear(schedule.SchoolYear.StartYear - 1), ct);
        // Every price of the year is held to the ceiling, a change from a month as much as the year's own.
        var prices = schedule with { Items = schedule.Items.SelectMany(i => i.Prices.Distinct().Select(p => i with { AmountVnd = p })).ToList() };
        var breaches = CeilingCheck.Check(prices, lastYear, ceilings, schools);
        var problems = schedule.Items.Where(i => i.CeilingCode is { } cc && !ceilings.Any(c => string.Equals(c.Code, cc, StringComparison.OrdinalIgnoreCase)))
            .Select(i => new InputProblem(source, null, $"item {i.Code}", $"names the ceiling {i.CeilingCode}, which the city has not set for {schedule.SchoolYear}.",
                $"khoản {i.Code} ghi mức trần {i.CeilingCode}, thành phố chưa quy định mức này cho năm học {schedule.SchoolYear}.")).ToList();
        problems.AddRange(breaches.Where(b => b.OtherUnit).Select(b => new InputProblem(source, null, $"item {b.Item.Code}",
            $"is priced per {b.Item.Unit.ToString().ToLowerInvariant()}, but the ceiling of {b.Ceiling.Name} ({b.Ceiling.LegalBasis}) is per {b.Ceiling.Unit.ToString().ToLowerInvariant()}; price it in the ceiling's unit.",
            $"khoản {b.Item.Code} tính theo {UnitVi(b.Item.Unit)}, nhưng mức trần của {b.Ceiling.Name} ({b.Ceiling.LegalBasis}) tính theo {UnitVi(b.Ceiling.Unit)}; hãy đặt giá theo đơn vị của mức trần.")));
        breaches = breaches.Where(b => !b.OtherUnit).ToList();
        if (breaches.Count == 0 && problems.Count == 0) return;
        var area = (AreaType a, bool vi) => (a, vi) switch { (AreaType.Ward, true) => "phường", (AreaType.Commune, true) => "xã", (AreaType.Ward, _) => "ward", _ => "commune" };
        throw new BadInputException(problems.Concat(breaches.Select(b => b.IsRise
            ? new InputProblem(source, null, $"item {b.Item.Code}",
                $"at school {b.School.Code} ({area(b.School.Area, false)}) it is {Values.Money(b.Item.AmountVnd)}, more than {b.Ceiling.MaxRisePercent}% over last year's {Values.Money(b.LastYearVnd!.Value)} (at most {Values.Money(b.AllowedVnd)}), the rise {b.Ceiling.LegalBasis} allows.",
                $"tại trường {b.School.Code} ({area(b.School.Area, true)}) khoản {b.Item.Code} là {Values.Money(b.Item.AmountVnd)}, tăng quá {b.Ceiling.MaxRisePercent}% so với năm trước {Values.Money(b.LastYearVnd!.Value)} (tối đa {Values.Money(b.AllowedVnd)}) theo {b.Ceiling.LegalBasis}.")
            : new InputProblem(source, null, $"item {b.Item.Code}",
                $"at school {b.School.Code} ({area(b.School.Area, false)}) it is {Values.Money(b.Item.AmountVnd)}, above the ceiling of {Values.Money(b.Ceiling.MaxAmountVnd)} for {b.Ceiling.Name} set by {b.Ceiling.LegalBasis}.",
                $"tại trường {b.School.Code} ({area(b.School.Area, true)}) khoản {b.Item.Code} là {Values.Money(b.Item.AmountVnd)}, vượt mức trần {Values.Money(b.Ceiling.MaxAmountVnd)} của {b.Ceiling.Name} theo {b.Ceiling.LegalBasis}."))
            ).ToList());
    }

    private static string UnitVi(FeeUnit unit) => unit switch { FeeUnit.Day => "ngày", FeeUnit.Month => "tháng", _ => "lần" };

    /// <summary>
    /// A school in a commune when its ward's name says so ("Xã …"), and in a special zone ("Đặc khu …", such as Côn
    /// Đảo) too: the city prices its special zones with its communes. Otherwise a ward.
    /// </summary>
    public static AreaType AreaOf(string? ward) => ward is not null && HeaderMap.Fold(ward) is var w
        && (w.StartsWith("xa ", StringComparison.Ordinal) || w.StartsWith("dac khu ", StringComparison.Ordinal)) ? AreaType.Commune : AreaType.Ward;
}
