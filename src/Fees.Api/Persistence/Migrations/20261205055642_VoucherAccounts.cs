using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TdmEdu.Fees.Api.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class VoucherAccounts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "voucher_accounts",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    school_code = table.Column<string>(type: "text", nullable: false),
                    item_code = table.Column<string>(type: "text", nullable: false),
                    channel = table.Column<string>(type: "text", nullable: false),
                    debit = table.Column<string>(type: "text", nullable: false),
                    credit = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_voucher_accounts", x => x.id);
                    table.CheckConstraint("ck_voucher_accounts_channel", "channel IN ('cash', 'bank', '*')");
                });

            migrationBuilder.CreateIndex(
                name: "ix_voucher_accounts_school_code_item_code_channel",
                table: "voucher_accounts",
                columns: new[] { "school_code", "item_code", "channel" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "voucher_accounts");
        }
    }
}
