using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TdmEdu.Fees.Api.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class MessageIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_messages_guardian_id",
                table: "messages");

            migrationBuilder.CreateIndex(
                name: "ix_messages_guardian_sent",
                table: "messages",
                columns: new[] { "guardian_id", "sent_at" });

            migrationBuilder.CreateIndex(
                name: "ix_messages_leased",
                table: "messages",
                column: "lease_until",
                filter: "status = 'sending'");

            migrationBuilder.CreateIndex(
                name: "ix_messages_unknown",
                table: "messages",
                columns: new[] { "channel", "next_attempt_at" },
                filter: "status = 'unknown'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_messages_guardian_sent",
                table: "messages");

            migrationBuilder.DropIndex(
                name: "ix_messages_leased",
                table: "messages");

            migrationBuilder.DropIndex(
                name: "ix_messages_unknown",
                table: "messages");

            migrationBuilder.CreateIndex(
                name: "ix_messages_guardian_id",
                table: "messages",
                column: "guardian_id");
        }
    }
}
