using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TdmEdu.Fees.Api.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class JobsAndFindings : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "virtual_account",
                table: "statement_lines",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "statements_pulled_through",
                table: "school_bank_accounts",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "vcb_client_id",
                table: "school_bank_accounts",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "vcb_client_secret_sealed",
                table: "school_bank_accounts",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "overdue_since",
                table: "notices",
                type: "date",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "crosscheck_findings",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "text", nullable: false),
                    source_id = table.Column<Guid>(type: "uuid", nullable: false),
                    account_id = table.Column<Guid>(type: "uuid", nullable: false),
                    bank = table.Column<string>(type: "text", nullable: false),
                    bank_ref = table.Column<string>(type: "text", nullable: true),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    amount_vnd = table.Column<long>(type: "bigint", nullable: false),
                    reason = table.Column<string>(type: "text", nullable: false),
                    found_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    resolved_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_crosscheck_findings", x => x.id);
                    table.ForeignKey(
                        name: "fk_crosscheck_findings_school_bank_accounts_account_id",
                        column: x => x.account_id,
                        principalTable: "school_bank_accounts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_crosscheck_findings_account_id",
                table: "crosscheck_findings",
                column: "account_id");

            migrationBuilder.CreateIndex(
                name: "ix_crosscheck_findings_kind_source_id",
                table: "crosscheck_findings",
                columns: new[] { "kind", "source_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_crosscheck_findings_resolved_at",
                table: "crosscheck_findings",
                column: "resolved_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "crosscheck_findings");

            migrationBuilder.DropColumn(
                name: "virtual_account",
                table: "statement_lines");

            migrationBuilder.DropColumn(
                name: "statements_pulled_through",
                table: "school_bank_accounts");

            migrationBuilder.DropColumn(
                name: "vcb_client_id",
                table: "school_bank_accounts");

            migrationBuilder.DropColumn(
                name: "vcb_client_secret_sealed",
                table: "school_bank_accounts");

            migrationBuilder.DropColumn(
                name: "overdue_since",
                table: "notices");
        }
    }
}
