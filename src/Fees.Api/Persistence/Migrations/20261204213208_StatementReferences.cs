using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TdmEdu.Fees.Api.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class StatementReferences : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "file_credits_vnd",
                table: "statement_imports",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "file_debits_vnd",
                table: "statement_imports",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "statement_import_lines",
                columns: table => new
                {
                    import_id = table.Column<Guid>(type: "uuid", nullable: false),
                    line_id = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_statement_import_lines", x => new { x.import_id, x.line_id });
                    table.ForeignKey(
                        name: "fk_statement_import_lines_statement_imports_import_id",
                        column: x => x.import_id,
                        principalTable: "statement_imports",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_statement_import_lines_statement_lines_line_id",
                        column: x => x.line_id,
                        principalTable: "statement_lines",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_statement_import_lines_line_id",
                table: "statement_import_lines",
                column: "line_id");

            // A debit or a reversal is now keyed apart from the credit that shares its reference.
            migrationBuilder.Sql("""
                UPDATE statement_lines
                SET dedupe_key = dedupe_key || ':' || direction || CASE WHEN reversal THEN '-reversal' ELSE '' END
                WHERE bank_ref IS NOT NULL AND dedupe_key = 'ref:' || bank_ref AND (direction <> 'credit' OR reversal)
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                UPDATE statement_lines SET dedupe_key = 'ref:' || bank_ref
                WHERE bank_ref IS NOT NULL AND dedupe_key LIKE 'ref:%:%' AND dedupe_key = 'ref:' || bank_ref || ':' || direction || CASE WHEN reversal THEN '-reversal' ELSE '' END
                """);
            migrationBuilder.DropTable(
                name: "statement_import_lines");

            migrationBuilder.DropColumn(
                name: "file_credits_vnd",
                table: "statement_imports");

            migrationBuilder.DropColumn(
                name: "file_debits_vnd",
                table: "statement_imports");
        }
    }
}
