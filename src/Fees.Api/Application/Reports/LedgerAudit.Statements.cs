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
    ];
}
