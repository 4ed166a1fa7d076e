using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TdmEdu.Fees.Api.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ReversalOriginalKey : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "original_key",
                table: "bank_inbox",
                type: "text",
                nullable: true);

            // Reversals already applied keep the credit they name too (VCB and MSB send it as originalTransactionId).
            migrationBuilder.Sql("""
                UPDATE bank_inbox SET original_key = raw_body::jsonb ->> 'originalTransactionId'
                WHERE kind = 'notify' AND event = 'reversal'
                """);

            // The held reversals' index of 20261205004134_HeldReversals (account only) now also holds the credit they name.
            migrationBuilder.Sql("DROP INDEX ix_bank_inbox_held_reversals;");
            migrationBuilder.CreateIndex(
                name: "ix_bank_inbox_held_reversals",
                table: "bank_inbox",
                columns: new[] { "account_id", "original_key" },
                filter: "event = 'reversal' AND outcome = 'held'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_bank_inbox_held_reversals",
                table: "bank_inbox");

            migrationBuilder.Sql("CREATE INDEX ix_bank_inbox_held_reversals ON bank_inbox (account_id) WHERE event = 'reversal' AND outcome = 'held';");

            migrationBuilder.DropColumn(
                name: "original_key",
                table: "bank_inbox");
        }
    }
}
