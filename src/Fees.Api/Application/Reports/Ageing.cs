using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Application.Review;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Api.Application.Reports;

/// <summary>
/// How old the money is that is not where it belongs, per school: what parents still owe, by days past the notice's
/// due date; and what banks brought that no one has tied to a pupil yet (statement lines waiting for review, and
/// bank notifications parked as unidentified that no statement line carries), by days since it arrived.
/// </summary>
public sealed class Ageing(FeesDb db)
{
    /// <summary>Outstanding: not yet due, 1-30, 31-60, 61-90 and more than 90 days past due.</summary>
    public static readonly string[] OutstandingBuckets = ["not-due", "1-30", "31-60", "61-90", "90+"];

    /// <summary>Unidentified: 0-7, 8-30, 31-90 and more than 90 days since the money arrived.</summary>
    public static readonly string[] UnidentifiedBuckets = ["0-7", "8-30", "31-90", "90+"];

    public sealed record Row(string Scope, string ScopeName, long B0, long B1, long B2, long B3, long B4, long Count)
    {
        public long Total => B0 + B1 + B2 + B3 + B4;

        public long[] Buckets(int n) => new[] { B0, B1, B2, B3, B4 }[..n];
    }

    /// <summary>A notice still owed: issued or partly paid, with money left. The one definition, for this ageing and its summary (<see cref="CollectionSummary"/>).</summary>
    internal const string OwedSql = "n.status IN ('issued', 'partially_paid') AND n.amount_due_vnd > n.amount_paid_vnd";

    public async Task<List<Row>> OutstandingAsync(DateOnly today, string? schoolCode = null, CancellationToken ct = default) =>
        await OutstandingAsync(db, "SELECT n.school_id, n.amount_due_vnd - n.amount_paid_vnd AS left_vnd, n.due_date, 1 AS notices FROM notices n WHERE " + OwedSql,
            today, schoolCode, ct);

    /// <summary>
    /// Owed money by school and days past due, from rows (school_id, left_vnd, due_date, notices) of what is owed: the
    /// notices themselves, or their summary by school, month and due date. {0} is today, {1} a school code or ''.
    /// </summary>
    internal static async Task<List<Row>> OutstandingAsync(FeesDb db, string owed, DateOnly today, string? schoolCode, CancellationToken ct)
    {
#pragma warning disable EF1003 // the rows' SQL is one of two constants; the values go in as parameters.
        return await db.Database.SqlQueryRaw<Row>("WITH owed AS (" + owed + """
            ), open AS (SELECT school_id, left_vnd, {0}::date - due_date AS late, notices FROM owed)
            SELECT sc.code AS "Scope", sc.name AS "ScopeName",
                   COALESCE(SUM(left_vnd) FILTER (WHERE late <= 0), 0)::bigint AS "B0",
                   COALESCE(SUM(left_vnd) FILTER (WHERE late BETWEEN 1 AND 30), 0)::bigint AS "B1",
                   COALESCE(SUM(left_vnd) FILTER (WHERE late BETWEEN 31 AND 60), 0)::bigint AS "B2",
                   COALESCE(SUM(left_vnd) FILTER (WHERE late BETWEEN 61 AND 90), 0)::bigint AS "B3",
                   COALESCE(SUM(left_vnd) FILTER (WHERE late > 90), 0)::bigint AS "B4",
                   SUM(notices)::bigint AS "Count"
            FROM open o JOIN schools sc ON sc.id = o.school_id
            CROSS JOIN (SELECT {1}::text AS code) wanted
            WHERE wanted.code = '' OR sc.code = wanted.code
            GROUP BY sc.code, sc.name ORDER BY sc.code
            """, today, schoolCode ?? "").ToListAsync(ct);
#pragma warning restore EF1003
    }

    /// <summary>
    /// Money waiting for a person to say whose it is, by school and days waiting: what the review queue lists (the one
    /// definition, <see cref="ReviewSubjects.WaitingSql"/>), credits only, each đồng once.
    /// </summary>
    public async Task<List<Row>> UnidentifiedAsync(DateOnly today, string? schoolCode = null, CancellationToken ct = default)
    {
#pragma warning disable EF1003 // WaitingSql is a constant; the values go in as parameters.
        return await db.Database.SqlQueryRaw<Row>("WITH waiting AS (SELECT w.account_id, w.amount_vnd, {0}::date - w.day AS age FROM (" + ReviewSubjects.WaitingSql + """
                ) w WHERE w.kind IN ('line', 'parked') AND w.credit)
            SELECT sc.code AS "Scope", sc.name AS "ScopeName",
                   COALESCE(SUM(amount_vnd) FILTER (WHERE age <= 7), 0)::bigint AS "B0",
                   COALESCE(SUM(amount_vnd) FILTER (WHERE age BETWEEN 8 AND 30), 0)::bigint AS "B1",
                   COALESCE(SUM(amount_vnd) FILTER (WHERE age BETWEEN 31 AND 90), 0)::bigint AS "B2",
                   COALESCE(SUM(amount_vnd) FILTER (WHERE age > 90), 0)::bigint AS "B3",
                   0::bigint AS "B4",
                   count(*) AS "Count"
            FROM waiting w JOIN school_bank_accounts a ON a.id = w.account_id JOIN schools sc ON sc.id = a.school_id
            CROSS JOIN (SELECT {1}::text AS code) wanted
            WHERE wanted.code = '' OR sc.code = wanted.code
            GROUP BY sc.code, sc.name ORDER BY sc.code
            """, today, schoolCode ?? "").ToListAsync(ct);
#pragma warning restore EF1003
    }

    /// <summary>Billed and collected for each billing month in the range, for the trend chart (the figures of `report collection` per month).</summary>
    public sealed record MonthRow(int PeriodKey, long AmountDue, long Collected, long Cashless);

    public Task<List<MonthRow>> MonthsAsync(SchoolYear year, string? schoolCode = null, CancellationToken ct = default) =>
        MonthsAsync(year.MonthOf(SchoolYear.FirstMonth).Key, year.MonthOf(SchoolYear.FirstMonth - 1).Key, schoolCode, ct);

    public async Task<List<MonthRow>> MonthsAsync(int fromKey, int toKey, string? schoolCode = null, CancellationToken ct = default) =>
        await db.Database.SqlQuery<MonthRow>($"""
            SELECT n.period_key AS "PeriodKey", SUM(l.amount_vnd)::bigint AS "AmountDue",
                   COALESCE(SUM(a.paid), 0)::bigint AS "Collected", COALESCE(SUM(a.cashless), 0)::bigint AS "Cashless"
            FROM notices n JOIN notice_lines l ON l.notice_id = n.id JOIN schools sc ON sc.id = n.school_id
            LEFT JOIN LATERAL (SELECT SUM(al.amount_vnd) AS paid, SUM(al.amount_vnd) FILTER (WHERE p.method <> 'cash') AS cashless
                               FROM allocations al JOIN payments p ON p.id = al.payment_id WHERE al.notice_line_id = l.id) a ON true
            WHERE n.period_key BETWEEN {fromKey} AND {toKey} AND n.status NOT IN ('cancelled', 'refunded', 'draft')
              AND ({schoolCode}::text IS NULL OR sc.code = {schoolCode})
            GROUP BY n.period_key ORDER BY n.period_key
            """).ToListAsync(ct);
}
