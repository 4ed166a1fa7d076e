using System.Collections.Concurrent;
using System.Threading.Channels;
using Npgsql;
using TdmEdu.Fees.Api.Persistence;

namespace TdmEdu.Fees.Api.Application.Banks;

/// <summary>
/// The hot path of a bank call. Calls that arrive together are written together: each waits until a
/// multi-row INSERT holding it has committed, so every answer still follows a durable write, while the
/// commits are shared. The unique key (bank, kind, idempotency key) decides what is new, not a check before
/// the insert; a repeat, even within the same batch, gets the first copy's answer.
/// </summary>
public sealed class InboxStore(NpgsqlDataSource dataSource, ILogger<InboxStore> log) : BackgroundService
{
    public const int MaxBatch = 256;
    public const int Writers = 2;

    /// <summary>The answer a stored call got, and the school account it was stored on.</summary>
    /// <summary>A stored call's answer; <see cref="RawBody"/> is the call itself, where it was read, to tell a true repeat from another call under the same key.</summary>
    public sealed record Answer(Guid Id, int Status, string Body, Guid AccountId, string? RawBody = null);

    private sealed record Pending(InboxMessage Message, TaskCompletionSource<(bool Stored, Answer Answer)> Done);

    private readonly Channel<Pending> _queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.Wait });

    /// <summary>Stores the call; returns the answer that counts: this one if it was new, else the first one's.</summary>
    public async Task<(bool Stored, Answer Answer)> StoreAsync(InboxMessage m, CancellationToken ct)
    {
        var p = new Pending(m, new TaskCompletionSource<(bool, Answer)>(TaskCreationOptions.RunContinuationsAsynchronously));
        await _queue.Writer.WriteAsync(p, ct);
        return await p.Done.Task.WaitAsync(ct);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Writers).Select(_ => WriteLoopAsync(stoppingToken)));

    private async Task WriteLoopAsync(CancellationToken ct)
    {
        var batch = new List<Pending>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync(ct))
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var p)) batch.Add(p);
            if (batch.Count == 0) continue;
            try
            {
                var results = await WriteRetryingAsync(batch.Select(b => b.Message).ToList(), ct);
                for (var i = 0; i < batch.Count; i++) batch[i].Done.TrySetResult(results[i]);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning("Storing {Count} bank call(s) failed: {Error}", batch.Count, e.GetType().Name);
                foreach (var p in batch) p.Done.TrySetException(e);
            }
        }
    }

    /// <summary>Pauses before writing again after the database was lost: a failover takes 2 to 6 seconds.</summary>
    public static readonly TimeSpan[] RetryPauses = [TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)];

    /// <summary>
    /// The write again when the connection was cut (the primary lost, a failover under way): the insert is idempotent by
    /// its key, so a commit that did land before the cut is found and answered as the same call. Nothing is answered
    /// before a commit, and with synchronous replication a commit is on two nodes.
    /// </summary>
    private async Task<List<(bool, Answer)>> WriteRetryingAsync(List<InboxMessage> ms, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await WriteAsync(ms, ct);
            }
            catch (Exception e) when (InboxProcessor.Transient(e) && attempt < RetryPauses.Length)
            {
                log.LogWarning("Storing {Count} bank call(s) was cut ({Error}); trying again", ms.Count, e.GetType().Name);
                await Task.Delay(RetryPauses[attempt], ct);
            }
        }
    }

    private async Task<List<(bool, Answer)>> WriteAsync(List<InboxMessage> ms, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        // One transaction whose commit waits for the synchronous standby even when every call was a repeat
        // (an earlier attempt's row may be on the primary alone), and a cancelled wait is a failure, not an answer.
        using var watch = new Replication.Watch(conn);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await Replication.MakeCommitWaitAsync(conn, ct);
        var inserted = new HashSet<Guid>();
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO bank_inbox (id, bank, kind, idempotency_key, account_id, raw_body, headers, received_at, answer_status, answer_body, attempts, flagged, bank_ref, amount_vnd, trace_parent)
            SELECT id, bank, kind, key, account, body, headers::jsonb, received, status, answer, 0, false, ref, amount, trace
            FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::uuid[], $6::text[], $7::text[], $8::timestamptz[], $9::int[], $10::text[], $11::text[], $12::bigint[], $13::text[])
                 AS t(id, bank, kind, key, account, body, headers, received, status, answer, ref, amount, trace)
            ON CONFLICT (bank, kind, idempotency_key) DO NOTHING
            RETURNING id
            """, conn))
        {
            insert.Parameters.Add(new() { Value = ms.Select(m => m.Id).ToArray() });
            insert.Parameters.Add(new() { Value = ms.Select(m => m.Bank).ToArray() });
            insert.Parameters.Add(new() { Value = ms.Select(m => m.Kind).ToArray() });
            insert.Parameters.Add(new() { Value = ms.Select(m => m.IdempotencyKey).ToArray() });
            insert.Parameters.Add(new() { Value = ms.Select(m => m.AccountId).ToArray() });
            insert.Parameters.Add(new() { Value = ms.Select(m => m.RawBody).ToArray() });
            insert.Parameters.Add(new() { Value = ms.Select(m => m.Headers).ToArray() });
            insert.Parameters.Add(new() { Value = ms.Select(m => m.ReceivedAt).ToArray() });
            insert.Parameters.Add(new() { Value = ms.Select(m => m.AnswerStatus).ToArray() });
            insert.Parameters.Add(new() { Value = ms.Select(m => m.AnswerBody).ToArray() });
            insert.Parameters.Add(new() { Value = ms.Select(m => m.BankRef).ToArray() });
            insert.Parameters.Add(new() { Value = ms.Select(m => m.AmountVnd).ToArray() });
            insert.Parameters.Add(new() { Value = ms.Select(m => m.TraceParent).ToArray() });
            await using var r = await insert.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct)) inserted.Add(r.GetGuid(0));
        }
        var results = new List<(bool, Answer)>(ms.Count);
        foreach (var m in ms)
        {
            if (inserted.Contains(m.Id))
            {
                results.Add((true, new Answer(m.Id, m.AnswerStatus, m.AnswerBody, m.AccountId)));
                continue;
            }
            var first = await FirstAsync(conn, m.Bank, m.Kind, m.IdempotencyKey, ct) ?? throw new InvalidOperationException("A conflicting bank call vanished.");
            // This very call, written by an earlier attempt whose commit landed before the connection was cut.
            results.Add((first.Id == m.Id, first));
        }
        await tx.CommitAsync(ct);
        watch.ThrowIfInDoubt();
        return results;
    }

    public async Task<Answer?> FirstAsync(string bank, string kind, string key, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await FirstAsync(conn, bank, kind, key, ct);
    }

    private static async Task<Answer?> FirstAsync(NpgsqlConnection conn, string bank, string kind, string key, CancellationToken ct)
    {
        await using var select = new NpgsqlCommand(
            "SELECT id, answer_status, answer_body, account_id, raw_body FROM bank_inbox WHERE bank = $1 AND kind = $2 AND idempotency_key = $3", conn);
        select.Parameters.Add(new() { Value = bank });
        select.Parameters.Add(new() { Value = kind });
        select.Parameters.Add(new() { Value = key });
        await using var r = await select.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? new Answer(r.GetGuid(0), r.GetInt32(1), r.GetString(2), r.GetGuid(3), r.GetString(4)) : null;
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
