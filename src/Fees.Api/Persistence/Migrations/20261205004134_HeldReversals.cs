using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TdmEdu.Fees.Api.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class HeldReversals : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The reversals held for a person, per account: a credit that comes after a reversal naming it looks here
            // (a handful of rows, where the account's whole inbox is thousands).
            migrationBuilder.Sql("CREATE INDEX ix_bank_inbox_held_reversals ON bank_inbox (account_id) WHERE event = 'reversal' AND outcome = 'held';");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX ix_bank_inbox_held_reversals;");
        }
    }
}
