using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Common;

namespace TdmEdu.Fees.Api.Persistence;

public static class Database
{
    public static string RequireConnectionString(string? connection) =>
        string.IsNullOrWhiteSpace(connection)
            ? throw new EnvironmentProblemException("No database: give --db \"<connection string>\" or set FEES_DB (./fees starts a local one for you).")
            : connection;

    public static FeesDb Open(string? connection) =>
        new(new DbContextOptionsBuilder<FeesDb>()
            .UseNpgsql(RequireConnectionString(connection), o => o.CommandTimeout(600))
            .Options);

    /// <summary>Applies pending migrations; EF takes a lock, so several instances may start at once.</summary>
    public static async Task<int> MigrateAsync(FeesDb db, CancellationToken ct = default)
    {
        await RefuseDevelopmentDatabaseAsync(db, ct);
        var pending = (await db.Database.GetPendingMigrationsAsync(ct)).Count();
        if (pending > 0) await db.Database.MigrateAsync(ct);
        return pending;
    }

    /// <summary>
    /// The migrations of the first development weeks were folded into one baseline before the first install
    /// (docs/decisions/0020). A database they made already has the baseline's tables under other migration ids:
    /// applying the baseline on top would fail half-way, so it is refused whole, before anything is written.
    /// </summary>
    private static async Task RefuseDevelopmentDatabaseAsync(FeesDb db, CancellationToken ct)
    {
        var known = db.Database.GetMigrations().ToList();
        var first = known.Min(StringComparer.Ordinal);
        // Migration ids begin with their UTC time, so an id unknown to this build and older than its first
        // migration comes from before the baseline (a newer one comes from a later build and is not ours to judge).
        var applied = await db.Database.GetAppliedMigrationsAsync(ct);
        if (applied.Any(id => !known.Contains(id, StringComparer.Ordinal) && string.CompareOrdinal(id, first) < 0))
            throw new EnvironmentProblemException(DevelopmentDatabase);
    }

    public const string DevelopmentDatabase =
        "This database was made by a development version of TdmEdu.Fees, whose migrations were folded into one " +
        "baseline before the first release; it cannot be upgraded, and nothing was changed. Start with a new database: " +
        "for the local one, run ./fees down, remove the folder .data/pg, then ./fees up (the demo is seeded again).";
}
