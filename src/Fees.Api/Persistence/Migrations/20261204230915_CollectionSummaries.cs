using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TdmEdu.Fees.Api.Persistence.Migrations
{
    /// <summary>
    /// The education office's summary tables (docs/decisions/0028, Application/Reports/CollectionSummary): what the
    /// dashboard and the open data read, kept in step with the ledger by marking what changed and re-summarising it
    /// on the next read. The EF model does not map them: only SQL writes and reads them.
    /// </summary>
    public partial class CollectionSummaries : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // What the education office's dashboard and the open data read (docs/decisions/0028): per school and billing
            // month, and per fee item, the figures of `report collection`; what is still owed per school, month and due
            // date; each receipt series' count and number range. Derived rows, rebuilt from the ledger, never edited by
            // hand: CollectionSummary re-summarises the school-months the triggers below mark stale, before it reads.
            migrationBuilder.Sql("""
                CREATE TABLE summary_months (
                    period_key integer NOT NULL,
                    school_id uuid NOT NULL,
                    notices bigint NOT NULL,
                    amount_due_vnd bigint NOT NULL,
                    collected_vnd bigint NOT NULL,
                    cashless_vnd bigint NOT NULL,
                    cash_vnd bigint NOT NULL,
                    students bigint NOT NULL,
                    students_paid bigint NOT NULL,
                    CONSTRAINT pk_summary_months PRIMARY KEY (period_key, school_id));
                CREATE TABLE summary_month_items (
                    period_key integer NOT NULL,
                    school_id uuid NOT NULL,
                    item_code text NOT NULL,
                    item_name text NOT NULL,
                    notices bigint NOT NULL,
                    amount_due_vnd bigint NOT NULL,
                    collected_vnd bigint NOT NULL,
                    cashless_vnd bigint NOT NULL,
                    cash_vnd bigint NOT NULL,
                    students bigint NOT NULL,
                    students_paid bigint NOT NULL,
                    CONSTRAINT pk_summary_month_items PRIMARY KEY (period_key, school_id, item_code));
                CREATE TABLE summary_open_notices (
                    school_id uuid NOT NULL,
                    period_key integer NOT NULL,
                    due_date date NOT NULL,
                    notices bigint NOT NULL,
                    left_vnd bigint NOT NULL,
                    CONSTRAINT pk_summary_open_notices PRIMARY KEY (school_id, period_key, due_date));
                CREATE TABLE summary_receipt_series (
                    series_id uuid NOT NULL,
                    receipts bigint NOT NULL,
                    min_number bigint,
                    max_number bigint,
                    CONSTRAINT pk_summary_receipt_series PRIMARY KEY (series_id));
                CREATE TABLE summary_stale_months (
                    id bigint GENERATED ALWAYS AS IDENTITY,
                    school_id uuid NOT NULL,
                    period_key integer NOT NULL,
                    CONSTRAINT pk_summary_stale_months PRIMARY KEY (id));
                CREATE TABLE summary_stale_series (
                    id bigint GENERATED ALWAYS AS IDENTITY,
                    series_id uuid NOT NULL,
                    CONSTRAINT pk_summary_stale_series PRIMARY KEY (id));
                """);

            // Marking, not summing: a statement that changes money or notices adds the school-months it touched to a
            // list (an append, no lock on any shared row, so payments of one school never queue behind each other);
            // the next read re-summarises those school-months. One statement-level trigger per table, reading the
            // statement's rows as a transition table: a COPY of a month's allocations is one trigger call.
            migrationBuilder.Sql("""
                CREATE FUNCTION summary_mark_allocations() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP IN ('INSERT', 'UPDATE') THEN
                        INSERT INTO summary_stale_months (school_id, period_key)
                        SELECT DISTINCT n.school_id, n.period_key FROM changed_new a JOIN notices n ON n.id = a.notice_id;
                    END IF;
                    IF TG_OP IN ('UPDATE', 'DELETE') THEN
                        INSERT INTO summary_stale_months (school_id, period_key)
                        SELECT DISTINCT n.school_id, n.period_key FROM changed_old a JOIN notices n ON n.id = a.notice_id;
                    END IF;
                    RETURN NULL;
                END $$;
                CREATE TRIGGER allocations_summary_insert AFTER INSERT ON allocations
                    REFERENCING NEW TABLE AS changed_new FOR EACH STATEMENT EXECUTE FUNCTION summary_mark_allocations();
                CREATE TRIGGER allocations_summary_update AFTER UPDATE ON allocations
                    REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed_new FOR EACH STATEMENT EXECUTE FUNCTION summary_mark_allocations();
                CREATE TRIGGER allocations_summary_delete AFTER DELETE ON allocations
                    REFERENCING OLD TABLE AS changed_old FOR EACH STATEMENT EXECUTE FUNCTION summary_mark_allocations();
                """);
            // A notice counts by its state and its money; the daily overdue mark and the row version change neither.
            migrationBuilder.Sql("""
                CREATE FUNCTION summary_mark_notices() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'INSERT' THEN
                        INSERT INTO summary_stale_months (school_id, period_key) SELECT DISTINCT school_id, period_key FROM changed_new;
                    ELSIF TG_OP = 'DELETE' THEN
                        INSERT INTO summary_stale_months (school_id, period_key) SELECT DISTINCT school_id, period_key FROM changed_old;
                    ELSE
                        INSERT INTO summary_stale_months (school_id, period_key)
                        SELECT DISTINCT x.school_id, x.period_key
                        FROM changed_old o JOIN changed_new n ON n.id = o.id
                        CROSS JOIN LATERAL (VALUES (o.school_id, o.period_key), (n.school_id, n.period_key)) AS x(school_id, period_key)
                        WHERE (o.status, o.amount_due_vnd, o.amount_paid_vnd, o.due_date, o.school_id, o.period_key, o.student_id)
                              IS DISTINCT FROM (n.status, n.amount_due_vnd, n.amount_paid_vnd, n.due_date, n.school_id, n.period_key, n.student_id);
                    END IF;
                    RETURN NULL;
                END $$;
                CREATE TRIGGER notices_summary_insert AFTER INSERT ON notices
                    REFERENCING NEW TABLE AS changed_new FOR EACH STATEMENT EXECUTE FUNCTION summary_mark_notices();
                CREATE TRIGGER notices_summary_update AFTER UPDATE ON notices
                    REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed_new FOR EACH STATEMENT EXECUTE FUNCTION summary_mark_notices();
                CREATE TRIGGER notices_summary_delete AFTER DELETE ON notices
                    REFERENCING OLD TABLE AS changed_old FOR EACH STATEMENT EXECUTE FUNCTION summary_mark_notices();
                """);
            // Receipt gaps need a series' count and its lowest and highest number; cancelling a receipt changes neither.
            migrationBuilder.Sql("""
                CREATE FUNCTION summary_mark_receipts() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'INSERT' THEN
                        INSERT INTO summary_stale_series (series_id) SELECT DISTINCT series_id FROM changed_new;
                    ELSIF TG_OP = 'DELETE' THEN
                        INSERT INTO summary_stale_series (series_id) SELECT DISTINCT series_id FROM changed_old;
                    ELSE
                        INSERT INTO summary_stale_series (series_id)
                        SELECT DISTINCT x.series_id FROM changed_old o JOIN changed_new n ON n.id = o.id
                        CROSS JOIN LATERAL (VALUES (o.series_id), (n.series_id)) AS x(series_id)
                        WHERE (o.series_id, o.number) IS DISTINCT FROM (n.series_id, n.number);
                    END IF;
                    RETURN NULL;
                END $$;
                CREATE TRIGGER receipts_summary_insert AFTER INSERT ON receipts
                    REFERENCING NEW TABLE AS changed_new FOR EACH STATEMENT EXECUTE FUNCTION summary_mark_receipts();
                CREATE TRIGGER receipts_summary_update AFTER UPDATE ON receipts
                    REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed_new FOR EACH STATEMENT EXECUTE FUNCTION summary_mark_receipts();
                CREATE TRIGGER receipts_summary_delete AFTER DELETE ON receipts
                    REFERENCING OLD TABLE AS changed_old FOR EACH STATEMENT EXECUTE FUNCTION summary_mark_receipts();
                """);
            // TRUNCATE (tests and benchmarks emptying a throwaway database) takes every row at once: the summaries of
            // what is gone go with it, and what stays is marked for re-summary.
            migrationBuilder.Sql("""
                CREATE FUNCTION summary_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_TABLE_NAME = 'notices' THEN
                        DELETE FROM summary_months; DELETE FROM summary_month_items; DELETE FROM summary_open_notices; DELETE FROM summary_stale_months;
                    ELSIF TG_TABLE_NAME = 'allocations' THEN
                        INSERT INTO summary_stale_months (school_id, period_key) SELECT school_id, period_key FROM summary_months;
                    ELSE
                        DELETE FROM summary_receipt_series; DELETE FROM summary_stale_series;
                    END IF;
                    RETURN NULL;
                END $$;
                CREATE TRIGGER notices_summary_truncate AFTER TRUNCATE ON notices FOR EACH STATEMENT EXECUTE FUNCTION summary_truncated();
                CREATE TRIGGER allocations_summary_truncate AFTER TRUNCATE ON allocations FOR EACH STATEMENT EXECUTE FUNCTION summary_truncated();
                CREATE TRIGGER receipts_summary_truncate AFTER TRUNCATE ON receipts FOR EACH STATEMENT EXECUTE FUNCTION summary_truncated();
                """);
            // The money waiting for a person (Ageing.UnidentifiedAsync, the review queue) is read through these: each
            // holds only what waits, so the read costs what the queue holds, not what the banks ever sent.
            migrationBuilder.Sql("""
                CREATE INDEX ix_bank_inbox_waiting ON bank_inbox (account_id) WHERE processed_at IS NOT NULL AND (outcome IN ('held', 'failed') OR flagged);
                CREATE INDEX ix_reconciliations_waiting ON reconciliations (statement_line_id) WHERE outcome IN ('suggested', 'unmatched');
                """);
            // Whatever is in the database now is summarised on the first read.
            migrationBuilder.Sql("""
                INSERT INTO summary_stale_months (school_id, period_key) SELECT DISTINCT school_id, period_key FROM notices;
                INSERT INTO summary_stale_series (series_id) SELECT id FROM receipt_series;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP INDEX IF EXISTS ix_bank_inbox_waiting;
                DROP INDEX IF EXISTS ix_reconciliations_waiting;
                DROP TRIGGER IF EXISTS allocations_summary_insert ON allocations;
                DROP TRIGGER IF EXISTS allocations_summary_update ON allocations;
                DROP TRIGGER IF EXISTS allocations_summary_delete ON allocations;
                DROP TRIGGER IF EXISTS allocations_summary_truncate ON allocations;
                DROP TRIGGER IF EXISTS notices_summary_insert ON notices;
                DROP TRIGGER IF EXISTS notices_summary_update ON notices;
                DROP TRIGGER IF EXISTS notices_summary_delete ON notices;
                DROP TRIGGER IF EXISTS notices_summary_truncate ON notices;
                DROP TRIGGER IF EXISTS receipts_summary_insert ON receipts;
                DROP TRIGGER IF EXISTS receipts_summary_update ON receipts;
                DROP TRIGGER IF EXISTS receipts_summary_delete ON receipts;
                DROP TRIGGER IF EXISTS receipts_summary_truncate ON receipts;
                DROP FUNCTION IF EXISTS summary_mark_allocations(), summary_mark_notices(), summary_mark_receipts(), summary_truncated();
                DROP TABLE IF EXISTS summary_months, summary_month_items, summary_open_notices, summary_receipt_series, summary_stale_months, summary_stale_series;
                """);
        }
    }
}
