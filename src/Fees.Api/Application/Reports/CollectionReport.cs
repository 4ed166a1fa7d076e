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

    public async Task<List<Row>> QueryAsync(int fromKey, int toKey, string by, CancellationToken ct = default)
    {
        var (scope, name) = by switch
        {
            "school" => ("sc.code", "sc.name"),
            "class" => ("sc.code || '/' || l.class_name", "sc.name || ' - ' || l.class_name"),
            "item" => ("l.item_code", "max(l.item_name)"),
            "ward" => ("COALESCE(w.name, '(no ward)')", "COALESCE(w.name, '(no ward)')"),
            "level" => ("sc.level", "sc.level"),
            _ => throw new BadInputException("--by", null, null, $"\"{by}\" is not school, class, item, ward or level."),
        };
        // Lines are the unit for items; for schools and classes the same sums come out at line level too.
        var sql = $"""
            WITH lines AS (
                SELECT n.id AS notice_id, n.student_id, n.school_id, n.class_name, l.id AS line_id, l.item_code, l.item_name, l.amount_vnd,
                       COALESCE((SELECT SUM(a.amount_vnd) FROM allocations a JOIN payments p ON p.id = a.payment_id
                                 WHERE a.notice_line_id = l.id AND p.method = 'cash'), 0) AS cash,
                       COALESCE((SELECT SUM(a.amount_vnd) FROM allocations a JOIN payments p ON p.id = a.payment_id
                                 WHERE a.notice_line_id = l.id AND p.method <> 'cash'), 0) AS cashless
                FROM notices n JOIN notice_lines l ON l.notice_id = n.id
                WHERE n.period_key BETWEEN {fromKey} AND {toKey} AND n.status NOT IN ('cancelled', 'refunded', 'draft')
            ), notice_paid AS (
                SELECT notice_id, student_id, SUM(amount_vnd) AS due, SUM(cash + cashless) AS paid FROM lines GROUP BY notice_id, student_id
            )
            SELECT {scope} AS "Scope", {name} AS "ScopeName",
                   count(DISTINCT l.notice_id) AS "Notices", SUM(l.amount_vnd)::bigint AS "AmountDue",
                   SUM(l.cash + l.cashless)::bigint AS "Collected", SUM(l.cashless)::bigint AS "Cashless", SUM(l.cash)::bigint AS "Cash",
                   count(DISTINCT l.student_id) AS "Students",
                   count(DISTINCT l.student_id) FILTER (WHERE np.paid >= np.due) AS "StudentsPaid"
            FROM lines l JOIN schools sc ON sc.id = l.school_id LEFT JOIN wards w ON w.id = sc.ward_id JOIN notice_paid np ON np.notice_id = l.notice_id
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
