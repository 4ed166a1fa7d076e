using System.Globalization;
using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Api.Application.Reports;

/// <summary>One pupil's state support of one kind over the claimed months: what the school claims back from the budget.</summary>
/// <see cref="ReturnedVnd"/> is the state's share of meals not eaten in those months (absences given back), which the
/// school does not claim; <see cref="AmountVnd"/> is what it claims, the support paid less that.
public sealed record SupportClaimRow(string StudentCode, string FullName, string ClassName, string SupportCode, string SupportName, string? Evidence,
    string? LegalBasis, IReadOnlyList<BillingMonth> Months, long AmountVnd, long ReturnedVnd = 0);

/// <summary>One kind of support in one month: pupils and amount, the claim's summary.</summary>
public sealed record SupportMonthTotal(string SupportCode, string SupportName, BillingMonth Month, int Pupils, long AmountVnd);

/// <summary>
/// The claim to the budget for what the state paid in families' places (docs/contracts/support.md): per school, from
/// the notices that stand, every pupil and kind of support with the evidence, the months and the amount, and the
/// totals per kind and month. It adds up to the ledger: the sum is the notices' <c>support_vnd</c> of the months.
/// The evidence is sensitive: the claim is the school's accountant's, for the budget office only.
/// </summary>
public sealed class SupportClaim(FeesDb db)
{
    private sealed record Line(string StudentCode, string FullName, string ClassName, string SupportCode, int PeriodKey, long Amount, string? Basis,
        string? Evidence, string? Name, long Returned);

    public async Task<(List<SupportClaimRow> Rows, List<SupportMonthTotal> Totals)> QueryAsync(string schoolCode, int fromKey, int toKey, CancellationToken ct = default)
    {
        var lines = await db.Database.SqlQuery<Line>($"""
            SELECT s.student_code AS "StudentCode", s.full_name AS "FullName", max(n.class_name) AS "ClassName", l.support_code AS "SupportCode",
                   n.period_key AS "PeriodKey", sum(l.support_vnd)::bigint AS "Amount", max(l.support_basis) AS "Basis",
                   COALESCE(max(l.support_evidence), max(sp.evidence)) AS "Evidence", max(pg.name) AS "Name", COALESCE(sum(ret.state), 0)::bigint AS "Returned"
            FROM notice_lines l
            JOIN notices n ON n.id = l.notice_id AND n.status NOT IN ('cancelled', 'refunded')
            JOIN schools sc ON sc.id = n.school_id AND sc.code = {schoolCode}
            JOIN students s ON s.id = n.student_id
            LEFT JOIN student_policies sp ON sp.student_id = s.id AND upper(sp.policy_code) = upper(l.support_code)
            LEFT JOIN schedules sh ON sh.start_year = CASE WHEN n.period_key % 100 >= {SchoolYear.FirstMonth} THEN n.period_key / 100 ELSE n.period_key / 100 - 1 END
            LEFT JOIN policy_groups pg ON pg.schedule_id = sh.id AND upper(pg.code) = upper(l.support_code)
            -- The state's share of this line's days not eaten, given back on later notices that stand.
            LEFT JOIN LATERAL (SELECT sum(r.state_vnd) AS state FROM absence_refunds r
                               JOIN notices c ON c.id = r.notice_id AND c.status NOT IN ('cancelled', 'refunded')
                               WHERE r.student_id = n.student_id AND r.period_key = n.period_key AND r.school_id = n.school_id
                                 AND upper(r.item_code) = upper(l.item_code)) ret ON true
            WHERE l.support_vnd > 0 AND n.period_key BETWEEN {fromKey} AND {toKey}
            GROUP BY s.student_code, s.full_name, l.support_code, n.period_key
            """).ToListAsync(ct);
        var rows = lines.GroupBy(l => (l.StudentCode, l.SupportCode))
            .Select(g => new SupportClaimRow(g.Key.StudentCode, g.First().FullName, g.MaxBy(x => x.PeriodKey)!.ClassName, g.Key.SupportCode,
                g.First().Name ?? g.Key.SupportCode, g.First().Evidence, g.First().Basis,
                g.Select(x => BillingMonth.FromKey(x.PeriodKey)).Order().ToList(), g.Sum(x => x.Amount - x.Returned), g.Sum(x => x.Returned)))
            .OrderBy(r => r.SupportCode, StringComparer.Ordinal).ThenBy(r => r.ClassName, StringComparer.Ordinal).ThenBy(r => r.StudentCode, StringComparer.Ordinal).ToList();
        var totals = lines.GroupBy(l => (l.SupportCode, l.PeriodKey))
            .Select(g => new SupportMonthTotal(g.Key.SupportCode, g.First().Name ?? g.Key.SupportCode, BillingMonth.FromKey(g.Key.PeriodKey), g.Count(), g.Sum(x => x.Amount - x.Returned)))
            .OrderBy(t => t.SupportCode, StringComparer.Ordinal).ThenBy(t => t.Month).ToList();
        return (rows, totals);
    }

    /// <summary>CSV (the pupils' rows, columns in docs/contracts/support.md) or XLSX (a sheet of pupils and one of totals) by the file's extension.</summary>
    public async Task<(int Rows, long AmountVnd)> WriteAsync(string schoolCode, int fromKey, int toKey, string path, CancellationToken ct = default)
    {
        var (rows, totals) = await QueryAsync(schoolCode, fromKey, toKey, ct);
        await File.WriteAllBytesAsync(path, await BytesAsync(rows, totals, Path.GetExtension(path).Equals(".xlsx", StringComparison.OrdinalIgnoreCase), ct), ct);
        return (rows.Count, rows.Sum(r => r.AmountVnd));
    }

    public static async Task<byte[]> BytesAsync(IReadOnlyList<SupportClaimRow> rows, IReadOnlyList<SupportMonthTotal> totals, bool xlsx, CancellationToken ct)
    {
        static string Months(SupportClaimRow r) => string.Join(' ', r.Months.Select(m => $"{m.Month:D2}/{m.Year}"));
        if (!xlsx)
            return [.. System.Text.Encoding.UTF8.GetPreamble(), .. System.Text.Encoding.UTF8.GetBytes(Files.CsvFile.Text(Columns, rows.Select(r => (IEnumerable<string>)
            [
                r.StudentCode, r.FullName, r.ClassName, r.SupportCode, r.SupportName, r.Evidence ?? "", r.LegalBasis ?? "", Months(r),
                r.Months.Count.ToString(CultureInfo.InvariantCulture), r.ReturnedVnd.ToString(CultureInfo.InvariantCulture), r.AmountVnd.ToString(CultureInfo.InvariantCulture),
            ])))];
        var pupils = rows.Select((r, i) => new Dictionary<string, object?>
        {
            ["STT"] = i + 1, ["Mã học sinh"] = r.StudentCode, ["Họ và tên"] = r.FullName, ["Lớp"] = r.ClassName, ["Mã hỗ trợ"] = r.SupportCode,
            ["Khoản hỗ trợ"] = r.SupportName, ["Giấy tờ"] = r.Evidence ?? "", ["Căn cứ"] = r.LegalBasis ?? "", ["Các tháng"] = Months(r),
            ["Số tháng"] = r.Months.Count, ["Trừ ngày nghỉ"] = r.ReturnedVnd, ["Số tiền"] = r.AmountVnd,
        }).ToList();
        var sums = totals.Select(t => new Dictionary<string, object?>
        {
            ["Mã hỗ trợ"] = t.SupportCode, ["Khoản hỗ trợ"] = t.SupportName, ["Tháng"] = $"{t.Month.Month:D2}/{t.Month.Year}",
            ["Số học sinh"] = t.Pupils, ["Số tiền"] = t.AmountVnd,
        }).ToList();
        sums.Add(new Dictionary<string, object?> { ["Mã hỗ trợ"] = "Tổng cộng", ["Khoản hỗ trợ"] = "", ["Tháng"] = "", ["Số học sinh"] = rows.Select(r => r.StudentCode).Distinct().Count(), ["Số tiền"] = rows.Sum(r => r.AmountVnd) });
        using var ms = new MemoryStream();
        await MiniExcelLibs.MiniExcel.SaveAsAsync(ms, new Dictionary<string, object> { ["Chi tiết"] = pupils, ["Tổng hợp"] = sums }, cancellationToken: ct);
        return ms.ToArray();
    }

    public static readonly string[] Columns = ["student_code", "full_name", "class_name", "support_code", "support_name", "evidence", "legal_basis", "months", "month_count", "returned", "amount"];
}
