using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TdmEdu.Fees.Api.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class PartMonths : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateOnly>(
                name: "left_on",
                table: "students",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "days_in",
                table: "notice_lines",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "days_of",
                table: "notice_lines",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "part_month",
                table: "notice_lines",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "part_month",
                table: "fee_items",
                type: "text",
                nullable: false,
                defaultValue: "full");

            migrationBuilder.CreateTable(
                name: "student_class_moves",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    student_id = table.Column<Guid>(type: "uuid", nullable: false),
                    on = table.Column<DateOnly>(type: "date", nullable: false),
                    from_grade = table.Column<int>(type: "integer", nullable: false),
                    from_class = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    to_grade = table.Column<int>(type: "integer", nullable: false),
                    to_class = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    actor = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_student_class_moves", x => x.id);
                    table.ForeignKey(
                        name: "fk_student_class_moves_students_student_id",
                        column: x => x.student_id,
                        principalTable: "students",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_student_class_moves_student_id_on",
                table: "student_class_moves",
                columns: new[] { "student_id", "on" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "student_class_moves");

            migrationBuilder.DropColumn(
                name: "left_on",
                table: "students");

            migrationBuilder.DropColumn(
                name: "days_in",
                table: "notice_lines");

            migrationBuilder.DropColumn(
                name: "days_of",
                table: "notice_lines");

            migrationBuilder.DropColumn(
                name: "part_month",
                table: "notice_lines");

            migrationBuilder.DropColumn(
                name: "part_month",
                table: "fee_items");
        }
    }
}
