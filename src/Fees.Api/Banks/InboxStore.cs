using System.Collections.Concurrent;
using Npgsql;
using NpgsqlTypes;
using TdmEdu.Fees.Api.Persistence;

namespace TdmEdu.Fees.Api.Banks;

/// <summary>
/// The hot path of a bank call: one round trip that stores it, or finds the first copy of it. The unique key
/// (bank, kind, idempotency key) decides, not a check before the insert.
/// </summary>
public sealed class InboxStore(NpgsqlDataSource dataSource)
{
    public sealed record Answer(Guid Id, int Status, string Body);

    /// <summary>Stores the call; returns the answer that counts: this one if it was new, else the first one's.</summary>
    public async Task<(bool Stored, Answer Answer)> StoreAsync(InboxMessage m, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO bank_inbox (id, bank, kind, idempotency_key, account_id, raw_body, headers, received_at, answer_status, answer_body, attempts, flagged)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 0, false)
            ON CONFLICT (bank, kind, idempotency_key) DO NOTHING
            """, conn))
        {
            insert.Parameters.Add(new() { Value = m.Id });
            insert.Parameters.Add(new() { Value = m.Bank });
            insert.Parameters.Add(new() { Value = m.Kind });
            insert.Parameters.Add(new() { Value = m.IdempotencyKey });
            insert.Parameters.Add(new() { Value = m.AccountId });
            insert.Parameters.Add(new() { Value = m.RawBody });
            insert.Parameters.Add(new() { Value = m.Headers, NpgsqlDbType = NpgsqlDbType.Jsonb });
            insert.Parameters.Add(new() { Value = m.ReceivedAt });
            insert.Parameters.Add(new() { Value = m.AnswerStatus });
            insert.Parameters.Add(new() { Value = m.AnswerBody });
            if (await insert.ExecuteNonQueryAsync(ct) == 1) return (true, new Answer(m.Id, m.AnswerStatus, m.AnswerBody));
        }
        return (false, await FirstAsync(conn, m.Bank, m.Kind, m.IdempotencyKey, ct)
            ?? throw new InvalidOperationException("A conflicting bank call vanished."));
    }

    public async Task<Answer?> FirstAsync(string bank, string kind, string key, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await FirstAsync(conn, bank, kind, key, ct);
    }

    private static async Task<Answer?> FirstAsync(NpgsqlConnection conn, string bank, string kind, string key, CancellationToken ct)
    {
        await using var select = new NpgsqlCommand(
            "SELECT id, answer_status, answer_body FROM bank_inbox WHERE bank = $1 AND kind = $2 AND idempotency_key = $3", conn);
        select.Parameters.Add(new() { Value = bank });
        select.Parameters.Add(new() { Value = kind });
        select.Parameters.Add(new() { Value = key });
        await using var r = await select.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? new Answer(r.GetGuid(0), r.GetInt32(1), r.GetString(2)) : null;
    }
}

/// <summary>
/// Account settings for notification verification, kept for a short while so a burst of calls does not read
/// and unseal them each time. A change made with `fees banks configure` is seen within <see cref="Lifetime"/>.
/// </summary>
public sealed class BankSettingsCache(TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<(string Bank, string Account), (AccountSettings? Settings, DateTimeOffset Until)> _entries = new();

    public async Task<AccountSettings?> GetAsync(string bank, string account, Func<Task<AccountSettings?>> load)
    {
        var now = time.GetUtcNow();
        if (_entries.TryGetValue((bank, account), out var e) && e.Until > now) return e.Settings;
        var settings = await load();
        if (_entries.Count > 10_000) _entries.Clear(); // a flood of made-up account numbers must not grow it without end
        _entries[(bank, account)] = (settings, now + Lifetime);
        return settings;
    }
}
