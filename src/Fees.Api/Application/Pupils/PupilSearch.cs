using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Api.Application.Pupils;

/// <summary>What made a pupil a result: the order of the kinds is the order of the results.</summary>
public enum HitReason
{
    Code,
    Notice,
    WholeName,
    GivenName,
    WholeWords,
    WordStart,
    Contains,
    CodeStart,
    Class,
}

/// <summary>A pupil found: <see cref="Moved"/> when the pupil has since moved to another school (this school keeps its own records of them).</summary>
public sealed record PupilHit(string StudentCode, string PaymentCode, string FullName, string ClassName, int Grade, bool Moved, HitReason Reason);

/// <summary>
/// The answer to one search: at most <see cref="PupilSearch.MaxResults"/> pupils, whether there were more, and the classes
/// whose name starts with the text, with the school's latest billed month (where a class's notices are listed).
/// <see cref="TooLong"/> when the text was refused for its length (nothing searched).
/// </summary>
public sealed record SearchAnswer(string Query, IReadOnlyList<PupilHit> Pupils, bool More, IReadOnlyList<ClassChoice> Classes, BillingMonth? ClassMonth,
    bool TooLong = false)
{
    public static SearchAnswer Empty(string query, bool tooLong = false) => new(query, [], false, [], null, tooLong);
}

/// <summary>
/// Finds a school's pupils for its staff: by name with or without Vietnamese marks ("nguyen van an", "Nguyễn Văn An" and
/// "an" find the same pupil; đ is d), by payment code, student code, notice number or class. Only the school's pupils are
/// searched: those on its roster now and those who moved away from it (its notices and receipts still name them).
/// Names are folded by the database's fees_fold(), the one definition used for the stored column and the typed text
/// alike (migration PupilSearch).
/// </summary>
public sealed class PupilSearch(FeesDb db)
{
    /// <summary>Characters of typed text: a full name with a class is well under it; more is refused, not cut.</summary>
    public const int MaxQueryLength = 60;
    public const int MaxResults = 20;
    private const int MaxWords = 6, MaxClasses = 6;

    public async Task<SearchAnswer> FindAsync(string schoolCode, string? text, CancellationToken ct = default)
    {
        var typed = (text ?? "").Trim();
        if (typed.Length > MaxQueryLength) return SearchAnswer.Empty(typed[..MaxQueryLength], tooLong: true);
        var query = Clean(typed);
        if (query.Length == 0) return SearchAnswer.Empty(typed);
        var schoolId = await SchoolIdAsync(schoolCode, ct);
        if (schoolId is not { } school) return SearchAnswer.Empty(query);
        // A code is looked up by its start only when it looks like one (a digit, no space): "h" must not match every "HS…" code.
        var codeLike = query.Length >= 3 && !query.Contains(' ', StringComparison.Ordinal) && query.Any(char.IsAsciiDigit);
        var upper = query.ToUpperInvariant();
        var rows = await db.Database.SqlQuery<Row>($"""
            WITH q AS (SELECT fees_fold({query}) AS f, lower({query}) AS typed),
            words AS (SELECT array_agg('%' || w || '%') AS likes FROM q, unnest((string_to_array(q.f, ' '))[1:{MaxWords}]) w WHERE w <> ''),
            found AS (
                SELECT s.id, s.student_code, s.payment_code, s.full_name, s.name_folded, c.name AS class_name, c.grade, s.school_id <> {school} AS moved,
                       CASE
                           WHEN s.payment_code = {upper} OR s.student_code = {query} THEN 0
                           WHEN s.id = (SELECT n.student_id FROM notices n WHERE n.notice_no = {upper} AND n.school_id = {school}) THEN 1
                           WHEN s.name_folded = q.f THEN 2
                           WHEN s.name_folded LIKE '% ' || q.f THEN 3
                           WHEN ' ' || s.name_folded || ' ' LIKE '% ' || q.f || ' %' THEN 4
                           WHEN ' ' || s.name_folded LIKE '% ' || q.f || '%' THEN 5
                           WHEN s.name_folded LIKE ALL (words.likes) THEN 6
                           WHEN {codeLike} AND (starts_with(s.payment_code, {upper}) OR starts_with(s.student_code, {query})) THEN 7
                           ELSE 8
                       END AS rank,
                       strpos(lower(s.full_name), q.typed) > 0 AS same_marks
                FROM students s JOIN classes c ON c.id = s.class_id, q, words
                -- The school's pupils, and those who moved away from it: two index scans (school, then the few ids).
                WHERE (s.school_id = {school} OR s.id = ANY (ARRAY(SELECT t.student_id FROM student_transfers t WHERE t.from_school_id = {school})))
                  AND (s.name_folded LIKE ALL (words.likes)
                       OR s.payment_code = {upper} OR s.student_code = {query}
                       OR {codeLike} AND (starts_with(s.payment_code, {upper}) OR starts_with(s.student_code, {query}))
                       OR s.school_id = {school} AND s.class_id = ANY (ARRAY(
                              SELECT k.id FROM classes k, q WHERE k.school_id = {school} AND fees_fold(k.name) IN (q.f, regexp_replace(q.f, '^lop ', ''))))
                       OR s.id = (SELECT n.student_id FROM notices n WHERE n.notice_no = {upper} AND n.school_id = {school}))
            )
            SELECT student_code AS "StudentCode", payment_code AS "PaymentCode", full_name AS "FullName", class_name AS "ClassName",
                   grade AS "Grade", moved AS "Moved", rank AS "Rank"
            FROM found
            -- Names as a Vietnamese list sorts them: by the given name, then the whole name, with ICU's vi-VN collation (d before đ, a ă â).
            ORDER BY rank, same_marks DESC, regexp_replace(full_name, '^.* ', '') COLLATE "vi-VN-x-icu", full_name COLLATE "vi-VN-x-icu", student_code
            LIMIT {MaxResults + 1}
            """).ToListAsync(ct);
        var classes = await db.Database.SqlQuery<ClassRow>($"""
            SELECT c.name AS "Name", c.grade AS "Grade" FROM classes c, (SELECT fees_fold({query}) AS f) q
            WHERE c.school_id = {school} AND (starts_with(fees_fold(c.name), q.f) OR starts_with(fees_fold('lớp ' || c.name), q.f))
            """).ToListAsync(ct);
        var month = classes.Count == 0 ? null
            : await db.Notices.AsNoTracking().Where(n => n.SchoolId == school).MaxAsync(n => (int?)n.PeriodKey, ct) is { } key ? BillingMonth.FromKey(key) : (BillingMonth?)null;
        return new SearchAnswer(query,
            rows.Take(MaxResults).Select(r => new PupilHit(r.StudentCode, r.PaymentCode, r.FullName, r.ClassName, r.Grade, r.Moved, (HitReason)r.Rank)).ToList(),
            rows.Count > MaxResults,
            ClassOrder.Sort(classes.Select(c => new ClassChoice(c.Name, c.Grade))).Take(MaxClasses).ToList(), month);
    }

    /// <summary>The school's classes in age order (the class filters offer these).</summary>
    public async Task<IReadOnlyList<ClassChoice>> ClassesAsync(string schoolCode, CancellationToken ct = default) =>
        ClassOrder.Sort(await (from c in db.Classes.AsNoTracking()
                               join s in db.Schools.AsNoTracking() on c.SchoolId equals s.Id
                               where s.Code == schoolCode
                               select new ClassChoice(c.Name, c.Grade)).ToListAsync(ct));

    /// <summary>
    /// The typed text as searched: composed (NFC, so a mark typed apart joins its letter), letters and digits kept, a
    /// notice number's dashes kept, anything else a space; no LIKE wildcard survives.
    /// </summary>
    public static string Clean(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text.Normalize(NormalizationForm.FormC))
        {
            var keep = char.IsLetterOrDigit(c) || c == '-' || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark;
            if (keep) sb.Append(c);
            else if (sb.Length > 0 && sb[^1] != ' ') sb.Append(' ');
        }
        return sb.ToString().Trim();
    }

    private Task<Guid?> SchoolIdAsync(string schoolCode, CancellationToken ct) =>
        db.Schools.AsNoTracking().Where(s => s.Code == schoolCode).Select(s => (Guid?)s.Id).SingleOrDefaultAsync(ct);

    private sealed record Row(string StudentCode, string PaymentCode, string FullName, string ClassName, int Grade, bool Moved, int Rank);

    private sealed record ClassRow(string Name, int Grade);
}
