using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TdmEdu.Fees.Api.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class StatementBalances : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "statement_balances",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    account_id = table.Column<Guid>(type: "uuid", nullable: false),
                    import_id = table.Column<Guid>(type: "uuid", nullable: false),
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    balance_vnd = table.Column<long>(type: "bigint", nullable: false),
                    stated = table.Column<string>(type: "text", nullable: false),
                    file_line = table.Column<int>(type: "integer", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_statement_balances", x => x.id);
                    table.ForeignKey(
                        name: "fk_statement_balances_school_bank_accounts_account_id",
                        column: x => x.account_id,
                        principalTable: "school_bank_accounts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_statement_balances_statement_imports_import_id",
                        column: x => x.import_id,
                        principalTable: "statement_imports",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_statement_balances_account_id_day",
                table: "statement_balances",
                columns: new[] { "account_id", "day" });

            migrationBuilder.CreateIndex(
                name: "ix_statement_balances_import_id",
                table: "statement_balances",
                column: "import_id");

            // What a bank stated stays as stated, like the statement's lines.
            migrationBuilder.Sql("CREATE TRIGGER statement_balances_append_only BEFORE UPDATE OR DELETE ON statement_balances FOR EACH ROW EXECUTE FUNCTION refuse_change();");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "statement_balances");
        }
    }
}
