namespace TdmEdu.Fees.Api.Application.Reports;

/// <summary>
/// The audit's summary half: what the education office reads (<see cref="CollectionSummary"/>) is what the ledger
/// says. A school-month or series marked stale is waiting for its re-summary and is left out; every other summary row
/// must equal its recomputation, and every school-month with notices must have its row.
/// </summary>
public sealed partial class LedgerAudit
{
    private const string PeriodText = "(({0}) / 100)::text || '-' || lpad((({0}) % 100)::text, 2, '0')";

    private static string Period(string key) => string.Format(System.Globalization.CultureInfo.InvariantCulture, PeriodText, key);

    private static string NotStale(string school, string period) =>
        $"NOT EXISTS (SELECT 1 FROM summary_stale_months x WHERE x.school_id = {school} AND x.period_key = {period})";

    private static string Differs(string row) => $"""
        CASE WHEN s.school_id IS NULL THEN 'no summary row; the ledger says ' || {row}
             WHEN f.school_id IS NULL THEN 'a summary row the ledger has nothing for'
             ELSE 'the summary says notices ' || s.notices || ', due ' || s.amount_due_vnd || ', collected ' || s.collected_vnd
                  || ' (cashless ' || s.cashless_vnd || ', cash ' || s.cash_vnd || '), students ' || s.students || ', paid ' || s.students_paid
                  || '; the ledger ' || {row} END
        """;

    private const string LedgerRow = """
        'notices ' || f."Notices" || ', due ' || f."AmountDue" || ', collected ' || f."Collected" || ' (cashless ' || f."Cashless"
        || ', cash ' || f."Cash" || '), students ' || f."Students" || ', paid ' || f."StudentsPaid"
        """;

    private const string SameFigures = """
        (s.notices, s.amount_due_vnd, s.collected_vnd, s.cashless_vnd, s.cash_vnd, s.students, s.students_paid)
        IS DISTINCT FROM (f."Notices", f."AmountDue", f."Collected", f."Cashless", f."Cash", f."Students", f."StudentsPaid")
        """;

    private static readonly (string Name, string Sql)[] SummaryChecks =
    [
        // Months and items in one check: the recomputation is the costly part, so it is done once for both.
        ("the dashboard's summary of each school's month, and by fee item, equals the ledger", $"""
            {CollectionSummary.SummarySql("true")}
            SELECT sc.code || '/' || {Period("COALESCE(f.period_key, s.period_key)")} AS "Row", {Differs(LedgerRow)} AS "Problem"
            FROM by_month f FULL JOIN summary_months s ON s.school_id = f.school_id AND s.period_key = f.period_key
            JOIN schools sc ON sc.id = COALESCE(f.school_id, s.school_id)
            WHERE {NotStale("COALESCE(f.school_id, s.school_id)", "COALESCE(f.period_key, s.period_key)")} AND {SameFigures}
            UNION ALL
            SELECT sc.code || '/' || {Period("COALESCE(f.period_key, s.period_key)")} || '/' || COALESCE(f.item_code, s.item_code), {Differs(LedgerRow)}
            FROM by_item f FULL JOIN summary_month_items s ON s.school_id = f.school_id AND s.period_key = f.period_key AND s.item_code = f.item_code
            JOIN schools sc ON sc.id = COALESCE(f.school_id, s.school_id)
            WHERE {NotStale("COALESCE(f.school_id, s.school_id)", "COALESCE(f.period_key, s.period_key)")} AND {SameFigures}
            """),
        ("the dashboard's summary of what is owed equals the notices", $"""
            WITH f AS ({CollectionSummary.OwedSql("true")})
            SELECT sc.code || '/' || {Period("COALESCE(f.period_key, s.period_key)")} || ' due ' || COALESCE(f.due_date, s.due_date) AS "Row",
                   'the summary says ' || COALESCE(s.notices || ' notice(s) owing ' || s.left_vnd, 'nothing')
                   || '; the notices ' || COALESCE(f.notices || ' owing ' || f.left_vnd, 'nothing') AS "Problem"
            FROM f FULL JOIN summary_open_notices s ON s.school_id = f.school_id AND s.period_key = f.period_key AND s.due_date = f.due_date
            JOIN schools sc ON sc.id = COALESCE(f.school_id, s.school_id)
            WHERE {NotStale("COALESCE(f.school_id, s.school_id)", "COALESCE(f.period_key, s.period_key)")}
              AND (s.notices, s.left_vnd) IS DISTINCT FROM (f.notices, f.left_vnd)
            """),
        ("the dashboard's summary of each receipt series equals its receipts", $"""
            WITH f AS ({CollectionSummary.SeriesSql("true")})
            SELECT sc.code || '/' || rs.template || '/' || rs.series AS "Row",
                   'the summary says ' || COALESCE(s.receipts || ' receipt(s) numbered ' || COALESCE(s.min_number || '-' || s.max_number, 'none'), 'nothing')
                   || '; the receipts ' || f.receipts || ' numbered ' || COALESCE(f.min_number || '-' || f.max_number, 'none') AS "Problem"
            FROM f LEFT JOIN summary_receipt_series s ON s.series_id = f.series_id
            JOIN receipt_series rs ON rs.id = f.series_id JOIN schools sc ON sc.id = rs.school_id
            WHERE NOT EXISTS (SELECT 1 FROM summary_stale_series x WHERE x.series_id = f.series_id)
              AND COALESCE(s.receipts, 0) + f.receipts > 0
              AND (s.receipts, s.min_number, s.max_number) IS DISTINCT FROM (f.receipts, f.min_number, f.max_number)
            """),
    ];
}
