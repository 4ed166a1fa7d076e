using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TdmEdu.Fees.Api.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ReviewDecisions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "review_decisions",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    statement_line_id = table.Column<Guid>(type: "uuid", nullable: false),
                    action = table.Column<string>(type: "text", nullable: false),
                    student_id = table.Column<Guid>(type: "uuid", nullable: true),
                    payment_id = table.Column<Guid>(type: "uuid", nullable: true),
                    undoes_decision_id = table.Column<Guid>(type: "uuid", nullable: true),
                    reason = table.Column<string>(type: "text", nullable: false),
                    actor = table.Column<string>(type: "text", nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_review_decisions", x => x.id);
                    table.ForeignKey(
                        name: "fk_review_decisions_payments_payment_id",
                        column: x => x.payment_id,
                        principalTable: "payments",
                        principalColumn: "id");
                    table.ForeignKey(
                        name: "fk_review_decisions_review_decisions_undoes_decision_id",
                        column: x => x.undoes_decision_id,
                        principalTable: "review_decisions",
                        principalColumn: "id");
                    table.ForeignKey(
                        name: "fk_review_decisions_statement_lines_statement_line_id",
                        column: x => x.statement_line_id,
                        principalTable: "statement_lines",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_review_decisions_students_student_id",
                        column: x => x.student_id,
                        principalTable: "students",
                        principalColumn: "id");
                });

            migrationBuilder.CreateIndex(
                name: "ix_review_decisions_payment_id",
                table: "review_decisions",
                column: "payment_id");

            migrationBuilder.CreateIndex(
                name: "ix_review_decisions_statement_line_id",
                table: "review_decisions",
                column: "statement_line_id");

            migrationBuilder.CreateIndex(
                name: "ix_review_decisions_student_id",
                table: "review_decisions",
                column: "student_id");

            migrationBuilder.CreateIndex(
                name: "ix_review_decisions_undoes_decision_id",
                table: "review_decisions",
                column: "undoes_decision_id",
                unique: true);

            migrationBuilder.Sql("CREATE TRIGGER review_decisions_append_only BEFORE UPDATE OR DELETE ON review_decisions FOR EACH ROW EXECUTE FUNCTION refuse_change();");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "review_decisions");
        }
    }
}
