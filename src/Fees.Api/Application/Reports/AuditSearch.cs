using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;

namespace TdmEdu.Fees.Api.Application.Reports;

/// <summary>
/// The audit log, searched by the administrator: newest first, a page at a time (keyset on the id, so a page costs the
/// same deep in the log as at its top), by school, who, kind of act, entity key and business dates.
/// </summary>
/// <remarks>
/// The log stores no school column: an entry names an entity and its key. The school an entry concerns is found
/// here, in one place, from the entity it names (a payment's, a notice's, a login's school...) or the school its
/// details name; an entry about the whole authority (a schedule, a reconcile run) belongs to no school.
/// </remarks>
public sealed partial class AuditSearch(FeesDb db)
{
    public const int PageSize = 50;

    /// <summary>A key that is an id (a payment's, a notice's...), checked before it is read as one.</summary>
    private const string UuidPattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$";

    public sealed record Filter(string? School, string? Who, string? Action, string? EntityKey, DateOnly? From, DateOnly? To, long? Before);

    public sealed record Entry(long Id, DateTimeOffset At, string Actor, string Action, string Entity, string? EntityKey, string Details);

    /// <summary>A page of entries and, when there are more, the id to ask the next page before.</summary>
    public sealed record Page(IReadOnlyList<Entry> Entries, long? Next, bool UnknownSchool);

    /// <summary>The acts the service writes, by the prefix of their action (users.*, payments.*...), for the kind filter.</summary>
    public static readonly IReadOnlyList<string> Kinds =
    [
        "users", "schools", "banks", "students", "schedule", "notices", "payments", "receipts", "corrections", "credit",
        "statements", "reconcile", "review", "crosscheck", "messages", "messaging", "authority",
    ];

    public async Task<Page> FindAsync(Filter f, CancellationToken ct)
    {
        Guid? schoolId = null;
        string? schoolCode = null;
        if (!string.IsNullOrWhiteSpace(f.School))
        {
            schoolCode = f.School.Trim().ToUpperInvariant();
            schoolId = await db.Schools.AsNoTracking().Where(s => s.Code == schoolCode).Select(s => (Guid?)s.Id).SingleOrDefaultAsync(ct);
            if (schoolId is null) return new Page([], null, UnknownSchool: true);
        }
        var who = string.IsNullOrWhiteSpace(f.Who) ? null : "%" + Like(f.Who.Trim()) + "%";
        var action = string.IsNullOrWhiteSpace(f.Action) ? null : f.Action.Trim().ToLowerInvariant();
        var actionPrefix = action is null ? null : Like(action) + ".%";
        var key = string.IsNullOrWhiteSpace(f.EntityKey) ? null : f.EntityKey.Trim();
        DateTimeOffset? from = f.From is { } d1 ? StartOf(d1) : null;
        DateTimeOffset? to = f.To is { } d2 ? StartOf(d2.AddDays(1)) : null;
        var before = f.Before;
        var limit = PageSize + 1;
        var rows = await db.Database.SqlQuery<Entry>($"""
            SELECT a.id AS "Id", a.at AS "At", a.actor AS "Actor", a.action AS "Action", a.entity AS "Entity",
                   a.entity_key AS "EntityKey", a.details::text AS "Details"
            FROM audit_log a
            WHERE ({before}::bigint IS NULL OR a.id < {before}::bigint)
              AND ({from}::timestamptz IS NULL OR a.at >= {from}::timestamptz)
              AND ({to}::timestamptz IS NULL OR a.at < {to}::timestamptz)
              AND ({who}::text IS NULL OR a.actor ILIKE {who}::text)
              AND ({action}::text IS NULL OR a.action = {action}::text OR a.action LIKE {actionPrefix}::text)
              AND ({key}::text IS NULL OR a.entity_key = {key}::text)
              AND ({schoolId}::uuid IS NULL OR a.details->>'school' = {schoolCode}::text
                   OR (a.entity = 'school' AND a.entity_key IN ({schoolCode}::text, {schoolId}::text))
                   OR (a.entity = 'user' AND EXISTS (SELECT 1 FROM users u WHERE u.normalized_email = upper(a.entity_key) AND u.school_id = {schoolId}::uuid))
                   OR EXISTS (
                       SELECT 1 FROM (SELECT CASE WHEN a.entity_key ~ {UuidPattern}::text
                                                  THEN a.entity_key::uuid END AS id) k
                       WHERE k.id IS NOT NULL AND CASE a.entity
                           WHEN 'payment' THEN EXISTS (SELECT 1 FROM payments x WHERE x.id = k.id AND x.school_id = {schoolId}::uuid)
                           WHEN 'notice' THEN EXISTS (SELECT 1 FROM notices x WHERE x.id = k.id AND x.school_id = {schoolId}::uuid)
                           WHEN 'receipt' THEN EXISTS (SELECT 1 FROM receipts x WHERE x.id = k.id AND x.school_id = {schoolId}::uuid)
                           WHEN 'student' THEN EXISTS (SELECT 1 FROM students x WHERE x.id = k.id AND x.school_id = {schoolId}::uuid)
                           WHEN 'correction_request' THEN EXISTS (SELECT 1 FROM correction_requests x WHERE x.id = k.id AND x.school_id = {schoolId}::uuid)
                           WHEN 'school_bank_account' THEN EXISTS (SELECT 1 FROM school_bank_accounts x WHERE x.id = k.id AND x.school_id = {schoolId}::uuid)
                           WHEN 'statement_import' THEN EXISTS (SELECT 1 FROM statement_imports x JOIN school_bank_accounts b ON b.id = x.account_id
                                                                WHERE x.id = k.id AND b.school_id = {schoolId}::uuid)
                           WHEN 'statement_line' THEN EXISTS (SELECT 1 FROM statement_lines x JOIN school_bank_accounts b ON b.id = x.account_id
                                                              WHERE x.id = k.id AND b.school_id = {schoolId}::uuid)
                           WHEN 'parked_money' THEN EXISTS (SELECT 1 FROM unidentified_money x JOIN school_bank_accounts b ON b.id = x.account_id
                                                            WHERE x.id = k.id AND b.school_id = {schoolId}::uuid)
                           WHEN 'bank_call' THEN EXISTS (SELECT 1 FROM bank_inbox x JOIN school_bank_accounts b ON b.id = x.account_id
                                                         WHERE x.id = k.id AND b.school_id = {schoolId}::uuid)
                           ELSE false END))
            ORDER BY a.id DESC
            LIMIT {limit}
            """).ToListAsync(ct);
        var page = rows.Take(PageSize).Select(r => r with { Details = Masked(r.Details) }).ToList();
        return new Page(page, rows.Count > PageSize ? page[^1].Id : null, UnknownSchool: false);
    }

    /// <summary>The start of a business day (Asia/Ho_Chi_Minh) in UTC.</summary>
    private static DateTimeOffset StartOf(DateOnly day) =>
        new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), BusinessClock.Zone.BaseUtcOffset).ToUniversalTime();

    private static string Like(string text) => text.Replace(@"\", @"\\", StringComparison.Ordinal)
        .Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal);

    /// <summary>
    /// The details as "key: value" pairs. Details hold ids, counts and amounts by rule; a reason typed by a person may
    /// still hold a phone or an account number, so a run of nine or more digits inside text is shown masked (numbers,
    /// which are amounts and counts, and ids are shown whole).
    /// </summary>
    public static string Masked(string details)
    {
        try
        {
            using var doc = JsonDocument.Parse(details);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return LongDigits().Replace(details, m => Mask(m.Value));
            return string.Join("; ", doc.RootElement.EnumerateObject().Select(p => p.Value.ValueKind switch
            {
                JsonValueKind.String => $"{p.Name}: {LongDigits().Replace(p.Value.GetString() ?? "", m => Mask(m.Value))}",
                JsonValueKind.Null => $"{p.Name}: —",
                _ => $"{p.Name}: {p.Value.GetRawText()}",
            }));
        }
        catch (JsonException)
        {
            return "";
        }
    }

    private static string Mask(string digits) => digits[..2] + new string('•', digits.Length - 5) + digits[^3..];

    [GeneratedRegex("(?<![0-9A-Fa-f-])[0-9]{9,}(?![0-9A-Fa-f-])")]
    private static partial Regex LongDigits();
}
