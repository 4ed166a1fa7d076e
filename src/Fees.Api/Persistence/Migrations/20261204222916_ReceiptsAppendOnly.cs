using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TdmEdu.Fees.Api.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ReceiptsAppendOnly : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // A receipt is a document: never deleted, its facts never changed. It may only be cancelled once (status,
            // time and reason); a replacement is a new receipt that names it.
            migrationBuilder.Sql("""
                CREATE FUNCTION fees_receipts_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'DELETE' THEN
                        RAISE EXCEPTION 'receipt % is a document and is never deleted', OLD.id USING ERRCODE = 'integrity_constraint_violation';
                    END IF;
                    IF (NEW.id, NEW.series_id, NEW.school_id, NEW.number, NEW.payment_id, NEW.amount_vnd, NEW.payer_name, NEW.issued_at, NEW.replaces_receipt_id)
                       IS DISTINCT FROM (OLD.id, OLD.series_id, OLD.school_id, OLD.number, OLD.payment_id, OLD.amount_vnd, OLD.payer_name, OLD.issued_at, OLD.replaces_receipt_id)
                       OR OLD.status = 'cancelled' AND (NEW.status, NEW.cancelled_at, NEW.cancel_reason) IS DISTINCT FROM (OLD.status, OLD.cancelled_at, OLD.cancel_reason) THEN
                        RAISE EXCEPTION 'receipt % can only be cancelled, once; its facts never change', OLD.id USING ERRCODE = 'integrity_constraint_violation';
                    END IF;
                    RETURN NEW;
                END $$;
                CREATE TRIGGER receipts_append_only BEFORE UPDATE OR DELETE ON receipts
                    FOR EACH ROW EXECUTE FUNCTION fees_receipts_append_only();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER receipts_append_only ON receipts; DROP FUNCTION fees_receipts_append_only();");
        }
    }
}
