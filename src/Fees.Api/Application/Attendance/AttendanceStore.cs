using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Application.Roster;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Files;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Api.Application.Attendance;

/// <summary>What recording did; BilledAgain names the pupils who had left whose last month was billed again for it.</summary>
public sealed record AttendanceResult(int Added, int Changed, int Unchanged)
{
    public IReadOnlyList<string> BilledAgain { get; init; } = [];
}

/// <summary>The class's month changed after the grid was opened (a file or another save); nothing was written.</summary>
public sealed class StaleGridException() : Exception("The class's attendance changed since the grid was opened.");

/// <summary>
/// Records absences per pupil and month, all or nothing. A month recorded again replaces what was there; when it
/// changes after the month was billed, the next notice carries the difference (<see cref="Billing.AbsenceRefunds"/>).
/// A school's own upload or grid takes its own pupils only.
/// </summary>
public sealed class AttendanceStore(FeesDb db, BusinessClock clock, Actor actor)
{
    public async Task<AttendanceResult> ImportAsync(string path, string? onlySchool, CancellationToken ct = default, FileLimits? limits = null)
    {
        var data = TabularFile.Read(path, limits ?? FileLimits.Attendance, ct);
        var days = await SchoolDaysAsync(ct);
        // Each pupil's days are those of their school (whether it teaches on Saturdays); a pupil the service does not
        // know, or of another school, is refused by name when stored.
        var schoolOf = onlySchool is not null
            ? new Dictionary<string, string>(StringComparer.Ordinal)
            : await (from s in db.Students.AsNoTracking() join sc in db.Schools.AsNoTracking() on s.SchoolId equals sc.Id
                     select new { s.StudentCode, sc.Code }).ToDictionaryAsync(x => x.StudentCode, x => x.Code, StringComparer.Ordinal, ct);
        var months = AttendanceFile.Read(data, (m, code) => days(m, onlySchool ?? schoolOf.GetValueOrDefault(code)), clock.Today);
        return await StoreAsync(months, onlySchool, data.SourceName, ct);
    }

    /// <summary>
    /// The most school days a month can count at a school: the most any per-day item of its school year bills there
    /// (any school's when the school is not known), else the days of the month; null for a month of a school year
    /// without a schedule (nothing was billed, nothing to give back). It says whether the school teaches on Saturdays.
    /// </summary>
    public async Task<Func<BillingMonth, string?, int?>> SchoolDaysAsync(CancellationToken ct)
    {
        var schedules = new Dictionary<int, FeeSchedule?>();
        foreach (var y in await db.Schedules.AsNoTracking().Select(s => s.StartYear).ToListAsync(ct))
            schedules[y] = await ScheduleStore.LoadAsync(db, new SchoolYear(y), ct);
        var levels = await db.Schools.AsNoTracking().Select(s => new { s.Code, s.Level }).ToDictionaryAsync(s => s.Code, s => Enum.Parse<SchoolLevel>(s.Level), StringComparer.OrdinalIgnoreCase, ct);
        return (m, school) =>
        {
            if (schedules.GetValueOrDefault(SchoolYear.Containing(m).StartYear) is not { } s) return null;
            var known = school is not null && levels.ContainsKey(school);
            var most = s.Items.Where(i => i.Unit == FeeUnit.Day)
                .Where(i => !known || ((i.Scope.Schools.Count == 0 || i.Scope.Schools.Contains(school!, StringComparer.OrdinalIgnoreCase))
                                       && (i.Scope.Levels.Count == 0 || i.Scope.Levels.Contains(levels[school!]))))
                .Select(i => i.SchoolDaysByMonth.GetValueOrDefault(m.Month)).DefaultIfEmpty(0).Max();
            return most > 0 ? most : DateTime.DaysInMonth(m.Year, m.Month);
        };
    }

    /// <summary>
    /// Records the months; <paramref name="stillAsShown"/>, when given, is asked inside the transaction, after every
    /// other writer of absences has finished, whether what the user saw is still what is recorded (the grid's
    /// fingerprint); when it is not, nothing is written and <see cref="StaleGridException"/> says so.
    /// </summary>
    public async Task<AttendanceResult> StoreAsync(IReadOnlyList<AbsenceMonth> months, string? onlySchool, string source, CancellationToken ct = default,
        Func<CancellationToken, Task<bool>>? stillAsShown = null)
    {
        var codes = months.Select(m => m.StudentCode).Distinct(StringComparer.Ordinal).ToArray();
        var pupils = await (from s in db.Students.AsNoTracking()
                            join sc in db.Schools.AsNoTracking() on s.SchoolId equals sc.Id
                            where codes.Contains(s.StudentCode)
                            select new { s.Id, s.StudentCode, s.SchoolId, School = sc.Code, s.EnrolledOn, s.LeftOn }).ToDictionaryAsync(x => x.StudentCode, StringComparer.Ordinal, ct);
        var problems = new List<InputProblem>();
        // One row per pupil and month: a form posting a pupil twice is refused by its line, not left to the unique key.
        foreach (var twice in months.GroupBy(m => (m.StudentCode, m.Month.Key)).Where(g => g.Count() > 1))
            problems.Add(new InputProblem(source, twice.Skip(1).First().Line, "student_code",
                $"pupil {twice.Key.StudentCode} is given twice for {twice.First().Month}.",
                $"học sinh {twice.Key.StudentCode} có hai lần trong tháng {twice.First().Month.Month:D2}/{twice.First().Month.Year}."));
        if (problems.Count > 0) throw new BadInputException(problems);
        foreach (var m in months)
        {
            // Unknown and another school's pupil read the same: a school learns nothing of other schools' pupils.
            if (!pupils.TryGetValue(m.StudentCode, out var p) || (onlySchool is not null && !string.Equals(p.School, onlySchool, StringComparison.OrdinalIgnoreCase)))
                problems.Add(new InputProblem(source, m.Line, "student_code",
                    onlySchool is null ? $"no pupil has the code {m.StudentCode}." : $"school {onlySchool} has no pupil with the code {m.StudentCode}.",
                    onlySchool is null ? $"không có học sinh mã {m.StudentCode}." : $"trường {onlySchool} không có học sinh mã {m.StudentCode}."));
        }
        if (problems.Count > 0) throw new BadInputException(problems);
        // Absent only while at school: never a day after the last one, nor before enrolling (nothing was billed then).
        foreach (var m in months)
        {
            var p = pupils[m.StudentCode];
            var days = (m.DaysWithNotice ?? []).Concat(m.DaysWithoutNotice ?? []).Select(d => new DateOnly(m.Month.Year, m.Month.Month, d)).ToList();
            var after = p.LeftOn is { } left ? (BillingMonth.Of(left) < m.Month ? m.Month.FirstDay : days.Where(d => d > left).Order().FirstOrDefault()) : default;
            var before = p.EnrolledOn is { } enrolled ? (BillingMonth.Of(enrolled) > m.Month ? m.Month.LastDay : days.Where(d => d < enrolled).Order().FirstOrDefault()) : default;
            var any = m.WithNotice + m.WithoutNotice > 0;
            if (after != default && any)
                problems.Add(new InputProblem(source, m.Line, m.DaysWithNotice is null ? "month" : "date",
                    $"pupil {m.StudentCode} left after {p.LeftOn:dd/MM/yyyy}; no absence after that day is recorded.",
                    $"học sinh {m.StudentCode} đã nghỉ học sau ngày {p.LeftOn:dd/MM/yyyy}; không ghi ngày nghỉ sau ngày đó."));
            else if (before != default && any)
                problems.Add(new InputProblem(source, m.Line, m.DaysWithNotice is null ? "month" : "date",
                    $"pupil {m.StudentCode} enrolled on {p.EnrolledOn:dd/MM/yyyy}; no absence before that day is recorded.",
                    $"học sinh {m.StudentCode} nhập học ngày {p.EnrolledOn:dd/MM/yyyy}; không ghi ngày nghỉ trước ngày đó."));
        }
        if (problems.Count > 0) throw new BadInputException(problems);
        // A month another school billed is that school's to give back: a moved pupil's earlier months are not recorded here.
        var ids0 = pupils.Values.Select(p => p.Id).ToArray();
        var schoolOf = pupils.Values.ToDictionary(p => p.Id, p => p.SchoolId);
        var keys0 = months.Select(m => m.Month.Key).Distinct().ToArray();
        var elsewhere = (await db.Notices.AsNoTracking().Where(n => ids0.Contains(n.StudentId) && keys0.Contains(n.PeriodKey))
            .Select(n => new { n.StudentId, n.PeriodKey, n.SchoolId }).ToListAsync(ct))
            .Where(n => schoolOf[n.StudentId] != n.SchoolId).Select(n => (n.StudentId, n.PeriodKey)).ToHashSet();
        foreach (var m in months.Where(m => elsewhere.Contains((pupils[m.StudentCode].Id, m.Month.Key))))
            problems.Add(new InputProblem(source, m.Line, "month",
                $"pupil {m.StudentCode} was billed for {m.Month} by another school; absences of that month are recorded there.",
                $"tháng {m.Month.Month:D2}/{m.Month.Year} của học sinh {m.StudentCode} do trường khác thu; ngày nghỉ tháng đó ghi ở trường đó."));
        if (problems.Count > 0) throw new BadInputException(problems);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // Writers of absences take turns, so a grid's check of what it showed holds until its own write.
        await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(7310003, 0)", ct);
        // Absences of a pupil who has left, up to the leaving month, are given back by billing again as leaving does, in
        // this transaction: leaving's month locks are taken before any row is written, as a billing run takes them before
        // its rows. Taken for every import, they also keep a leave from landing between the check of the leaving days
        // above and the write: a day that changed since is refused (found by attack: a leave racing an import lost the
        // absences, and let one after the last day in).
        await Billing.LeaverRest.LockMonthsAsync(db, clock, ct);
        var idsAll = pupils.Values.Select(p => p.Id).ToArray();
        var leftNow = await db.Students.AsNoTracking().Where(s => idsAll.Contains(s.Id)).Select(s => new { s.StudentCode, s.LeftOn }).ToListAsync(ct);
        if (leftNow.FirstOrDefault(s => s.LeftOn != pupils[s.StudentCode].LeftOn) is { } moved)
            throw new BusinessRuleException($"Pupil {moved.StudentCode}'s leaving day changed while the absences were being recorded. Nothing was written; record them again.",
                $"Ngày nghỉ học của học sinh {moved.StudentCode} vừa thay đổi trong lúc ghi ngày nghỉ. Chưa ghi gì; hãy ghi lại.");
        if (stillAsShown is not null && !await stillAsShown(ct)) throw new StaleGridException();
        var ids = pupils.Values.Select(p => p.Id).ToArray();
        var keys = months.Select(m => m.Month.Key).Distinct().ToArray();
        var existing = await db.Attendance.Where(a => ids.Contains(a.StudentId) && keys.Contains(a.PeriodKey))
            .ToDictionaryAsync(a => (a.StudentId, a.PeriodKey), ct);
        int added = 0, changed = 0, same = 0;
        var now = clock.Now;
        foreach (var m in months)
        {
            var p = pupils[m.StudentCode];
            if (!existing.TryGetValue((p.Id, m.Month.Key), out var row))
            {
                if (m.WithNotice + m.WithoutNotice == 0 && m.DaysWithNotice is null) { same++; continue; }
                row = new AttendanceMonth { Id = Guid.CreateVersion7(), StudentId = p.Id, PeriodKey = m.Month.Key };
                db.Attendance.Add(row);
                added++;
            }
            // A month recorded by the pupil's earlier school is this school's once recorded here, even with the same days.
            else if (row.SchoolId == p.SchoolId && row.AbsentWithNotice == m.WithNotice && row.AbsentWithoutNotice == m.WithoutNotice
                     && Same(row.DaysWithNotice, m.DaysWithNotice) && Same(row.DaysWithoutNotice, m.DaysWithoutNotice))
            {
                same++;
                continue;
            }
            else changed++;
            row.SchoolId = p.SchoolId;
            row.AbsentWithNotice = m.WithNotice;
            row.AbsentWithoutNotice = m.WithoutNotice;
            row.DaysWithNotice = m.DaysWithNotice;
            row.DaysWithoutNotice = m.DaysWithoutNotice;
            // The next billing run settles what this changes; a month after a leaver's last one is never billed, so it
            // has nothing to give back (only a row of no absences can be there).
            row.Settled = p.LeftOn is { } gone && BillingMonth.Of(gone) < m.Month;
            row.RecordedAt = now;
            row.Actor = actor.Name;
            row.Source = source.Length > 100 ? source[..100] : source;
        }
        // A pupil who has left gets no later notice: absences of the leaving month (or a correction of an earlier one)
        // recorded after its notice was billed are given back by billing that month again, as leaving does (after this
        // commits, under leaving's own locks).
        var leavers = months.Select(m => (m, p: pupils[m.StudentCode]))
            .Where(x => x.p.LeftOn is { } left && BillingMonth.Of(left) >= x.m.Month
                        && (existing.TryGetValue((x.p.Id, x.m.Month.Key), out var r) ? !r.Settled : x.m.WithNotice + x.m.WithoutNotice > 0))
            .Select(x => (x.p.StudentCode, LeftOn: x.p.LeftOn!.Value, x.p.Id, BillingMonth.Of(x.p.LeftOn!.Value).Key)).Distinct().ToList();
        var result = new AttendanceResult(added, changed, same);
        if (added + changed > 0)
            AuditLog.Record(db, clock, actor, "attendance.record", "attendance", onlySchool ?? "*",
                new { school = onlySchool, months = keys.Order().Select(k => $"{k / 100:D4}-{k % 100:D2}").ToArray(), added, changed, unchanged = same });
        await db.SaveChangesAsync(ct);
        var again = new List<string>();
        var rest = new Billing.LeaverRest(db, clock, actor);
        foreach (var l in leavers)
        {
            // Once no later notice will come (the last month billed, or never billed at all); before it, that notice takes them.
            if (!await rest.NoLaterNoticeAsync(l.Id, pupils[l.StudentCode].SchoolId, BillingMonth.FromKey(l.Key), ct)) continue;
            try
            {
                var left = await new Pupils.Leavers(db, clock, actor).LeaveAsync(l.StudentCode, l.LeftOn, "Ghi thêm ngày nghỉ sau khi học sinh nghỉ học", false, onlySchool, ct);
                if (left.Reissued is not null) again.Add(l.StudentCode);
                // A month of this file whose days the last notice could not all take, and that is closed, would wait for ever
                // (found by attack: the import said "billed again" and the rest waited silently).
                if ((left.ClosedWaiting ?? []).FirstOrDefault(k => months.Any(m => m.StudentCode == l.StudentCode && m.Month.Key == k)) is var stuck and not 0)
                {
                    var m = BillingMonth.FromKey(stuck);
                    throw new BusinessRuleException($"the {m.Month:D2}/{m.Year} period is closed, and the last notice cannot give all these days back.",
                        $"kỳ thu tháng {m.Month:D2}/{m.Year} đã khoá sổ, và thông báo cuối không trừ hết được những ngày này.");
                }
            }
            catch (Exception e) when (e is BusinessRuleException or BadInputException)
            {
                // Absences no notice could ever give back (a closed month, an earlier school year) are refused, not kept waiting for ever.
                var line = months.First(m => m.StudentCode == l.StudentCode).Line;
                var (en, vi) = e is BadInputException b ? (string.Join(" ", b.Problems.Select(p => p.Reason)), string.Join(" ", b.Problems.Select(p => p.ReasonVi ?? p.Reason)))
                    : (e.Message, ((BusinessRuleException)e).Vietnamese);
                throw new BadInputException([new InputProblem(source, line, "student_code",
                    $"pupil {l.StudentCode} left after {l.LeftOn:dd/MM/yyyy}; these absences could not be given back on a notice: {en}",
                    $"học sinh {l.StudentCode} đã nghỉ học sau ngày {l.LeftOn:dd/MM/yyyy}; không trả lại được tiền những ngày nghỉ này trên thông báo nào: {vi}")]);
            }
        }
        await tx.CommitAsync(ct);
        return result with { BilledAgain = again };
    }

    private static bool Same(int[]? a, int[]? b) => a is null ? b is null : b is not null && a.SequenceEqual(b);
}
