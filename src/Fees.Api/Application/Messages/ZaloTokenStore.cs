using Npgsql;
using TdmEdu.Fees.Api.Security;
using TdmEdu.Fees.NotifyAdapters.Zalo;

namespace TdmEdu.Fees.Api.Application.Messages;

/// <summary>
/// The Zalo token pair in PostgreSQL (table zalo_tokens, one row), sealed with the master key. Zalo's refresh token
/// works once: the pair a refresh returns must outlive the process and be the one every instance uses, so a refresh
/// runs under the row's lock (SELECT … FOR UPDATE) and its answer is committed before anyone else reads the row.
/// The first pair comes from configuration (Notify:Zalo:RefreshToken) when the table holds none.
/// </summary>
public sealed class ZaloTokenStore(NpgsqlDataSource data, SecretBox box, string? initialRefreshToken) : IZaloTokenStore
{
    public async ValueTask<ZaloTokenPair?> GetAsync(CancellationToken ct)
    {
        await using var conn = await data.OpenConnectionAsync(ct);
        return await ReadAsync(conn, null, lockRow: false, ct);
    }

    public async ValueTask PutAsync(ZaloTokenPair pair, CancellationToken ct)
    {
        await using var conn = await data.OpenConnectionAsync(ct);
        await WriteAsync(conn, null, pair, ct);
    }

    public async ValueTask<ZaloTokenPair> ExchangeAsync(Func<ZaloTokenPair?, CancellationToken, Task<ZaloTokenPair>> exchange, CancellationToken ct)
    {
        await using var conn = await data.OpenConnectionAsync(ct);
        await using (var seed = new NpgsqlCommand("INSERT INTO zalo_tokens (id, updated_at) VALUES (1, now()) ON CONFLICT (id) DO NOTHING", conn))
            await seed.ExecuteNonQueryAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var next = await exchange(await ReadAsync(conn, tx, lockRow: true, ct), ct);
        await WriteAsync(conn, tx, next, ct);
        await tx.CommitAsync(ct);
        return next;
    }

    private async Task<ZaloTokenPair?> ReadAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, bool lockRow, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            "SELECT access_sealed, refresh_sealed, access_expires_at FROM zalo_tokens WHERE id = 1" + (lockRow ? " FOR UPDATE" : ""), conn, tx);
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
        {
            if (await reader.ReadAsync(ct) && !reader.IsDBNull(1))
                return new ZaloTokenPair(reader.IsDBNull(0) ? "" : box.Open(reader.GetString(0)), box.Open(reader.GetString(1)),
                    reader.IsDBNull(2) ? DateTimeOffset.MinValue : reader.GetFieldValue<DateTimeOffset>(2));
        }
        return string.IsNullOrWhiteSpace(initialRefreshToken) ? null : ZaloTokenPair.FromRefreshToken(initialRefreshToken);
    }

    private async Task WriteAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, ZaloTokenPair pair, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            INSERT INTO zalo_tokens (id, access_sealed, refresh_sealed, access_expires_at, updated_at) VALUES (1, @a, @r, @e, now())
            ON CONFLICT (id) DO UPDATE SET access_sealed = excluded.access_sealed, refresh_sealed = excluded.refresh_sealed,
                access_expires_at = excluded.access_expires_at, updated_at = excluded.updated_at
            """, conn, tx);
        cmd.Parameters.AddWithValue("a", pair.AccessToken.Length == 0 ? DBNull.Value : box.Seal(pair.AccessToken));
        cmd.Parameters.AddWithValue("r", box.Seal(pair.RefreshToken));
        cmd.Parameters.AddWithValue("e", pair.AccessExpiresAt == DateTimeOffset.MinValue ? DBNull.Value : pair.AccessExpiresAt);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
