using Npgsql;
using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Api.Sandbox;

/// <summary>The province's year of collection, set-based: payments, their allocations and receipts, the notices brought in line.</summary>
public sealed partial class ProvinceSeeder
{
    /// <summary>
    /// Who pays a month's notice, decided by hashes so the same database comes out each time: a school's families pay
    /// with a probability f (most schools 88–98 %, one in twenty 55 %); of those who pay, 97 % pay in full and the rest
    /// half; 85 % within the month (day and hour spread), the others 25 to 65 days after it began; one in eight at the
    /// counter, the others by bank. Each payment has its gap-free receipt and its allocations line by line.
    /// </summary>
    private const string CollectSql = """
        CREATE TEMP TABLE IF NOT EXISTS seed_plan (notice_id uuid, school_id uuid, student_id uuid, notice_no text, pay_vnd bigint, method text,
                                                   received_at timestamptz, payment_id uuid);
        TRUNCATE seed_plan;
        INSERT INTO seed_plan
        SELECT n.id, n.school_id, n.student_id, n.notice_no,
               CASE WHEN x.r < x.f * 0.97 THEN n.amount_due_vnd ELSE n.amount_due_vnd / 2000 * 1000 END,
               CASE WHEN x.r2 < 0.125 THEN 'cash' ELSE 'bank' END,
               make_timestamptz(@year, @month, 1, 7, 0, 0, 'Asia/Ho_Chi_Minh')
                 + make_interval(days => CASE WHEN x.r < x.f * 0.85 THEN (x.r3 * 24)::int ELSE 25 + (x.r3 * 40)::int END, mins => (x.r2 * 720)::int),
               gen_random_uuid()
        FROM notices n
        CROSS JOIN LATERAL (SELECT
            (hashtext(n.id::text) & 2147483647) % 100000 / 100000.0 AS r,
            (hashtext(n.notice_no) & 2147483647) % 100000 / 100000.0 AS r2,
            (hashtext(n.student_id::text || n.period_key) & 2147483647) % 100000 / 100000.0 AS r3,
            CASE WHEN (hashtext(n.school_id::text) & 2147483647) % 20 = 0 THEN 0.55
                 ELSE 0.88 + (hashtext(n.school_id::text) & 2147483647) % 11 / 100.0 END AS f) x
        WHERE n.period_key = @key AND n.status = 'issued' AND n.amount_due_vnd > 0 AND x.r < x.f;

        INSERT INTO payments (id, school_id, student_id, method, amount_vnd, received_at, payer_name, preferred_notice_id, reverses_payment_id,
                              source, external_ref, actor, reason, inbox_id, flag)
        SELECT payment_id, school_id, student_id, method, pay_vnd, received_at, NULL, notice_id, NULL, 'SEED-' || upper(method), notice_no, 'seed', NULL, NULL, NULL
        FROM seed_plan;

        INSERT INTO allocations (id, payment_id, notice_id, notice_line_id, amount_vnd, at, kind, reverses_allocation_id)
        SELECT gen_random_uuid(), payment_id, notice_id, line_id, alloc, received_at, 'payment', NULL FROM (
            SELECT p.payment_id, p.notice_id, l.id AS line_id, p.received_at,
                   LEAST(l.amount_vnd, GREATEST(0, p.pay_vnd - (SUM(l.amount_vnd) OVER (PARTITION BY l.notice_id ORDER BY l.line_no) - l.amount_vnd))) AS alloc
            FROM seed_plan p JOIN notice_lines l ON l.notice_id = p.notice_id) a
        WHERE alloc > 0;

        CREATE TEMP TABLE IF NOT EXISTS seed_receipts (id uuid, payment_id uuid);
        TRUNCATE seed_receipts;
        WITH made AS (
            INSERT INTO receipts (id, series_id, school_id, number, payment_id, amount_vnd, payer_name, issued_at, status, replaces_receipt_id, cancelled_at, cancel_reason,
                                  student_id, issued_on, lookup_code, sandbox_cert)
            SELECT x.id, rs.id, p.school_id, rs.next_number - 1 + row_number() OVER (PARTITION BY rs.id ORDER BY p.received_at, p.payment_id),
                   p.payment_id, p.pay_vnd, NULL, p.received_at,
                   CASE WHEN rs.template LIKE 'EBL%' THEN 'pending_signature' ELSE 'issued' END, NULL, NULL, NULL,
                   p.student_id, (p.received_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date,
                   -- An e-receipt's lookup code: 12 of Crockford's base32 letters from the random id's bytes.
                   CASE WHEN rs.template LIKE 'EBL%' THEN (SELECT string_agg(substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', 1 + get_byte(uuid_send(x.id), i) % 32, 1), '' ORDER BY i)
                                                          FROM unnest(ARRAY[0,1,2,3,4,5,8,10,11,12,13,14]) AS i) END,
                   false
            FROM seed_plan p JOIN receipt_series rs ON rs.school_id = p.school_id AND rs.is_default
            CROSS JOIN LATERAL (SELECT gen_random_uuid() AS id) x
            RETURNING id, payment_id)
        INSERT INTO seed_receipts SELECT id, payment_id FROM made;
        INSERT INTO receipt_items (id, receipt_id, position, name, amount_vnd, notice_line_id)
        SELECT gen_random_uuid(), r.id, row_number() OVER (PARTITION BY r.id ORDER BY l.line_no),
               l.item_name || ' tháng ' || (n.period_key % 100) || '/' || (n.period_key / 100), a.amount_vnd, l.id
        FROM seed_receipts r JOIN allocations a ON a.payment_id = r.payment_id JOIN notice_lines l ON l.id = a.notice_line_id JOIN notices n ON n.id = a.notice_id;
        UPDATE receipt_series rs SET next_number = rs.next_number + c.n
        FROM (SELECT school_id, count(*) AS n FROM seed_plan GROUP BY school_id) c WHERE rs.school_id = c.school_id AND rs.is_default;

        UPDATE notices n SET amount_paid_vnd = p.pay_vnd, status = CASE WHEN p.pay_vnd >= n.amount_due_vnd THEN 'paid' ELSE 'partially_paid' END
        FROM seed_plan p WHERE n.id = p.notice_id;
        """;

    private async Task<long> CollectAsync(NpgsqlConnection conn, BillingMonth month, CancellationToken ct)
    {
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using var cmd = new NpgsqlCommand(CollectSql, conn, tx) { CommandTimeout = 0 };
        cmd.Parameters.AddWithValue("year", month.Year);
        cmd.Parameters.AddWithValue("month", month.Month);
        cmd.Parameters.AddWithValue("key", month.Key);
        await cmd.ExecuteNonQueryAsync(ct);
        await using var count = new NpgsqlCommand("SELECT count(*) FROM payments", conn, tx);
        var n = (long)(await count.ExecuteScalarAsync(ct))!;
        await tx.CommitAsync(ct);
        return n;
    }

    /// <summary>
    /// Every month but the last closed by 97 % of the schools a few days after it ended, the last by 60 % (closing is in
    /// progress); a third of the schools have one bank credit without a payment code waiting for a person, up to 40 days old.
    /// </summary>
    private static async Task CloseAndParkAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            INSERT INTO billing_periods (id, school_id, period_key, closed_at, closed_by)
            SELECT gen_random_uuid(), s.id, m.key,
                   make_timestamptz(m.key / 100, m.key % 100, 1, 17, 0, 0, 'Asia/Ho_Chi_Minh') + interval '1 month 4 days', 'seed'
            FROM schools s CROSS JOIN unnest(@keys) AS m(key)
            WHERE (hashtext(s.id::text || m.key) & 2147483647) % 100 < CASE WHEN m.key = @last THEN 60 ELSE 97 END;

            WITH chosen AS (
                SELECT a.id AS account_id, a.bank, row_number() OVER (ORDER BY s.code) AS i, hashtext(s.id::text) & 2147483647 AS h
                FROM schools s JOIN school_bank_accounts a ON a.school_id = s.id AND a.position = 0
                WHERE (hashtext(s.id::text) & 2147483647) % 3 = 0),
            calls AS (
                INSERT INTO bank_inbox (id, bank, kind, idempotency_key, bank_ref, account_id, raw_body, headers, received_at, answer_status, answer_body,
                                        processed_at, outcome, outcome_reason, attempts, flagged, event, amount_vnd)
                SELECT gen_random_uuid(), bank, 'notify', 'SEED-U-' || i, 'SEEDU' || i, account_id, '{}', '{}', now() - make_interval(days => h % 40), 200, '{}',
                       now() - make_interval(days => h % 40), 'unidentified', 'no payment code in the description', 1, false, 'credit', 50000 + h % 20 * 10000
                FROM chosen
                RETURNING id, bank, bank_ref, account_id, received_at, amount_vnd)
            INSERT INTO unidentified_money (id, inbox_id, account_id, bank, bank_ref, amount_vnd, received_at, reason, reversed_by_inbox_id, reversed_by_statement_line_id)
            SELECT gen_random_uuid(), id, account_id, bank, bank_ref, amount_vnd, received_at, 'no payment code in the description', NULL, NULL FROM calls;
            """, conn) { CommandTimeout = 0 };
        cmd.Parameters.AddWithValue("keys", Months.Select(m => m.Key).ToArray());
        cmd.Parameters.AddWithValue("last", Months[^1].Key);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
