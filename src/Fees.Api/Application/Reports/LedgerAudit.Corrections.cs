namespace TdmEdu.Fees.Api.Application.Reports;

/// <summary>The audit's corrections half: a correction marked done was made, once, at its own school; a refund stays within its payment.</summary>
public sealed partial class LedgerAudit
{
    private static readonly (string Name, string Sql)[] CorrectionChecks =
    [
        ("a correction marked done was made, and a refund not done paid nothing", """
            SELECT c.id::text AS "Row", c.kind || ' ' || c.status || ': ' || CASE
                     WHEN c.kind = 'reverse_payment' THEN 'the receipt''s payment is not reversed'
                     WHEN c.kind = 'replace_receipt' THEN 'the receipt is not replaced'
                     ELSE 'refunds of ' || COALESCE((SELECT sum(f.amount_vnd) FROM refunds f WHERE f.correction_request_id = c.id), 0) || ' for ' || c.amount_vnd END AS "Problem"
            FROM correction_requests c LEFT JOIN receipts r ON r.id = c.receipt_id
            WHERE (c.kind = 'reverse_payment' AND c.status = 'done'
                   AND NOT EXISTS (SELECT 1 FROM payments x WHERE x.reverses_payment_id = r.payment_id AND x.id::text = c.result))
               OR (c.kind = 'replace_receipt' AND c.status = 'done'
                   AND NOT EXISTS (SELECT 1 FROM receipts y WHERE y.replaces_receipt_id = r.id AND r.status IN ('cancelled', 'replaced')))
               OR (c.kind = 'refund_credit' AND COALESCE((SELECT sum(f.amount_vnd) FROM refunds f WHERE f.correction_request_id = c.id), 0)
                                                <> CASE WHEN c.status = 'done' THEN c.amount_vnd ELSE 0 END)
            """),
        ("a reversed payment's receipts are cancelled", """
            SELECT r.id::text AS "Row", 'receipt still ' || r.status || ' for a reversed payment' AS "Problem"
            FROM receipts r
            WHERE r.status IN ('pending_signature', 'issued', 'sent', 'accepted', 'rejected') AND EXISTS (SELECT 1 FROM payments x WHERE x.reverses_payment_id = r.payment_id)
            """),
        ("a correction acts on its own school's money", """
            SELECT c.id::text AS "Row", c.kind || ' of school ' || c.school_id || ' on money of another school' AS "Problem"
            FROM correction_requests c
            WHERE EXISTS (SELECT 1 FROM receipts r WHERE r.id = c.receipt_id AND r.school_id <> c.school_id)
               OR EXISTS (SELECT 1 FROM refunds f JOIN payments p ON p.id = f.payment_id WHERE f.correction_request_id = c.id AND p.school_id <> c.school_id)
            """),
    ];
}
