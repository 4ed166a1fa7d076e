using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TdmEdu.Fees.Api.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class StatementLines : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "statement_imports",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    account_id = table.Column<Guid>(type: "uuid", nullable: false),
                    file_name = table.Column<string>(type: "text", nullable: false),
                    file_sha256 = table.Column<string>(type: "text", nullable: false),
                    format = table.Column<string>(type: "text", nullable: false),
                    lines = table.Column<int>(type: "integer", nullable: false),
                    inserted = table.Column<int>(type: "integer", nullable: false),
                    skipped = table.Column<int>(type: "integer", nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    actor = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_statement_imports", x => x.id);
                    table.ForeignKey(
                        name: "fk_statement_imports_school_bank_accounts_account_id",
                        column: x => x.account_id,
                        principalTable: "school_bank_accounts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "statement_lines",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    account_id = table.Column<Guid>(type: "uuid", nullable: false),
                    import_id = table.Column<Guid>(type: "uuid", nullable: false),
                    bank = table.Column<string>(type: "text", nullable: false),
                    dedupe_key = table.Column<string>(type: "text", nullable: false),
                    bank_ref = table.Column<string>(type: "text", nullable: true),
                    customer_ref = table.Column<string>(type: "text", nullable: true),
                    statement_id = table.Column<string>(type: "text", nullable: true),
                    booking_date = table.Column<DateOnly>(type: "date", nullable: false),
                    value_date = table.Column<DateOnly>(type: "date", nullable: true),
                    direction = table.Column<string>(type: "text", nullable: false),
                    reversal = table.Column<bool>(type: "boolean", nullable: false),
                    amount_vnd = table.Column<long>(type: "bigint", nullable: false),
                    type = table.Column<string>(type: "text", nullable: true),
                    content = table.Column<string>(type: "text", nullable: false),
                    counterparty_name = table.Column<string>(type: "text", nullable: true),
                    counterparty_account = table.Column<string>(type: "text", nullable: true),
                    file_line = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_statement_lines", x => x.id);
                    table.CheckConstraint("ck_statement_lines_amount", "amount_vnd > 0");
                    table.ForeignKey(
                        name: "fk_statement_lines_school_bank_accounts_account_id",
                        column: x => x.account_id,
                        principalTable: "school_bank_accounts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_statement_lines_statement_imports_import_id",
                        column: x => x.import_id,
                        principalTable: "statement_imports",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_statement_imports_account_id",
                table: "statement_imports",
                column: "account_id");

            migrationBuilder.CreateIndex(
                name: "ix_statement_lines_account_id_booking_date",
                table: "statement_lines",
                columns: new[] { "account_id", "booking_date" });

            migrationBuilder.CreateIndex(
                name: "ix_statement_lines_account_id_dedupe_key",
                table: "statement_lines",
                columns: new[] { "account_id", "dedupe_key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_statement_lines_bank_ref",
                table: "statement_lines",
                column: "bank_ref");

            migrationBuilder.CreateIndex(
                name: "ix_statement_lines_import_id",
                table: "statement_lines",
                column: "import_id");

            // Imported statement lines are records of what the bank said: never edited, never deleted.
            migrationBuilder.Sql("CREATE TRIGGER statement_lines_append_only BEFORE UPDATE OR DELETE ON statement_lines FOR EACH ROW EXECUTE FUNCTION refuse_change();");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "statement_lines");

            migrationBuilder.DropTable(
                name: "statement_imports");
        }
    }
}
