using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TdmEdu.Fees.Api.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class AttendanceRefunds : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "ck_notice_lines_amount",
                table: "notice_lines");

            migrationBuilder.AddColumn<int>(
                name: "adjust_days",
                table: "notice_lines",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<long>(
                name: "adjust_vnd",
                table: "notice_lines",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<int>(
                name: "refund_from_day",
                table: "fee_items",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "refund_without_notice",
                table: "fee_items",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "absence_refunds",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    school_id = table.Column<Guid>(type: "uuid", nullable: false),
                    student_id = table.Column<Guid>(type: "uuid", nullable: false),
                    period_key = table.Column<int>(type: "integer", nullable: false),
                    item_code = table.Column<string>(type: "text", nullable: false),
                    days = table.Column<int>(type: "integer", nullable: false),
                    amount_vnd = table.Column<long>(type: "bigint", nullable: false),
                    notice_id = table.Column<Guid>(type: "uuid", nullable: false),
                    notice_line_id = table.Column<Guid>(type: "uuid", nullable: false),
                    from_day = table.Column<int>(type: "integer", nullable: false),
                    without_notice = table.Column<bool>(type: "boolean", nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_absence_refunds", x => x.id);
                    table.CheckConstraint("ck_absence_refunds_amount", "amount_vnd <> 0");
                    table.ForeignKey(
                        name: "fk_absence_refunds_notice_lines_notice_line_id",
                        column: x => x.notice_line_id,
                        principalTable: "notice_lines",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_absence_refunds_notices_notice_id",
                        column: x => x.notice_id,
                        principalTable: "notices",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_absence_refunds_schools_school_id",
                        column: x => x.school_id,
                        principalTable: "schools",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_absence_refunds_students_student_id",
                        column: x => x.student_id,
                        principalTable: "students",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "attendance_months",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    school_id = table.Column<Guid>(type: "uuid", nullable: false),
                    student_id = table.Column<Guid>(type: "uuid", nullable: false),
                    period_key = table.Column<int>(type: "integer", nullable: false),
                    absent_with_notice = table.Column<int>(type: "integer", nullable: false),
                    absent_without_notice = table.Column<int>(type: "integer", nullable: false),
                    days_with_notice = table.Column<int[]>(type: "integer[]", nullable: true),
                    days_without_notice = table.Column<int[]>(type: "integer[]", nullable: true),
                    settled = table.Column<bool>(type: "boolean", nullable: false),
                    recorded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    actor = table.Column<string>(type: "text", nullable: false),
                    source = table.Column<string>(type: "text", nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_attendance_months", x => x.id);
                    table.CheckConstraint("ck_attendance_days", "absent_with_notice BETWEEN 0 AND 31 AND absent_without_notice BETWEEN 0 AND 31 AND absent_with_notice + absent_without_notice <= 31");
                    table.ForeignKey(
                        name: "fk_attendance_months_schools_school_id",
                        column: x => x.school_id,
                        principalTable: "schools",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_attendance_months_students_student_id",
                        column: x => x.student_id,
                        principalTable: "students",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.AddCheckConstraint(
                name: "ck_notice_lines_amount",
                table: "notice_lines",
                sql: "amount_vnd >= 0 AND amount_vnd + adjust_vnd <= gross_vnd");

            migrationBuilder.CreateIndex(
                name: "ix_absence_refunds_notice_id",
                table: "absence_refunds",
                column: "notice_id");

            migrationBuilder.CreateIndex(
                name: "ix_absence_refunds_notice_line_id",
                table: "absence_refunds",
                column: "notice_line_id");

            migrationBuilder.CreateIndex(
                name: "ix_absence_refunds_school_id",
                table: "absence_refunds",
                column: "school_id");

            migrationBuilder.CreateIndex(
                name: "ix_absence_refunds_student_id_period_key_item_code",
                table: "absence_refunds",
                columns: new[] { "student_id", "period_key", "item_code" });

            migrationBuilder.CreateIndex(
                name: "ix_attendance_months_school_id_period_key",
                table: "attendance_months",
                columns: new[] { "school_id", "period_key" });

            migrationBuilder.CreateIndex(
                name: "ix_attendance_months_student_id_period_key",
                table: "attendance_months",
                columns: new[] { "student_id", "period_key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_attendance_months_unsettled",
                table: "attendance_months",
                column: "student_id",
                filter: "NOT settled");
            // Refunds carried on notices are money facts: corrections are new rows.
            migrationBuilder.Sql("CREATE TRIGGER absence_refunds_append_only BEFORE UPDATE OR DELETE ON absence_refunds FOR EACH ROW EXECUTE FUNCTION refuse_change();");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS absence_refunds_append_only ON absence_refunds;");
            migrationBuilder.DropTable(
                name: "absence_refunds");

            migrationBuilder.DropTable(
                name: "attendance_months");

            migrationBuilder.DropCheckConstraint(
                name: "ck_notice_lines_amount",
                table: "notice_lines");

            migrationBuilder.DropColumn(
                name: "adjust_days",
                table: "notice_lines");

            migrationBuilder.DropColumn(
                name: "adjust_vnd",
                table: "notice_lines");

            migrationBuilder.DropColumn(
                name: "refund_from_day",
                table: "fee_items");

            migrationBuilder.DropColumn(
                name: "refund_without_notice",
                table: "fee_items");

            migrationBuilder.AddCheckConstraint(
                name: "ck_notice_lines_amount",
                table: "notice_lines",
                sql: "amount_vnd >= 0 AND amount_vnd <= gross_vnd");
        }
    }
}
