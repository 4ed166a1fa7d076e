namespace TdmEdu.Fees.Api.Application.Reports;

/// <summary>
/// The audit's receipts half (contracts/ereceipts.md §7, §8): each payment's money is on its receipts, line by line,
/// except what paid invoiced items; a replacement stands for what it replaced; a signed receipt is stored as signed;
/// every state a receipt reached is recorded. Receipts from before e-receipts list no items and are held to their
/// payment's amount, as they always were. Numbers without gaps: <see cref="LedgerAudit.ReceiptGapsCheck"/>.
/// </summary>
public sealed partial class LedgerAudit
{
    /// <summary>The document an allocation's item got when the money came: a school's latest setting before it, else a receipt.</summary>
    private const string KindAtAllocation = """
        COALESCE((SELECT k.document_kind FROM item_document_kinds k WHERE k.school_id = n.school_id AND k.item_code = l.item_code AND k.from_at <= a.at
                  ORDER BY k.from_at DESC LIMIT 1), 'receipt')
        """;

    /// <summary>
    /// `invoiced`: the allocations of payments on items whose document was not a receipt when the money came (only items
    /// a school ever set a kind for can be; the setting is rare). `old_style`: payments whose receipts are from before
    /// e-receipts (a receipt of theirs lists no items). Each read once (MATERIALIZED): asked per allocation, they were
    /// most of the receipt checks' time on a city.
    /// </summary>
    private const string ReceiptSets = $"""
        WITH invoiced AS MATERIALIZED (
            SELECT a.id, a.payment_id, a.amount_vnd
            FROM allocations a JOIN notice_lines l ON l.id = a.notice_line_id JOIN notices n ON n.id = a.notice_id
            JOIN (SELECT DISTINCT school_id, item_code FROM item_document_kinds) set_kind ON set_kind.school_id = n.school_id AND set_kind.item_code = l.item_code
            WHERE a.kind = 'payment' AND a.amount_vnd > 0 AND {KindAtAllocation} <> 'receipt'),
        old_style AS MATERIALIZED (
            SELECT DISTINCT o.payment_id FROM receipts o WHERE NOT EXISTS (SELECT 1 FROM receipt_items oi WHERE oi.receipt_id = o.id))
        """;

    private static readonly (string Name, string Sql)[] ReceiptChecks =
    [
        ("receipts match their payments", $"""
            {ReceiptSets}
            SELECT r.id::text AS "Row", 'receipt for ' || r.amount_vnd || ' on a payment of ' || p.amount_vnd AS "Problem"
            FROM receipts r JOIN payments p ON p.id = r.payment_id
            WHERE NOT EXISTS (SELECT 1 FROM receipt_items i WHERE i.receipt_id = r.id) AND r.amount_vnd <> p.amount_vnd
            UNION ALL
            SELECT r.id::text, 'receipt for ' || r.amount_vnd || ' listing ' || SUM(i.amount_vnd) FROM receipts r JOIN receipt_items i ON i.receipt_id = r.id
            GROUP BY r.id HAVING SUM(i.amount_vnd) <> r.amount_vnd
            UNION ALL
            SELECT r.id::text, 'replacement of a receipt that is neither cancelled nor replaced, or for another sum or payment'
            FROM receipts r JOIN receipts o ON o.id = r.replaces_receipt_id
            WHERE o.status NOT IN ('cancelled', 'replaced') OR o.amount_vnd <> r.amount_vnd OR o.payment_id <> r.payment_id
            UNION ALL
            SELECT p.id::text, p.method || ' payment of ' || p.amount_vnd || ' with ' || COALESCE(inv.s, 0) || ' on invoiced items and '
                   || COALESCE(rc.s, 0) || ' on its receipts'
            -- Summed per payment once, then joined: a sum per payment in a subquery was two index walks a payment.
            FROM payments p
            LEFT JOIN (SELECT r.payment_id, SUM(r.amount_vnd) AS s FROM receipts r WHERE r.replaces_receipt_id IS NULL GROUP BY r.payment_id) rc
                   ON rc.payment_id = p.id
            LEFT JOIN (SELECT payment_id, SUM(amount_vnd) AS s FROM invoiced GROUP BY payment_id) inv ON inv.payment_id = p.id
            WHERE p.method IN ('cash', 'bank') AND p.amount_vnd > 0 AND NOT EXISTS (SELECT 1 FROM old_style o WHERE o.payment_id = p.id)
              AND COALESCE(rc.s, 0) <> p.amount_vnd - COALESCE(inv.s, 0)
            """),
        ("every paid receipt item has a receipt", $"""
            {ReceiptSets}
            SELECT COALESCE(paid.payment_id, listed.payment_id)::text || ' line ' || COALESCE(paid.line_id, listed.line_id)::text AS "Row",
                   COALESCE(paid.amount, 0) || ' paid on a receipted line, ' || COALESCE(listed.amount, 0) || ' on the payment''s receipts' AS "Problem"
            FROM (SELECT a.payment_id, a.notice_line_id AS line_id, SUM(a.amount_vnd) AS amount
                  FROM allocations a
                  WHERE a.kind = 'payment' AND a.amount_vnd > 0
                    AND NOT EXISTS (SELECT 1 FROM invoiced v WHERE v.id = a.id)
                    AND NOT EXISTS (SELECT 1 FROM old_style o WHERE o.payment_id = a.payment_id)
                  GROUP BY a.payment_id, a.notice_line_id) paid
            FULL JOIN (SELECT r.payment_id, i.notice_line_id AS line_id, SUM(i.amount_vnd) AS amount
                       FROM receipt_items i JOIN receipts r ON r.id = i.receipt_id
                       WHERE r.replaces_receipt_id IS NULL AND i.notice_line_id IS NOT NULL
                       GROUP BY r.payment_id, i.notice_line_id) listed
              ON listed.payment_id = paid.payment_id AND listed.line_id = paid.line_id
            WHERE paid.amount IS DISTINCT FROM listed.amount
            """),
        ("a signed receipt is stored as it was signed, and every state it reached is recorded", """
            SELECT r.id::text AS "Row", 'stored XML does not hash to its recorded SHA-256' AS "Problem"
            FROM receipts r WHERE r.signed_xml IS NOT NULL AND encode(sha256(r.signed_xml), 'hex') <> r.xml_sha256
            UNION ALL
            SELECT x.id::text, 'signed XML states ' || x.stated || ' where the record holds ' || x.recorded FROM (
                SELECT r.id, d.stated, d.recorded FROM receipts r JOIN receipt_series s ON s.id = r.series_id
                CROSS JOIN LATERAL (SELECT XMLPARSE(DOCUMENT convert_from(r.signed_xml, 'UTF8')) AS doc) p
                CROSS JOIN LATERAL (VALUES
                    ((xpath('/CTu/DLCTu/TTChung/SCTu/text()', p.doc))[1]::text, r.number::text),
                    ((xpath('/CTu/DLCTu/TTChung/KHCTu/text()', p.doc))[1]::text, s.series),
                    ((xpath('/CTu/DLCTu/TTChung/MTCuu/text()', p.doc))[1]::text, r.lookup_code),
                    ((xpath('/CTu/DLCTu/NDCTu/TToan/TgTien/text()', p.doc))[1]::text, r.amount_vnd::text)) AS d(stated, recorded)
                WHERE r.signed_xml IS NOT NULL AND d.stated IS DISTINCT FROM d.recorded) x
            UNION ALL
            SELECT r.id::text, 'lookup code ' || r.lookup_code || ' is not 12 letters of Crockford''s base32' FROM receipts r
            WHERE r.lookup_code IS NOT NULL AND r.lookup_code !~ '^[0-9A-HJKMNP-TV-Z]{{12}}$'
            UNION ALL
            SELECT r.id::text, 'state ' || r.status || ' with no event recording it' FROM receipts r
            WHERE r.lookup_code IS NOT NULL AND r.status <> 'pending_signature'
              AND NOT EXISTS (SELECT 1 FROM receipt_events e WHERE e.receipt_id = r.id AND e.to_status = r.status)
            UNION ALL
            SELECT r.id::text, 'receipt of school ' || r.school_id || ' in a series of another school or for another school''s payment' FROM receipts r
            JOIN receipt_series s ON s.id = r.series_id JOIN payments p ON p.id = r.payment_id
            WHERE s.school_id <> r.school_id OR p.school_id <> r.school_id
            """),
        ("what goes to the tax office is what was signed, and a receipt's state agrees with what the provider said", """
            SELECT o.id::text AS "Row", 'upload of receipt ' || r.id || ' under ' || o.idempotency_key || ' is not that receipt as signed' AS "Problem"
            FROM ereceipt_outbox o JOIN receipts r ON r.id = o.receipt_id JOIN receipt_series s ON s.id = r.series_id
            WHERE o.kind = 'receipt' AND (o.sha256 IS DISTINCT FROM r.xml_sha256 OR o.school_id <> r.school_id OR o.number IS DISTINCT FROM r.number
                  OR o.template IS DISTINCT FROM s.template OR o.series IS DISTINCT FROM s.series OR o.idempotency_key NOT LIKE '%:' || s.template || ':' || s.series || ':' || r.number)
            UNION ALL
            SELECT o.id::text, o.kind || ' ' || o.idempotency_key || ' does not hash to its recorded SHA-256' FROM ereceipt_outbox o
            WHERE o.xml IS NOT NULL AND encode(sha256(o.xml), 'hex') <> o.sha256
            UNION ALL
            SELECT o.id::text, 'error notice ' || o.idempotency_key || ' for a receipt that is ' || r.status || ', or of another school'
            FROM ereceipt_outbox o JOIN receipts r ON r.id = o.receipt_id
            WHERE o.kind = 'error_notice' AND (r.status NOT IN ('cancelled', 'replaced') OR o.school_id <> r.school_id)
            UNION ALL
            SELECT r.id::text, 'receipt ' || r.status || ' while its upload is ' || COALESCE(o.state, 'missing')
            FROM receipts r LEFT JOIN ereceipt_outbox o ON o.receipt_id = r.id AND o.kind = 'receipt'
            WHERE (r.status = 'sent' AND COALESCE(o.state, '') <> 'sent')
               OR (r.status = 'accepted' AND COALESCE(o.state, '') <> 'accepted')
               OR (r.status = 'rejected' AND COALESCE(o.state, '') <> 'rejected')
               OR (o.state IN ('accepted', 'rejected') AND r.status NOT IN ('cancelled', 'replaced') AND r.status <> o.state)
            """),
    ];
}
