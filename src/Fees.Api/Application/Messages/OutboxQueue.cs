using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Persistence;

namespace TdmEdu.Fees.Api.Application.Messages;

/// <summary>
/// Puts messages in the outbox in the transaction of what caused them (contracts/notifications.md §1–§2): one row
/// per guardian, channel and subject, its idempotency key unique, so a second run, a replayed bank call or a
/// "send notices" after the billing run add nothing. Written in SQL over the whole set: a billing run queues a
/// city's messages in one statement.
/// The channel is chosen here: Zalo where the school has an Official Account and the guardian can take it, SMS
/// where not, e-mail in addition for a guardian who gave an address; a channel the guardian refused or cannot
/// take is not used. Texts are rendered when the message is sent, from the state then.
/// </summary>
public static class OutboxQueue
{
    public const string NoticeIssued = "notice_issued";
    public const string ReminderDue = "reminder_due";
    public const string ReminderOverdue = "reminder_overdue";
    public const string PaymentApplied = "payment_applied";
    public const string ReceiptChanged = "receipt_changed";

    /// <summary>The channels a guardian takes, as a lateral subquery over g (guardian), m (school settings) and the kind in {0}.</summary>
    private const string Channels = """
        CROSS JOIN LATERAL (
            SELECT c.channel FROM (VALUES ('zalo_zns'), ('sms'), ('email')) AS c(channel)
            WHERE CASE c.channel
                WHEN 'zalo_zns' THEN g.phone IS NOT NULL AND COALESCE(m.zalo_enabled, false) AND {1}.state = 'allowed'
                    AND ({0} IN ('notice_issued', 'payment_applied', 'receipt_changed') OR NOT {1}.reminders_off)
                -- SMS when Zalo is not there for this person; after a refusal of Zalo only what must reach them.
                WHEN 'sms' THEN g.phone IS NOT NULL AND COALESCE(m.sms_enabled, true) AND s_.state = 'allowed'
                    AND NOT (g.phone IS NOT NULL AND COALESCE(m.zalo_enabled, false) AND {1}.state = 'allowed')
                    AND ({0} IN ('notice_issued', 'payment_applied', 'receipt_changed') OR ({1}.state IS DISTINCT FROM 'opted_out' AND NOT s_.reminders_off))
                ELSE g.email IS NOT NULL AND COALESCE(m.email_enabled, true) AND e_.state = 'allowed'
                    AND ({0} IN ('notice_issued', 'payment_applied', 'receipt_changed') OR NOT e_.reminders_off)
            END) AS ch
        """;

    private static string GuardianJoins(string schoolColumn) => $"""
        JOIN guardians g ON g.id = s.guardian_id
        LEFT JOIN school_messaging m ON m.school_id = {schoolColumn}
        LEFT JOIN guardian_channels z_ ON z_.guardian_id = g.id AND z_.channel = 'zalo_zns'
        LEFT JOIN guardian_channels s_ ON s_.guardian_id = g.id AND s_.channel = 'sms'
        LEFT JOIN guardian_channels e_ ON e_.guardian_id = g.id AND e_.channel = 'email'
        """;

    private const string Destination = "CASE WHEN ch.channel = 'email' THEN g.email ELSE '84' || substr(g.phone, 2) END";

    /// <summary>Messages about notices (issued, or a reminder with its variant), for the given notices still owing.</summary>
    public static Task<int> QueueForNoticesAsync(FeesDb db, Guid[] noticeIds, string kind, string variant, DateTimeOffset now, CancellationToken ct,
        DateTimeOffset? notBefore = null)
    {
        var sql = $"""
            INSERT INTO messages (id, school_id, guardian_id, student_id, notice_id, kind, variant, channel, idempotency_key, destination,
                                  status, attempts, next_attempt_at, not_before, created_at)
            SELECT gen_random_uuid(), n.school_id, g.id, n.student_id, n.id, @kind, @variant, ch.channel,
                   sc.code || ':N' || n.notice_no || ':' || @kind || ':' || @variant || ':' || ch.channel || ':' || g.id,
                   {Destination}, 'queued', 0, @now, @notBefore, @now
            FROM notices n JOIN students s ON s.id = n.student_id JOIN schools sc ON sc.id = n.school_id
            {GuardianJoins("n.school_id")}
            {string.Format(System.Globalization.CultureInfo.InvariantCulture, Channels, "@kind", "z_")}
            WHERE n.id = ANY(@ids) AND n.status IN ('issued', 'partially_paid') AND n.amount_due_vnd > n.amount_paid_vnd
            ORDER BY n.notice_no
            ON CONFLICT (idempotency_key) DO NOTHING
            """;
        return ExecuteAsync(db, sql, ct, ("ids", noticeIds), ("kind", kind), ("variant", variant), ("now", now),
            ("notBefore", notBefore is { } nb ? nb : DBNull.Value));
    }

    /// <summary>A message per guardian for each payment received (not a reversal), about its receipt, or the payment when it made none.</summary>
    public static Task<int> QueueForPaymentsAsync(FeesDb db, Guid[] paymentIds, DateTimeOffset now, CancellationToken ct)
    {
        var sql = $"""
            INSERT INTO messages (id, school_id, guardian_id, student_id, receipt_id, payment_id, kind, variant, channel, idempotency_key, destination,
                                  status, attempts, next_attempt_at, created_at)
            SELECT gen_random_uuid(), p.school_id, g.id, p.student_id, r.id, p.id, 'payment_applied', '', ch.channel,
                   sc.code || ':' || COALESCE('R' || rs.template || '/' || rs.series || '/' || r.number, 'P' || p.id) || ':payment_applied::' || ch.channel || ':' || g.id,
                   {Destination}, 'queued', 0, @now, @now
            FROM payments p JOIN students s ON s.id = p.student_id JOIN schools sc ON sc.id = p.school_id
            LEFT JOIN receipts r ON r.payment_id = p.id AND r.status IN {ReceiptStates.LiveSql} AND (r.student_id IS NULL OR r.student_id = p.student_id)
            LEFT JOIN receipt_series rs ON rs.id = r.series_id
            {GuardianJoins("p.school_id")}
            {string.Format(System.Globalization.CultureInfo.InvariantCulture, Channels, "'payment_applied'", "z_")}
            WHERE p.id = ANY(@ids) AND p.amount_vnd > 0 AND p.reverses_payment_id IS NULL
            ON CONFLICT (idempotency_key) DO NOTHING
            """;
        return ExecuteAsync(db, sql, ct, ("ids", paymentIds), ("now", now));
    }

    private const string Told = "SELECT 1 FROM messages t WHERE t.payment_id = {0} AND t.kind = 'payment_applied' AND t.status IN ('sending', 'sent', 'delivered', 'unknown')";

    /// <summary>Whether the family may have heard of this payment (a message about it went, or may have).</summary>
    public static Task<bool> ToldOfPaymentAsync(FeesDb db, Guid paymentId, CancellationToken ct) =>
        db.Messages.AnyAsync(t => t.PaymentId == paymentId && t.Kind == PaymentApplied && (t.Status == "sending" || t.Status == "sent" || t.Status == "delivered" || t.Status == "unknown"), ct);

    /// <summary>What the family was about to hear of a payment reversed, or of a receipt replaced, before it went: not sent.</summary>
    public static Task<int> WithdrawUnsentAsync(FeesDb db, Guid paymentId, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"""
            UPDATE messages SET status = 'cancelled', last_error_code = 'PAYMENT_CHANGED',
                   last_error_text = 'the payment was reversed or its receipt replaced before the message went'
            WHERE payment_id = {paymentId} AND kind = 'payment_applied' AND status = 'queued'
            """, ct);

    /// <summary>
    /// A message per guardian for each receipt cancelled (reversed, or replaced by a new one), naming the cancelled
    /// receipt, when the family may have heard of it; a family that never did is not told of a receipt it never had.
    /// </summary>
    public static Task<int> QueueForCancelledReceiptsAsync(FeesDb db, Guid[] receiptIds, DateTimeOffset now, CancellationToken ct)
    {
        var sql = $"""
            INSERT INTO messages (id, school_id, guardian_id, student_id, receipt_id, payment_id, kind, variant, channel, idempotency_key, destination,
                                  status, attempts, next_attempt_at, created_at)
            SELECT gen_random_uuid(), p.school_id, g.id, p.student_id, r.id, p.id, 'receipt_changed', '', ch.channel,
                   sc.code || ':R' || rs.template || '/' || rs.series || '/' || r.number || ':receipt_changed::' || ch.channel || ':' || g.id,
                   {Destination}, 'queued', 0, @now, @now
            FROM receipts r JOIN receipt_series rs ON rs.id = r.series_id JOIN payments p ON p.id = r.payment_id
            JOIN students s ON s.id = p.student_id JOIN schools sc ON sc.id = p.school_id
            {GuardianJoins("p.school_id")}
            {string.Format(System.Globalization.CultureInfo.InvariantCulture, Channels, "'receipt_changed'", "z_")}
            WHERE r.id = ANY(@ids) AND r.status IN ('cancelled', 'replaced') AND EXISTS ({string.Format(System.Globalization.CultureInfo.InvariantCulture, Told, "p.id")})
            ON CONFLICT (idempotency_key) DO NOTHING
            """;
        return ExecuteAsync(db, sql, ct, ("ids", receiptIds), ("now", now));
    }

    private static async Task<int> ExecuteAsync(FeesDb db, string sql, CancellationToken ct, params (string Name, object Value)[] parameters)
    {
        if (parameters[0].Value is Guid[] { Length: 0 }) return 0;
        // The SQL is built from the constants above; every value goes in as a parameter.
#pragma warning disable EF1002
        return await db.Database.ExecuteSqlRawAsync(sql,
            parameters.Select(p => (object)(p.Value is DBNull
                ? new Npgsql.NpgsqlParameter(p.Name, NpgsqlTypes.NpgsqlDbType.TimestampTz) { Value = DBNull.Value }
                : new Npgsql.NpgsqlParameter(p.Name, p.Value))).ToArray(), ct);
#pragma warning restore EF1002
    }
}
