using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TdmEdu.Fees.Api.Persistence.Migrations
{
    /// <summary>
    /// Staff find a pupil by a name typed with or without Vietnamese marks (Application/Pupils/PupilSearch). The
    /// folding is one SQL function, used for the stored column and for the typed text alike, so both sides fold the
    /// same way. The EF model does not map the column: nothing writes it, and only the search reads it, in SQL.
    /// No trigram index: a search is always within one school, which ix_students_school_id narrows to its pupils
    /// (at most 1,234 in the demo city) before any name is compared: with a trigram GIN index present, the planner
    /// still chose the school's index for the search, which answers in a few milliseconds.
    /// </summary>
    public partial class PupilSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Ships with Debian's postgresql-15 (it provides postgresql-contrib-15) and is a trusted extension: the
            // database's owner may create it without being a superuser.
            migrationBuilder.Sql("CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public;");
            // unaccent() is only STABLE (its dictionary could be changed); with the dictionary named, its answer for a
            // text never changes, which is what IMMUTABLE promises and what a generated column and an index need.
            // đ/Đ are folded by translate() as well, whatever the rules file of the installed version says. Combining
            // marks (a name typed decomposed, NFD) are dropped by unaccent's rules since PostgreSQL 13.
            migrationBuilder.Sql("""
                CREATE FUNCTION fees_fold(text) RETURNS text
                    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
                    RETURN lower(translate(public.unaccent('public.unaccent'::regdictionary, $1), 'đĐ', 'dd'));
                """);
            migrationBuilder.Sql("ALTER TABLE students ADD COLUMN name_folded text GENERATED ALWAYS AS (fees_fold(full_name)) STORED NOT NULL;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER TABLE students DROP COLUMN name_folded;");
            migrationBuilder.Sql("DROP FUNCTION fees_fold(text);");
            migrationBuilder.Sql("DROP EXTENSION IF EXISTS unaccent;");
        }
    }
}
