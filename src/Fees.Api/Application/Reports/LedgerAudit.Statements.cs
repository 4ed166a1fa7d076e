namespace TdmEdu.Fees.Api.Application.Reports;

/// <summary>The audit's statements half: every transaction a statement file held is stored, once, for what the file said.</summary>
public sealed partial class LedgerAudit
{
    private static readonly (string Name, string Sql)[] StatementChecks =
    [
        ("every statement import's transactions are stored for what its file said", """
            SELECT f.file_name || ' (' || f.id || ')' AS "Row",
                   'the file held credits of ' || f.file_credits_vnd || ' and debits of ' || f.file_debits_vnd
                   || ' but its stored lines add up to ' || COALESCE(s.credits, 0) || ' and ' || COALESCE(s.debits, 0) AS "Problem"
            FROM statement_imports f
            LEFT JOIN (SELECT il.import_id,
                              SUM(l.amount_vnd) FILTER (WHERE l.direction = 'credit') AS credits,
                              SUM(l.amount_vnd) FILTER (WHERE l.direction = 'debit') AS debits
                       FROM statement_import_lines il JOIN statement_lines l ON l.id = il.line_id
                       GROUP BY il.import_id) s ON s.import_id = f.id
            WHERE f.file_credits_vnd IS NOT NULL
              AND (COALESCE(s.credits, 0) <> f.file_credits_vnd OR COALESCE(s.debits, 0) <> f.file_debits_vnd)
            """),
        // The importer takes a line read once with a bank reference and once without as one line (found by attack: two
        // maps of one file booked a transfer twice); two such lines stored side by side are that line twice.
        ("no bank line is stored twice, once with a bank reference and once without", """
            SELECT a.dedupe_key || ' / ' || b.dedupe_key AS "Row",
                   'the ' || a.direction || ' of ' || a.amount_vnd || ' on ' || a.booking_date || ' with the same description is stored with the reference '
                   || a.bank_ref || ' and again without one' AS "Problem"
            FROM statement_lines a
            JOIN statement_lines b ON b.account_id = a.account_id AND b.booking_date = a.booking_date AND b.direction = a.direction
                 AND b.reversal = a.reversal AND b.amount_vnd = a.amount_vnd
                 AND lower(regexp_replace(btrim(b.content), '\s+', ' ', 'g')) = lower(regexp_replace(btrim(a.content), '\s+', ' ', 'g'))
            WHERE COALESCE(a.bank_ref, '') <> '' AND COALESCE(b.bank_ref, '') = ''
            """),
    ];
}
