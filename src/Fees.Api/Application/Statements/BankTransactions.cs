using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Application.Banks;
using TdmEdu.Fees.Api.Application.Payments;
using TdmEdu.Fees.Api.Persistence;

namespace TdmEdu.Fees.Api.Application.Statements;

/// <summary>
/// One bank transaction of a school account, whichever channel brought it: a statement line (Channel "statement") or a
/// bank call (BIDV bill payment or reversal "bidv-bill", Vietcombank or MSB notification "vcb-notify", "msb-notify"),
/// with its outcome and reason in both languages, the suggestions stored with it, and what `reconcile export` writes
/// for a statement line (notice numbers, student codes, allocated, the payment's amount).
/// </summary>
public sealed record BankTransaction(string Channel, Guid Id, Guid AccountId, string Bank, string AccountNo, string SchoolCode, string? Key,
    string? BankRef, DateOnly Day, int Seq, DateTimeOffset? At, long AmountVnd, string Direction, bool Reversal, string? Content, string Outcome,
    string? Reason, string? ReasonVi, string Suggestions, string? NoticeNos, string? StudentCodes, long Allocated, long PaymentAmount,
    string? InboxKind, string? RawBody, Guid? ParkedId, string? Decision, long Total)
{
    /// <summary>What the bank call said in words (read again from its stored copy), or the statement line's content.</summary>
    public string Text => Content ?? (RawBody is null || InboxKind is null ? "" : BankTransactions.Describe(Bank, InboxKind, RawBody, AccountNo));
}

/// <summary>Which transactions: a school, days, an outcome, a channel, one account's lines by key; newest first for a page.</summary>
public sealed record TransactionFilter(string? School = null, DateOnly? From = null, DateOnly? To = null, string? Outcome = null, string? Channel = null,
    Guid? AccountId = null, IReadOnlyList<string>? Keys = null, bool NewestFirst = false, int Skip = 0, int Take = int.MaxValue);

/// <summary>
/// The one query for bank transactions and their outcomes: the transactions page and `reconcile export` (statement lines)
/// read it, the statement page's preview reads its own lines through it. A statement line's outcome is its reconciliation
/// (pending before one); a bank call's is what the worker decided (applied, parked, duplicate, reversed, held, ignored,
/// failed, pending). Decision is a person's decision in force on it, if any.
/// </summary>
public sealed class BankTransactions(FeesDb db)
{
    /// <summary>The channels, as the filter takes them.</summary>
    public static readonly string[] Channels = ["statement", "bidv-bill", "vcb-notify", "msb-notify"];

    /// <summary>The outcomes, as the filter takes them: a statement line's, then a bank call's own.</summary>
    public static readonly string[] Outcomes =
        ["matched", "partial", "overpaid", "multi", "duplicate", "suggested", "unmatched", "reversed", "ignored", "applied", "parked", "held", "failed", "pending"];

    /// <summary>
    /// The rows of the school's accounts and days first (each branch on its own index), then the outcome and channel,
    /// the order and the page; what costs a look-up per row (notices, pupils, decisions) only for the page's rows.
    /// </summary>
    private const string Sql = """
        WITH acc AS (
            SELECT a.id, a.account_no, sc.code FROM school_bank_accounts a JOIN schools sc ON sc.id = a.school_id
            WHERE ({0} = '' OR sc.code = {0}) AND ({5} = '00000000-0000-0000-0000-000000000000'::uuid OR a.id = {5})),
        tx AS (
            SELECT 'statement' AS channel, l.id, l.account_id, l.bank, l.dedupe_key AS key, l.bank_ref, l.booking_date AS day, l.file_line AS seq,
                   NULL::timestamptz AS at, l.amount_vnd, l.direction, l.reversal, l.content, COALESCE(r.outcome, 'pending') AS outcome, r.reason, r.reason_vi,
                   COALESCE(r.suggestions::text, '[]') AS suggestions, r.payment_id, NULL AS inbox_kind, NULL AS raw_body, NULL::uuid AS parked_id
            FROM statement_lines l LEFT JOIN reconciliations r ON r.statement_line_id = l.id
            WHERE l.account_id IN (SELECT id FROM acc) AND l.booking_date BETWEEN {1} AND {2}
              AND (cardinality({6}::text[]) = 0 OR l.dedupe_key = ANY({6}::text[]))
            UNION ALL
            SELECT CASE WHEN m.kind IN ('paybill', 'revertbill') THEN 'bidv-bill' ELSE lower(m.bank) || '-notify' END, m.id, m.account_id, m.bank, NULL, m.bank_ref,
                   (m.received_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, 0, m.received_at, COALESCE(m.amount_vnd, 0),
                   CASE WHEN m.event IN ('reversal', 'debit') OR m.kind = 'revertbill' THEN 'debit' ELSE 'credit' END, COALESCE(m.event = 'reversal' OR m.kind = 'revertbill', false), NULL,
                   CASE m.outcome WHEN 'unidentified' THEN 'parked' ELSE COALESCE(m.outcome, 'pending') END,
                   m.outcome_reason, m.outcome_reason_vi, COALESCE(u.suggestions::text, '[]'), NULL, m.kind, m.raw_body, u.id
            FROM bank_inbox m LEFT JOIN unidentified_money u ON u.inbox_id = m.id
            WHERE m.account_id IN (SELECT id FROM acc) AND cardinality({6}::text[]) = 0
              AND (m.received_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date BETWEEN {1} AND {2}),
        page AS (
            SELECT tx.*, acc.account_no, acc.code, count(*) OVER () AS total FROM tx JOIN acc ON acc.id = tx.account_id
            WHERE ({3} = '' OR tx.outcome = {3}) AND ({4} = '' OR tx.channel = {4})
            ORDER BY @order OFFSET {7} LIMIT {8})
        SELECT channel AS "Channel", id AS "Id", account_id AS "AccountId", bank AS "Bank", account_no AS "AccountNo", code AS "SchoolCode",
               key AS "Key", bank_ref AS "BankRef", day AS "Day", seq AS "Seq", at AS "At", amount_vnd AS "AmountVnd", direction AS "Direction",
               reversal AS "Reversal", content AS "Content", outcome AS "Outcome", reason AS "Reason", reason_vi AS "ReasonVi", suggestions AS "Suggestions",
               (SELECT string_agg(DISTINCT n.notice_no, ';') FROM allocations x JOIN notices n ON n.id = x.notice_id WHERE x.payment_id = page.payment_id) AS "NoticeNos",
               (SELECT string_agg(DISTINCT s.student_code, ';') FROM allocations x JOIN notices n ON n.id = x.notice_id JOIN students s ON s.id = n.student_id
                 WHERE x.payment_id = page.payment_id) AS "StudentCodes",
               CASE WHEN outcome IN ('duplicate', 'reversed') THEN 0
                    ELSE COALESCE((SELECT SUM(x.amount_vnd) FROM allocations x WHERE x.payment_id = page.payment_id AND x.kind = 'payment'), 0) END AS "Allocated",
               CASE WHEN outcome IN ('duplicate', 'reversed') THEN 0 ELSE COALESCE((SELECT p.amount_vnd FROM payments p WHERE p.id = page.payment_id), 0) END AS "PaymentAmount",
               inbox_kind AS "InboxKind", raw_body AS "RawBody", parked_id AS "ParkedId",
               (SELECT d.action FROM review_decisions d
                 WHERE (d.statement_line_id = page.id OR d.inbox_id = page.id OR d.parked_id = page.parked_id) AND d.action <> 'undo'
                   AND NOT EXISTS (SELECT 1 FROM review_decisions x WHERE x.undoes_decision_id = d.id)
                 ORDER BY d.at DESC LIMIT 1) AS "Decision",
               total AS "Total"
        FROM page ORDER BY @order
        """;

    private const string Oldest = "day, account_no, seq, at, id";
    private const string Newest = "day DESC, at DESC NULLS LAST, account_no, seq, id";

    public async Task<List<BankTransaction>> ListAsync(TransactionFilter f, CancellationToken ct = default)
    {
#pragma warning disable EF1003 // The SQL is constant text; every value of the filter goes in as a parameter.
        return await db.Database.SqlQueryRaw<BankTransaction>(Sql.Replace("@order", f.NewestFirst ? Newest : Oldest, StringComparison.Ordinal),
            f.School?.ToUpperInvariant() ?? "", f.From ?? DateOnly.MinValue, f.To ?? DateOnly.MaxValue, f.Outcome ?? "", f.Channel ?? "",
            f.AccountId ?? Guid.Empty, (f.Keys ?? []).ToArray(), f.Skip, f.Take).ToListAsync(ct);
#pragma warning restore EF1003
    }

    /// <summary>A pupil a transaction's money pays now (a payment in force), and the notice it went on when it went on one.</summary>
    public sealed record Paid(Guid TxId, string Name, string PaymentCode, string? NoticeNo);

    /// <summary>
    /// Whom the money of each transaction pays now: the payments in force it made (by reconciliation, by a bank call, or by a
    /// person's decision in the review queue), their notices and pupils, and the pupil holding what was not allocated.
    /// </summary>
    public async Task<List<Paid>> PaidAsync(IReadOnlyList<BankTransaction> rows, CancellationToken ct = default)
    {
        if (rows.Count == 0) return [];
        var ids = rows.Select(r => r.Id).ToArray();
        var sources = rows.Select(r => r.Channel == "statement" ? BankCredits.StatementSource(r.Bank) : "").ToArray();
        return await db.Database.SqlQuery<Paid>($"""
            WITH t AS (SELECT * FROM unnest({ids}::uuid[], {sources}::text[]) AS t(id, source)),
            p AS (
                SELECT t.id AS tx, p.id, p.student_id FROM t JOIN payments p ON p.amount_vnd > 0
                    AND (t.source <> '' AND p.source = t.source AND (p.external_ref = t.id::text OR p.external_ref LIKE t.id::text || '#%')
                         OR t.source = '' AND p.inbox_id = t.id)
                WHERE NOT EXISTS (SELECT 1 FROM payments r WHERE r.reverses_payment_id = p.id))
            SELECT p.tx AS "TxId", s.full_name AS "Name", s.payment_code AS "PaymentCode", n.notice_no AS "NoticeNo"
            FROM p JOIN allocations x ON x.payment_id = p.id AND x.kind = 'payment' JOIN notices n ON n.id = x.notice_id JOIN students s ON s.id = n.student_id
            UNION
            SELECT p.tx, s.full_name, s.payment_code, NULL FROM p JOIN students s ON s.id = p.student_id
            """).ToListAsync(ct);
    }

    /// <summary>The description a bank call carried, read again from its stored copy with its bank's adapter; empty when it cannot be read.</summary>
    public static string Describe(string bank, string kind, string rawBody, string accountNo)
    {
        try
        {
            return StoredCall.Read(bank, kind, rawBody, accountNo).Description;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return "";
        }
    }
}
