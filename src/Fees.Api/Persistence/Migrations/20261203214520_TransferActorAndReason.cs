using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TdmEdu.Fees.Api.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class TransferActorAndReason : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "actor",
                table: "student_transfers",
                type: "character varying(300)",
                maxLength: 300,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "reason",
                table: "student_transfers",
                type: "character varying(500)",
                maxLength: 500,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateIndex(
                name: "ix_student_transfers_at",
                table: "student_transfers",
                column: "at");

            migrationBuilder.CreateIndex(
                name: "ix_student_transfers_from_school_id",
                table: "student_transfers",
                column: "from_school_id");

            migrationBuilder.CreateIndex(
                name: "ix_student_transfers_to_school_id",
                table: "student_transfers",
                column: "to_school_id");

            migrationBuilder.AddForeignKey(
                name: "fk_student_transfers_schools_from_school_id",
                table: "student_transfers",
                column: "from_school_id",
                principalTable: "schools",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "fk_student_transfers_schools_to_school_id",
                table: "student_transfers",
                column: "to_school_id",
                principalTable: "schools",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);

            // Transfers made before these columns existed came from roster imports whose actor was not kept;
            // they say so rather than stay blank. From now on a transfer is a record, never edited.
            migrationBuilder.Sql("""
                UPDATE student_transfers SET actor = 'unknown', reason = 'roster import before transfers recorded who and why' WHERE actor = '';
                CREATE TRIGGER student_transfers_append_only BEFORE UPDATE OR DELETE ON student_transfers FOR EACH ROW EXECUTE FUNCTION refuse_change();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER student_transfers_append_only ON student_transfers;");

            migrationBuilder.DropForeignKey(
                name: "fk_student_transfers_schools_from_school_id",
                table: "student_transfers");

            migrationBuilder.DropForeignKey(
                name: "fk_student_transfers_schools_to_school_id",
                table: "student_transfers");

            migrationBuilder.DropIndex(
                name: "ix_student_transfers_at",
                table: "student_transfers");

            migrationBuilder.DropIndex(
                name: "ix_student_transfers_from_school_id",
                table: "student_transfers");

            migrationBuilder.DropIndex(
                name: "ix_student_transfers_to_school_id",
                table: "student_transfers");

            migrationBuilder.DropColumn(
                name: "actor",
                table: "student_transfers");

            migrationBuilder.DropColumn(
                name: "reason",
                table: "student_transfers");
        }
    }
}
