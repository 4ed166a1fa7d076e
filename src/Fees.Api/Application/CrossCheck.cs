using System.Globalization;
using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Persistence;

namespace TdmEdu.Fees.Api.Application;

/// <summary>
/// Notifications against statements: a credit the bank notified but no statement shows after the settlement
/// window ("clearing without money"), and a statement credit no notification announced ("money without
/// clearing"). Both are for a person to look at; nothing here moves money.
/// </summary>
public sealed class CrossCheck(FeesDb db, BusinessClock clock)
{
    public static readonly string[] Columns = ["kind", "bank", "account_no", "bank_ref", "date", "amount", "reason"];

    private sealed record Row(string Kind, string Bank, string AccountNo, string? BankRef, DateTimeOffset At, long Amount, string Reason);

    public async Task<int> WriteAsync(int settlementDays, string path, CancellationToken ct = default)
    {
        var cutoff = clock.Now.AddDays(-settlementDays);
        var rows = await db.Database.SqlQuery<Row>($"""
            SELECT 'notified, not on a statement' AS "Kind", m.bank AS "Bank", a.account_no AS "AccountNo", m.bank_ref AS "BankRef", m.received_at AS "At",
                   COALESCE((SELECT p.amount_vnd FROM payments p WHERE p.inbox_id = m.id AND p.amount_vnd > 0 LIMIT 1),
                            (SELECT u.amount_vnd FROM unidentified_money u WHERE u.inbox_id = m.id), 0) AS "Amount",
                   'no statement line of this account carries the reference ' || COALESCE(m.bank_ref, '(none)') || ' after ' || {settlementDays} || ' day(s)' AS "Reason"
            FROM bank_inbox m JOIN school_bank_accounts a ON a.id = m.account_id
            WHERE m.kind <> 'revertbill' AND m.outcome IN ('applied', 'unidentified') AND m.received_at < {cutoff}
              AND NOT EXISTS (SELECT 1 FROM statement_lines l WHERE l.account_id = m.account_id AND l.bank_ref = m.bank_ref)
            UNION ALL
            SELECT 'on a statement, never notified', l.bank, a.account_no, l.bank_ref, l.booking_date::timestamptz, l.amount_vnd,
                   'a credit no notification announced; reconciled as ' || COALESCE(r.outcome, 'pending')
            FROM statement_lines l JOIN school_bank_accounts a ON a.id = l.account_id LEFT JOIN reconciliations r ON r.statement_line_id = l.id
            WHERE l.direction = 'credit' AND NOT l.reversal
              AND NOT EXISTS (SELECT 1 FROM bank_inbox m WHERE m.account_id = l.account_id AND m.bank_ref = l.bank_ref)
            ORDER BY 1, 5
            """).ToListAsync(ct);
        await Files.CsvFile.WriteAsync(path, Columns, rows.Select(r => (IEnumerable<string>)
            [
                r.Kind, r.Bank, r.AccountNo, r.BankRef ?? "", TimeZoneInfo.ConvertTime(r.At, BusinessClock.Zone).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                r.Amount.ToString(CultureInfo.InvariantCulture), r.Reason,
            ]), ct);
        return rows.Count;
    }
}
