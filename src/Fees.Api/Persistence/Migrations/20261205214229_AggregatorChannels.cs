using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TdmEdu.Fees.Api.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class AggregatorChannels : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "aggregator_key_sealed",
                table: "school_bank_accounts",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "channel",
                table: "school_bank_accounts",
                type: "text",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_school_bank_accounts_channel_account_no",
                table: "school_bank_accounts",
                columns: new[] { "channel", "account_no" },
                unique: true,
                filter: "channel IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_school_bank_accounts_channel_account_no",
                table: "school_bank_accounts");

            migrationBuilder.DropColumn(
                name: "aggregator_key_sealed",
                table: "school_bank_accounts");

            migrationBuilder.DropColumn(
                name: "channel",
                table: "school_bank_accounts");
        }
    }
}
