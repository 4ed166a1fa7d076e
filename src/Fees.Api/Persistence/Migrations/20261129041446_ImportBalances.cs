using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TdmEdu.Fees.Api.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ImportBalances : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "closing_balance",
                table: "statement_imports",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "opening_balance",
                table: "statement_imports",
                type: "text",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "closing_balance",
                table: "statement_imports");

            migrationBuilder.DropColumn(
                name: "opening_balance",
                table: "statement_imports");
        }
    }
}
