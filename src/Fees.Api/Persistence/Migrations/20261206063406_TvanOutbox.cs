using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TdmEdu.Fees.Api.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class TvanOutbox : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ereceipt_outbox",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    school_id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    receipt_id = table.Column<Guid>(type: "uuid", nullable: true),
                    idempotency_key = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    template = table.Column<string>(type: "text", nullable: true),
                    series = table.Column<string>(type: "text", nullable: true),
                    number = table.Column<long>(type: "bigint", nullable: true),
                    issued_on = table.Column<DateOnly>(type: "date", nullable: false),
                    total_vnd = table.Column<long>(type: "bigint", nullable: false),
                    xml = table.Column<byte[]>(type: "bytea", nullable: true),
                    sha256 = table.Column<string>(type: "text", nullable: false),
                    state = table.Column<string>(type: "text", nullable: false),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    next_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    last_code = table.Column<string>(type: "text", nullable: true),
                    last_error = table.Column<string>(type: "text", nullable: true),
                    provider_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    provider_status = table.Column<string>(type: "text", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    sent_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ereceipt_outbox", x => x.id);
                    table.CheckConstraint("ck_ereceipt_outbox_kind", "kind IN ('receipt', 'error_notice', 'usage_report')");
                    table.CheckConstraint("ck_ereceipt_outbox_sent", "state = 'pending' OR provider_id IS NOT NULL OR state = 'conflict' OR state = 'rejected'");
                    table.CheckConstraint("ck_ereceipt_outbox_state", "state IN ('pending', 'sent', 'accepted', 'rejected', 'conflict')");
                    table.CheckConstraint("ck_ereceipt_outbox_xml", "(kind = 'receipt') = (xml IS NULL) AND (kind = 'usage_report') = (receipt_id IS NULL)");
                    table.ForeignKey(
                        name: "fk_ereceipt_outbox_receipts_receipt_id",
                        column: x => x.receipt_id,
                        principalTable: "receipts",
                        principalColumn: "id");
                    table.ForeignKey(
                        name: "fk_ereceipt_outbox_schools_school_id",
                        column: x => x.school_id,
                        principalTable: "schools",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ereceipt_provider_events",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    document_id = table.Column<Guid>(type: "uuid", nullable: true),
                    provider_id = table.Column<string>(type: "text", nullable: false),
                    status = table.Column<string>(type: "text", nullable: false),
                    message_id = table.Column<string>(type: "text", nullable: true),
                    errors = table.Column<string>(type: "text", nullable: true),
                    provider_updated_at = table.Column<string>(type: "text", nullable: true),
                    source = table.Column<string>(type: "text", nullable: false),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ereceipt_provider_events", x => x.id);
                    table.ForeignKey(
                        name: "fk_ereceipt_provider_events_ereceipt_outbox_document_id",
                        column: x => x.document_id,
                        principalTable: "ereceipt_outbox",
                        principalColumn: "id");
                });

            migrationBuilder.CreateIndex(
                name: "ix_ereceipt_outbox_due",
                table: "ereceipt_outbox",
                column: "next_at",
                filter: "state = 'pending'");

            migrationBuilder.CreateIndex(
                name: "ix_ereceipt_outbox_idempotency_key",
                table: "ereceipt_outbox",
                column: "idempotency_key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_ereceipt_outbox_provider_id",
                table: "ereceipt_outbox",
                column: "provider_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_ereceipt_outbox_receipt_id_kind",
                table: "ereceipt_outbox",
                columns: new[] { "receipt_id", "kind" },
                unique: true,
                filter: "receipt_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_ereceipt_outbox_school_id_state",
                table: "ereceipt_outbox",
                columns: new[] { "school_id", "state" });

            migrationBuilder.CreateIndex(
                name: "ix_ereceipt_provider_events_document_id",
                table: "ereceipt_provider_events",
                column: "document_id");

            // A queued document is the same document for good: its key, content and hash never change, so a retry can
            // never send other content under a key the provider already holds. Only its delivery moves. Never deleted.
            migrationBuilder.Sql("""
                CREATE FUNCTION fees_ereceipt_outbox_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'DELETE' THEN
                        RAISE EXCEPTION 'document % for the tax office is never deleted', OLD.id USING ERRCODE = 'integrity_constraint_violation';
                    END IF;
                    IF (NEW.id, NEW.school_id, NEW.kind, NEW.receipt_id, NEW.idempotency_key, NEW.template, NEW.series, NEW.number, NEW.issued_on, NEW.total_vnd,
                        NEW.xml, NEW.sha256, NEW.created_at)
                       IS DISTINCT FROM (OLD.id, OLD.school_id, OLD.kind, OLD.receipt_id, OLD.idempotency_key, OLD.template, OLD.series, OLD.number, OLD.issued_on,
                        OLD.total_vnd, OLD.xml, OLD.sha256, OLD.created_at) THEN
                        RAISE EXCEPTION 'document % for the tax office: what is sent never changes', OLD.id USING ERRCODE = 'integrity_constraint_violation';
                    END IF;
                    IF OLD.provider_id IS NOT NULL AND NEW.provider_id IS DISTINCT FROM OLD.provider_id THEN
                        RAISE EXCEPTION 'document %: the provider''s id never changes', OLD.id USING ERRCODE = 'integrity_constraint_violation';
                    END IF;
                    RETURN NEW;
                END $$;
                CREATE TRIGGER ereceipt_outbox_fixed BEFORE UPDATE OR DELETE ON ereceipt_outbox
                    FOR EACH ROW EXECUTE FUNCTION fees_ereceipt_outbox_fixed();
                CREATE TRIGGER ereceipt_provider_events_append_only BEFORE UPDATE OR DELETE ON ereceipt_provider_events
                    FOR EACH ROW EXECUTE FUNCTION fees_receipt_events_append_only();
                """);
            // A receipt the provider refuses on upload (400, 422) is rejected without having been sent.
            migrationBuilder.Sql(ReceiptTransitions(true));

        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(ReceiptTransitions(false));
            migrationBuilder.Sql("""
                DROP TRIGGER ereceipt_outbox_fixed ON ereceipt_outbox; DROP FUNCTION fees_ereceipt_outbox_fixed();
                DROP TRIGGER ereceipt_provider_events_append_only ON ereceipt_provider_events;
                """);

            migrationBuilder.DropTable(
                name: "ereceipt_provider_events");

            migrationBuilder.DropTable(
                name: "ereceipt_outbox");
        }
        /// <summary>The receipts' guard (from EReceipts) with or without issued → rejected.</summary>
        private static string ReceiptTransitions(bool issuedToRejected) => $$$"""
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
                    ('issued', 'sent'), ('issued', 'cancelled'), ('issued', 'replaced'){{{(issuedToRejected ? ", ('issued', 'rejected')" : "")}}},
                    ('sent', 'accepted'), ('sent', 'rejected'), ('sent', 'cancelled'), ('sent', 'replaced'),
                    ('accepted', 'cancelled'), ('accepted', 'replaced'), ('rejected', 'cancelled'), ('rejected', 'replaced')) THEN
                    RAISE EXCEPTION 'receipt % cannot go from % to %', OLD.id, OLD.status, NEW.status USING ERRCODE = 'integrity_constraint_violation';
                END IF;
                RETURN NEW;
            END $$;
            """;
    }
}
