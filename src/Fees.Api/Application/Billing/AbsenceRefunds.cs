using Npgsql;
using NpgsqlTypes;
using TdmEdu.Fees.Domain.Billing;
using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Api.Application.Billing;

/// <summary>
/// Days not eaten, given back on the next notice. For every month whose absences are not yet settled, the refund
/// due per per-day item is what that month's line charged less what it would have charged for the days eaten
/// (<see cref="BilledDayLine"/>); less what earlier notices already carried, the rest goes on the new notice's line
/// of the same item. A correction after billing changes the due, so the difference (either way) comes on the next
/// notice; an issued notice is never edited.
/// </summary>
public static class AbsenceRefunds
{
    /// <summary>One month's absences still owed (or over-refunded) for one item of one pupil.</summary>
    public sealed record Open(Guid AttendanceId, DateTimeOffset RecordedAt, Guid StudentId, LineAdjustment Adjustment, AbsenceRefundRule Rule, Guid SchoolId, long StateVnd = 0);

    /// <summary>What is still to settle for the given pupils before <paramref name="month"/>, per pupil; a month with nothing left is listed to settle.</summary>
    public static async Task<(ILookup<Guid, Open> Open, List<(Guid Id, DateTimeOffset RecordedAt)> NothingLeft)> DueAsync(
        NpgsqlConnection conn, FeeSchedule schedule, IReadOnlyCollection<Guid> students, BillingMonth month, CancellationToken ct)
    {
        // Item codes compared in upper case everywhere: a schedule re-imported in another case is the same item.
        var rules = schedule.Items.Where(i => i.AbsenceRefund is not null).ToDictionary(i => i.Code.ToUpperInvariant(), i => i.AbsenceRefund!);
        var open = new List<Open>();
        var rows = new Dictionary<Guid, (DateTimeOffset At, bool Left)>();
        if (students.Count == 0) return (open.ToLookup(o => o.StudentId), []);
        // Refunds count while the notice carrying them stands; a withdrawn notice's refunds are owed again, and a
        // withdrawn month's refunds are taken back (its line is gone, so it gives nothing back).
        await using var cmd = new NpgsqlCommand("""
            WITH carried AS (
                SELECT r.student_id, r.period_key, upper(r.item_code) AS item_code, r.amount_vnd, r.days, r.from_day, r.without_notice, r.at, r.state_vnd FROM absence_refunds r
                JOIN notices c ON c.id = r.notice_id AND c.status NOT IN ('cancelled', 'refunded')
                WHERE r.student_id = ANY($2))
            SELECT a.id, a.recorded_at, a.student_id, a.period_key, a.absent_with_notice, a.absent_without_notice,
                   i.item_code, l.quantity, l.unit_price_vnd, l.reduction_percent,
                   COALESCE(r.amount, 0), COALESCE(r.days, 0), n.id IS NULL, a.school_id, r.from_day, r.without_notice,
                   EXISTS (SELECT 1 FROM billing_periods bp WHERE bp.school_id = a.school_id AND bp.period_key = a.period_key AND bp.closed_at IS NOT NULL),
                   COALESCE(l.support_vnd, 0), COALESCE(r.state, 0)
            FROM attendance_months a
            -- Only a month the school billed itself: a school never gives back what another school charged.
            LEFT JOIN notices n ON n.student_id = a.student_id AND n.period_key = a.period_key AND n.status NOT IN ('cancelled', 'refunded')
                                AND n.school_id = a.school_id
            LEFT JOIN LATERAL (SELECT upper(l.item_code) AS item_code FROM notice_lines l WHERE l.notice_id = n.id AND upper(l.item_code) = ANY($3)
                               UNION SELECT c.item_code FROM carried c WHERE c.student_id = a.student_id AND c.period_key = a.period_key) i ON true
            LEFT JOIN notice_lines l ON l.notice_id = n.id AND upper(l.item_code) = i.item_code
            -- What standing notices carried, and the rule the first of them gave back by: a later change of the rule
            -- never takes back what was given.
            LEFT JOIN LATERAL (SELECT sum(c.amount_vnd) AS amount, sum(c.days)::int AS days, sum(c.state_vnd) AS state,
                                      (array_agg(c.from_day ORDER BY c.at))[1] AS from_day, (array_agg(c.without_notice ORDER BY c.at))[1] AS without_notice
                               FROM carried c WHERE c.student_id = a.student_id AND c.period_key = a.period_key AND c.item_code = i.item_code) r ON true
            WHERE NOT a.settled AND a.period_key < $1 AND a.student_id = ANY($2)
            """, conn)
        {
            Parameters = { new() { Value = month.Key }, new() { Value = students.ToArray() }, new() { Value = rules.Keys.ToArray() } },
        };
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct))
            {
                var id = r.GetGuid(0);
                var at = r.GetFieldValue<DateTimeOffset>(1);
                // A month not billed yet waits, unless the school closed it unbilled (it never will be: nothing to give
                // back, and no run reads it again); a billed month without a line of a refunding item has nothing to give back.
                if (r.IsDBNull(6)) { rows[id] = (at, r.GetBoolean(12) && !r.GetBoolean(16)); continue; }
                // An item that no longer gives days back keeps what it gave; nothing more, nothing taken back.
                if (!rules.TryGetValue(r.GetString(6), out var rule)) { rows.TryAdd(id, (at, false)); continue; }
                if (!r.IsDBNull(14)) rule = new AbsenceRefundRule(r.GetInt32(14), r.GetBoolean(15));
                var billed = !r.IsDBNull(7);
                var line = billed ? new BilledDayLine(r.GetInt32(7), r.GetInt64(8), r.GetInt32(9)) : new BilledDayLine(0, 0, 0);
                var days = billed ? rule.RefundableDays(r.GetInt32(4), r.GetInt32(5), line.Days) : 0;
                // The days not eaten are shared as the month's line was paid: the family gets back its part, the state's
                // part comes off the school's claim (a line the state paid in full gives the family nothing back).
                var (family, state) = Share(line.RefundFor(days), line.ChargeFor(line.Days), r.GetInt64(17));
                var amount = family - r.GetInt64(10);
                var stateDelta = state - r.GetInt64(18);
                var dayDelta = days - r.GetInt32(11);
                var left = amount != 0 || stateDelta != 0;
                rows[id] = (at, rows.TryGetValue(id, out var seen) ? seen.Left || left : left);
                if (left) open.Add(new Open(id, at, r.GetGuid(2), new LineAdjustment(r.GetString(6), r.GetInt32(3), dayDelta, amount), rule, r.GetGuid(13), stateDelta));
            }
        return (open.ToLookup(o => o.StudentId), rows.Where(kv => !kv.Value.Left).Select(kv => (kv.Key, kv.Value.At)).ToList());
    }

    /// <summary>
    /// A leaver's month billed again when no later notice will give its absences back (the last month, or an earlier
    /// one whose days the last month's smaller lines could not take in full): its absences not yet settled are given
    /// back on that same notice, computed on the draft's lines as <see cref="DueAsync"/> computes on a billed line, less
    /// what notices that stand already gave back for that month. A month with nothing to give back is listed to settle.
    /// </summary>
    public static async Task<(List<Open> Open, List<(Guid Id, DateTimeOffset RecordedAt)> NothingLeft)> OwnMonthAsync(
        NpgsqlConnection conn, FeeSchedule schedule, Guid studentId, Guid schoolId, NoticeDraft draft, CancellationToken ct)
    {
        var rules = schedule.Items.Where(i => i.AbsenceRefund is not null).ToDictionary(i => i.Code.ToUpperInvariant(), i => i.AbsenceRefund!);
        var given = new Dictionary<string, (long Family, int Days, long State)>();
        await using (var g = new NpgsqlCommand("""
            SELECT upper(r.item_code), sum(r.amount_vnd)::bigint, sum(r.days)::int, sum(r.state_vnd)::bigint FROM absence_refunds r
            JOIN notices c ON c.id = r.notice_id AND c.status NOT IN ('cancelled', 'refunded')
            WHERE r.student_id = $1 AND r.school_id = $2 AND r.period_key = $3 GROUP BY 1
            """, conn) { Parameters = { new() { Value = studentId }, new() { Value = schoolId }, new() { Value = draft.Month.Key } } })
        await using (var gr = await g.ExecuteReaderAsync(ct))
            while (await gr.ReadAsync(ct)) given[gr.GetString(0)] = (gr.GetInt64(1), gr.GetInt32(2), gr.GetInt64(3));
        await using var cmd = new NpgsqlCommand("""
            SELECT a.id, a.recorded_at, a.absent_with_notice, a.absent_without_notice, a.days_with_notice, a.days_without_notice, s.left_on
            FROM attendance_months a JOIN students s ON s.id = a.student_id
            WHERE a.student_id = $1 AND a.school_id = $2 AND a.period_key = $3 AND NOT a.settled
            """, conn)
        {
            Parameters = { new() { Value = studentId }, new() { Value = schoolId }, new() { Value = draft.Month.Key } },
        };
        var open = new List<Open>();
        var nothing = new List<(Guid, DateTimeOffset)>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            var (id, at, with, without) = (r.GetGuid(0), r.GetFieldValue<DateTimeOffset>(1), r.GetInt32(2), r.GetInt32(3));
            // Days recorded before the leave for days after the last one were never billed: only the days up to it count.
            if (!r.IsDBNull(6) && r.GetFieldValue<DateOnly>(6) is var left && BillingMonth.Of(left) == draft.Month)
            {
                if (!r.IsDBNull(4)) with = r.GetFieldValue<int[]>(4).Count(d => d <= left.Day);
                if (!r.IsDBNull(5)) without = r.GetFieldValue<int[]>(5).Count(d => d <= left.Day);
            }
            var any = false;
            foreach (var l in draft.Lines)
            {
                if (!rules.TryGetValue(l.ItemCode.ToUpperInvariant(), out var rule)) continue;
                var line = new BilledDayLine(l.Quantity, l.UnitPriceVnd, l.ReductionPercent);
                var days = rule.RefundableDays(with, without, line.Days);
                var (family, state) = Share(line.RefundFor(days), line.ChargeFor(line.Days), l.SupportVnd);
                var had = given.GetValueOrDefault(l.ItemCode.ToUpperInvariant());
                (family, state, days) = (family - had.Family, state - had.State, days - had.Days);
                if (family == 0 && state == 0) continue;
                open.Add(new Open(id, at, studentId, new LineAdjustment(l.ItemCode.ToUpperInvariant(), draft.Month.Key, days, family), rule, schoolId, state));
                any = true;
            }
            if (!any) nothing.Add((id, at));
        }
        return (open, nothing);
    }

    /// <summary>
    /// A refund of <paramref name="refund"/> on a line that charged <paramref name="charged"/> after its reduction, of
    /// which the state paid <paramref name="support"/>: the family's share floor(refund × (charged − support) / charged),
    /// the rest the state's.
    /// </summary>
    public static (long Family, long State) Share(long refund, long charged, long support)
    {
        if (charged <= 0 || support <= 0) return (refund, 0);
        var family = refund * (charged - Math.Min(support, charged)) / charged;
        return (family, refund - family);
    }

    /// <summary>Writes what the new notices carry and marks settled every month with nothing left, unless it changed since it was read.</summary>
    public static async Task RecordAsync(NpgsqlConnection conn, IReadOnlyList<(Guid SchoolId, Guid StudentId, Guid NoticeId, Guid LineId, Open Open, LineAdjustment Applied, long StateVnd)> carried,
        IEnumerable<(Guid Id, DateTimeOffset RecordedAt)> settled, DateTimeOffset at, CancellationToken ct)
    {
        if (carried.Count > 0)
        {
            await using var w = await conn.BeginBinaryImportAsync(
                "COPY absence_refunds (id, school_id, student_id, period_key, item_code, days, amount_vnd, notice_id, notice_line_id, from_day, without_notice, at, state_vnd) FROM STDIN (FORMAT BINARY)", ct);
            foreach (var c in carried)
            {
                w.StartRow();
                w.Write(Guid.CreateVersion7(), NpgsqlDbType.Uuid);
                w.Write(c.SchoolId, NpgsqlDbType.Uuid);
                w.Write(c.StudentId, NpgsqlDbType.Uuid);
                w.Write(c.Applied.PeriodKey, NpgsqlDbType.Integer);
                w.Write(c.Applied.ItemCode, NpgsqlDbType.Text);
                w.Write(c.Applied.Days, NpgsqlDbType.Integer);
                w.Write(c.Applied.AmountVnd, NpgsqlDbType.Bigint);
                w.Write(c.NoticeId, NpgsqlDbType.Uuid);
                w.Write(c.LineId, NpgsqlDbType.Uuid);
                w.Write(c.Open.Rule.FromDay, NpgsqlDbType.Integer);
                w.Write(c.Open.Rule.WithoutNotice, NpgsqlDbType.Boolean);
                w.Write(at, NpgsqlDbType.TimestampTz);
                w.Write(c.StateVnd, NpgsqlDbType.Bigint);
            }
            await w.CompleteAsync(ct);
        }
        var done = settled.ToList();
        if (done.Count == 0) return;
        // Settled only as read: a correction recorded meanwhile keeps the month open for the next notice.
        await using var cmd = new NpgsqlCommand("""
            UPDATE attendance_months a SET settled = true
            FROM unnest($1::uuid[], $2::timestamptz[]) AS d(id, recorded_at)
            WHERE a.id = d.id AND a.recorded_at = d.recorded_at
            """, conn)
        {
            Parameters = { new() { Value = done.Select(d => d.Id).ToArray() }, new() { Value = done.Select(d => d.RecordedAt).ToArray() } },
        };
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
