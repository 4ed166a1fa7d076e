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
        var pending = (await db.Database.GetPendingMigrationsAsync(ct)).Count();
        if (pending > 0) await db.Database.MigrateAsync(ct);
        return pending;
    }
}
