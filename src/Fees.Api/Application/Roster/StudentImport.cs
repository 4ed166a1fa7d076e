using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Files;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Domain.Schedule;
using TdmEdu.Fees.Domain.Students;

namespace TdmEdu.Fees.Api.Application.Roster;

public sealed record StudentImportResult(int Added, int Changed, int Transferred, int Unchanged);

/// <summary>
/// Upserts students by student_code, all or nothing. The payment code is assigned here, once, and kept for
/// life. In the administrator-wide import a known student_code under another school is a transfer that keeps
/// the code and the history, recorded through <see cref="StudentTransfers"/>; a school's own upload refuses it.
/// </summary>
public sealed partial class StudentImport(FeesDb db, BusinessClock clock, Actor actor)
{
    private static readonly ColumnSpec[] Columns =
    [
        new("school_code", true, "Mã trường"),
        new("student_code", true, "Mã học sinh", "Mã định danh"),
        new("full_name", true, "Họ và tên", "Họ tên"),
        new("date_of_birth", true, "Ngày sinh"),
        new("gender", false, "Giới tính"),
        new("grade", true, "Khối"),
        new("class_name", true, "Lớp"),
        new("guardian_name", false, "Họ tên phụ huynh", "Phụ huynh"),
        new("guardian_phone", false, "Số điện thoại", "Điện thoại"),
        new("guardian_email", false, "Email phụ huynh", "Email"),
        new("enrolled_on", false, "Ngày nhập học"),
        new("policy_groups", false, "Đối tượng chính sách"),
        new("optional_items", false, "Khoản tự nguyện"),
        new("policy_evidence", false, "Giấy tờ chính sách"),
        new("left_on", false, "Ngày nghỉ học", "Ngày thôi học"),
        new("class_since", false, "Ngày chuyển lớp"),
    ];

    public sealed record Row(int Line, string SchoolCode, string StudentCode, string FullName, DateOnly DateOfBirth,
        string? Gender, int Grade, string ClassName, string? GuardianName, string? GuardianPhone, string? GuardianEmail, DateOnly? EnrolledOn,
        IReadOnlyList<(string Code, DateOnly? Until)> Policies, IReadOnlyList<string> OptionalItems, bool EmailColumn = true,
        IReadOnlyDictionary<string, string>? Evidence = null, DateOnly? LeftOn = null, bool LeftColumn = false, DateOnly? ClassSince = null);

    /// <summary>How much of a roster file is read: the authority's command line takes more than one school's page.</summary>
    public FileLimits Limits { get; init; } = FileLimits.Roster;

    /// <summary>Imports a roster file; with <paramref name="onlySchool"/>, rows of any other school are refused (a school's own upload).</summary>
    public async Task<StudentImportResult> ImportAsync(string path, CancellationToken ct = default, string? onlySchool = null)
    {
        var data = TabularFile.Read(path, Limits, ct);
        var schedule = await ScheduleStore.LoadLatestAsync(db, ct);
        var schools = await db.Schools.AsNoTracking().Select(s => s.Code).ToListAsync(ct);
        var rows = ReadRows(data, schedule, schools.ToHashSet(StringComparer.OrdinalIgnoreCase), clock.Today, onlySchool);
        return await StoreAsync(rows, ct, data.SourceName, scoped: onlySchool is not null);
    }

    private const string NoScheduleVi = "chưa có biểu phí; hãy tải biểu phí lên trước danh sách học sinh.";

    public static IReadOnlyList<Row> ReadRows(TabularData data, FeeSchedule? schedule, ISet<string> schoolCodes, DateOnly today, string? onlySchool = null)
    {
        var map = new HeaderMap(data, Columns);
        var problems = new List<InputProblem>();
        var rows = new List<Row>();
        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var r in data.Rows)
        {
            var before = problems.Count;
            void Bad(string col, string reason, string vi) => problems.Add(new InputProblem(data.SourceName, r.Line, map.Describe(col), reason, vi));
            void BadSaid(string col, Said why, string prefixEn = "", string prefixVi = "") => Bad(col, prefixEn + why.En, prefixVi + why.Vi);
            string Need(string col)
            {
                var v = map.Get(r, col);
                if (v.Length == 0) Bad(col, "is empty.", "đang để trống.");
                return v;
            }

            var school = Need("school_code").ToUpperInvariant();
            if (school.Length > 0 && onlySchool is not null && !string.Equals(school, onlySchool, StringComparison.OrdinalIgnoreCase))
                Bad("school_code", $"the row is for school {school}; this upload takes pupils of {onlySchool} only.",
                    $"dòng này của trường {school}; trang này chỉ nhận học sinh của trường {onlySchool}.");
            else if (school.Length > 0 && !schoolCodes.Contains(school))
                Bad("school_code", $"school {school} is not known; import it with `fees schools import` first.", $"không có trường {school}; hãy nhập danh sách trường trước.");
            var code = Need("student_code");
            if (code.Length > 0 && (code.Length > 20 || !code.All(char.IsAsciiLetterOrDigit)))
                Bad("student_code", $"\"{code}\" is not a student code (letters and digits, at most 20).", $"\"{code}\" không phải là mã học sinh (chữ và số, tối đa 20 ký tự).");
            else if (code.Length > 0 && !seen.TryAdd(code, r.Line))
                Bad("student_code", $"student {code} is already on line {seen[code]}.", $"học sinh {code} đã có ở dòng {seen[code]}.");
            var name = Need("full_name");
            if (name.Length > 100) Bad("full_name", "is longer than 100 characters.", "dài quá 100 ký tự.");

            DateOnly dob = default;
            var dobText = Need("date_of_birth");
            if (dobText.Length > 0)
            {
                var d = Values.ParseDate(dobText, out var why);
                if (d is null) BadSaid("date_of_birth", why!);
                else if (d > today) Bad("date_of_birth", $"{d:dd/MM/yyyy} is in the future.", $"{d:dd/MM/yyyy} là ngày trong tương lai.");
                else if (d.Value.Year < today.Year - 30) Bad("date_of_birth", $"{d:dd/MM/yyyy} is too long ago for a pupil.", $"{d:dd/MM/yyyy} quá xa cho một học sinh.");
                else dob = d.Value;
            }

            string? gender = null;
            var g = HeaderMap.Fold(map.Get(r, "gender"));
            if (g.Length > 0)
            {
                gender = g switch
                {
                    "nam" or "m" or "male" => "Nam",
                    "nu" or "f" or "female" => "Nữ",
                    _ => null,
                };
                if (gender is null) Bad("gender", $"\"{map.Get(r, "gender")}\" is not Nam or Nữ.", $"\"{map.Get(r, "gender")}\" không phải Nam hoặc Nữ.");
            }

            var grade = -1;
            var gradeText = Need("grade");
            if (gradeText.Length > 0 && (!int.TryParse(gradeText, out grade) || grade is < 0 or > 12))
                Bad("grade", $"\"{gradeText}\" is not a grade (0 for kindergarten, 1-12).", $"\"{gradeText}\" không phải là khối lớp (0 cho mầm non, 1–12).");
            var className = Need("class_name");
            if (className.Length > 30) Bad("class_name", "is longer than 30 characters.", "dài quá 30 ký tự.");

            var (guardian, phone, email) = GuardianContacts.Read(col => map.Get(r, col), Bad);

            DateOnly? enrolled = null;
            var enrolledText = map.Get(r, "enrolled_on");
            if (enrolledText.Length > 0)
            {
                enrolled = Values.ParseDate(enrolledText, out var why);
                if (enrolled is null) BadSaid("enrolled_on", why!);
            }

            DateOnly? Date(string col)
            {
                var text = map.Get(r, col);
                if (text.Length == 0) return null;
                var d = Values.ParseDate(text, out var why);
                if (d is null) BadSaid(col, why!);
                return d;
            }
            var leftOn = Date("left_on");
            if (leftOn is { } lo && enrolled is { } en && lo < en)
                Bad("left_on", $"{lo:dd/MM/yyyy} is before the pupil enrolled ({en:dd/MM/yyyy}).", $"ngày {lo:dd/MM/yyyy} trước ngày nhập học ({en:dd/MM/yyyy}).");
            else if (leftOn is { } far && (far > today.AddMonths(3) || far < today.AddYears(-2)))
                Bad("left_on", $"{far:dd/MM/yyyy} is not within two years before and three months after today.", $"ngày {far:dd/MM/yyyy} không nằm trong khoảng hai năm trước đến ba tháng sau hôm nay.");
            var classSince = Date("class_since");
            if (classSince is { } cs && (cs > today.AddMonths(3) || cs < today.AddYears(-1)))
                Bad("class_since", $"{cs:dd/MM/yyyy} is not within a year before and three months after today.", $"ngày {cs:dd/MM/yyyy} không nằm trong khoảng một năm trước đến ba tháng sau hôm nay.");

            var policies = new List<(string, DateOnly?)>();
            foreach (var part in Split(map.Get(r, "policy_groups")))
            {
                var at = part.IndexOf('@');
                var pcode = (at < 0 ? part : part[..at]).Trim().ToUpperInvariant();
                DateOnly? until = null;
                if (at >= 0)
                {
                    until = Values.ParseDate(part[(at + 1)..], out var why);
                    if (until is null) { BadSaid("policy_groups", why!, $"validity of {pcode}: ", $"hạn hưởng của {pcode}: "); continue; }
                }
                if (schedule is null) Bad("policy_groups", "no fee schedule has been imported; import the schedule before the roster.", NoScheduleVi);
                else if (schedule.FindPolicy(pcode) is null)
                    Bad("policy_groups", $"{pcode} is not a policy group of the {schedule.SchoolYear} schedule.", $"{pcode} không phải là đối tượng miễn giảm trong biểu phí {schedule.SchoolYear}.");
                else if (policies.Any(p => p.Item1 == pcode)) Bad("policy_groups", $"{pcode} is listed twice.", $"{pcode} bị ghi hai lần.");
                else policies.Add((pcode, until));
            }

            var optional = new List<string>();
            foreach (var icode in Split(map.Get(r, "optional_items")).Select(s => s.ToUpperInvariant()))
            {
                var item = schedule?.FindItem(icode);
                if (schedule is null) Bad("optional_items", "no fee schedule has been imported; import the schedule before the roster.", NoScheduleVi);
                else if (item is null) Bad("optional_items", $"{icode} is not an item of the {schedule.SchoolYear} schedule.", $"{icode} không phải là khoản thu trong biểu phí {schedule.SchoolYear}.");
                else if (item.Kind != FeeKind.Voluntary) Bad("optional_items", $"{icode} is not a voluntary item; it is billed by the schedule's scope.", $"{icode} không phải khoản tự nguyện; khoản này thu theo phạm vi của biểu phí.");
                else if (!optional.Contains(item.Code)) optional.Add(item.Code);
            }

            if (problems.Count == before)
                rows.Add(new Row(r.Line, school, code, name, dob, gender, grade, className,
                    guardian, phone, email, enrolled, policies, optional, map.Has("guardian_email"),
                    map.Has("policy_evidence") ? EvidenceOf(map.Get(r, "policy_evidence"), policies, (en, vi) => Bad("policy_evidence", en, vi)) : null,
                    leftOn, map.Has("left_on"), classSince));
        }
        if (data.Rows.Count == 0) problems.Add(new InputProblem(data.SourceName, null, null, "the file has a header but no students.", "tệp có dòng tiêu đề nhưng không có học sinh nào."));
        if (problems.Count > 0) throw new BadInputException(problems);
        return rows;
    }

    /// <summary>
    /// Writes the rows. <c>source</c> is the file they came from: refusals and the reasons of transfers name it with
    /// the line. <c>scoped</c> is a school's own upload: a pupil of another school is refused, never moved (a
    /// transfer is the administrator's act).
    /// </summary>
    public async Task<StudentImportResult> StoreAsync(IReadOnlyList<Row> rows, CancellationToken ct = default, string source = "roster", bool scoped = false)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var authority = await Authorities.GetOrCreateAsync(db, ct);
        // Serialises code assignment between concurrent imports.
        await db.Database.ExecuteSqlRawAsync("SELECT 1 FROM authorities WHERE id = {0} FOR UPDATE", [authority.Id], ct);
        await db.Entry(authority).ReloadAsync(ct);

        var schools = await db.Schools.AsNoTracking().ToDictionaryAsync(s => s.Code, s => s.Id, ct);
        var schoolCodes = schools.ToDictionary(s => s.Value, s => s.Key);
        var classes = await db.Classes.ToDictionaryAsync(c => (c.SchoolId, c.Name), ct);
        var classNames = classes.Values.ToDictionary(c => c.Id, c => c.Name);
        var codes = rows.Select(r => r.StudentCode).ToList();
        var existing = await db.Students.Include(s => s.Policies).Where(s => codes.Contains(s.StudentCode))
            .ToDictionaryAsync(s => s.StudentCode, StringComparer.OrdinalIgnoreCase, ct);
        if (scoped) RefuseOtherSchoolsPupils(rows, existing, schools, source);
        await RefuseLeavingAndMovesOutOfOrderAsync(rows, existing, source, ct);
        var transfers = new StudentTransfers(db, clock, actor);
        await RefuseMovesTooEarlyAsync(rows, existing, schools, schoolCodes, transfers, source, ct);
        var guardians = new GuardianContacts.Book(db, clock);
        await guardians.LoadAsync(rows.Select(r => schools[r.SchoolCode]).Distinct().ToList(), ct);

        db.ChangeTracker.AutoDetectChangesEnabled = false;
        int added = 0, changed = 0, moved = 0, same = 0;
        var unchangedGuardians = new List<Guid?>();
        foreach (var r in rows)
        {
            var schoolId = schools[r.SchoolCode];
            var guardianId = guardians.For(schoolId, r.GuardianName, r.GuardianPhone, r.GuardianEmail, r.EmailColumn);
            if (!classes.TryGetValue((schoolId, r.ClassName), out var cls))
            {
                cls = new SchoolClass { Id = Guid.CreateVersion7(), SchoolId = schoolId, Name = r.ClassName, Grade = r.Grade };
                db.Classes.Add(cls);
                classes[(schoolId, r.ClassName)] = cls;
            }

            if (!existing.TryGetValue(r.StudentCode, out var s))
            {
                var code = PaymentCode.Create(authority.PaymentCodePrefix, authority.NextPaymentSequence);
                authority.NextPaymentSequence++;
                s = new Student { Id = Guid.CreateVersion7(), StudentCode = r.StudentCode, PaymentCode = code.Value };
                Apply(s, r, schoolId, cls.Id, guardianId);
                db.Students.Add(s);
                added++;
                continue;
            }

            var transfer = s.SchoolId != schoolId;
            DateOnly? startsOn = null;
            if (transfer)
            {
                // A leaver moved by a row without a leaving day attends the new school; the row's enrolment day stands.
                DateOnly? wasLeft = !r.LeftColumn || r.LeftOn is null ? s.LeftOn : null;
                if (wasLeft is not null) s.LeftOn = null;
                // The new school bills from the day after the last one at the old, whatever day the row gives before it.
                if (wasLeft is { } lastThere && (r.EnrolledOn is not { } rowDay || rowDay <= lastThere)) startsOn = lastThere.AddDays(1);
                transfers.Record(s.Id, (s.SchoolId, schoolCodes[s.SchoolId]), (schoolId, r.SchoolCode), $"students import {source}, line {r.Line}", wasLeftOn: wasLeft);
                moved++;
            }
            if (!transfer && s.ClassId != cls.Id)
            {
                // A move within the school counts from the day the file gives, else from today: the month it falls in
                // bills each item by the class the pupil sat in on each day (docs/contracts/schedule.md, part_month).
                db.StudentClassMoves.Add(new StudentClassMove
                {
                    Id = Guid.CreateVersion7(), StudentId = s.Id, On = r.ClassSince ?? clock.Today, FromGrade = s.Grade,
                    FromClass = classNames.GetValueOrDefault(s.ClassId, ""), ToGrade = r.Grade, ToClass = r.ClassName, At = clock.Now, Actor = actor.Name,
                });
            }
            if (Differs(s, r, schoolId, cls.Id, guardianId))
            {
                Apply(s, r, schoolId, cls.Id, guardianId);
                if (startsOn is not null) s.EnrolledOn = startsOn;
                if (!transfer) changed++;
            }
            else
            {
                same++;
                unchangedGuardians.Add(guardianId);
            }
        }
        guardians.Finish();
        // The same guardian with another e-mail address, or none now, is a change of that pupil's contacts.
        var contactOnly = unchangedGuardians.Count(id => id is { } gid && guardians.ContactChanged.Contains(gid));
        (changed, same) = (changed + contactOnly, same - contactOnly);
        db.Entry(authority).State = EntityState.Modified;
        db.ChangeTracker.DetectChanges();

        var result = new StudentImportResult(added, changed, moved, same);
        if (added + changed + moved > 0)
            AuditLog.Record(db, clock, actor, "students.import", "student", null, result);
        else
            db.Entry(authority).State = EntityState.Unchanged;
        await db.SaveChangesAsync(ct);
        if (changed + moved > 0)
            await GuardianContacts.CancelStaleMessagesAsync(db, existing.Values.Select(e => e.Id).ToArray(), guardians.ContactChanged.ToArray(), clock.Now, ct);
        await tx.CommitAsync(ct);
        db.ChangeTracker.AutoDetectChangesEnabled = true;
        return result;
    }

    private static IEnumerable<string> Split(string text) =>
        text.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
