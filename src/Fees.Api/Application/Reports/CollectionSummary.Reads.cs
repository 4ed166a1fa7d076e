using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Domain.Receipts;

namespace TdmEdu.Fees.Api.Application.Reports;

/// <summary>Where the dashboard looks: a ward (by its name), a school (by its code), or the whole authority (neither).</summary>
public sealed record SummaryScope(string? Ward = null, string? School = null)
{
    public static readonly SummaryScope All = new();
}

/// <summary>A month's totals for a scope: the figures of `report collection` added up over its schools.</summary>
public sealed record MonthTotals(int PeriodKey, long Notices, long AmountDue, long Collected, long Cashless, long Cash, long Students, long StudentsPaid);

/// <summary>A school of the authority, with what the dashboard groups it by.</summary>
public sealed record SummarySchool(string Code, string Name, string Ward, string Level);

/// <summary>Receipt numbers missing or used twice in one series (SCHOOL/TEMPLATE/SERIES).</summary>
public sealed record SeriesGaps(string School, string Series, IReadOnlyList<long> Missing, IReadOnlyList<long> Repeated);

/// <summary>The summary's reads: each refreshes what is stale first, then reads summary rows only.</summary>
public sealed partial class CollectionSummary
{
    /// <summary>The scope as SQL over `sc` and `w`: {2} a ward's name or '', {3} a school's code or ''.</summary>
    private static readonly string ScopeWhere =
        "({2}::text = '' OR COALESCE(w.name, '" + CollectionReport.NoWard + "') = {2}) AND ({3}::text = '' OR sc.code = {3})";

    /// <summary>A month's (or months') figures grouped by school, ward, level or item within the scope: `report collection`'s rows.</summary>
    public async Task<List<CollectionReport.Row>> RowsAsync(int fromKey, int toKey, string by, SummaryScope scope, CancellationToken ct = default)
    {
        await RefreshAsync(ct);
        var (group, name) = CollectionReport.Grouping(by is "ward" or "level" or "item" ? by : "school", "s");
        var table = by == "item" ? "summary_month_items" : "summary_months";
#pragma warning disable EF1002 // table, grouping and filter are our constants; the values go in as parameters.
        return await db.Database.SqlQueryRaw<CollectionReport.Row>($$"""
            SELECT {{group}} AS "Scope", {{name}} AS "ScopeName", {{Sums}}
            FROM {{table}} s JOIN schools sc ON sc.id = s.school_id LEFT JOIN wards w ON w.id = sc.ward_id
            WHERE s.period_key BETWEEN {0} AND {1} AND {{ScopeWhere}}
            GROUP BY {{group}}{{(by is "item" or "ward" or "level" ? "" : ", " + name)}}
            ORDER BY 1
            """, fromKey, toKey, scope.Ward ?? "", scope.School ?? "").ToListAsync(ct);
#pragma warning restore EF1002
    }

    /// <summary>Each month's totals within the scope, for the months in the range (the trend, and the comparisons).</summary>
    public async Task<List<MonthTotals>> MonthsAsync(int fromKey, int toKey, SummaryScope scope, CancellationToken ct = default)
    {
        await RefreshAsync(ct);
#pragma warning disable EF1002 // the filter is our constant; the values go in as parameters.
        return await db.Database.SqlQueryRaw<MonthTotals>($$"""
            SELECT s.period_key AS "PeriodKey", {{Sums}}
            FROM summary_months s JOIN schools sc ON sc.id = s.school_id LEFT JOIN wards w ON w.id = sc.ward_id
            WHERE s.period_key BETWEEN {0} AND {1} AND {{ScopeWhere}}
            GROUP BY s.period_key ORDER BY s.period_key
            """, fromKey, toKey, scope.Ward ?? "", scope.School ?? "").ToListAsync(ct);
#pragma warning restore EF1002
    }

    /// <summary>The billing months that have notices, newest first (for the pickers).</summary>
    public async Task<List<int>> PeriodsAsync(CancellationToken ct = default)
    {
        await RefreshAsync(ct);
        return await db.Database.SqlQueryRaw<int>("SELECT DISTINCT period_key AS \"Value\" FROM summary_months ORDER BY 1 DESC").ToListAsync(ct);
    }

    /// <summary>What is owed today per school, by days past due: <see cref="Ageing.OutstandingAsync(DateOnly, string?, CancellationToken)"/> from the summary.</summary>
    public async Task<List<Ageing.Row>> OutstandingAsync(DateOnly today, CancellationToken ct = default)
    {
        await RefreshAsync(ct);
        return await Ageing.OutstandingAsync(db, "SELECT school_id, left_vnd, due_date, notices FROM summary_open_notices", today, null, ct);
    }

    /// <summary>Every school with its ward and level (a few thousand rows at most: the scope's filters run on them in memory).</summary>
    public async Task<List<SummarySchool>> SchoolsAsync(CancellationToken ct = default) =>
        await db.Database.SqlQueryRaw<SummarySchool>($"""
            SELECT sc.code AS "Code", sc.name AS "Name", COALESCE(w.name, '{CollectionReport.NoWard}') AS "Ward", sc.level AS "Level"
            FROM schools sc LEFT JOIN wards w ON w.id = sc.ward_id ORDER BY sc.code
            """).ToListAsync(ct);

    /// <summary>
    /// The receipt series whose numbers are not 1 to their count, each with what is missing or repeated: the summary
    /// names the series, and only those series' numbers are read (<see cref="LedgerAudit.ReceiptGapsAsync"/> reads all).
    /// </summary>
    public async Task<List<SeriesGaps>> ReceiptGapsAsync(CancellationToken ct = default)
    {
        await RefreshAsync(ct);
        var suspects = await db.Database.SqlQueryRaw<Suspect>("""
            SELECT s.id AS "Id", sc.code AS "School", sc.code || '/' || s.template || '/' || s.series AS "Series"
            FROM summary_receipt_series x JOIN receipt_series s ON s.id = x.series_id JOIN schools sc ON sc.id = s.school_id
            WHERE x.receipts > 0 AND (x.min_number <> 1 OR x.max_number <> x.receipts)
            """).ToListAsync(ct);
        var gaps = new List<SeriesGaps>();
        foreach (var s in suspects.OrderBy(s => s.Series, StringComparer.Ordinal))
        {
            var numbers = await db.Receipts.AsNoTracking().Where(r => r.SeriesId == s.Id).Select(r => r.Number).ToListAsync(ct);
            var (missing, repeated) = Receipt.FindGaps(numbers);
            if (missing.Count + repeated.Count > 0) gaps.Add(new SeriesGaps(s.School, s.Series, missing, repeated));
        }
        return gaps;
    }

    private sealed record Suspect(Guid Id, string School, string Series);

    private const string Sums = """
        SUM(s.notices)::bigint AS "Notices", SUM(s.amount_due_vnd)::bigint AS "AmountDue", SUM(s.collected_vnd)::bigint AS "Collected",
        SUM(s.cashless_vnd)::bigint AS "Cashless", SUM(s.cash_vnd)::bigint AS "Cash", SUM(s.students)::bigint AS "Students",
        SUM(s.students_paid)::bigint AS "StudentsPaid"
        """;
}
