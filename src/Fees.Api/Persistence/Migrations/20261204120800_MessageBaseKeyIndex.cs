using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TdmEdu.Fees.Api.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class MessageBaseKeyIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // A re-send finds a message's earlier tries by the key without its ":r{n}": an index on that expression
            // keeps it a look-up instead of a scan of the whole outbox for every message re-sent.
            migrationBuilder.Sql("CREATE INDEX ix_messages_base_key ON messages ((regexp_replace(idempotency_key, ':r[0-9]+$', '')));");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX ix_messages_base_key;");
        }
    }
}
