using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TdmEdu.Fees.Api.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class BankRefClaims : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "bank_ref_claims",
                columns: table => new
                {
                    account_id = table.Column<Guid>(type: "uuid", nullable: false),
                    bank_ref = table.Column<string>(type: "text", nullable: false),
                    channel = table.Column<string>(type: "text", nullable: false),
                    source_id = table.Column<Guid>(type: "uuid", nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_bank_ref_claims", x => new { x.account_id, x.bank_ref });
                    table.ForeignKey(
                        name: "fk_bank_ref_claims_school_bank_accounts_account_id",
                        column: x => x.account_id,
                        principalTable: "school_bank_accounts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            // Credits that moved money before claims existed hold their reference now: notifications first
            // (applied or parked), then statement lines that were applied.
            migrationBuilder.Sql("""
                INSERT INTO bank_ref_claims (account_id, bank_ref, channel, source_id, at)
                SELECT DISTINCT ON (m.account_id, m.bank_ref) m.account_id, m.bank_ref, 'notification', m.id, m.received_at
                FROM bank_inbox m
                WHERE m.bank_ref IS NOT NULL AND m.kind <> 'revertbill' AND m.outcome IN ('applied', 'unidentified')
                ORDER BY m.account_id, m.bank_ref, m.received_at
                ON CONFLICT DO NOTHING;
                INSERT INTO bank_ref_claims (account_id, bank_ref, channel, source_id, at)
                SELECT l.account_id, l.bank_ref, 'statement', l.id, r.decided_at
                FROM statement_lines l JOIN reconciliations r ON r.statement_line_id = l.id
                WHERE l.bank_ref IS NOT NULL AND r.payment_id IS NOT NULL AND r.outcome <> 'duplicate'
                ON CONFLICT DO NOTHING;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "bank_ref_claims");
        }
    }
}
