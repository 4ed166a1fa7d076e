using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TdmEdu.Fees.Api.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class NoticeWithdrawnByLeave : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "withdrawn_by_leave",
                table: "notices",
                type: "boolean",
                nullable: false,
                defaultValue: false);
            // Notices withdrawn by a leave before the marker existed: the leave's audit entries list them.
            migrationBuilder.Sql("""
                UPDATE notices SET withdrawn_by_leave = true WHERE notice_no IN (
                    SELECT jsonb_array_elements_text(details -> 'withdrawn') FROM audit_log
                    WHERE action IN ('students.leave', 'students.leave_rest', 'students.return') AND jsonb_typeof(details -> 'withdrawn') = 'array');
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "withdrawn_by_leave",
                table: "notices");
        }
    }
}
