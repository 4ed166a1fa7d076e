using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TdmEdu.Fees.Api.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class BankScreens : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "reason_vi",
                table: "unidentified_money",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "suggestions",
                table: "unidentified_money",
                type: "jsonb",
                nullable: false,
                defaultValueSql: "'[]'::jsonb");

            migrationBuilder.AddColumn<string>(
                name: "reason_vi",
                table: "reconciliations",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "outcome_reason_vi",
                table: "bank_inbox",
                type: "text",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "statement_uploads",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    school_id = table.Column<Guid>(type: "uuid", nullable: false),
                    account_id = table.Column<Guid>(type: "uuid", nullable: false),
                    file_name = table.Column<string>(type: "text", nullable: false),
                    format = table.Column<string>(type: "text", nullable: false),
                    file_sha256 = table.Column<string>(type: "text", nullable: false),
                    content = table.Column<byte[]>(type: "bytea", nullable: false),
                    actor = table.Column<string>(type: "text", nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_statement_uploads", x => x.id);
                    table.ForeignKey(
                        name: "fk_statement_uploads_school_bank_accounts_account_id",
                        column: x => x.account_id,
                        principalTable: "school_bank_accounts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_statement_uploads_schools_school_id",
                        column: x => x.school_id,
                        principalTable: "schools",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_statement_uploads_account_id",
                table: "statement_uploads",
                column: "account_id");

            migrationBuilder.CreateIndex(
                name: "ix_statement_uploads_at",
                table: "statement_uploads",
                column: "at");

            migrationBuilder.CreateIndex(
                name: "ix_statement_uploads_school_id",
                table: "statement_uploads",
                column: "school_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "statement_uploads");

            migrationBuilder.DropColumn(
                name: "reason_vi",
                table: "unidentified_money");

            migrationBuilder.DropColumn(
                name: "suggestions",
                table: "unidentified_money");

            migrationBuilder.DropColumn(
                name: "reason_vi",
                table: "reconciliations");

            migrationBuilder.DropColumn(
                name: "outcome_reason_vi",
                table: "bank_inbox");
        }
    }
}
