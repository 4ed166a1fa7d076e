using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Persistence;

namespace TdmEdu.Fees.Api.Http;

public static class HealthEndpoints
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/health", async (FeesDb db, CancellationToken ct) =>
        {
            try
            {
                var pending = (await db.Database.GetPendingMigrationsAsync(ct)).Count();
                return pending == 0
                    ? Results.Ok(new { status = "healthy", database = "ok" })
                    : Results.Json(new { status = "unhealthy", database = $"{pending} migration(s) pending" }, statusCode: 503);
            }
            catch (Npgsql.NpgsqlException)
            {
                return Results.Json(new { status = "unhealthy", database = "unreachable" }, statusCode: 503);
            }
        });
}
