using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TdmEdu.Fees.Api.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class BankInbox : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "bidv_password_sealed",
                table: "school_bank_accounts",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "bidv_secret_sealed",
                table: "school_bank_accounts",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "bidv_service_id",
                table: "school_bank_accounts",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "bidv_username",
                table: "school_bank_accounts",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "msb_secret_sealed",
                table: "school_bank_accounts",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "va_prefix",
                table: "school_bank_accounts",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "vcb_public_key_pem",
                table: "school_bank_accounts",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "flag",
                table: "payments",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "inbox_id",
                table: "payments",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "bank_inbox",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    bank = table.Column<string>(type: "text", nullable: false),
                    kind = table.Column<string>(type: "text", nullable: false),
                    idempotency_key = table.Column<string>(type: "text", nullable: false),
                    account_id = table.Column<Guid>(type: "uuid", nullable: false),
                    raw_body = table.Column<string>(type: "text", nullable: false),
                    headers = table.Column<string>(type: "jsonb", nullable: false),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    answer_status = table.Column<int>(type: "integer", nullable: false),
                    answer_body = table.Column<string>(type: "text", nullable: false),
                    processed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    outcome = table.Column<string>(type: "text", nullable: true),
                    outcome_reason = table.Column<string>(type: "text", nullable: true),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    flagged = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_bank_inbox", x => x.id);
                    table.ForeignKey(
                        name: "fk_bank_inbox_school_bank_accounts_account_id",
                        column: x => x.account_id,
                        principalTable: "school_bank_accounts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "sandbox_keys",
                columns: table => new
                {
                    account_id = table.Column<Guid>(type: "uuid", nullable: false),
                    vcb_private_key_sealed = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sandbox_keys", x => x.account_id);
                    table.ForeignKey(
                        name: "fk_sandbox_keys_school_bank_accounts_account_id",
                        column: x => x.account_id,
                        principalTable: "school_bank_accounts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "unidentified_money",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    inbox_id = table.Column<Guid>(type: "uuid", nullable: false),
                    account_id = table.Column<Guid>(type: "uuid", nullable: false),
                    bank = table.Column<string>(type: "text", nullable: false),
                    bank_ref = table.Column<string>(type: "text", nullable: false),
                    amount_vnd = table.Column<long>(type: "bigint", nullable: false),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    reason = table.Column<string>(type: "text", nullable: false),
                    reversed_by_inbox_id = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_unidentified_money", x => x.id);
                    table.CheckConstraint("ck_unidentified_amount", "amount_vnd > 0");
                    table.ForeignKey(
                        name: "fk_unidentified_money_bank_inbox_inbox_id",
                        column: x => x.inbox_id,
                        principalTable: "bank_inbox",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_unidentified_money_school_bank_accounts_account_id",
                        column: x => x.account_id,
                        principalTable: "school_bank_accounts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_payments_inbox_id",
                table: "payments",
                column: "inbox_id");

            migrationBuilder.CreateIndex(
                name: "ix_bank_inbox_account_id",
                table: "bank_inbox",
                column: "account_id");

            migrationBuilder.CreateIndex(
                name: "ix_bank_inbox_bank_kind_idempotency_key",
                table: "bank_inbox",
                columns: new[] { "bank", "kind", "idempotency_key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_bank_inbox_pending",
                table: "bank_inbox",
                column: "received_at",
                filter: "processed_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_unidentified_money_account_id",
                table: "unidentified_money",
                column: "account_id");

            migrationBuilder.CreateIndex(
                name: "ix_unidentified_money_inbox_id",
                table: "unidentified_money",
                column: "inbox_id",
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "fk_payments_bank_inbox_inbox_id",
                table: "payments",
                column: "inbox_id",
                principalTable: "bank_inbox",
                principalColumn: "id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_payments_bank_inbox_inbox_id",
                table: "payments");

            migrationBuilder.DropTable(
                name: "sandbox_keys");

            migrationBuilder.DropTable(
                name: "unidentified_money");

            migrationBuilder.DropTable(
                name: "bank_inbox");

            migrationBuilder.DropIndex(
                name: "ix_payments_inbox_id",
                table: "payments");

            migrationBuilder.DropColumn(
                name: "bidv_password_sealed",
                table: "school_bank_accounts");

            migrationBuilder.DropColumn(
                name: "bidv_secret_sealed",
                table: "school_bank_accounts");

            migrationBuilder.DropColumn(
                name: "bidv_service_id",
                table: "school_bank_accounts");

            migrationBuilder.DropColumn(
                name: "bidv_username",
                table: "school_bank_accounts");

            migrationBuilder.DropColumn(
                name: "msb_secret_sealed",
                table: "school_bank_accounts");

            migrationBuilder.DropColumn(
                name: "va_prefix",
                table: "school_bank_accounts");

            migrationBuilder.DropColumn(
                name: "vcb_public_key_pem",
                table: "school_bank_accounts");

            migrationBuilder.DropColumn(
                name: "flag",
                table: "payments");

            migrationBuilder.DropColumn(
                name: "inbox_id",
                table: "payments");
        }
    }
}
