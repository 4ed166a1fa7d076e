using Npgsql;
using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Persistence;

/// <summary>
/// A database's schema as the sorted lines SchemaCatalog.sql makes, and the comparison of two such lists that a
/// person can read: what is missing, what is extra, nothing else.
/// </summary>
public static class SchemaCatalog
{
    private static readonly string Folder = Path.Combine(RepositoryRoot(), "tests", "Fees.Api.Tests", "Persistence");

    /// <summary>The schema the fifteen development migrations made, captured before they were folded (ADR 20).</summary>
    public static IReadOnlyList<string> BeforeBaseline() =>
        File.ReadAllLines(Path.Combine(Folder, "SchemaBeforeBaseline.txt"));

    public static async Task<IReadOnlyList<string>> OfAsync(string connectionString)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(await File.ReadAllTextAsync(Path.Combine(Folder, "SchemaCatalog.sql")), conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync()) lines.Add(reader.GetString(0));
        return lines;
    }

    /// <summary>"- line" for each line only in <paramref name="expected"/>, "+ line" for each only in <paramref name="actual"/>.</summary>
    public static IReadOnlyList<string> Differences(IReadOnlyList<string> expected, IReadOnlyList<string> actual)
    {
        // Lines are facts, and the same fact may be said twice (a function line); counts keep repeats honest.
        var left = Count(expected);
        foreach (var line in actual) left[line] = left.GetValueOrDefault(line) - 1;
        return left.Where(p => p.Value != 0)
            .SelectMany(p => Enumerable.Repeat((p.Value > 0 ? "- " : "+ ") + p.Key, Math.Abs(p.Value)))
            .OrderBy(l => l[2..], StringComparer.Ordinal).ThenBy(l => l, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The failure message: the differences, then how to read them.</summary>
    public static string Explain(IReadOnlyList<string> differences) =>
        $"{differences.Count} line(s) differ (- only in the schema before the baseline, + only in this database):\n" +
        string.Join('\n', differences);

    /// <summary>A database of the test server with nothing in it, not even the migrations; dropped at the end.</summary>
    public static async Task<TestDatabase> EmptyDatabaseAsync()
    {
        var admin = await PostgresServer.AdminConnectionAsync();
        var name = "t_" + Guid.NewGuid().ToString("N")[..16];
        await using (var conn = new NpgsqlConnection(admin))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE {name}", conn);
            await cmd.ExecuteNonQueryAsync();
        }
        return new TestDatabase(admin, name, PostgresServer.With(admin, name));
    }

    private static Dictionary<string, int> Count(IEnumerable<string> lines)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var line in lines) counts[line] = counts.GetValueOrDefault(line) + 1;
        return counts;
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "TdmEdu.Fees.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("The tests run outside the repository (no TdmEdu.Fees.sln above them).");
    }
}
