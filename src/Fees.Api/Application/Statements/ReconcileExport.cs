using System.Globalization;
using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Persistence;

namespace TdmEdu.Fees.Api.Application.Statements;

/// <summary>One row per bank transaction (booking date in range) with its outcome, as cli.md fixes the columns.</summary>
public sealed class ReconcileExport(FeesDb db)
{
    public static readonly string[] Columns =
        ["bank", "account_no", "bank_ref", "booking_date", "amount", "direction", "content", "outcome", "notice_nos", "student_codes", "allocated", "credited", "reason"];

    private sealed record Row(string Bank, string AccountNo, string? BankRef, DateOnly BookingDate, long Amount, string Direction, string Content,
        string? Outcome, string? NoticeNos, string? StudentCodes, long Allocated, long PaymentAmount, string? Reason);

    public async Task<int> WriteAsync(DateOnly? from, DateOnly? to, string path, CancellationToken ct = default)
    {
        var f = from ?? DateOnly.MinValue;
        var t = to ?? DateOnly.MaxValue;
        var rows = await db.Database.SqlQuery<Row>($"""
            SELECT l.bank AS "Bank", a.account_no AS "AccountNo", l.bank_ref AS "BankRef", l.booking_date AS "BookingDate", l.amount_vnd AS "Amount",
                   l.direction AS "Direction", l.content AS "Content", r.outcome AS "Outcome",
                   (SELECT string_agg(DISTINCT n.notice_no, ';') FROM allocations x JOIN notices n ON n.id = x.notice_id WHERE x.payment_id = r.payment_id) AS "NoticeNos",
                   (SELECT string_agg(DISTINCT s.student_code, ';') FROM allocations x JOIN notices n ON n.id = x.notice_id JOIN students s ON s.id = n.student_id
                     WHERE x.payment_id = r.payment_id) AS "StudentCodes",
                   CASE WHEN r.outcome IN ('duplicate', 'reversed') THEN 0
                        ELSE COALESCE((SELECT SUM(x.amount_vnd) FROM allocations x WHERE x.payment_id = r.payment_id AND x.kind = 'payment'), 0) END AS "Allocated",
                   CASE WHEN r.outcome IN ('duplicate', 'reversed') THEN 0 ELSE COALESCE((SELECT p.amount_vnd FROM payments p WHERE p.id = r.payment_id), 0) END AS "PaymentAmount",
                   r.reason AS "Reason"
            FROM statement_lines l JOIN school_bank_accounts a ON a.id = l.account_id
            LEFT JOIN reconciliations r ON r.statement_line_id = l.id
            WHERE l.booking_date BETWEEN {f} AND {t}
            ORDER BY l.booking_date, a.account_no, l.file_line
            """).ToListAsync(ct);
        await Files.CsvFile.WriteAsync(path, Columns, rows.Select(r =>
        {
            var credited = r.PaymentAmount > 0 ? r.PaymentAmount - r.Allocated : 0;
            return (IEnumerable<string>)
            [
                r.Bank, r.AccountNo, r.BankRef ?? "", r.BookingDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), r.Amount.ToString(CultureInfo.InvariantCulture),
                r.Direction, r.Content, r.Outcome ?? "pending", r.NoticeNos ?? "", r.StudentCodes ?? "",
                r.Allocated.ToString(CultureInfo.InvariantCulture), credited.ToString(CultureInfo.InvariantCulture), r.Reason ?? "not reconciled yet",
            ];
        }), ct);
        return rows.Count;
    }
}
