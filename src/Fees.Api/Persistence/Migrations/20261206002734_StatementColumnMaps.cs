using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TdmEdu.Fees.Api.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class StatementColumnMaps : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "columns",
                table: "statement_uploads",
                type: "jsonb",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "statement_column_maps",
                columns: table => new
                {
                    account_id = table.Column<Guid>(type: "uuid", nullable: false),
                    map = table.Column<string>(type: "jsonb", nullable: false),
                    saved_by = table.Column<string>(type: "text", nullable: false),
                    saved_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_statement_column_maps", x => x.account_id);
                    table.ForeignKey(
                        name: "fk_statement_column_maps_school_bank_accounts_account_id",
                        column: x => x.account_id,
                        principalTable: "school_bank_accounts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "statement_column_maps");

            migrationBuilder.DropColumn(
                name: "columns",
                table: "statement_uploads");
        }
    }
}
