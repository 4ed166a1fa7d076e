using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Api.Application.Reports;

/// <summary>
/// Which months have notices, for a school or for any school: what the month pickers offer and where the staff land.
/// The one place this is asked. Read as a loose index scan over notices (school_id, period_key): one probe per school
/// and month found, so ten years of a province cost what a few thousand index look-ups cost, never a scan of every notice.
/// Answers are kept for the request (the menu and the page ask the same question).
/// </summary>
public sealed class NoticeMonths(FeesDb db, BusinessClock clock)
{
    private readonly Dictionary<string, IReadOnlyList<BillingMonth>> _known = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The months with at least one notice, newest first: of one school, or of any school when none is named.</summary>
    public async Task<IReadOnlyList<BillingMonth>> WithNoticesAsync(string? schoolCode, CancellationToken ct = default)
    {
        var key = schoolCode ?? "";
        if (_known.TryGetValue(key, out var known)) return known;
        var code = schoolCode?.ToUpperInvariant();
        var keys = await db.Database.SqlQuery<int>($"""
            SELECT DISTINCT x.k AS "Value"
            FROM schools s CROSS JOIN LATERAL (
                WITH RECURSIVE m(k) AS (
                    (SELECT n.period_key FROM notices n WHERE n.school_id = s.id ORDER BY n.period_key DESC LIMIT 1)
                    UNION ALL
                    SELECT (SELECT n.period_key FROM notices n WHERE n.school_id = s.id AND n.period_key < m.k ORDER BY n.period_key DESC LIMIT 1)
                    FROM m WHERE m.k IS NOT NULL)
                SELECT k FROM m WHERE k IS NOT NULL) x
            WHERE {code}::text IS NULL OR s.code = {code}
            ORDER BY 1 DESC
            """).ToListAsync(ct);
        IReadOnlyList<BillingMonth> months = keys.Select(BillingMonth.FromKey).ToList();
        _known[key] = months;
        return months;
    }

    /// <summary>Where the staff land: the latest month with notices, or this month when none has any (never an empty month when one is not).</summary>
    public async Task<BillingMonth> LandingAsync(string? schoolCode, CancellationToken ct = default) =>
        (await WithNoticesAsync(schoolCode, ct)) is [var latest, ..] ? latest : BillingMonth.Of(clock.Today);

    /// <summary>What a month picker offers: the months with notices, this month, and the month shown, newest first.</summary>
    public async Task<IReadOnlyList<BillingMonth>> ChoicesAsync(string? schoolCode, BillingMonth shown, CancellationToken ct = default) =>
        (await WithNoticesAsync(schoolCode, ct)).Append(BillingMonth.Of(clock.Today)).Append(shown).Distinct().OrderDescending().ToList();
}
