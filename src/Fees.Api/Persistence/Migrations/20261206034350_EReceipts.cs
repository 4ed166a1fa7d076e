using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TdmEdu.Fees.Api.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class EReceipts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "cert_serial",
                table: "receipts",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "cert_subject",
                table: "receipts",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "issued_on",
                table: "receipts",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "lookup_code",
                table: "receipts",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "sandbox_cert",
                table: "receipts",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "sign_problem",
                table: "receipts",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "signed_xml",
                table: "receipts",
                type: "bytea",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "signing_time",
                table: "receipts",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "student_id",
                table: "receipts",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "xml_sha256",
                table: "receipts",
                type: "text",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "item_document_kinds",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    school_id = table.Column<Guid>(type: "uuid", nullable: false),
                    item_code = table.Column<string>(type: "text", nullable: false),
                    document_kind = table.Column<string>(type: "text", nullable: false),
                    from_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    changed_by = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_item_document_kinds", x => x.id);
                    table.CheckConstraint("ck_item_document_kinds_kind", "document_kind IN ('receipt', 'invoice_sales', 'invoice_vat')");
                    table.ForeignKey(
                        name: "fk_item_document_kinds_schools_school_id",
                        column: x => x.school_id,
                        principalTable: "schools",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "receipt_events",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    receipt_id = table.Column<Guid>(type: "uuid", nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    from_status = table.Column<string>(type: "text", nullable: false),
                    to_status = table.Column<string>(type: "text", nullable: false),
                    actor = table.Column<string>(type: "text", nullable: false),
                    reason = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_receipt_events", x => x.id);
                    table.ForeignKey(
                        name: "fk_receipt_events_receipts_receipt_id",
                        column: x => x.receipt_id,
                        principalTable: "receipts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "receipt_items",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    receipt_id = table.Column<Guid>(type: "uuid", nullable: false),
                    position = table.Column<int>(type: "integer", nullable: false),
                    name = table.Column<string>(type: "text", nullable: false),
                    amount_vnd = table.Column<long>(type: "bigint", nullable: false),
                    notice_line_id = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_receipt_items", x => x.id);
                    table.CheckConstraint("ck_receipt_items_amount", "amount_vnd > 0");
                    table.ForeignKey(
                        name: "fk_receipt_items_notice_lines_notice_line_id",
                        column: x => x.notice_line_id,
                        principalTable: "notice_lines",
                        principalColumn: "id");
                    table.ForeignKey(
                        name: "fk_receipt_items_receipts_receipt_id",
                        column: x => x.receipt_id,
                        principalTable: "receipts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_receipts_school_id_lookup_code",
                table: "receipts",
                columns: new[] { "school_id", "lookup_code" },
                unique: true,
                filter: "lookup_code IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_receipts_student_id",
                table: "receipts",
                column: "student_id");

            migrationBuilder.CreateIndex(
                name: "ix_receipts_unsigned",
                table: "receipts",
                column: "school_id",
                filter: "lookup_code IS NOT NULL AND signed_xml IS NULL");

            migrationBuilder.AddCheckConstraint(
                name: "ck_receipts_amount",
                table: "receipts",
                sql: "amount_vnd > 0 AND amount_vnd < 1000000000000");

            migrationBuilder.AddCheckConstraint(
                name: "ck_receipts_signed",
                table: "receipts",
                sql: "(signed_xml IS NULL) = (xml_sha256 IS NULL) AND (signed_xml IS NULL) = (signing_time IS NULL) AND (signed_xml IS NULL) = (cert_serial IS NULL)");

            migrationBuilder.AddCheckConstraint(
                name: "ck_receipts_state",
                table: "receipts",
                sql: "lookup_code IS NULL AND status IN ('issued', 'cancelled') AND signed_xml IS NULL OR lookup_code IS NOT NULL AND (status = 'pending_signature' AND signed_xml IS NULL OR status IN ('issued', 'sent', 'accepted', 'rejected') AND signed_xml IS NOT NULL OR status IN ('cancelled', 'replaced'))");

            migrationBuilder.AddCheckConstraint(
                name: "ck_receipts_status",
                table: "receipts",
                sql: "status IN ('pending_signature', 'issued', 'sent', 'accepted', 'rejected', 'cancelled', 'replaced')");

            migrationBuilder.CreateIndex(
                name: "ix_item_document_kinds_school_id_item_code_from_at",
                table: "item_document_kinds",
                columns: new[] { "school_id", "item_code", "from_at" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_receipt_events_receipt_id",
                table: "receipt_events",
                column: "receipt_id");

            migrationBuilder.CreateIndex(
                name: "ix_receipt_items_notice_line_id",
                table: "receipt_items",
                column: "notice_line_id");

            migrationBuilder.CreateIndex(
                name: "ix_receipt_items_receipt_id_position",
                table: "receipt_items",
                columns: new[] { "receipt_id", "position" },
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "fk_receipts_students_student_id",
                table: "receipts",
                column: "student_id",
                principalTable: "students",
                principalColumn: "id");
            // The receipt is the legal document: never deleted; its facts, once its number is taken, and its signature,
            // once signed, never change; its state moves only along contracts/ereceipts.md §8, and never out of a final one.
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION fees_receipts_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'DELETE' THEN
                        RAISE EXCEPTION 'receipt % is a document and is never deleted', OLD.id USING ERRCODE = 'integrity_constraint_violation';
                    END IF;
                    IF (NEW.id, NEW.series_id, NEW.school_id, NEW.number, NEW.payment_id, NEW.amount_vnd, NEW.payer_name, NEW.issued_at, NEW.replaces_receipt_id,
                        NEW.student_id, NEW.issued_on, NEW.lookup_code)
                       IS DISTINCT FROM (OLD.id, OLD.series_id, OLD.school_id, OLD.number, OLD.payment_id, OLD.amount_vnd, OLD.payer_name, OLD.issued_at, OLD.replaces_receipt_id,
                        OLD.student_id, OLD.issued_on, OLD.lookup_code) THEN
                        RAISE EXCEPTION 'receipt %: its facts never change', OLD.id USING ERRCODE = 'integrity_constraint_violation';
                    END IF;
                    IF OLD.signed_xml IS NOT NULL AND (NEW.signed_xml, NEW.xml_sha256, NEW.signing_time, NEW.cert_serial, NEW.cert_subject, NEW.sandbox_cert)
                       IS DISTINCT FROM (OLD.signed_xml, OLD.xml_sha256, OLD.signing_time, OLD.cert_serial, OLD.cert_subject, OLD.sandbox_cert) THEN
                        RAISE EXCEPTION 'receipt %: a signed document is never changed', OLD.id USING ERRCODE = 'integrity_constraint_violation';
                    END IF;
                    IF OLD.status IN ('cancelled', 'replaced') AND (NEW.status, NEW.cancelled_at, NEW.cancel_reason) IS DISTINCT FROM (OLD.status, OLD.cancelled_at, OLD.cancel_reason) THEN
                        RAISE EXCEPTION 'receipt % is % for good', OLD.id, OLD.status USING ERRCODE = 'integrity_constraint_violation';
                    END IF;
                    IF NEW.status <> OLD.status AND NOT (OLD.status, NEW.status) IN (
                        ('pending_signature', 'issued'), ('pending_signature', 'cancelled'), ('pending_signature', 'replaced'),
                        ('issued', 'sent'), ('issued', 'cancelled'), ('issued', 'replaced'),
                        ('sent', 'accepted'), ('sent', 'rejected'), ('sent', 'cancelled'), ('sent', 'replaced'),
                        ('accepted', 'cancelled'), ('accepted', 'replaced'), ('rejected', 'cancelled'), ('rejected', 'replaced')) THEN
                        RAISE EXCEPTION 'receipt % cannot go from % to %', OLD.id, OLD.status, NEW.status USING ERRCODE = 'integrity_constraint_violation';
                    END IF;
                    RETURN NEW;
                END $$;
                CREATE FUNCTION fees_receipt_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION '% rows are only ever added', TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation';
                END $$;
                CREATE TRIGGER receipt_events_append_only BEFORE UPDATE OR DELETE ON receipt_events
                    FOR EACH ROW EXECUTE FUNCTION fees_receipt_events_append_only();
                CREATE TRIGGER receipt_items_append_only BEFORE UPDATE OR DELETE ON receipt_items
                    FOR EACH ROW EXECUTE FUNCTION fees_receipt_events_append_only();
                CREATE TRIGGER item_document_kinds_append_only BEFORE UPDATE OR DELETE ON item_document_kinds
                    FOR EACH ROW EXECUTE FUNCTION fees_receipt_events_append_only();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER receipt_events_append_only ON receipt_events; DROP TRIGGER receipt_items_append_only ON receipt_items;
                DROP TRIGGER item_document_kinds_append_only ON item_document_kinds; DROP FUNCTION fees_receipt_events_append_only();
                """);
            migrationBuilder.DropForeignKey(
                name: "fk_receipts_students_student_id",
                table: "receipts");

            migrationBuilder.DropTable(
                name: "item_document_kinds");

            migrationBuilder.DropTable(
                name: "receipt_events");

            migrationBuilder.DropTable(
                name: "receipt_items");

            migrationBuilder.DropIndex(
                name: "ix_receipts_school_id_lookup_code",
                table: "receipts");

            migrationBuilder.DropIndex(
                name: "ix_receipts_student_id",
                table: "receipts");

            migrationBuilder.DropIndex(
                name: "ix_receipts_unsigned",
                table: "receipts");

            migrationBuilder.DropCheckConstraint(
                name: "ck_receipts_amount",
                table: "receipts");

            migrationBuilder.DropCheckConstraint(
                name: "ck_receipts_signed",
                table: "receipts");

            migrationBuilder.DropCheckConstraint(
                name: "ck_receipts_state",
                table: "receipts");

            migrationBuilder.DropCheckConstraint(
                name: "ck_receipts_status",
                table: "receipts");

            migrationBuilder.DropColumn(
                name: "cert_serial",
                table: "receipts");

            migrationBuilder.DropColumn(
                name: "cert_subject",
                table: "receipts");

            migrationBuilder.DropColumn(
                name: "issued_on",
                table: "receipts");

            migrationBuilder.DropColumn(
                name: "lookup_code",
                table: "receipts");

            migrationBuilder.DropColumn(
                name: "sandbox_cert",
                table: "receipts");

            migrationBuilder.DropColumn(
                name: "sign_problem",
                table: "receipts");

            migrationBuilder.DropColumn(
                name: "signed_xml",
                table: "receipts");

            migrationBuilder.DropColumn(
                name: "signing_time",
                table: "receipts");

            migrationBuilder.DropColumn(
                name: "student_id",
                table: "receipts");

            migrationBuilder.DropColumn(
                name: "xml_sha256",
                table: "receipts");
        }
    }
}
