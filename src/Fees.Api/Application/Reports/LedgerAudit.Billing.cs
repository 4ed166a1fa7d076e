namespace TdmEdu.Fees.Api.Application.Reports;

/// <summary>The audit's billing half: what a notice line bills follows from its price, its reduction and the refunds it carries.</summary>
public sealed partial class LedgerAudit
{
    private static readonly (string Name, string Sql)[] BillingChecks =
    [
        ("a notice line bills its gross less its reduction, what the state pays and what earlier months gave back", """
            SELECT n.notice_no || '/' || l.line_no AS "Row",
                   'bills ' || l.amount_vnd || ' with ' || l.adjust_vnd || ' given back and ' || l.support_vnd || ' paid by the state, but ' || l.gross_vnd || ' less ' || l.reduction_percent
                   || '% is ' || (l.gross_vnd * (100 - l.reduction_percent)) / 100 AS "Problem"
            FROM notice_lines l JOIN notices n ON n.id = l.notice_id
            WHERE l.amount_vnd + l.adjust_vnd + l.support_vnd <> (l.gross_vnd * (100 - l.reduction_percent)) / 100
            """),
        ("a pupil's state support is paid for at most its months a school year, and never more a month than it gives", """
            WITH months AS (
                SELECT n.student_id, l.support_code, n.period_key, sum(l.support_vnd) AS amount,
                       min(l.support_max_months) AS max_months, min(l.support_month_vnd) AS month_vnd,
                       CASE WHEN n.period_key % 100 >= 8 THEN n.period_key / 100 ELSE n.period_key / 100 - 1 END AS start_year
                FROM notice_lines l JOIN notices n ON n.id = l.notice_id AND n.status NOT IN ('cancelled', 'refunded')
                WHERE l.support_vnd > 0 GROUP BY n.student_id, l.support_code, n.period_key)
            SELECT s.student_code || '/' || m.support_code || '/' || m.start_year AS "Row",
                   count(*) || ' month(s) paid, at most ' || COALESCE(min(m.max_months)::text, 'any') || '; most in a month ' || max(m.amount)
                   || ', the support gives ' || COALESCE(min(m.month_vnd)::text, 'a percent') AS "Problem"
            FROM months m JOIN students s ON s.id = m.student_id
            GROUP BY s.student_code, m.support_code, m.start_year
            HAVING count(*) > COALESCE(min(m.max_months), 12) OR max(m.amount) > COALESCE(min(m.month_vnd), max(m.amount))
            """),
        ("a line the state pays keeps the terms it was billed with: a percent of what the reduction left, or an amount a month", """
            SELECT n.notice_no || '/' || l.line_no AS "Row",
                   'the state pays ' || l.support_vnd || ' under ' || COALESCE(l.support_code, 'no support')
                   || CASE WHEN l.support_percent > 0 AND l.support_month_vnd IS NULL
                           THEN ', but ' || l.support_percent || '% of ' || (l.gross_vnd * (100 - l.reduction_percent)) / 100 || ' is '
                                || ((l.gross_vnd * (100 - l.reduction_percent)) / 100 * l.support_percent) / 100
                           ELSE ', with terms ' || l.support_percent || '% and ' || COALESCE(l.support_month_vnd::text, 'no amount') || ' a month' END AS "Problem"
            FROM notice_lines l JOIN notices n ON n.id = l.notice_id
            WHERE l.support_vnd > 0
              AND (l.support_code IS NULL OR (l.support_percent > 0) = (l.support_month_vnd IS NOT NULL) OR l.support_percent > 100
                   OR (l.support_percent > 0 AND l.support_vnd <> ((l.gross_vnd * (100 - l.reduction_percent)) / 100 * l.support_percent) / 100))
            """),
        ("a line billed for part of a month bills what its rule gives for the school days the pupil was in, of the month's school days", """
            SELECT n.notice_no || '/' || l.line_no AS "Row",
                   'bills ' || l.quantity || ' × ' || l.unit_price_vnd || ' = ' || l.gross_vnd || ' for ' || COALESCE(l.days_in::text, '?') || ' of '
                   || COALESCE(l.days_of::text, '?') || ' school days by rule ' || l.part_month AS "Problem"
            FROM notice_lines l JOIN notices n ON n.id = l.notice_id
            LEFT JOIN schedules sc ON sc.start_year = CASE WHEN n.period_key % 100 >= 8 THEN n.period_key / 100 ELSE n.period_key / 100 - 1 END
            LEFT JOIN fee_items fi ON fi.schedule_id = sc.id AND upper(fi.code) = upper(l.item_code)
            -- The month's school days as billing counts them: Monday to Friday, and Saturdays for a per-day item whose
            -- schedule counts more days that month than it has weekdays.
            CROSS JOIN LATERAL (SELECT count(*) FILTER (WHERE extract(isodow FROM d) < 6) AS weekdays, count(*) FILTER (WHERE extract(isodow FROM d) = 6) AS saturdays
                                FROM generate_series(make_date(n.period_key / 100, n.period_key % 100, 1),
                                                     make_date(n.period_key / 100, n.period_key % 100, 1) + interval '1 month - 1 day', interval '1 day') d) cal
            WHERE l.part_month IS NOT NULL
              AND (l.days_in IS NULL OR l.days_of IS NULL OR l.days_in < 0 OR l.days_in >= l.days_of OR fi.id IS NULL
                   OR l.days_of <> cal.weekdays + CASE WHEN fi.unit = 'Day' AND COALESCE(substring(',' || replace(fi.school_days, ' ', '') || ','
                                                         FROM ',' || (n.period_key % 100) || ':([0-9]+),')::int, 0) > cal.weekdays THEN cal.saturdays ELSE 0 END
                   OR NOT CASE WHEN fi.unit = 'Day' THEN l.part_month = 'days' AND l.quantity BETWEEN 1 AND l.days_in AND l.gross_vnd = l.unit_price_vnd * l.quantity
                               WHEN l.part_month = 'days' THEN l.quantity = 1 AND l.gross_vnd = l.unit_price_vnd * l.days_in / l.days_of
                               WHEN l.part_month = 'half' THEN l.quantity = 1 AND l.gross_vnd = CASE WHEN l.days_in * 2 < l.days_of THEN l.unit_price_vnd / 2 ELSE l.unit_price_vnd END
                               ELSE false END)
            """),
        ("what a notice line gives back is what the absence refunds on it say", """
            SELECT n.notice_no || '/' || l.line_no AS "Row",
                   'gives back ' || l.adjust_vnd || ' for ' || l.adjust_days || ' day(s), the refunds on it ' || COALESCE(r.amount, 0) || ' for ' || COALESCE(r.days, 0) AS "Problem"
            FROM notice_lines l JOIN notices n ON n.id = l.notice_id
            LEFT JOIN (SELECT notice_line_id, sum(amount_vnd) AS amount, sum(days) AS days FROM absence_refunds GROUP BY notice_line_id) r ON r.notice_line_id = l.id
            WHERE (l.adjust_vnd, l.adjust_days) IS DISTINCT FROM (COALESCE(r.amount, 0), COALESCE(r.days, 0))
            """),
        ("an absence refund sits on a later notice of the same pupil and school (a leaver's: that month's own too), on its item's line, for a month that school billed", """
            SELECT r.id::text AS "Row", 'refund for ' || r.student_id || ' of ' || r.period_key || ' item ' || r.item_code
                   || ' sits on notice ' || n.notice_no || ' line ' || l.item_code AS "Problem"
            FROM absence_refunds r JOIN notices n ON n.id = r.notice_id JOIN notice_lines l ON l.id = r.notice_line_id
            WHERE l.notice_id <> n.id OR n.student_id <> r.student_id OR n.school_id <> r.school_id
               OR n.period_key < r.period_key OR upper(l.item_code) <> upper(r.item_code)
               -- The same month's notice only for a pupil who left in that month or later (no later notice could take
               -- all its days), or has moved to another school since; a withdrawn notice's refunds count nowhere.
               OR (n.period_key = r.period_key AND n.status NOT IN ('cancelled', 'refunded')
                   AND NOT EXISTS (SELECT 1 FROM students s WHERE s.id = r.student_id
                                   AND (to_char(s.left_on, 'YYYYMM')::int >= r.period_key OR s.school_id <> n.school_id)))
               OR NOT EXISTS (SELECT 1 FROM notices p WHERE p.student_id = r.student_id AND p.period_key = r.period_key AND p.school_id = r.school_id)
            """),
        ("a settled month's absences, on notices that stand, never give back more than its line charged, nor less than nothing", """
            SELECT s.student_code || '/' || r.period_key || '/' || r.item_code AS "Row",
                   'gave back ' || sum(r.amount_vnd) || ' of a line that charged ' || COALESCE(max(l.amount_vnd + l.adjust_vnd), 0) AS "Problem"
            FROM absence_refunds r JOIN students s ON s.id = r.student_id
            JOIN notices c ON c.id = r.notice_id AND c.status NOT IN ('cancelled', 'refunded')
            -- A month not settled waits for its next notice (a withdrawn notice, a correction): it is checked once settled.
            JOIN attendance_months a ON a.student_id = r.student_id AND a.period_key = r.period_key AND a.settled
            LEFT JOIN notices n ON n.student_id = r.student_id AND n.period_key = r.period_key AND n.status NOT IN ('cancelled', 'refunded')
            LEFT JOIN notice_lines l ON l.notice_id = n.id AND upper(l.item_code) = upper(r.item_code)
            GROUP BY s.student_code, r.student_id, r.period_key, r.item_code
            HAVING sum(r.amount_vnd) < 0 OR sum(r.amount_vnd) > COALESCE(max(l.amount_vnd + l.adjust_vnd), 0)
            """),
        ("a settled month whose days were given back got all of them back, shared as its line was paid, by the rule it was first given back by", """
            WITH carried AS (
                SELECT r.student_id, r.period_key, upper(r.item_code) AS item, sum(r.amount_vnd) AS amount, sum(r.state_vnd) AS state,
                       (array_agg(r.from_day ORDER BY r.at, r.id))[1] AS from_day, (array_agg(r.without_notice ORDER BY r.at, r.id))[1] AS without_notice
                FROM absence_refunds r JOIN notices c ON c.id = r.notice_id AND c.status NOT IN ('cancelled', 'refunded')
                GROUP BY r.student_id, r.period_key, upper(r.item_code)),
            -- In the month a pupil left, only the days up to the last one count (days recorded for later days were never billed).
            att AS (
                SELECT a.id, a.student_id, a.school_id, a.period_key, a.settled,
                       CASE WHEN s.left_on IS NOT NULL AND a.days_with_notice IS NOT NULL AND to_char(s.left_on, 'YYYYMM')::int = a.period_key
                            THEN (SELECT count(*)::int FROM unnest(a.days_with_notice) d WHERE d <= extract(day FROM s.left_on)) ELSE a.absent_with_notice END AS absent_with_notice,
                       CASE WHEN s.left_on IS NOT NULL AND a.days_without_notice IS NOT NULL AND to_char(s.left_on, 'YYYYMM')::int = a.period_key
                            THEN (SELECT count(*)::int FROM unnest(a.days_without_notice) d WHERE d <= extract(day FROM s.left_on)) ELSE a.absent_without_notice END AS absent_without_notice
                FROM attendance_months a JOIN students s ON s.id = a.student_id),
            due AS (
                SELECT s.student_code, a.period_key, c.item, c.amount, c.state, COALESCE(l.support_vnd, 0) AS sup,
                       (COALESCE(l.unit_price_vnd, 0) * COALESCE(l.quantity, 0) * (100 - COALESCE(l.reduction_percent, 0))) / 100 AS charged,
                       (COALESCE(l.unit_price_vnd, 0) * GREATEST(0, COALESCE(l.quantity, 0) - LEAST(GREATEST(0, a.absent_with_notice - (c.from_day - 1))
                            + CASE WHEN c.without_notice THEN a.absent_without_notice ELSE 0 END, GREATEST(0, COALESCE(l.quantity, 0))))
                        * (100 - COALESCE(l.reduction_percent, 0))) / 100 AS eaten
                FROM att a JOIN students s ON s.id = a.student_id
                JOIN carried c ON c.student_id = a.student_id AND c.period_key = a.period_key
                -- An item that no longer gives days back keeps what it gave when it stopped: only items that still do are held to it.
                JOIN schedules sh ON sh.start_year = CASE WHEN a.period_key % 100 >= 8 THEN a.period_key / 100 ELSE a.period_key / 100 - 1 END
                JOIN fee_items fi ON fi.schedule_id = sh.id AND fi.active AND upper(fi.code) = c.item AND fi.refund_from_day IS NOT NULL
                LEFT JOIN notices n ON n.student_id = a.student_id AND n.period_key = a.period_key AND n.school_id = a.school_id
                                    AND n.status NOT IN ('cancelled', 'refunded')
                LEFT JOIN notice_lines l ON l.notice_id = n.id AND upper(l.item_code) = c.item
                WHERE a.settled),
            shared AS (
                SELECT *, CASE WHEN sup > 0 AND charged > 0 THEN ((charged - eaten) * (charged - LEAST(sup, charged))) / charged ELSE charged - eaten END AS family
                FROM due)
            SELECT student_code || '/' || period_key || '/' || item AS "Row",
                   'gave back ' || amount || ' to the family and ' || state || ' off the claim, but the month''s line gives back '
                   || family || ' and ' || (charged - eaten - family) AS "Problem"
            FROM shared WHERE amount <> family OR state <> charged - eaten - family
            """),
    ];
}
