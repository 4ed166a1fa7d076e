using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TdmEdu.Fees.Api.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class AdminSchools : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_school_bank_accounts_school_id_bank",
                table: "school_bank_accounts");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "retired_at",
                table: "school_bank_accounts",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_school_bank_accounts_school_id_bank",
                table: "school_bank_accounts",
                columns: new[] { "school_id", "bank" },
                unique: true,
                filter: "retired_at IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_school_bank_accounts_school_id_bank",
                table: "school_bank_accounts");

            migrationBuilder.DropColumn(
                name: "retired_at",
                table: "school_bank_accounts");

            migrationBuilder.CreateIndex(
                name: "ix_school_bank_accounts_school_id_bank",
                table: "school_bank_accounts",
                columns: new[] { "school_id", "bank" },
                unique: true);
        }
    }
}
