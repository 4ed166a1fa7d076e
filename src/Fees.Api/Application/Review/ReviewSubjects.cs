using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Application.Banks;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;

namespace TdmEdu.Fees.Api.Application.Review;

/// <summary>What waits for a person: a statement line, money parked from a bank call, or a bank call needing attention.</summary>
public enum SubjectKind { Line, Parked, Call }

/// <summary>
/// One thing in the review queue, however it came: the statement line, the parked money or the bank call behind it.
/// AutoPaymentId is the payment reconciliation made by itself for a line (what "move" undoes).
/// </summary>
public sealed record Subject(SubjectKind Kind, Guid Id, Guid AccountId, string Bank, DateOnly Date, long AmountVnd, string Content, string Outcome,
    string Reason, string Suggestions, bool Credit, Guid? AutoPaymentId, StatementLineRow? Line = null, UnidentifiedMoney? Parked = null, InboxMessage? Call = null,
    string? ReasonVi = null)
{
    /// <summary>The id as `review list` shows it: the random end of the time-ordered id.</summary>
    public string ShortId => Id.ToString()[^12..];
}

/// <summary>
/// Where the review queue's subjects are found. <see cref="WaitingSql"/> is the one definition of "waiting for a
/// person": the queue, the dashboards' unidentified money and the audit all read it.
/// </summary>
public sealed class ReviewSubjects(FeesDb db)
{
    private const string InForce = """
        EXISTS (SELECT 1 FROM review_decisions d WHERE d.{0} = {1} AND d.action <> 'undo'
                AND NOT EXISTS (SELECT 1 FROM review_decisions x WHERE x.undoes_decision_id = d.id))
        """;

    private static string Decided(string column, string id) => string.Format(System.Globalization.CultureInfo.InvariantCulture, InForce, column, id);

    /// <summary>
    /// Rows (kind, id, account_id, amount_vnd, day, outcome, credit) of everything waiting: statement lines the matcher
    /// would not apply (unless the same reference is held by a bank call, which then stands for that money), parked
    /// money not decided and not taken back, and bank calls held, failed or flagged that nobody settled.
    /// </summary>
    public static readonly string WaitingSql = $"""
        SELECT 'line' AS kind, l.id, l.account_id, l.amount_vnd, l.booking_date AS day, r.outcome, l.direction = 'credit' AS credit
        FROM statement_lines l JOIN reconciliations r ON r.statement_line_id = l.id
        WHERE r.outcome IN ('suggested', 'unmatched') AND NOT {Decided("statement_line_id", "l.id")}
          AND NOT EXISTS (SELECT 1 FROM bank_ref_claims c JOIN bank_inbox cm ON cm.id = c.source_id
                          WHERE c.account_id = l.account_id AND c.bank_ref = l.bank_ref AND cm.amount_vnd IS NOT DISTINCT FROM l.amount_vnd)
        UNION ALL
        SELECT 'parked', u.id, u.account_id, u.amount_vnd, (u.received_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, 'parked', true
        FROM unidentified_money u
        WHERE u.reversed_by_inbox_id IS NULL AND u.reversed_by_statement_line_id IS NULL AND NOT {Decided("parked_id", "u.id")}
        UNION ALL
        SELECT 'call', m.id, m.account_id, COALESCE(m.amount_vnd, 0), (m.received_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date,
               CASE WHEN m.outcome IN ('held', 'failed') THEN m.outcome ELSE 'flagged' END, false
        FROM bank_inbox m
        WHERE m.processed_at IS NOT NULL AND (m.outcome IN ('held', 'failed') OR m.flagged) AND NOT {Decided("inbox_id", "m.id")}
        """;

    private sealed record WaitingRow(string Kind, Guid Id);

    /// <summary>Everything waiting, of every school or of the school whose accounts received it, oldest first.</summary>
    public async Task<List<Subject>> WaitingAsync(string? schoolCode, CancellationToken ct)
    {
#pragma warning disable EF1003 // WaitingSql is a constant; the school code goes in as a parameter.
        var rows = await db.Database.SqlQueryRaw<WaitingRow>("SELECT w.kind AS \"Kind\", w.id AS \"Id\" FROM (" + WaitingSql + """
            ) w JOIN school_bank_accounts a ON a.id = w.account_id JOIN schools sc ON sc.id = a.school_id
            CROSS JOIN (SELECT {0}::text AS code) wanted
            WHERE wanted.code = '' OR sc.code = wanted.code
            ORDER BY w.day, w.id
            """, schoolCode ?? "").ToListAsync(ct);
#pragma warning restore EF1003
        var subjects = new List<Subject>();
        foreach (var r in rows) subjects.Add(await LoadAsync(r.Kind, r.Id, ct));
        return subjects;
    }

    /// <summary>Whether the subject is in the queue now.</summary>
    public async Task<bool> IsWaitingAsync(Subject s, CancellationToken ct)
    {
#pragma warning disable EF1003 // WaitingSql is a constant; the id goes in as a parameter.
        return await db.Database.SqlQueryRaw<int>("SELECT 1 AS \"Value\" FROM (" + WaitingSql + ") w WHERE w.id = {0}", s.Id).AnyAsync(ct);
#pragma warning restore EF1003
    }

    /// <summary>A subject by the id `review list` shows (its last characters).</summary>
    public async Task<Subject> FindAsync(string id, CancellationToken ct)
    {
        var suffix = id.Trim().ToLowerInvariant();
        if (suffix.Length < 8)
            throw new BadInputException("ID", null, null, "give the id as `review list` shows it (at least its last 8 characters).",
                "mã cần ít nhất 8 ký tự cuối như danh sách chờ xử lý hiển thị.");
        var found = new List<(string Kind, Guid Id)>();
        // An id is hexadecimal; anything else names nothing (and is never handed to a query).
        if (suffix.Any(c => !Uri.IsHexDigit(c) && c != '-')) suffix = "";
        if (suffix.Length == 0)
            throw new BadInputException("ID", null, null, $"nothing in the review queue has the id {id}.", $"không có giao dịch nào mã {id}.");
        found.AddRange((await db.LineDecisions.AsNoTracking().Where(r => r.StatementLineId.ToString().EndsWith(suffix)).Select(r => r.StatementLineId)
            .Take(2).ToListAsync(ct)).Select(x => ("line", x)));
        found.AddRange((await db.Unidentified.AsNoTracking().Where(u => u.Id.ToString().EndsWith(suffix)).Select(u => u.Id).Take(2).ToListAsync(ct))
            .Select(x => ("parked", x)));
        found.AddRange((await db.Inbox.AsNoTracking().Where(m => m.ProcessedAt != null && m.Id.ToString().EndsWith(suffix)).Select(m => m.Id).Take(2).ToListAsync(ct))
            .Select(x => ("call", x)));
        return found.Count switch
        {
            1 => await LoadAsync(found[0].Kind, found[0].Id, ct),
            0 => throw new BadInputException("ID", null, null, $"nothing in the review queue has the id {id}.", $"không có giao dịch nào mã {id}."),
            _ => throw new BadInputException("ID", null, null, $"{id} names more than one item; give more characters.", $"{id} khớp nhiều mục; hãy nhập thêm ký tự."),
        };
    }

    public async Task<Subject> LoadAsync(string kind, Guid id, CancellationToken ct)
    {
        switch (kind)
        {
            case "line":
            {
                var l = await db.StatementLines.AsNoTracking().SingleAsync(x => x.Id == id, ct);
                var r = await db.LineDecisions.AsNoTracking().SingleAsync(x => x.StatementLineId == id, ct);
                return new(SubjectKind.Line, l.Id, l.AccountId, l.Bank, l.BookingDate, l.AmountVnd, l.Content, r.Outcome, r.Reason, r.Suggestions,
                    l.Direction == "credit" && !l.Reversal, r.PaymentId, Line: l, ReasonVi: r.ReasonVi);
            }
            case "parked":
            {
                var u = await db.Unidentified.AsNoTracking().SingleAsync(x => x.Id == id, ct);
                var m = await db.Inbox.AsNoTracking().SingleAsync(x => x.Id == u.InboxId, ct);
                return new(SubjectKind.Parked, u.Id, u.AccountId, u.Bank, Day(u.ReceivedAt), u.AmountVnd, await DescriptionAsync(m, ct), "parked", u.Reason, u.Suggestions,
                    true, null, Parked: u, Call: m, ReasonVi: u.ReasonVi);
            }
            default:
            {
                var m = await db.Inbox.AsNoTracking().SingleAsync(x => x.Id == id, ct);
                var outcome = m.Outcome is InboxOutcomes.Held or InboxOutcomes.Failed ? m.Outcome : m.Flagged ? "flagged" : m.Outcome ?? "pending";
                return new(SubjectKind.Call, m.Id, m.AccountId, m.Bank, Day(m.ReceivedAt), m.AmountVnd ?? 0, await DescriptionAsync(m, ct), outcome,
                    m.OutcomeReason ?? "", "[]", false, null, Call: m, ReasonVi: m.OutcomeReasonVi);
            }
        }
    }

    /// <summary>What the bank call said in words, read again from its stored copy; empty when it cannot be read.</summary>
    private async Task<string> DescriptionAsync(InboxMessage m, CancellationToken ct)
    {
        var account = await db.BankAccounts.AsNoTracking().SingleAsync(a => a.Id == m.AccountId, ct);
        try
        {
            var e = StoredCall.Read(m.Bank, m.Kind, m.RawBody, account.AccountNo);
            return e.Description;
        }
        catch (Exception x) when (x is not OperationCanceledException)
        {
            return "";
        }
    }

    private static DateOnly Day(DateTimeOffset at) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, BusinessClock.Zone).DateTime);
}
