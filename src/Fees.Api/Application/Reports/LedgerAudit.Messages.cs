namespace TdmEdu.Fees.Api.Application.Reports;

/// <summary>The audit's messages half: a message speaks of its own pupil's notice or payment, to that pupil's guardian, and keeps its proof.</summary>
public sealed partial class LedgerAudit
{
    private static readonly (string Name, string Sql)[] MessageChecks =
    [
        ("a message speaks of its own pupil's notice or payment, at the school that sends it", """
            SELECT m.id::text AS "Row", m.kind || ' about a notice of another pupil or school' AS "Problem"
            FROM messages m JOIN notices n ON n.id = m.notice_id
            WHERE n.student_id <> m.student_id OR n.school_id <> m.school_id
            UNION ALL
            SELECT m.id::text, m.kind || ' about a payment of another pupil or school'
            FROM messages m JOIN payments p ON p.id = m.payment_id
            WHERE p.student_id <> m.student_id OR p.school_id <> m.school_id
            UNION ALL
            SELECT m.id::text, m.kind || ' about a receipt of another payment'
            FROM messages m JOIN receipts r ON r.id = m.receipt_id
            WHERE m.payment_id IS DISTINCT FROM r.payment_id
            """),
        ("a message waiting to go is addressed to its pupil's guardian, at that guardian's contact", """
            SELECT m.id::text AS "Row", m.status || ' ' || m.channel || ' message to a guardian who is not the pupil''s, or not at the guardian''s contact' AS "Problem"
            FROM messages m JOIN students s ON s.id = m.student_id LEFT JOIN guardians g ON g.id = m.guardian_id
            WHERE m.status = 'queued'
              AND (s.guardian_id IS DISTINCT FROM m.guardian_id
                   OR m.destination IS DISTINCT FROM CASE WHEN m.channel = 'email' THEN g.email ELSE '84' || substr(g.phone, 2) END)
            """),
        ("a live parent link belongs to its pupil's guardian", """
            SELECT l.lid AS "Row", 'a link not revoked, held by a guardian who is no longer the pupil''s' AS "Problem"
            FROM portal_links l JOIN students s ON s.id = l.student_id
            WHERE l.revoked_at IS NULL AND l.expires_at > now() AND s.guardian_id IS DISTINCT FROM l.guardian_id
            """),
        ("a message that went out keeps its proof", """
            SELECT m.id::text AS "Row", m.status || ' message without ' || CASE WHEN m.sent_at IS NULL THEN 'the time it went' ELSE 'the hash of what went' END AS "Problem"
            FROM messages m WHERE m.status IN ('sent', 'delivered') AND (m.sent_at IS NULL OR m.body_sha256 IS NULL)
            """),
    ];
}
