using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Domain.Receipts;

namespace TdmEdu.Fees.Api.Application.Reports;

public sealed record AuditFinding(string Check, string Row, string Problem);

/// <summary>What one audit found, and how long each check took (in the order the checks ran).</summary>
public sealed record AuditReport(IReadOnlyList<string> ChecksRun, IReadOnlyList<AuditFinding> Findings, IReadOnlyList<TimeSpan> Took)
{
    public bool Passed => Findings.Count == 0;

    public int FailedChecks => Findings.Select(f => f.Check).Distinct().Count();

    public int ReceiptGaps => Findings.Count(f => f.Check == LedgerAudit.ReceiptGapsCheck);

    public TimeSpan Total => Took.Aggregate(TimeSpan.Zero, (sum, t) => sum + t);
}

/// <summary>
/// The ledger invariants, checked in SQL over the whole database: every payment's đồng allocated, held as
/// credit or refunded exactly once; notice balances equal lines minus allocations; receipts gap-free per
/// series; reversals linked to what they undo.
/// </summary>
public sealed partial class LedgerAudit(FeesDb db)
{
    private sealed record Finding(string Row, string Problem);

    private static readonly (string Name, string Sql)[] Checks =
    [
        ("notice amount due equals its lines", """
            SELECT n.notice_no AS "Row", 'amount_due ' || n.amount_due_vnd || ' but lines add up to ' || COALESCE(SUM(l.amount_vnd), 0) AS "Problem"
            FROM notices n LEFT JOIN notice_lines l ON l.notice_id = n.id
            GROUP BY n.id HAVING n.amount_due_vnd <> COALESCE(SUM(l.amount_vnd), 0)
            """),
        ("notice amount paid equals its allocations", """
            SELECT n.notice_no AS "Row", 'amount_paid ' || n.amount_paid_vnd || ' but allocations add up to ' || COALESCE(SUM(a.amount_vnd), 0) AS "Problem"
            FROM notices n LEFT JOIN allocations a ON a.notice_id = n.id
            GROUP BY n.id HAVING n.amount_paid_vnd <> COALESCE(SUM(a.amount_vnd), 0)
            """),
        ("no notice line is paid beyond its amount or below zero", """
            SELECT l.id::text AS "Row", 'line of ' || l.amount_vnd || ' carries allocations of ' || SUM(a.amount_vnd) AS "Problem"
            FROM notice_lines l JOIN allocations a ON a.notice_line_id = l.id
            GROUP BY l.id HAVING SUM(a.amount_vnd) > l.amount_vnd OR SUM(a.amount_vnd) < 0
            """),
        ("allocations sit on their own notice's lines", """
            SELECT a.id::text AS "Row", 'allocation names notice ' || a.notice_id || ' but its line belongs to ' || l.notice_id AS "Problem"
            FROM allocations a JOIN notice_lines l ON l.id = a.notice_line_id WHERE l.notice_id <> a.notice_id
            """),
        ("notice state matches its money", """
            SELECT n.notice_no AS "Row", 'state ' || n.status || ' with ' || n.amount_paid_vnd || ' paid of ' || n.amount_due_vnd AS "Problem"
            FROM notices n
            WHERE (n.status = 'paid' AND n.amount_paid_vnd <> n.amount_due_vnd)
               OR (n.status = 'partially_paid' AND (n.amount_paid_vnd = 0 OR n.amount_paid_vnd >= n.amount_due_vnd))
               OR (n.status = 'issued' AND n.amount_paid_vnd <> 0)
               OR (n.status IN ('cancelled', 'refunded') AND n.amount_paid_vnd <> 0)
            """),
        ("every payment's money is allocated, held as credit or refunded, exactly once", """
            SELECT p.id::text AS "Row",
                   'payment of ' || p.amount_vnd || ': allocated ' || COALESCE(al.s, 0) || ', refunded ' || COALESCE(rf.s, 0)
                   || ' leaves ' || (p.amount_vnd - COALESCE(al.s, 0) - COALESCE(rf.s, 0)) AS "Problem"
            FROM payments p
            LEFT JOIN (SELECT payment_id, SUM(amount_vnd) s FROM allocations GROUP BY payment_id) al ON al.payment_id = p.id
            LEFT JOIN (SELECT payment_id, SUM(amount_vnd) s FROM refunds GROUP BY payment_id) rf ON rf.payment_id = p.id
            WHERE p.amount_vnd > 0 AND (
                  p.amount_vnd - COALESCE(al.s, 0) - COALESCE(rf.s, 0) < 0
               OR COALESCE(al.s, 0) < 0
               OR (EXISTS (SELECT 1 FROM payments r WHERE r.reverses_payment_id = p.id) AND (COALESCE(al.s, 0) <> 0 OR COALESCE(rf.s, 0) <> 0)))
            """),
        ("credit a pupil holds at a school is used on that pupil's open notices there", """
            WITH held AS (
                SELECT p.student_id, p.school_id, SUM(p.amount_vnd - COALESCE(al.s, 0) - COALESCE(rf.s, 0)) AS vnd
                FROM payments p
                LEFT JOIN (SELECT payment_id, SUM(amount_vnd) s FROM allocations GROUP BY payment_id) al ON al.payment_id = p.id
                LEFT JOIN (SELECT payment_id, SUM(amount_vnd) s FROM refunds GROUP BY payment_id) rf ON rf.payment_id = p.id
                WHERE p.amount_vnd > 0 AND p.amount_vnd > COALESCE(al.s, 0) + COALESCE(rf.s, 0)
                  AND NOT EXISTS (SELECT 1 FROM payments r WHERE r.reverses_payment_id = p.id)
                GROUP BY p.student_id, p.school_id)
            SELECT n.notice_no AS "Row", 'owes ' || (n.amount_due_vnd - n.amount_paid_vnd) || ' while the school holds ' || h.vnd || ' of the pupil''s credit' AS "Problem"
            FROM held h JOIN notices n ON n.student_id = h.student_id AND n.school_id = h.school_id
            WHERE n.status IN ('issued', 'partially_paid') AND n.amount_due_vnd > n.amount_paid_vnd
            """),
        ("reversals point at the payment they undo, for its whole amount", """
            SELECT r.id::text AS "Row", CASE WHEN o.id IS NULL THEN 'reversal names no payment'
                 ELSE 'reversal of ' || r.amount_vnd || ' for a payment of ' || o.amount_vnd END AS "Problem"
            FROM payments r LEFT JOIN payments o ON o.id = r.reverses_payment_id
            WHERE r.amount_vnd < 0 AND (o.id IS NULL OR r.amount_vnd <> -o.amount_vnd OR o.amount_vnd < 0 OR o.student_id <> r.student_id)
            UNION ALL
            SELECT p.id::text, 'a payment row with a negative amount that reverses nothing' FROM payments p
            WHERE p.amount_vnd < 0 AND p.reverses_payment_id IS NULL
            """),
        ("reversing allocations undo an allocation of the same payment, line and amount", """
            SELECT a.id::text AS "Row", 'negative allocation of ' || a.amount_vnd || CASE WHEN o.id IS NULL THEN ' undoes nothing' ELSE ' does not mirror allocation ' || o.id END AS "Problem"
            FROM allocations a LEFT JOIN allocations o ON o.id = a.reverses_allocation_id
            WHERE a.amount_vnd < 0 AND (o.id IS NULL OR o.amount_vnd <> -a.amount_vnd OR o.payment_id <> a.payment_id OR o.notice_line_id <> a.notice_line_id)
            UNION ALL
            SELECT a.id::text, 'positive allocation marked as a reversal' FROM allocations a WHERE a.amount_vnd > 0 AND a.reverses_allocation_id IS NOT NULL
            """),
        ("every applied bank credit made exactly one payment", """
            SELECT m.bank || ' ' || m.idempotency_key AS "Row", 'applied bank call with ' || count(p.id) || ' payments' AS "Problem"
            FROM bank_inbox m LEFT JOIN payments p ON p.inbox_id = m.id AND p.amount_vnd > 0
            WHERE m.outcome = 'applied' GROUP BY m.id HAVING count(p.id) <> 1
            """),
        ("every unidentified bank credit is parked once, and nothing is both parked and applied", """
            SELECT m.bank || ' ' || m.idempotency_key AS "Row", 'unidentified bank call that is not parked' AS "Problem"
            FROM bank_inbox m WHERE m.outcome = 'unidentified' AND NOT EXISTS (SELECT 1 FROM unidentified_money u WHERE u.inbox_id = m.id)
            UNION ALL
            SELECT u.bank || ' ' || u.bank_ref, 'parked money that made a payment no decision of a person names' FROM unidentified_money u
            JOIN payments p ON p.inbox_id = u.inbox_id AND p.amount_vnd > 0
            WHERE NOT EXISTS (SELECT 1 FROM review_decisions d WHERE d.parked_id = u.id
                              AND (d.payment_id = p.id OR d.parts @> jsonb_build_array(jsonb_build_object('payment_id', p.id))))
            UNION ALL
            SELECT u.bank || ' ' || u.bank_ref, 'parked money whose bank call says ' || COALESCE(m.outcome, 'nothing') || ', not unidentified'
            FROM unidentified_money u JOIN bank_inbox m ON m.id = u.inbox_id WHERE m.outcome IS DISTINCT FROM 'unidentified'
            """),
        ("every bank payment comes from its stored bank call", """
            SELECT p.source || ' ' || p.external_ref AS "Row", 'payment of ' || p.amount_vnd || ' from neither a stored bank call nor a statement line' AS "Problem"
            FROM payments p LEFT JOIN bank_inbox m ON m.id = p.inbox_id
            WHERE p.method = 'bank' AND p.source NOT LIKE 'STMT-%' AND (m.id IS NULL OR m.bank <> p.source
                  OR NOT (p.external_ref = m.idempotency_key OR left(p.external_ref, length(m.idempotency_key) + 7) = m.idempotency_key || '#review'))
            UNION ALL
            SELECT p.source || ' ' || p.external_ref, 'statement payment named by neither its reconciliation nor a review decision' FROM payments p
            WHERE p.method = 'bank' AND p.source LIKE 'STMT-%'
              AND NOT EXISTS (SELECT 1 FROM reconciliations r WHERE r.payment_id = p.id AND r.statement_line_id::text = p.external_ref)
              AND NOT EXISTS (SELECT 1 FROM review_decisions d WHERE d.statement_line_id::text = split_part(p.external_ref, '#', 1)
                              AND (d.payment_id = p.id OR d.parts @> jsonb_build_array(jsonb_build_object('payment_id', p.id))))
            """),
        ("every statement line is applied at most once, and a duplicate applies nothing", """
            SELECT l.bank || ' ' || COALESCE(l.bank_ref, l.dedupe_key) AS "Row",
                   'statement line of ' || l.amount_vnd || ' with ' || SUM(p.amount_vnd) || ' in payments in force' AS "Problem"
            FROM statement_lines l JOIN payments p ON split_part(p.external_ref, '#', 1) = l.id::text AND p.source LIKE 'STMT-%' AND p.amount_vnd > 0
            WHERE NOT EXISTS (SELECT 1 FROM payments r WHERE r.reverses_payment_id = p.id)
            GROUP BY l.id HAVING SUM(p.amount_vnd) > l.amount_vnd
            UNION ALL
            SELECT l.bank || ' ' || COALESCE(l.bank_ref, l.dedupe_key), 'a line judged duplicate also made a payment'
            FROM statement_lines l JOIN reconciliations r ON r.statement_line_id = l.id
            WHERE r.outcome = 'duplicate' AND EXISTS (SELECT 1 FROM payments p WHERE split_part(p.external_ref, '#', 1) = l.id::text AND p.source LIKE 'STMT-%')
            """),
        ("no bank credit moves money by two channels (notification and statement)", """
            SELECT l.bank || ' ' || l.bank_ref AS "Row", 'applied from the statement and from notification ' || m.idempotency_key AS "Problem"
            FROM statement_lines l
            JOIN payments sp ON split_part(sp.external_ref, '#', 1) = l.id::text AND sp.source LIKE 'STMT-%' AND sp.amount_vnd > 0
                            AND NOT EXISTS (SELECT 1 FROM payments r WHERE r.reverses_payment_id = sp.id)
            JOIN bank_inbox m ON m.account_id = l.account_id AND m.bank_ref = l.bank_ref AND m.kind <> 'revertbill'
            WHERE EXISTS (SELECT 1 FROM payments np WHERE np.inbox_id = m.id AND np.amount_vnd > 0 AND NOT EXISTS (SELECT 1 FROM payments r WHERE r.reverses_payment_id = np.id))
               OR EXISTS (SELECT 1 FROM unidentified_money u WHERE u.inbox_id = m.id AND u.reversed_by_inbox_id IS NULL AND u.reversed_by_statement_line_id IS NULL)
            """),
        ("every statement line has an outcome once a reconciliation run that began after its import has completed", """
            -- The lines without an outcome first (few), once, then the runs after their import: joining every line to
            -- every later run first made millions of rows of a city's months (7 s), and a subquery was read once a run.
            WITH open AS MATERIALIZED (
                SELECT l.id, l.bank, l.bank_ref, l.dedupe_key, l.account_id, i.at
                FROM statement_lines l JOIN statement_imports i ON i.id = l.import_id
                WHERE NOT EXISTS (SELECT 1 FROM reconciliations r WHERE r.statement_line_id = l.id))
            SELECT l.bank || ' ' || COALESCE(l.bank_ref, l.dedupe_key) AS "Row",
                   'imported ' || l.at || ' and still without an outcome after the run that began ' || MIN(run.started) AS "Problem"
            FROM open l
            JOIN (SELECT entity_key AS bank, (details::jsonb ->> 'started_at')::timestamptz AS started, (details::jsonb ->> 'account_id')::uuid AS account
                  FROM audit_log WHERE action = 'reconcile' AND details::jsonb ? 'started_at') run
                 ON (run.bank IS NULL OR run.bank = l.bank) AND (run.account IS NULL OR run.account = l.account_id) AND run.started > l.at
            GROUP BY l.id, l.bank, l.bank_ref, l.dedupe_key, l.at
            """),
        ("no bank call waits more than an hour to be applied", """
            SELECT m.bank || ' ' || m.idempotency_key AS "Row", 'stored at ' || m.received_at || ', not applied (' || m.attempts || ' attempts)' AS "Problem"
            FROM bank_inbox m WHERE m.processed_at IS NULL AND m.received_at < now() - interval '1 hour'
            """),
        ("receipt series counters follow their last number", """
            SELECT sc.code || '/' || s.template || '/' || s.series AS "Row", 'next number ' || s.next_number || ' after ' || COALESCE(MAX(r.number), 0) || ' issued' AS "Problem"
            FROM receipt_series s JOIN schools sc ON sc.id = s.school_id LEFT JOIN receipts r ON r.series_id = s.id
            GROUP BY s.id, sc.code HAVING s.next_number <> COALESCE(MAX(r.number), 0) + 1
            """),
    ];

    public async Task<AuditReport> RunAsync(CancellationToken ct = default)
    {
        // A check reads whole tables: at a city's size one may take a minute under load, longer than a request's 30 s.
        var timeout = db.Database.GetCommandTimeout();
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(10));
        try
        {
            return await RunChecksAsync(ct);
        }
        finally
        {
            db.Database.SetCommandTimeout(timeout);
        }
    }

    private async Task<AuditReport> RunChecksAsync(CancellationToken ct)
    {
        var findings = new List<AuditFinding>();
        var names = new List<string>();
        var took = new List<TimeSpan>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        foreach (var (name, sql) in Checks.Concat(BillingChecks).Concat(WhoseChecks).Concat(MessageChecks).Concat(CorrectionChecks).Concat(StatementChecks).Concat(SummaryChecks).Concat(ReceiptChecks))
        {
            names.Add(name);
            clock.Restart();
            // The SQL is one of the constant checks above; nothing from outside goes into it.
#pragma warning disable EF1003
            // The first hundred findings in a fixed order (a limit without an order is a warning in EF's log, one per check).
            var rows = await db.Database.SqlQueryRaw<Finding>(sql).OrderBy(f => f.Row).ThenBy(f => f.Problem).Take(100).ToListAsync(ct);
#pragma warning restore EF1003
            findings.AddRange(rows.Select(r => new AuditFinding(name, r.Row, r.Problem)));
            took.Add(clock.Elapsed);
        }

        names.Add(ReceiptGapsCheck);
        clock.Restart();
        findings.AddRange(await ReceiptGapsAsync(ct));
        took.Add(clock.Elapsed);
        return new AuditReport(names, findings, took);
    }

    /// <summary>
    /// Runs the audit and keeps its outcome (<c>ledger_audit_runs</c>): the vital signs of every node read the last run,
    /// so the audit runs once per cluster (the scheduled job) and an operator's <c>fees audit</c> counts as a run too.
    /// </summary>
    public async Task<AuditReport> RunAndRecordAsync(string runBy, CancellationToken ct = default)
    {
        var started = DateTimeOffset.UtcNow;
        var report = await RunAsync(ct);
        // Milliseconds as seconds with three decimals (decimal, so the JSON says exactly that).
        var seconds = report.ChecksRun.Zip(report.Took).ToDictionary(p => p.First, p => (long)p.Second.TotalMilliseconds / 1000m);
        db.LedgerAuditRuns.Add(new LedgerAuditRun
        {
            StartedAt = started,
            FinishedAt = DateTimeOffset.UtcNow,
            RunBy = runBy,
            Checks = report.ChecksRun.Count,
            FailedChecks = report.FailedChecks,
            ReceiptGaps = report.ReceiptGaps,
            Seconds = System.Text.Json.JsonSerializer.Serialize(seconds),
        });
        await db.SaveChangesAsync(ct);
        // A year of runs every 15 minutes is 35,000 rows; older ones say nothing the log does not.
        await db.LedgerAuditRuns.Where(r => r.FinishedAt < started.AddDays(-RetentionDays)).ExecuteDeleteAsync(ct);
        return report;
    }

    public const int RetentionDays = 90;

    public const string ReceiptGapsCheck = "receipt numbers are gap-free in every series";

    /// <summary>Receipt numbers missing or used twice, per series (SCHOOL/TEMPLATE/SERIES); the education office's dashboard shows them too.</summary>
    public async Task<List<AuditFinding>> ReceiptGapsAsync(CancellationToken ct = default)
    {
        var findings = new List<AuditFinding>();
        var series = await (from s in db.ReceiptSeries.AsNoTracking()
                            join sc in db.Schools.AsNoTracking() on s.SchoolId equals sc.Id
                            select new { s.Id, Label = sc.Code + "/" + s.Template + "/" + s.Series }).ToListAsync(ct);
        var numbers = (await db.Receipts.AsNoTracking().Select(r => new { r.SeriesId, r.Number }).ToListAsync(ct)).ToLookup(r => r.SeriesId, r => r.Number);
        foreach (var s in series.OrderBy(s => s.Label, StringComparer.Ordinal))
        {
            var (missing, repeated) = Receipt.FindGaps(numbers[s.Id]);
            foreach (var m in missing) findings.Add(new AuditFinding(ReceiptGapsCheck, s.Label, $"number {m} is missing"));
            foreach (var r in repeated) findings.Add(new AuditFinding(ReceiptGapsCheck, s.Label, $"number {r} is used twice"));
        }
        return findings;
    }
}
