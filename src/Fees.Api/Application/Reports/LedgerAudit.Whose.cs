using TdmEdu.Fees.Api.Application.Review;

namespace TdmEdu.Fees.Api.Application.Reports;

/// <summary>The audit's whose-money half: which school's account money came to, and where it went.</summary>
public sealed partial class LedgerAudit
{
    /// <summary>
    /// The statement line a statement payment came from, as a uuid so the look-up uses the key (comparing
    /// the key as text read every line for every payment: minutes on a 40,000-line month). The pattern guards
    /// the cast, so a damaged reference is reported by the checks instead of stopping the audit.
    /// </summary>
    private static readonly string LineOf =
        $"CASE WHEN {{0}}.source LIKE 'STMT-%' AND {{0}}.external_ref ~ '^{Hex(8)}-{Hex(4)}-{Hex(4)}-{Hex(4)}-{Hex(12)}(#|$)' " +
        "THEN left({0}.external_ref, 36)::uuid END";

    /// <summary>n hexadecimal digits as a pattern, written out: these texts go through string.Format, which reads braces.</summary>
    private static string Hex(int n) => string.Concat(Enumerable.Repeat("[0-9a-f]", n));

    private static readonly string PaymentAccount =
        "COALESCE((SELECT m.account_id FROM bank_inbox m WHERE m.id = {0}.inbox_id AND {0}.source NOT LIKE 'STMT-%'), " +
        "(SELECT l.account_id FROM statement_lines l WHERE l.id = " + LineOf + "))";

    private static readonly string CreditAmount =
        "COALESCE((SELECT m.amount_vnd FROM bank_inbox m WHERE m.id = {0}.inbox_id AND {0}.source NOT LIKE 'STMT-%'), " +
        "(SELECT l.amount_vnd FROM statement_lines l WHERE l.id = " + LineOf + "))";

    private static string Of(string sql, string alias) => string.Format(System.Globalization.CultureInfo.InvariantCulture, sql, alias);

    private const string DecidedInForce = """
        EXISTS (SELECT 1 FROM review_decisions d WHERE d.{0} = {1} AND d.action <> 'undo'
                AND NOT EXISTS (SELECT 1 FROM review_decisions x WHERE x.undoes_decision_id = d.id))
        """;

    /// <summary>Whose money: the checks that say which school's account money came to, and where it went.</summary>
    private static readonly (string Name, string Sql)[] WhoseChecks =
    [
        ("money received by a school pays only that school's notices", $"""
            SELECT a.id::text AS "Row", 'allocation of a payment of school ' || ps.code || ' on notice ' || n.notice_no || ' of school ' || ns.code AS "Problem"
            FROM allocations a JOIN payments p ON p.id = a.payment_id JOIN notices n ON n.id = a.notice_id
            JOIN schools ps ON ps.id = p.school_id JOIN schools ns ON ns.id = n.school_id
            WHERE n.school_id <> p.school_id
            UNION ALL
            SELECT p.id::text, 'bank payment booked to a school other than the one whose account received the money'
            FROM payments p JOIN school_bank_accounts acc ON acc.id = {Of(PaymentAccount, "p")}
            WHERE p.method = 'bank' AND p.school_id <> acc.school_id
            UNION ALL
            SELECT r.id::text, 'reversal booked to another school than the payment it undoes'
            FROM payments r JOIN payments o ON o.id = r.reverses_payment_id WHERE r.school_id <> o.school_id
            """),
        ("a bank's reversal undoes only a whole credit of the same account", $"""
            SELECT m.bank || ' ' || m.idempotency_key AS "Row",
                   'reversal of ' || COALESCE(m.amount_vnd::text, 'an unknown amount') || ' undid credits of ' || SUM({Of(CreditAmount, "o")}) AS "Problem"
            FROM bank_inbox m JOIN payments r ON r.inbox_id = m.id AND r.amount_vnd < 0 JOIN payments o ON o.id = r.reverses_payment_id
            GROUP BY m.id, m.bank, m.idempotency_key, m.amount_vnd
            HAVING bool_or({Of(PaymentAccount, "o")} IS DISTINCT FROM m.account_id)
                OR bool_or({Of(CreditAmount, "o")} IS DISTINCT FROM m.amount_vnd)
            UNION ALL
            SELECT u.bank || ' ' || u.bank_ref, 'parked money of ' || u.amount_vnd || ' taken back by a call of ' || COALESCE(m.amount_vnd::text, '?')
                   || CASE WHEN m.account_id <> u.account_id THEN ' on another account' ELSE '' END
            FROM unidentified_money u JOIN bank_inbox m ON m.id = u.reversed_by_inbox_id
            WHERE m.amount_vnd IS DISTINCT FROM u.amount_vnd OR m.account_id <> u.account_id OR m.outcome IS DISTINCT FROM 'reversed'
            UNION ALL
            SELECT u.bank || ' ' || u.bank_ref, 'parked money of ' || u.amount_vnd || ' taken back by a statement line of ' || l.amount_vnd
            FROM unidentified_money u JOIN statement_lines l ON l.id = u.reversed_by_statement_line_id
            WHERE l.amount_vnd <> u.amount_vnd OR l.account_id <> u.account_id
            UNION ALL
            SELECT l.bank || ' ' || COALESCE(l.bank_ref, l.dedupe_key), 'statement reversal of ' || l.amount_vnd || ' undid a credit of '
                   || COALESCE(({Of(CreditAmount, "o")})::text, '?') || CASE WHEN {Of(PaymentAccount, "o")} IS DISTINCT FROM l.account_id THEN ' on another account' ELSE '' END
            FROM statement_lines l JOIN reconciliations rc ON rc.statement_line_id = l.id AND rc.outcome = 'reversed' JOIN payments o ON o.id = rc.payment_id
            WHERE {Of(CreditAmount, "o")} IS DISTINCT FROM l.amount_vnd OR {Of(PaymentAccount, "o")} IS DISTINCT FROM l.account_id
            """),
        ("every stored bank call has an outcome that moved its money or holds it", """
            SELECT x.bank || ' ' || x.idempotency_key AS "Row", 'outcome ' || COALESCE(x.outcome, 'none') || ': ' || x.problem AS "Problem" FROM (
              SELECT m.bank, m.idempotency_key, m.outcome, CASE
                WHEN m.processed_at IS NOT NULL AND m.outcome IS NULL THEN 'processed without an outcome'
                WHEN m.outcome NOT IN ('applied', 'unidentified', 'duplicate', 'reversed', 'held', 'ignored', 'failed') THEN 'an outcome nobody reads'
                WHEN m.outcome = 'ignored' AND m.event IN ('credit', 'reversal') THEN 'a credit or a reversal set aside without a person'
                WHEN m.outcome = 'unidentified' AND NOT EXISTS (SELECT 1 FROM unidentified_money u WHERE u.inbox_id = m.id AND u.account_id = m.account_id
                     AND u.amount_vnd = COALESCE(m.amount_vnd, u.amount_vnd)) THEN 'parked money missing, or of another amount or account'
                WHEN m.outcome = 'duplicate' AND NOT EXISTS (SELECT 1 FROM bank_ref_claims c WHERE c.account_id = m.account_id AND c.bank_ref = m.bank_ref
                     AND c.source_id <> m.id) THEN 'a duplicate of nothing: no other channel holds its reference'
                WHEN m.outcome = 'reversed' AND NOT EXISTS (SELECT 1 FROM payments r WHERE r.inbox_id = m.id AND r.amount_vnd < 0)
                     AND NOT EXISTS (SELECT 1 FROM unidentified_money u WHERE u.reversed_by_inbox_id = m.id) THEN 'reversed nothing'
              END AS problem FROM bank_inbox m) x
            WHERE x.problem IS NOT NULL
            """),
        ("every parked đồng is in the review queue until a person decides, and a decision that assigns it is held by a payment", $"""
            SELECT u.bank || ' ' || u.bank_ref AS "Row", 'parked money of ' || u.amount_vnd || ' marked as assigned, but no payment in force holds it' AS "Problem"
            FROM unidentified_money u JOIN review_decisions d ON d.parked_id = u.id
            WHERE d.action IN ('confirm', 'reassign', 'split') AND NOT EXISTS (SELECT 1 FROM review_decisions x WHERE x.undoes_decision_id = d.id)
              AND u.reversed_by_inbox_id IS NULL AND u.reversed_by_statement_line_id IS NULL
              AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.inbox_id = u.inbox_id AND p.amount_vnd > 0
                              AND NOT EXISTS (SELECT 1 FROM payments r WHERE r.reverses_payment_id = p.id))
            UNION ALL
            SELECT u.bank || ' ' || u.bank_ref, 'parked money of ' || u.amount_vnd || ' taken back by the bank, but a payment in force still holds it'
            FROM unidentified_money u
            WHERE (u.reversed_by_inbox_id IS NOT NULL OR u.reversed_by_statement_line_id IS NOT NULL)
              AND EXISTS (SELECT 1 FROM payments p WHERE p.inbox_id = u.inbox_id AND p.amount_vnd > 0
                          AND NOT EXISTS (SELECT 1 FROM payments r WHERE r.reverses_payment_id = p.id))
            UNION ALL
            SELECT u.bank || ' ' || u.bank_ref, 'parked money of ' || u.amount_vnd || ' neither decided, taken back, nor in the review queue'
            FROM unidentified_money u
            WHERE u.reversed_by_inbox_id IS NULL AND u.reversed_by_statement_line_id IS NULL AND NOT {Of2(DecidedInForce, "parked_id", "u.id")}
              AND NOT EXISTS (SELECT 1 FROM ({ReviewSubjects.WaitingSql}) w WHERE w.id = u.id)
            UNION ALL
            SELECT l.bank || ' ' || COALESCE(l.bank_ref, l.dedupe_key), 'a duplicate statement line whose money neither moved nor waits anywhere'
            FROM statement_lines l JOIN reconciliations r ON r.statement_line_id = l.id
            WHERE r.outcome = 'duplicate' AND r.payment_id IS NULL
              AND NOT EXISTS (SELECT 1 FROM bank_ref_claims c WHERE c.account_id = l.account_id AND c.bank_ref = l.bank_ref AND c.source_id <> l.id)
              AND NOT EXISTS (SELECT 1 FROM bank_inbox m WHERE m.account_id = l.account_id AND m.bank_ref = l.bank_ref AND m.kind <> 'revertbill'
                              AND m.processed_at IS NULL)
            """),
        ("a bank call kept under a clash key is on the account the key names", """
            SELECT m.bank || ' ' || m.idempotency_key AS "Row", 'a key kept for another account''s clash, held by this one' AS "Problem"
            FROM bank_inbox m
            WHERE m.idempotency_key LIKE '%@%'
              AND m.idempotency_key !~ ('^[^@]+@' || replace(m.account_id::text, '-', '') || '$')
            """),
        ("every flagged, held or failed bank call is in the review queue or settled by a person", $"""
            SELECT m.bank || ' ' || m.idempotency_key AS "Row",
                   CASE WHEN m.flagged THEN 'flagged' ELSE COALESCE(m.outcome, 'pending') END || ' bank call that is neither in the review queue nor settled by a person' AS "Problem"
            FROM bank_inbox m
            WHERE (m.flagged OR m.outcome IN ('held', 'failed')) AND NOT {Of2(DecidedInForce, "inbox_id", "m.id")}
              AND NOT EXISTS (SELECT 1 FROM ({ReviewSubjects.WaitingSql}) w WHERE w.id = m.id)
            """),
    ];

    private static string Of2(string sql, string column, string id) => string.Format(System.Globalization.CultureInfo.InvariantCulture, sql, column, id);
}
