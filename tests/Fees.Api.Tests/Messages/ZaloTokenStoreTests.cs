using Npgsql;
using TdmEdu.Fees.Api.Application.Messages;
using TdmEdu.Fees.Api.Tests.Support;
using TdmEdu.Fees.NotifyAdapters.Zalo;

namespace TdmEdu.Fees.Api.Tests.Messages;

/// <summary>
/// Zalo's refresh token works once: the pair a refresh returned survives a restart, is shared by every instance, is
/// sealed at rest, and two instances refreshing at once take turns (the second starts from the first's answer).
/// </summary>
public sealed class ZaloTokenStoreTests
{
    [Fact]
    public async Task ThePairARefreshReturned_OutlivesTheProcess_IsSealed_AndTwoInstancesRefreshInTurn()
    {
        await using var fees = await Support.Fees.StartAsync();
        await using var data = NpgsqlDataSource.Create(fees.Db.ConnectionString);
        var first = new ZaloTokenStore(data, BankHost.Box, "refresh-from-the-console");
        Assert.Equal("refresh-from-the-console", (await first.GetAsync(CancellationToken.None))!.RefreshToken);

        var until = new DateTimeOffset(2025, 9, 5, 10, 0, 0, TimeSpan.Zero);
        await first.ExchangeAsync((old, _) => Task.FromResult(new ZaloTokenPair("access-1", "refresh-2", until)), CancellationToken.None);

        // A restart: a new store with the same configuration reads the new pair, not the spent console token.
        var restarted = new ZaloTokenStore(data, BankHost.Box, "refresh-from-the-console");
        Assert.Equal(new ZaloTokenPair("access-1", "refresh-2", until), await restarted.GetAsync(CancellationToken.None));
        var stored = string.Join('|', await fees.Db.ListAsync("SELECT concat_ws('|', access_sealed, refresh_sealed) FROM zalo_tokens"));
        Assert.DoesNotContain("access-1", stored);
        Assert.DoesNotContain("refresh-2", stored);

        // Two instances refresh at once: the second waits on the row and starts from what the first stored.
        var gate = new TaskCompletionSource();
        var seen = new List<string>();
        var a = first.ExchangeAsync(async (old, _) =>
        {
            lock (seen) seen.Add(old!.RefreshToken);
            await gate.Task;
            return new ZaloTokenPair("access-a", "refresh-a", until);
        }, CancellationToken.None).AsTask();
        await WaitForAsync(() => seen.Count == 1);
        var b = restarted.ExchangeAsync((old, _) =>
        {
            lock (seen) seen.Add(old!.RefreshToken);
            return Task.FromResult(new ZaloTokenPair("access-b", "refresh-b", until));
        }, CancellationToken.None).AsTask();
        await WaitForAsync(async () => await fees.Db.ScalarAsync(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%FROM zalo_tokens WHERE id = 1 FOR UPDATE%'") == 1);
        gate.SetResult();
        await Task.WhenAll(a, b);

        Assert.Equal(["refresh-2", "refresh-a"], seen);
        Assert.Equal("refresh-b", (await first.GetAsync(CancellationToken.None))!.RefreshToken);
    }

    private static Task WaitForAsync(Func<bool> done) => WaitForAsync(() => Task.FromResult(done()));

    /// <summary>Polls a condition the test can observe, within a bound; fails when it never holds.</summary>
    private static async Task WaitForAsync(Func<Task<bool>> done)
    {
        for (var until = DateTime.UtcNow.AddSeconds(20); DateTime.UtcNow < until; await Task.Delay(20))
            if (await done()) return;
        throw new TimeoutException("the condition never held within 20 s");
    }
}
