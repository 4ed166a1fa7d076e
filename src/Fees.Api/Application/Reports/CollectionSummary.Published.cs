using Microsoft.EntityFrameworkCore;

namespace TdmEdu.Fees.Api.Application.Reports;

/// <summary>A month of the open data: how many schools closed it (and are published), how many billed it, the latest close.</summary>
public sealed record PublishedMonth(int PeriodKey, long Schools, long SchoolsBilled, DateTimeOffset LastClosedAt);

/// <summary>A school's closed month as the open data publishes it: the figures of `report collection --by school`, no pupil.</summary>
public sealed record PublishedRow(string School, string SchoolName, string Ward, string Level, DateTimeOffset ClosedAt,
    long Notices, long AmountDue, long Collected, long Cashless, long Cash);

/// <summary>
/// What the open data publishes: a month once a school has closed it (Pages/School/Close, `notices close`), with the
/// rows of the schools that closed it. A closed month takes no more billing; late payments still reach its notices,
/// so its figures can still grow, and each file says when it was made.
/// </summary>
public sealed partial class CollectionSummary
{
    public async Task<List<PublishedMonth>> PublishedAsync(CancellationToken ct = default)
    {
        await RefreshAsync(ct);
        return await db.Database.SqlQueryRaw<PublishedMonth>("""
            SELECT p.period_key AS "PeriodKey", count(*) AS "Schools",
                   (SELECT count(*) FROM summary_months b WHERE b.period_key = p.period_key) AS "SchoolsBilled", max(p.closed_at) AS "LastClosedAt"
            FROM billing_periods p JOIN summary_months s ON s.school_id = p.school_id AND s.period_key = p.period_key
            WHERE p.closed_at IS NOT NULL
            GROUP BY p.period_key ORDER BY p.period_key DESC
            """).ToListAsync(ct);
    }

    /// <summary>The month's rows of the schools that closed it, by school code; none when no school has.</summary>
    public async Task<List<PublishedRow>> PublishedRowsAsync(int periodKey, CancellationToken ct = default)
    {
        await RefreshAsync(ct);
        return await db.Database.SqlQueryRaw<PublishedRow>("""
            SELECT sc.code AS "School", sc.name AS "SchoolName", COALESCE(w.name, '') AS "Ward", sc.level AS "Level", p.closed_at AS "ClosedAt",
                   s.notices AS "Notices", s.amount_due_vnd AS "AmountDue", s.collected_vnd AS "Collected", s.cashless_vnd AS "Cashless", s.cash_vnd AS "Cash"
            FROM summary_months s JOIN billing_periods p ON p.school_id = s.school_id AND p.period_key = s.period_key AND p.closed_at IS NOT NULL
            JOIN schools sc ON sc.id = s.school_id LEFT JOIN wards w ON w.id = sc.ward_id
            WHERE s.period_key = {0}
            ORDER BY sc.code
            """, periodKey).ToListAsync(ct);
    }

    /// <summary>Who publishes: the authority the schools report to.</summary>
    public async Task<string> PublisherAsync(CancellationToken ct = default) =>
        await db.Authorities.AsNoTracking().OrderBy(a => a.Code).Select(a => a.Name).FirstOrDefaultAsync(ct) ?? "";
}
