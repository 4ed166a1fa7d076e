using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Persistence;

namespace TdmEdu.Fees.Api.Application.Payments;

/// <summary>
/// The exactly-once guard across channels: before a bank credit moves money (applied or parked), its bank
/// reference on its account is claimed. The primary key decides between two channels, even concurrent ones:
/// the second waits for the first to commit and then finds the reference taken.
/// </summary>
public static class BankRefClaims
{
    public const string Notification = "notification", Statement = "statement";

    /// <summary>Null when the reference is now held by this source (or already was); else the channel that holds it.</summary>
    public static async Task<string?> ClaimAsync(FeesDb db, Guid accountId, string bankRef, string channel, Guid sourceId, DateTimeOffset at, CancellationToken ct)
    {
        var inserted = await db.Database.ExecuteSqlAsync($"""
            INSERT INTO bank_ref_claims (account_id, bank_ref, channel, source_id, at) VALUES ({accountId}, {bankRef}, {channel}, {sourceId}, {at})
            ON CONFLICT DO NOTHING
            """, ct);
        if (inserted == 1) return null;
        var holder = await db.BankRefClaims.AsNoTracking().SingleAsync(c => c.AccountId == accountId && c.BankRef == bankRef, ct);
        return holder.SourceId == sourceId ? null : holder.Channel;
    }

    /// <summary>Claims many at once for one channel; returns the ones another source holds, with the holder.</summary>
    public static async Task<Dictionary<Guid, BankRefClaim>> ClaimManyAsync(FeesDb db, IReadOnlyList<(Guid AccountId, string BankRef, Guid SourceId)> claims,
        string channel, DateTimeOffset at, CancellationToken ct)
    {
        if (claims.Count == 0) return [];
        var accounts = claims.Select(c => c.AccountId).ToArray();
        var refs = claims.Select(c => c.BankRef).ToArray();
        var sources = claims.Select(c => c.SourceId).ToArray();
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO bank_ref_claims (account_id, bank_ref, channel, source_id, at)
            SELECT a, r, {channel}, s, {at} FROM unnest({accounts}::uuid[], {refs}::text[], {sources}::uuid[]) AS u(a, r, s)
            ON CONFLICT DO NOTHING
            """, ct);
        var held = await db.BankRefClaims.AsNoTracking().Where(c => refs.Contains(c.BankRef)).ToListAsync(ct);
        var holders = held.ToDictionary(c => (c.AccountId, c.BankRef));
        var refused = new Dictionary<Guid, BankRefClaim>();
        foreach (var c in claims)
            if (holders.TryGetValue((c.AccountId, c.BankRef), out var h) && h.SourceId != c.SourceId) refused[c.SourceId] = h;
        return refused;
    }
}
