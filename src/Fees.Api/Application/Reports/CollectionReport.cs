using System.Globalization;
using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;

namespace TdmEdu.Fees.Api.Application.Reports;

/// <summary>
/// Collection rates (cli.md, `report collection`): what was billed for a period or a school year and what of
/// it was collected, whenever the money came, split into cash and cashless. Withdrawn notices are left out.
/// </summary>
public sealed class CollectionReport(FeesDb db)
{
    public static readonly string[] Columns =
        ["scope", "scope_name", "period", "notices", "amount_due", "amount_collected", "collection_rate", "cashless_amount", "cash_amount", "outstanding", "students", "students_paid"];

    public sealed record Row(string Scope, string ScopeName, long Notices, long AmountDue, long Collected, long Cashless, long Cash, long Students, long StudentsPaid);

    /// <summary>
    /// What counts, once for the report and the dashboard's summary (<see cref="CollectionSummary"/>): the lines of the
    /// notices the filter picks that are not cancelled, refunded or drafts (`lines`: each with the money allocated to it,
    /// cash and cashless, whenever it came), and each notice's due and paid (`notice_paid`). The filter is SQL over
    /// the notice `n`, written by our code, never by a user.
    /// </summary>
    internal static string With(string noticeFilter) => $"""
        WITH counted AS (
            SELECT n.id, n.student_id, n.school_id, n.period_key, n.class_name FROM notices n
            WHERE ({noticeFilter}) AND n.status NOT IN ('cancelled', 'refunded', 'draft')
        ), allocated AS (
            SELECT a.notice_line_id, SUM(a.amount_vnd) FILTER (WHERE p.method = 'cash') AS cash, SUM(a.amount_vnd) FILTER (WHERE p.method <> 'cash') AS cashless
            FROM allocations a JOIN payments p ON p.id = a.payment_id WHERE a.notice_id IN (SELECT id FROM counted) GROUP BY a.notice_line_id
        ), lines AS (
            SELECT n.id AS notice_id, n.student_id, n.school_id, n.period_key, n.class_name, l.id AS line_id, l.item_code, l.item_name, l.amount_vnd,
                   COALESCE(a.cash, 0) AS cash, COALESCE(a.cashless, 0) AS cashless
            FROM counted n JOIN notice_lines l ON l.notice_id = n.id LEFT JOIN allocated a ON a.notice_line_id = l.id
        ), notice_paid AS (
            SELECT notice_id, SUM(amount_vnd) AS due, SUM(cash + cashless) AS paid FROM lines GROUP BY notice_id
        )
        """;

    /// <summary>The figures of a group of `lines` (as `l`, joined to `notice_paid` as `np`), in the order of <see cref="Row"/> after its scope.</summary>
    internal const string Figures = """
        count(DISTINCT l.notice_id) AS "Notices", SUM(l.amount_vnd)::bigint AS "AmountDue",
        SUM(l.cash + l.cashless)::bigint AS "Collected", SUM(l.cashless)::bigint AS "Cashless", SUM(l.cash)::bigint AS "Cash",
        count(DISTINCT l.student_id) AS "Students", count(DISTINCT l.student_id) FILTER (WHERE np.paid >= np.due) AS "StudentsPaid"
        """;

    /// <summary>The scope and its name for a grouping, over rows `rows` that carry school_id, item_code and item_name (and class_name for classes).</summary>
    internal static (string Scope, string Name) Grouping(string by, string rows) => by switch
    {
        "class" => ($"sc.code || '/' || {rows}.class_name", $"sc.name || ' - ' || {rows}.class_name"),
        "item" => ($"{rows}.item_code", $"max({rows}.item_name)"),
        "ward" => ($"COALESCE(w.name, '{NoWard}')", $"COALESCE(w.name, '{NoWard}')"),
        "level" => ("sc.level", "sc.level"),
        _ => ("sc.code", "sc.name"),
    };

    /// <summary>The ward of a school that has none, as the report names it.</summary>
    public const string NoWard = "(no ward)";

    public async Task<List<Row>> QueryAsync(int fromKey, int toKey, string by, CancellationToken ct = default)
    {
        if (by is not ("school" or "class" or "item" or "ward" or "level"))
            throw new BadInputException("--by", null, null, $"\"{by}\" is not school, class, item, ward or level.");
        var (scope, name) = Grouping(by, "l");
        // Lines are the unit for items; for schools and classes the same sums come out at line level too.
        var sql = $"""
            {With($"n.period_key BETWEEN {fromKey} AND {toKey}")}
            SELECT {scope} AS "Scope", {name} AS "ScopeName", {Figures}
            FROM lines l JOIN notice_paid np ON np.notice_id = l.notice_id JOIN schools sc ON sc.id = l.school_id LEFT JOIN wards w ON w.id = sc.ward_id
            GROUP BY {scope}{(by is "item" or "ward" or "level" ? "" : ", " + name)}
            ORDER BY 1
            """;
#pragma warning disable EF1002 // the interpolated parts are our own constants and two integers, never user text
        return await db.Database.SqlQueryRaw<Row>(sql).ToListAsync(ct);
#pragma warning restore EF1002
    }

    public async Task<int> WriteAsync(string period, int fromKey, int toKey, string by, string path, CancellationToken ct = default)
    {
        var rows = await QueryAsync(fromKey, toKey, by, ct);
        await Files.CsvFile.WriteAsync(path, Columns, rows.Select(r =>
        {
            var rate = r.AmountDue == 0 ? "" : (r.Collected / (decimal)r.AmountDue).ToString("0.0000", CultureInfo.InvariantCulture);
            return (IEnumerable<string>)
            [
                r.Scope, r.ScopeName, period, N(r.Notices), N(r.AmountDue), N(r.Collected), rate, N(r.Cashless), N(r.Cash),
                N(r.AmountDue - r.Collected), N(r.Students), N(r.StudentsPaid),
            ];
        }), ct);
        return rows.Count;
    }

    private static string N(long v) => v.ToString(CultureInfo.InvariantCulture);
}
