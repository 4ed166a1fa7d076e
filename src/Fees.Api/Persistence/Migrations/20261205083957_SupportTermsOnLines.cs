using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TdmEdu.Fees.Api.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class SupportTermsOnLines : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "support_evidence",
                table: "notice_lines",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "support_max_months",
                table: "notice_lines",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "support_month_vnd",
                table: "notice_lines",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "support_percent",
                table: "notice_lines",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            // Lines billed before: the terms the schedule gives today, and the evidence the pupil holds today (the best known).
            // The new columns are filled once, under the append-only trigger set aside for this statement only: no amount
            // of a line changes.
            migrationBuilder.Sql("ALTER TABLE notice_lines DISABLE TRIGGER notice_lines_append_only;");
            migrationBuilder.Sql("""
                UPDATE notice_lines l SET support_percent = CASE WHEN p.support_vnd IS NULL THEN p.percent ELSE 0 END,
                       support_month_vnd = p.support_vnd, support_max_months = p.max_months, support_evidence = sp.evidence
                FROM notices n
                JOIN schedules sc ON sc.start_year = CASE WHEN n.period_key % 100 >= 8 THEN n.period_key / 100 ELSE n.period_key / 100 - 1 END
                JOIN policy_groups p ON p.schedule_id = sc.id AND p.kind = 'support'
                LEFT JOIN student_policies sp ON sp.student_id = n.student_id AND upper(sp.policy_code) = upper(p.code)
                WHERE n.id = l.notice_id AND l.support_vnd > 0 AND upper(p.code) = upper(l.support_code);
                """);
            migrationBuilder.Sql("ALTER TABLE notice_lines ENABLE TRIGGER notice_lines_append_only;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "support_evidence",
                table: "notice_lines");

            migrationBuilder.DropColumn(
                name: "support_max_months",
                table: "notice_lines");

            migrationBuilder.DropColumn(
                name: "support_month_vnd",
                table: "notice_lines");

            migrationBuilder.DropColumn(
                name: "support_percent",
                table: "notice_lines");
        }
    }
}
