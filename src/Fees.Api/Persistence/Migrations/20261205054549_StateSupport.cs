using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TdmEdu.Fees.Api.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class StateSupport : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "ck_notice_lines_amount",
                table: "notice_lines");

            migrationBuilder.AddColumn<string>(
                name: "evidence",
                table: "student_policies",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "kind",
                table: "policy_groups",
                type: "text",
                nullable: false,
                defaultValue: "reduction");

            migrationBuilder.AddColumn<int>(
                name: "max_months",
                table: "policy_groups",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "support_vnd",
                table: "policy_groups",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "reduction_basis",
                table: "notice_lines",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "support_basis",
                table: "notice_lines",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "support_code",
                table: "notice_lines",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "support_vnd",
                table: "notice_lines",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddCheckConstraint(
                name: "ck_notice_lines_amount",
                table: "notice_lines",
                sql: "amount_vnd >= 0 AND support_vnd >= 0 AND amount_vnd + adjust_vnd + support_vnd <= gross_vnd");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "ck_notice_lines_amount",
                table: "notice_lines");

            migrationBuilder.DropColumn(
                name: "evidence",
                table: "student_policies");

            migrationBuilder.DropColumn(
                name: "kind",
                table: "policy_groups");

            migrationBuilder.DropColumn(
                name: "max_months",
                table: "policy_groups");

            migrationBuilder.DropColumn(
                name: "support_vnd",
                table: "policy_groups");

            migrationBuilder.DropColumn(
                name: "reduction_basis",
                table: "notice_lines");

            migrationBuilder.DropColumn(
                name: "support_basis",
                table: "notice_lines");

            migrationBuilder.DropColumn(
                name: "support_code",
                table: "notice_lines");

            migrationBuilder.DropColumn(
                name: "support_vnd",
                table: "notice_lines");

            migrationBuilder.AddCheckConstraint(
                name: "ck_notice_lines_amount",
                table: "notice_lines",
                sql: "amount_vnd >= 0 AND amount_vnd + adjust_vnd <= gross_vnd");
        }
    }
}
