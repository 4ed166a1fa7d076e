using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using TdmEdu.Fees.Api.Persistence.Migrations;
using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Persistence;

/// <summary>The one baseline migration makes the schema the fifteen development migrations made (ADR 20).</summary>
public sealed class BaselineTests
{
    // The baseline alone, not whatever later migrations add: what it makes must stay what the old chain made.
    private static readonly string BaselineId = typeof(Baseline).GetCustomAttribute<MigrationAttribute>()!.Id;

    [Fact]
    public async Task Baseline_OnAnEmptyDatabase_MakesTheSchemaTheDevelopmentMigrationsMade()
    {
        await using var database = await BaselineOnEmptyDatabaseAsync();

        var differences = SchemaCatalog.Differences(SchemaCatalog.BeforeBaseline(), await SchemaCatalog.OfAsync(database.ConnectionString));

        Assert.True(differences.Count == 0, SchemaCatalog.Explain(differences));
    }

    [Fact]
    public async Task SchemaComparison_OnABaselineWithAnIndexDropped_ReportsThatIndexMissing()
    {
        await using var database = await BaselineOnEmptyDatabaseAsync();
        await database.ExecAsync("DROP INDEX ix_bank_inbox_pending");

        var differences = SchemaCatalog.Differences(SchemaCatalog.BeforeBaseline(), await SchemaCatalog.OfAsync(database.ConnectionString));

        Assert.Equal(
            ["- index public.bank_inbox ix_bank_inbox_pending: CREATE INDEX ix_bank_inbox_pending ON public.bank_inbox USING btree (received_at) WHERE (processed_at IS NULL)"],
            differences);
    }

    [Fact]
    public async Task SchemaComparison_OnABaselineWithTheAppendOnlyFunctionChanged_ReportsTheChangedLine()
    {
        await using var database = await BaselineOnEmptyDatabaseAsync();
        await database.ExecAsync("""
            CREATE OR REPLACE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RETURN NEW;
            END $$;
            """);

        var differences = SchemaCatalog.Differences(SchemaCatalog.BeforeBaseline(), await SchemaCatalog.OfAsync(database.ConnectionString));

        Assert.Contains("- function public.refuse_change() 0006:     RAISE EXCEPTION '% rows are append-only; record a correcting entry instead', TG_TABLE_NAME", differences);
        Assert.Contains("+ function public.refuse_change() 0006:     RETURN NEW;", differences);
        Assert.All(differences, d => Assert.Contains("function public.refuse_change()", d));
    }

    [Fact]
    public async Task Baseline_Reverted_LeavesOnlyTheMigrationHistory()
    {
        await using var database = await BaselineOnEmptyDatabaseAsync();

        await using (var db = database.Open()) await db.GetService<IMigrator>().MigrateAsync(Migration.InitialDatabase);

        Assert.All(await SchemaCatalog.OfAsync(database.ConnectionString), line => Assert.Contains("\"__EFMigrationsHistory\"", line));
    }

    [Fact]
    public void Model_ComparedWithTheMigrationsSnapshot_HasNoPendingChanges()
    {
        // The model is compared with the snapshot; no database is opened.
        using var db = Api.Persistence.Database.Open("Host=localhost;Database=unused");

        Assert.False(db.Database.HasPendingModelChanges(),
            "The model changed without a migration: dotnet ef migrations add NAME -p src/Fees.Api -s src/Fees.Api -o Persistence/Migrations");
    }

    private static async Task<TestDatabase> BaselineOnEmptyDatabaseAsync()
    {
        var database = await SchemaCatalog.EmptyDatabaseAsync();
        await using var db = database.Open();
        await db.GetService<IMigrator>().MigrateAsync(BaselineId);
        return database;
    }
}
