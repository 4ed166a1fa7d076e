using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TdmEdu.Fees.Api.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class AllocationLineOfItsNotice : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_allocations_notice_lines_notice_line_id",
                table: "allocations");

            migrationBuilder.DropForeignKey(
                name: "fk_allocations_notices_notice_id",
                table: "allocations");

            migrationBuilder.DropIndex(
                name: "ix_allocations_notice_line_id",
                table: "allocations");

            migrationBuilder.AddUniqueConstraint(
                name: "ak_notice_lines_id_notice_id",
                table: "notice_lines",
                columns: new[] { "id", "notice_id" });

            migrationBuilder.CreateIndex(
                name: "ix_allocations_notice_line_id_notice_id",
                table: "allocations",
                columns: new[] { "notice_line_id", "notice_id" });

            migrationBuilder.AddForeignKey(
                name: "fk_allocations_notice_lines_notice_line_id_notice_id",
                table: "allocations",
                columns: new[] { "notice_line_id", "notice_id" },
                principalTable: "notice_lines",
                principalColumns: new[] { "id", "notice_id" },
                onDelete: ReferentialAction.Cascade);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_allocations_notice_lines_notice_line_id_notice_id",
                table: "allocations");

            migrationBuilder.DropUniqueConstraint(
                name: "ak_notice_lines_id_notice_id",
                table: "notice_lines");

            migrationBuilder.DropIndex(
                name: "ix_allocations_notice_line_id_notice_id",
                table: "allocations");

            migrationBuilder.CreateIndex(
                name: "ix_allocations_notice_line_id",
                table: "allocations",
                column: "notice_line_id");

            migrationBuilder.AddForeignKey(
                name: "fk_allocations_notice_lines_notice_line_id",
                table: "allocations",
                column: "notice_line_id",
                principalTable: "notice_lines",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "fk_allocations_notices_notice_id",
                table: "allocations",
                column: "notice_id",
                principalTable: "notices",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);
        }
    }
}
