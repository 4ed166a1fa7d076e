using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TdmEdu.Fees.Api.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class GuardiansAndMessages : Migration
    {
        private const string GuardiansFromStudentsSql = """
            INSERT INTO guardians (id, school_id, full_name, phone, email, created_at)
            SELECT DISTINCT ON (school_id, guardian_phone) gen_random_uuid(), school_id, guardian_name, guardian_phone, NULL, now()
            FROM students WHERE guardian_phone IS NOT NULL
            ORDER BY school_id, guardian_phone, student_code;
            UPDATE students s SET guardian_id = g.id FROM guardians g WHERE g.school_id = s.school_id AND g.phone = s.guardian_phone;
            INSERT INTO guardian_channels (guardian_id, channel, state, consent_at, consent_source, consent_text_version, changed_at)
            SELECT g.id, c.channel, 'allowed', now(), 'roster', 1, now() FROM guardians g CROSS JOIN (VALUES ('zalo_zns'), ('sms')) AS c(channel);
            """;

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "guardian_id",
                table: "students",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "guardians",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    school_id = table.Column<Guid>(type: "uuid", nullable: false),
                    full_name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    phone = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: true),
                    email = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_guardians", x => x.id);
                    table.CheckConstraint("ck_guardians_contact", "phone IS NOT NULL OR email IS NOT NULL");
                    table.ForeignKey(
                        name: "fk_guardians_schools_school_id",
                        column: x => x.school_id,
                        principalTable: "schools",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "school_messaging",
                columns: table => new
                {
                    school_id = table.Column<Guid>(type: "uuid", nullable: false),
                    short_name = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: true),
                    zalo_enabled = table.Column<bool>(type: "boolean", nullable: false),
                    sms_enabled = table.Column<bool>(type: "boolean", nullable: false),
                    email_enabled = table.Column<bool>(type: "boolean", nullable: false),
                    reply_to_email = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: true),
                    sms_monthly_budget_vnd = table.Column<long>(type: "bigint", nullable: true),
                    due_reminder_days = table.Column<int>(type: "integer", nullable: false),
                    overdue_reminder_days = table.Column<int[]>(type: "integer[]", nullable: false),
                    send_on_sunday = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_school_messaging", x => x.school_id);
                    table.ForeignKey(
                        name: "fk_school_messaging_schools_school_id",
                        column: x => x.school_id,
                        principalTable: "schools",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "guardian_channels",
                columns: table => new
                {
                    guardian_id = table.Column<Guid>(type: "uuid", nullable: false),
                    channel = table.Column<string>(type: "text", nullable: false),
                    state = table.Column<string>(type: "text", nullable: false),
                    consent_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    consent_source = table.Column<string>(type: "text", nullable: true),
                    consent_text_version = table.Column<int>(type: "integer", nullable: true),
                    changed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_guardian_channels", x => new { x.guardian_id, x.channel });
                    table.CheckConstraint("ck_guardian_channels_state", "state IN ('allowed', 'opted_out', 'unreachable')");
                    table.ForeignKey(
                        name: "fk_guardian_channels_guardians_guardian_id",
                        column: x => x.guardian_id,
                        principalTable: "guardians",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "messages",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    school_id = table.Column<Guid>(type: "uuid", nullable: false),
                    guardian_id = table.Column<Guid>(type: "uuid", nullable: false),
                    student_id = table.Column<Guid>(type: "uuid", nullable: false),
                    notice_id = table.Column<Guid>(type: "uuid", nullable: true),
                    receipt_id = table.Column<Guid>(type: "uuid", nullable: true),
                    payment_id = table.Column<Guid>(type: "uuid", nullable: true),
                    kind = table.Column<string>(type: "text", nullable: false),
                    variant = table.Column<string>(type: "text", nullable: false),
                    channel = table.Column<string>(type: "text", nullable: false),
                    idempotency_key = table.Column<string>(type: "text", nullable: false),
                    destination = table.Column<string>(type: "text", nullable: false),
                    template_code = table.Column<string>(type: "text", nullable: true),
                    template_version = table.Column<int>(type: "integer", nullable: true),
                    body = table.Column<string>(type: "text", nullable: true),
                    body_sha256 = table.Column<string>(type: "text", nullable: true),
                    status = table.Column<string>(type: "text", nullable: false),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    next_attempt_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    not_before = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    lease_until = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    provider = table.Column<string>(type: "text", nullable: true),
                    provider_message_id = table.Column<string>(type: "text", nullable: true),
                    provider_request_id = table.Column<string>(type: "text", nullable: true),
                    last_error_code = table.Column<string>(type: "text", nullable: true),
                    last_error_text = table.Column<string>(type: "text", nullable: true),
                    segments = table.Column<int>(type: "integer", nullable: true),
                    cost_vnd = table.Column<long>(type: "bigint", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    sent_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    delivered_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    failed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_messages", x => x.id);
                    table.CheckConstraint("ck_messages_channel", "channel IN ('zalo_zns', 'sms', 'email')");
                    table.CheckConstraint("ck_messages_status", "status IN ('queued', 'sending', 'sent', 'delivered', 'failed', 'unknown', 'suppressed', 'cancelled')");
                    table.ForeignKey(
                        name: "fk_messages_guardians_guardian_id",
                        column: x => x.guardian_id,
                        principalTable: "guardians",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_messages_notices_notice_id",
                        column: x => x.notice_id,
                        principalTable: "notices",
                        principalColumn: "id");
                    table.ForeignKey(
                        name: "fk_messages_payments_payment_id",
                        column: x => x.payment_id,
                        principalTable: "payments",
                        principalColumn: "id");
                    table.ForeignKey(
                        name: "fk_messages_receipts_receipt_id",
                        column: x => x.receipt_id,
                        principalTable: "receipts",
                        principalColumn: "id");
                    table.ForeignKey(
                        name: "fk_messages_schools_school_id",
                        column: x => x.school_id,
                        principalTable: "schools",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_messages_students_student_id",
                        column: x => x.student_id,
                        principalTable: "students",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "portal_links",
                columns: table => new
                {
                    lid = table.Column<string>(type: "character varying(22)", maxLength: 22, nullable: false),
                    student_id = table.Column<Guid>(type: "uuid", nullable: false),
                    guardian_id = table.Column<Guid>(type: "uuid", nullable: false),
                    subject = table.Column<string>(type: "text", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    revoked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_portal_links", x => x.lid);
                    table.ForeignKey(
                        name: "fk_portal_links_guardians_guardian_id",
                        column: x => x.guardian_id,
                        principalTable: "guardians",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_portal_links_students_student_id",
                        column: x => x.student_id,
                        principalTable: "students",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "message_events",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    message_id = table.Column<Guid>(type: "uuid", nullable: true),
                    provider = table.Column<string>(type: "text", nullable: false),
                    event_name = table.Column<string>(type: "text", nullable: false),
                    provider_message_id = table.Column<string>(type: "text", nullable: true),
                    payload = table.Column<string>(type: "text", nullable: true),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_message_events", x => x.id);
                    table.ForeignKey(
                        name: "fk_message_events_messages_message_id",
                        column: x => x.message_id,
                        principalTable: "messages",
                        principalColumn: "id");
                });

            migrationBuilder.CreateIndex(
                name: "ix_students_guardian_id",
                table: "students",
                column: "guardian_id");

            migrationBuilder.CreateIndex(
                name: "ix_guardians_school_id_email",
                table: "guardians",
                columns: new[] { "school_id", "email" },
                unique: true,
                filter: "phone IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_guardians_school_id_phone",
                table: "guardians",
                columns: new[] { "school_id", "phone" },
                unique: true,
                filter: "phone IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_message_events_message_id",
                table: "message_events",
                column: "message_id");

            migrationBuilder.CreateIndex(
                name: "ix_message_events_provider_event_name_provider_message_id",
                table: "message_events",
                columns: new[] { "provider", "event_name", "provider_message_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_messages_due",
                table: "messages",
                columns: new[] { "channel", "next_attempt_at" },
                filter: "status = 'queued'");

            migrationBuilder.CreateIndex(
                name: "ix_messages_guardian_id",
                table: "messages",
                column: "guardian_id");

            migrationBuilder.CreateIndex(
                name: "ix_messages_idempotency_key",
                table: "messages",
                column: "idempotency_key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_messages_notice_id",
                table: "messages",
                column: "notice_id");

            migrationBuilder.CreateIndex(
                name: "ix_messages_payment_id",
                table: "messages",
                column: "payment_id");

            migrationBuilder.CreateIndex(
                name: "ix_messages_provider_message_id",
                table: "messages",
                column: "provider_message_id");

            migrationBuilder.CreateIndex(
                name: "ix_messages_receipt_id",
                table: "messages",
                column: "receipt_id");

            migrationBuilder.CreateIndex(
                name: "ix_messages_school_id_created_at",
                table: "messages",
                columns: new[] { "school_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_messages_student_id",
                table: "messages",
                column: "student_id");

            migrationBuilder.CreateIndex(
                name: "ix_portal_links_guardian_id",
                table: "portal_links",
                column: "guardian_id");

            migrationBuilder.CreateIndex(
                name: "ix_portal_links_student_id_guardian_id_subject",
                table: "portal_links",
                columns: new[] { "student_id", "guardian_id", "subject" },
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "fk_students_guardians_guardian_id",
                table: "students",
                column: "guardian_id",
                principalTable: "guardians",
                principalColumn: "id");

            // The roster's guardian moves from the pupil's row to a guardian of the school (one per school and phone):
            // contacts already imported keep reaching the family, with the consent the import attested.
            migrationBuilder.Sql(GuardiansFromStudentsSql);

            migrationBuilder.DropColumn(
                name: "guardian_name",
                table: "students");

            migrationBuilder.DropColumn(
                name: "guardian_phone",
                table: "students");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_students_guardians_guardian_id",
                table: "students");

            migrationBuilder.DropTable(
                name: "guardian_channels");

            migrationBuilder.DropTable(
                name: "message_events");

            migrationBuilder.DropTable(
                name: "portal_links");

            migrationBuilder.DropTable(
                name: "school_messaging");

            migrationBuilder.DropTable(
                name: "messages");

            migrationBuilder.DropTable(
                name: "guardians");

            migrationBuilder.DropIndex(
                name: "ix_students_guardian_id",
                table: "students");

            migrationBuilder.DropColumn(
                name: "guardian_id",
                table: "students");

            migrationBuilder.AddColumn<string>(
                name: "guardian_name",
                table: "students",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "guardian_phone",
                table: "students",
                type: "text",
                nullable: true);
        }
    }
}
