using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Api.Sandbox;
using TdmEdu.Fees.NotifyAdapters;

/// <summary>What the messages benchmark measures its sender against, in the same run: PostgreSQL alone, and the eSMS adapter with the sandbox alone.</summary>
public static class MessagesBaselines
{
    /// <summary>The queued rows copied out, the table emptied, and the same bytes copied back in one transaction (indexes and keys in place), timed.</summary>
    public static async Task<double> CopyBackAsync(string cs)
    {
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        await using var ms = new MemoryStream();
        await using (var raw = await conn.BeginRawBinaryCopyAsync("COPY messages TO STDOUT (FORMAT BINARY)")) await raw.CopyToAsync(ms);
        await MessagesBenchmark.Exec(cs, "TRUNCATE messages, message_events");
        var sw = Stopwatch.StartNew();
        await using (var tx = await conn.BeginTransactionAsync())
        {
            await using (var raw = await conn.BeginRawBinaryCopyAsync("COPY messages FROM STDIN (FORMAT BINARY)")) await raw.WriteAsync(ms.ToArray());
            await tx.CommitAsync();
        }
        return sw.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// What recording a provider's answer needs at the least, at the same scale: every row leased (untimed), then
    /// each set to sent with a provider id by one UPDATE in its own transaction, on one connection, one after the
    /// other as the sender does; and, for comparison, the same change to every row in one statement.
    /// </summary>
    public static async Task<(double Row, double Set, int Rows)> FloorsAsync(string cs)
    {
        const string lease = "UPDATE messages SET status = 'sending', lease_until = now() + interval '60 seconds', provider_message_id = NULL, sent_at = NULL";
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        var ids = new List<Guid>();
        await using (var read = new NpgsqlCommand("SELECT id FROM messages", conn))
        await using (var reader = await read.ExecuteReaderAsync())
            while (await reader.ReadAsync()) ids.Add(reader.GetGuid(0));
        await MessagesBenchmark.Exec(cs, lease);
        await using var one = new NpgsqlCommand(
            "UPDATE messages SET status = 'sent', lease_until = NULL, provider_message_id = $2, sent_at = $3 WHERE id = $1 AND status = 'sending'", conn);
        one.Parameters.Add(new NpgsqlParameter { Value = Guid.Empty });
        one.Parameters.Add(new NpgsqlParameter { Value = "" });
        one.Parameters.Add(new NpgsqlParameter { Value = DateTimeOffset.UtcNow });
        await one.PrepareAsync();
        var sw = Stopwatch.StartNew();
        foreach (var id in ids)
        {
            (one.Parameters[0].Value, one.Parameters[1].Value, one.Parameters[2].Value) = (id, Guid.NewGuid().ToString(), DateTimeOffset.UtcNow);
            if (await one.ExecuteNonQueryAsync() != 1) throw new InvalidOperationException("A leased row was not found.");
        }
        var row = sw.Elapsed.TotalSeconds;
        await MessagesBenchmark.Exec(cs, lease);
        await using var all = new NpgsqlCommand("""
            UPDATE messages m SET status = 'sent', lease_until = NULL, provider_message_id = u.pid, sent_at = now()
            FROM unnest($1::uuid[], $2::text[]) AS u(id, pid) WHERE m.id = u.id AND m.status = 'sending'
            """, conn) { CommandTimeout = 600 };
        all.Parameters.Add(new NpgsqlParameter { Value = ids.ToArray() });
        all.Parameters.Add(new NpgsqlParameter { Value = ids.Select(_ => Guid.NewGuid().ToString()).ToArray() });
        sw.Restart();
        var n = await all.ExecuteNonQueryAsync();
        var set = sw.Elapsed.TotalSeconds;
        return n == ids.Count ? (row, set, ids.Count) : throw new InvalidOperationException($"The set-based UPDATE changed {n} of {ids.Count} rows.");
    }

    /// <summary>The eSMS adapter against a fresh sandbox, one SMS a destination one after the other, no database: HTTP and JSON alone.</summary>
    public static async Task<(double Seconds, int Sent)> SmsAloneAsync(string cs, MessageSinks sinks)
    {
        List<string> phones;
        await using (var db = Database.Open(cs)) phones = await db.Messages.AsNoTracking().Where(m => m.Channel == "sms").Select(m => m.Destination).ToListAsync();
        await using var sim = await NotifySimulator.StartAsync(new NotifySimulator.Settings(0, sinks.CallbackBase, 1_000_000), CancellationToken.None);
        await using var providers = MessagesBenchmark.Providers(sim, sinks);
        var sms = providers.GetServices<INotificationChannel>().Single(c => c.Channel == NotificationChannel.Sms);
        // Values of a typical notice; the link as long as a real one (portal, path, 22-character id, expiry, key id, signature).
        var values = new MessageValues("THCS Nguyen Du", "THCS Nguyen Du", "An", 9, 2025, 1_850_000, null, 1_850_000, new DateOnly(2025, 9, 15), "7900012345",
            null, "http://127.0.0.1:5080/phu-huynh/l/" + new string('x', 70));
        var sent = 0;
        var sw = Stopwatch.StartNew();
        foreach (var phone in phones)
            if (await sms.SendAsync(new OutboundMessage(Guid.NewGuid(), NotificationChannel.Sms, MessageKind.NoticeIssued, "", phone, values), CancellationToken.None) is Accepted)
                sent++;
        return (sw.Elapsed.TotalSeconds, sent);
    }
}
