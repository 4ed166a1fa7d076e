using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TdmEdu.Fees.Api.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class Reconciliations : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "bank_ref",
                table: "bank_inbox",
                type: "text",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "reconciliations",
                columns: table => new
                {
                    statement_line_id = table.Column<Guid>(type: "uuid", nullable: false),
                    outcome = table.Column<string>(type: "text", nullable: false),
                    reason = table.Column<string>(type: "text", nullable: false),
                    payment_id = table.Column<Guid>(type: "uuid", nullable: true),
                    suggestions = table.Column<string>(type: "jsonb", nullable: false),
                    decided_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_reconciliations", x => x.statement_line_id);
                    table.ForeignKey(
                        name: "fk_reconciliations_payments_payment_id",
                        column: x => x.payment_id,
                        principalTable: "payments",
                        principalColumn: "id");
                    table.ForeignKey(
                        name: "fk_reconciliations_statement_lines_statement_line_id",
                        column: x => x.statement_line_id,
                        principalTable: "statement_lines",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_bank_inbox_bank_bank_ref",
                table: "bank_inbox",
                columns: new[] { "bank", "bank_ref" });

            migrationBuilder.CreateIndex(
                name: "ix_reconciliations_outcome",
                table: "reconciliations",
                column: "outcome");

            migrationBuilder.CreateIndex(
                name: "ix_reconciliations_payment_id",
                table: "reconciliations",
                column: "payment_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "reconciliations");

            migrationBuilder.DropIndex(
                name: "ix_bank_inbox_bank_bank_ref",
                table: "bank_inbox");

            migrationBuilder.DropColumn(
                name: "bank_ref",
                table: "bank_inbox");
        }
    }
}
