using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Persistence;

namespace TdmEdu.Fees.Api.Web;

/// <summary>
/// Counts attempts (staff sign-ins, parents' look-ups) per key and fixed window in PostgreSQL (`lookup_limits`), so
/// every instance behind the proxy counts together (ADR 14). An attempt takes its slot before it is tried, with
/// one atomic upsert, so a burst of parallel guesses cannot all read "zero" and pass; an attempt that succeeds
/// gives its slot back, so only failures are left counted. Keys are stored hashed: no address, login or code
/// is readable in the table. A key may belong to a group (every key of one staff login): its stored form starts with the
/// group's hash, so the whole group can be read or forgotten without knowing the other parts (the addresses).
/// </summary>
public sealed class AttemptCounter(FeesDb db, TimeProvider time)
{
    public sealed record Slot(string Key, DateTimeOffset Window, int Count);

    public DateTimeOffset Now => time.GetUtcNow();

    /// <summary>The start of the fixed window of the given length that holds now (windows align to the hour).</summary>
    public DateTimeOffset WindowOf(TimeSpan length) => WindowOf(Now, length);

    public static DateTimeOffset WindowOf(DateTimeOffset now, TimeSpan length)
    {
        var hour = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero);
        var into = now - hour;
        return hour + TimeSpan.FromTicks(into.Ticks / length.Ticks * length.Ticks);
    }

    /// <summary>Whole minutes (at least one) until the window that holds now ends.</summary>
    public int MinutesLeft(TimeSpan length) => Math.Max(1, (int)Math.Ceiling((WindowOf(length) + length - Now).TotalMinutes));

    /// <summary>Counts one more attempt under the key (of the group, if given) in the current window and returns the count with it.</summary>
    public async Task<Slot> TakeAsync(string key, TimeSpan length, CancellationToken ct, string? group = null)
    {
        var window = WindowOf(length);
        var hashed = Stored(key, group);
        var count = (await db.Database.SqlQuery<int>($"""
            INSERT INTO lookup_limits (key, window_start, count) VALUES ({hashed}, {window}, 1)
            ON CONFLICT (key, window_start) DO UPDATE SET count = lookup_limits.count + 1
            RETURNING count AS "Value"
            """).ToListAsync(ct)).Single();
        // Now and then, windows that can no longer count are removed (the longest window is an hour).
        if (Random.Shared.Next(100) == 0)
            await db.Database.ExecuteSqlAsync($"DELETE FROM lookup_limits WHERE window_start < {window.AddHours(-2)}", ct);
        return new Slot(hashed, window, count);
    }

    /// <summary>The attempts succeeded: their slots are given back, so they do not count against anyone.</summary>
    public async Task GiveBackAsync(IEnumerable<Slot> slots, CancellationToken ct)
    {
        foreach (var s in slots)
            await db.Database.ExecuteSqlAsync($"UPDATE lookup_limits SET count = count - 1 WHERE key = {s.Key} AND window_start = {s.Window} AND count > 0", ct);
    }

    /// <summary>The counts of the keys of these groups in the window that starts at <paramref name="window"/>, by group.</summary>
    public static async Task<ILookup<string, (string Stored, int Count)>> GroupsAsync(FeesDb db, IReadOnlyCollection<string> groups, DateTimeOffset window, CancellationToken ct)
    {
        var byPrefix = groups.Distinct().ToDictionary(GroupPrefix);
        var prefixes = byPrefix.Keys.ToArray();
        var rows = await db.Database.SqlQuery<KeyCount>($"""
            SELECT key AS "Key", count AS "Count" FROM lookup_limits WHERE window_start = {window} AND left(key, 16) = ANY({prefixes})
            """).ToListAsync(ct);
        return rows.ToLookup(r => byPrefix[r.Key[..16]], r => (r.Key, r.Count));
    }

    private sealed record KeyCount(string Key, int Count);

    /// <summary>Forgets every count of the group (a login unlocked by the administrator); returns how many were forgotten.</summary>
    public static Task<int> ForgetGroupAsync(FeesDb db, string group, CancellationToken ct)
    {
        var prefix = GroupPrefix(group) + "%";
        return db.Database.ExecuteSqlAsync($"DELETE FROM lookup_limits WHERE key LIKE {prefix} AND count > 0", ct);
    }

    /// <summary>How a key is stored: its hash, or, in a group, half the group's hash and half the key's (32 characters either way).</summary>
    public static string Stored(string key, string? group = null) => group is null ? Hash(key) : GroupPrefix(group) + Hash(key)[..16];

    private static string GroupPrefix(string group) => Hash("group:" + group)[..16];

    private static string Hash(string key) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..32];
}
