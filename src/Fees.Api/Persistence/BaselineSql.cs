using Microsoft.EntityFrameworkCore.Migrations;

namespace TdmEdu.Fees.Api.Persistence;

/// <summary>
/// What the baseline migration makes beyond EF's model, run after its tables, in the order the development
/// migrations it replaces ran it (docs/decisions/0020). Their two data back-fills (bank reference claims of
/// earlier credits, the actor of earlier transfers) are not here: the baseline only ever runs on an empty
/// database (<see cref="Database.MigrateAsync"/> refuses the others), so they would have no row to touch.
/// </summary>
public static class BaselineSql
{
    public static void Apply(MigrationBuilder migration)
    {
        // Financial rows and the audit trail are append-only: corrections are new linked entries (ADR 5).
        // TRUNCATE (used only by tests resetting a throwaway database) is not an UPDATE or DELETE.
        migration.Sql("""
            CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION '% rows are append-only; record a correcting entry instead', TG_TABLE_NAME
                    USING ERRCODE = 'restrict_violation';
            END $$;
            """);
        migration.Sql("CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION refuse_change();");
        migration.Sql("CREATE TRIGGER payments_append_only BEFORE UPDATE OR DELETE ON payments FOR EACH ROW EXECUTE FUNCTION refuse_change();");
        migration.Sql("CREATE TRIGGER allocations_append_only BEFORE UPDATE OR DELETE ON allocations FOR EACH ROW EXECUTE FUNCTION refuse_change();");
        migration.Sql("CREATE TRIGGER refunds_append_only BEFORE UPDATE OR DELETE ON refunds FOR EACH ROW EXECUTE FUNCTION refuse_change();");
        migration.Sql("CREATE TRIGGER notice_lines_append_only BEFORE UPDATE OR DELETE ON notice_lines FOR EACH ROW EXECUTE FUNCTION refuse_change();");
        // Imported statement lines are records of what the bank said: never edited, never deleted.
        migration.Sql("CREATE TRIGGER statement_lines_append_only BEFORE UPDATE OR DELETE ON statement_lines FOR EACH ROW EXECUTE FUNCTION refuse_change();");
        // A review decision is undone by a new decision that names it, never by an edit.
        migration.Sql("CREATE TRIGGER review_decisions_append_only BEFORE UPDATE OR DELETE ON review_decisions FOR EACH ROW EXECUTE FUNCTION refuse_change();");

        // Quartz's own PostgreSQL schema, as the Quartz package ships it, created here so the service needs no
        // DDL rights at run time; the lock rows are seeded to avoid Quartz's first-insert race (ADR 9).
        foreach (var statement in QuartzSchema.Statements()) migration.Sql(statement);

        // A transfer is a record, never edited (ADR 16). Its actor and reason were added to a table that had
        // rows, so the development database gave them an empty default; kept, so this is the schema that was
        // tested.
        migration.Sql("ALTER TABLE student_transfers ALTER COLUMN actor SET DEFAULT '', ALTER COLUMN reason SET DEFAULT '';");
        migration.Sql("CREATE TRIGGER student_transfers_append_only BEFORE UPDATE OR DELETE ON student_transfers FOR EACH ROW EXECUTE FUNCTION refuse_change();");
    }

    /// <summary>Undoes <see cref="Apply"/> before the baseline drops its tables.</summary>
    public static void Revert(MigrationBuilder migration)
    {
        migration.Sql("""
            DROP TABLE IF EXISTS qrtz_fired_triggers, qrtz_paused_trigger_grps, qrtz_paused_job_grps, qrtz_scheduler_state,
                qrtz_locks, qrtz_simple_triggers, qrtz_cron_triggers, qrtz_simprop_triggers, qrtz_blob_triggers, qrtz_triggers,
                qrtz_job_details, qrtz_calendars, qrtz_execution_history, qrtz_job_status, qrtz_misfire_history CASCADE;
            """);
        // CASCADE takes the append-only triggers with the function.
        migration.Sql("DROP FUNCTION IF EXISTS refuse_change() CASCADE;");
    }
}
