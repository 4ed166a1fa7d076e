using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TdmEdu.Fees.Api.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class CashDesk : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "cash_limit_vnd",
                table: "schools",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "correction_request_id",
                table: "refunds",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "method",
                table: "refunds",
                type: "text",
                nullable: false,
                defaultValue: "cash");

            migrationBuilder.AddColumn<long>(
                name: "correction_approval_limit_vnd",
                table: "authorities",
                type: "bigint",
                nullable: false,
                defaultValue: 5_000_000L);

            migrationBuilder.CreateTable(
                name: "correction_requests",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    school_id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "text", nullable: false),
                    receipt_id = table.Column<Guid>(type: "uuid", nullable: true),
                    student_id = table.Column<Guid>(type: "uuid", nullable: true),
                    amount_vnd = table.Column<long>(type: "bigint", nullable: false),
                    refund_method = table.Column<string>(type: "text", nullable: true),
                    reason = table.Column<string>(type: "text", nullable: false),
                    requested_by = table.Column<string>(type: "text", nullable: false),
                    requested_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    status = table.Column<string>(type: "text", nullable: false),
                    decided_by = table.Column<string>(type: "text", nullable: true),
                    decided_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    decision_note = table.Column<string>(type: "text", nullable: true),
                    result = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_correction_requests", x => x.id);
                    table.CheckConstraint("ck_correction_requests_amount", "amount_vnd > 0");
                    table.CheckConstraint("ck_correction_requests_kind", "kind IN ('reverse_payment', 'replace_receipt', 'refund_credit')");
                    table.CheckConstraint("ck_correction_requests_status", "status IN ('pending', 'done', 'rejected')");
                    table.CheckConstraint("ck_correction_requests_subject", "(kind = 'refund_credit') = (student_id IS NOT NULL AND receipt_id IS NULL)");
                    table.ForeignKey(
                        name: "fk_correction_requests_receipts_receipt_id",
                        column: x => x.receipt_id,
                        principalTable: "receipts",
                        principalColumn: "id");
                    table.ForeignKey(
                        name: "fk_correction_requests_schools_school_id",
                        column: x => x.school_id,
                        principalTable: "schools",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_correction_requests_students_student_id",
                        column: x => x.student_id,
                        principalTable: "students",
                        principalColumn: "id");
                });

            migrationBuilder.CreateIndex(
                name: "ix_refunds_correction_request_id",
                table: "refunds",
                column: "correction_request_id");

            migrationBuilder.AddCheckConstraint(
                name: "ck_refunds_method",
                table: "refunds",
                sql: "method IN ('cash', 'bank')");

            migrationBuilder.CreateIndex(
                name: "ix_correction_requests_kind_receipt_id",
                table: "correction_requests",
                columns: new[] { "kind", "receipt_id" },
                unique: true,
                filter: "status = 'pending' AND receipt_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_correction_requests_kind_student_id",
                table: "correction_requests",
                columns: new[] { "kind", "student_id" },
                unique: true,
                filter: "status = 'pending' AND student_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_correction_requests_receipt_id",
                table: "correction_requests",
                column: "receipt_id");

            migrationBuilder.CreateIndex(
                name: "ix_correction_requests_school_id_status",
                table: "correction_requests",
                columns: new[] { "school_id", "status" });

            migrationBuilder.CreateIndex(
                name: "ix_correction_requests_student_id",
                table: "correction_requests",
                column: "student_id");

            migrationBuilder.AddForeignKey(
                name: "fk_refunds_correction_requests_correction_request_id",
                table: "refunds",
                column: "correction_request_id",
                principalTable: "correction_requests",
                principalColumn: "id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_refunds_correction_requests_correction_request_id",
                table: "refunds");

            migrationBuilder.DropTable(
                name: "correction_requests");

            migrationBuilder.DropIndex(
                name: "ix_refunds_correction_request_id",
                table: "refunds");

            migrationBuilder.DropCheckConstraint(
                name: "ck_refunds_method",
                table: "refunds");

            migrationBuilder.DropColumn(
                name: "cash_limit_vnd",
                table: "schools");

            migrationBuilder.DropColumn(
                name: "correction_request_id",
                table: "refunds");

            migrationBuilder.DropColumn(
                name: "method",
                table: "refunds");

            migrationBuilder.DropColumn(
                name: "correction_approval_limit_vnd",
                table: "authorities");
        }
    }
}
