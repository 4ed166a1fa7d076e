using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TdmEdu.Fees.Api.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class OneBankMoneyPath : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_review_decisions_statement_lines_statement_line_id",
                table: "review_decisions");

            migrationBuilder.AddColumn<Guid>(
                name: "reversed_by_statement_line_id",
                table: "unidentified_money",
                type: "uuid",
                nullable: true);

            migrationBuilder.AlterColumn<Guid>(
                name: "statement_line_id",
                table: "review_decisions",
                type: "uuid",
                nullable: true,
                oldClrType: typeof(Guid),
                oldType: "uuid");

            migrationBuilder.AddColumn<Guid>(
                name: "inbox_id",
                table: "review_decisions",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "parked_id",
                table: "review_decisions",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "amount_vnd",
                table: "bank_inbox",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "event",
                table: "bank_inbox",
                type: "text",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_review_decisions_inbox_id",
                table: "review_decisions",
                column: "inbox_id");

            migrationBuilder.CreateIndex(
                name: "ix_review_decisions_parked_id",
                table: "review_decisions",
                column: "parked_id");

            migrationBuilder.AddCheckConstraint(
                name: "ck_review_decisions_one_subject",
                table: "review_decisions",
                sql: "num_nonnulls(statement_line_id, parked_id, inbox_id) = 1");

            migrationBuilder.AddForeignKey(
                name: "fk_review_decisions_bank_inbox_inbox_id",
                table: "review_decisions",
                column: "inbox_id",
                principalTable: "bank_inbox",
                principalColumn: "id");

            migrationBuilder.AddForeignKey(
                name: "fk_review_decisions_statement_lines_statement_line_id",
                table: "review_decisions",
                column: "statement_line_id",
                principalTable: "statement_lines",
                principalColumn: "id");

            migrationBuilder.AddForeignKey(
                name: "fk_review_decisions_unidentified_money_parked_id",
                table: "review_decisions",
                column: "parked_id",
                principalTable: "unidentified_money",
                principalColumn: "id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_review_decisions_bank_inbox_inbox_id",
                table: "review_decisions");

            migrationBuilder.DropForeignKey(
                name: "fk_review_decisions_statement_lines_statement_line_id",
                table: "review_decisions");

            migrationBuilder.DropForeignKey(
                name: "fk_review_decisions_unidentified_money_parked_id",
                table: "review_decisions");

            migrationBuilder.DropIndex(
                name: "ix_review_decisions_inbox_id",
                table: "review_decisions");

            migrationBuilder.DropIndex(
                name: "ix_review_decisions_parked_id",
                table: "review_decisions");

            migrationBuilder.DropCheckConstraint(
                name: "ck_review_decisions_one_subject",
                table: "review_decisions");

            migrationBuilder.DropColumn(
                name: "reversed_by_statement_line_id",
                table: "unidentified_money");

            migrationBuilder.DropColumn(
                name: "inbox_id",
                table: "review_decisions");

            migrationBuilder.DropColumn(
                name: "parked_id",
                table: "review_decisions");

            migrationBuilder.DropColumn(
                name: "amount_vnd",
                table: "bank_inbox");

            migrationBuilder.DropColumn(
                name: "event",
                table: "bank_inbox");

            migrationBuilder.AlterColumn<Guid>(
                name: "statement_line_id",
                table: "review_decisions",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"),
                oldClrType: typeof(Guid),
                oldType: "uuid",
                oldNullable: true);

            migrationBuilder.AddForeignKey(
                name: "fk_review_decisions_statement_lines_statement_line_id",
                table: "review_decisions",
                column: "statement_line_id",
                principalTable: "statement_lines",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);
        }
    }
}
