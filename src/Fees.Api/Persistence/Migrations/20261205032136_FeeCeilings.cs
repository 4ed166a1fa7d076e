using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TdmEdu.Fees.Api.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class FeeCeilings : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "legal_basis",
                table: "notice_lines",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ceiling_code",
                table: "fee_items",
                type: "text",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "fee_ceilings",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    start_year = table.Column<int>(type: "integer", nullable: false),
                    code = table.Column<string>(type: "text", nullable: false),
                    name = table.Column<string>(type: "text", nullable: false),
                    area = table.Column<string>(type: "text", nullable: false),
                    level = table.Column<string>(type: "text", nullable: false),
                    unit = table.Column<string>(type: "text", nullable: false),
                    max_amount_vnd = table.Column<long>(type: "bigint", nullable: false),
                    max_rise_percent = table.Column<int>(type: "integer", nullable: true),
                    legal_basis = table.Column<string>(type: "text", nullable: false),
                    imported_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_fee_ceilings", x => x.id);
                    table.CheckConstraint("ck_fee_ceilings_values", "max_amount_vnd > 0 AND (max_rise_percent IS NULL OR max_rise_percent BETWEEN 0 AND 1000) AND area IN ('Ward', 'Commune')");
                });

            migrationBuilder.CreateIndex(
                name: "ix_fee_ceilings_start_year_code_area_level_unit",
                table: "fee_ceilings",
                columns: new[] { "start_year", "code", "area", "level", "unit" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "fee_ceilings");

            migrationBuilder.DropColumn(
                name: "legal_basis",
                table: "notice_lines");

            migrationBuilder.DropColumn(
                name: "ceiling_code",
                table: "fee_items");
        }
    }
}
