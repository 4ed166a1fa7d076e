using System.Globalization;
using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;

namespace TdmEdu.Fees.Api.Application.Statements;

public sealed record CrossCheckSummary(int Open, int New, int Resolved);

/// <summary>
/// Notifications against statements: a credit the bank notified but no statement shows after the settlement
/// window ("clearing without money"), and a statement credit no notification announced ("money without
/// clearing"). Both are for a person to look at; nothing here moves money. The CLI writes them to a file; the
/// daily job keeps them as findings, one per bank call or statement line, resolved when they stop holding.
/// </summary>
public sealed class CrossCheck(FeesDb db, BusinessClock clock)
{
    public const int DefaultSettlementDays = 2;

    public static readonly string[] Columns = ["kind", "bank", "account_no", "bank_ref", "date", "amount", "reason"];

    private sealed record Row(string Kind, Guid SourceId, Guid AccountId, string Bank, string AccountNo, string? BankRef, DateTimeOffset At, long Amount, string Reason);

    public async Task<int> WriteAsync(int settlementDays, string path, CancellationToken ct = default)
    {
        var rows = await FindAsync(settlementDays, ct);
        await Files.CsvFile.WriteAsync(path, Columns, rows.Select(r => (IEnumerable<string>)
            [
                r.Kind, r.Bank, r.AccountNo, r.BankRef ?? "", TimeZoneInfo.ConvertTime(r.At, BusinessClock.Zone).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                r.Amount.ToString(CultureInfo.InvariantCulture), r.Reason,
            ]), ct);
        return rows.Count;
    }

    /// <summary>Brings the stored findings in line with what holds now; running it twice changes nothing.</summary>
    public async Task<CrossCheckSummary> RecordAsync(int settlementDays, CancellationToken ct = default)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // One recorder at a time; a second waits and then finds the work done.
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtext('crosscheck'))", ct);
        var rows = await FindAsync(settlementDays, ct);
        var byKey = rows.ToDictionary(r => (r.Kind, r.SourceId));
        var stored = await db.CrossCheckFindings.ToListAsync(ct);
        var resolved = 0;
        foreach (var f in stored)
        {
            if (byKey.TryGetValue((f.Kind, f.SourceId), out var r))
            {
                // Still holds: keep the words current (a pending line gets its outcome), and reopen it if it had stopped.
                f.Reason = r.Reason;
                f.AmountVnd = r.Amount;
                if (f.ResolvedAt is not null) (f.ResolvedAt, f.FoundAt) = (null, clock.Now);
            }
            else if (f.ResolvedAt is null)
            {
                f.ResolvedAt = clock.Now;
                resolved++;
            }
        }
        var known = stored.Select(f => (f.Kind, f.SourceId)).ToHashSet();
        var added = rows.Where(r => !known.Contains((r.Kind, r.SourceId))).Select(r => new CrossCheckFinding
        {
            Id = Guid.CreateVersion7(), Kind = r.Kind, SourceId = r.SourceId, AccountId = r.AccountId, Bank = r.Bank, BankRef = r.BankRef,
            At = r.At, AmountVnd = r.Amount, Reason = r.Reason, FoundAt = clock.Now,
        }).ToList();
        db.CrossCheckFindings.AddRange(added);
        if (added.Count > 0 || resolved > 0)
            AuditLog.Record(db, clock, new Actor("job:crosscheck"), "crosscheck", "crosscheck_findings", null, new { added = added.Count, resolved, open = rows.Count });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new CrossCheckSummary(rows.Count, added.Count, resolved);
    }

    private async Task<List<Row>> FindAsync(int settlementDays, CancellationToken ct)
    {
        var cutoff = clock.Now.AddDays(-settlementDays);
        return await db.Database.SqlQuery<Row>($"""
            SELECT 'notified, not on a statement' AS "Kind", m.id AS "SourceId", m.account_id AS "AccountId", m.bank AS "Bank", a.account_no AS "AccountNo",
                   m.bank_ref AS "BankRef", m.received_at AS "At",
                   COALESCE((SELECT p.amount_vnd FROM payments p WHERE p.inbox_id = m.id AND p.amount_vnd > 0 LIMIT 1),
                            (SELECT u.amount_vnd FROM unidentified_money u WHERE u.inbox_id = m.id), 0) AS "Amount",
                   'no statement line of this account carries the reference ' || COALESCE(m.bank_ref, '(none)') || ' after ' || {settlementDays} || ' day(s)' AS "Reason"
            FROM bank_inbox m JOIN school_bank_accounts a ON a.id = m.account_id
            WHERE m.kind <> 'revertbill' AND m.outcome IN ('applied', 'unidentified') AND m.received_at < {cutoff}
              AND NOT EXISTS (SELECT 1 FROM statement_lines l WHERE l.account_id = m.account_id AND l.bank_ref = m.bank_ref)
            UNION ALL
            SELECT 'on a statement, never notified', l.id, l.account_id, l.bank, a.account_no, l.bank_ref, l.booking_date::timestamptz, l.amount_vnd,
                   'a credit no notification announced; reconciled as ' || COALESCE(r.outcome, 'pending')
            FROM statement_lines l JOIN school_bank_accounts a ON a.id = l.account_id LEFT JOIN reconciliations r ON r.statement_line_id = l.id
            WHERE l.direction = 'credit' AND NOT l.reversal
              AND NOT EXISTS (SELECT 1 FROM bank_inbox m WHERE m.account_id = l.account_id AND m.bank_ref = l.bank_ref)
            ORDER BY 1, 7
            """).ToListAsync(ct);
    }
}
