using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TdmEdu.Fees.Api.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class OneStandingNotice : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_notices_student_id_period_key",
                table: "notices");

            migrationBuilder.CreateIndex(
                name: "ix_notices_student_id_period_key",
                table: "notices",
                columns: new[] { "student_id", "period_key" },
                unique: true,
                filter: "status NOT IN ('cancelled', 'refunded')");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_notices_student_id_period_key",
                table: "notices");

            migrationBuilder.CreateIndex(
                name: "ix_notices_student_id_period_key",
                table: "notices",
                columns: new[] { "student_id", "period_key" },
                unique: true);
        }
    }
}
