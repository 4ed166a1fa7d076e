using System.Globalization;
using System.Net;

namespace TdmEdu.Fees.NotifyAdapters.Zalo;

/// <summary>The OA's token pair; the refresh token is single-use (§7.1).</summary>
public sealed record ZaloTokenPair(string AccessToken, string RefreshToken, DateTimeOffset AccessExpiresAt)
{
    /// <summary>A pair to start from: the refresh token copied from the Zalo console, no access token yet.</summary>
    public static ZaloTokenPair FromRefreshToken(string refreshToken) => new("", refreshToken, DateTimeOffset.MinValue);

    public override string ToString() => $"ZaloTokenPair(expires {AccessExpiresAt:O})";
}

/// <summary>
/// Where the token pair lives. Zalo's refresh token works once, so two instances refreshing at the same time would
/// leave one of them holding a dead token: <see cref="ExchangeAsync"/> runs the refresh under the store's lock (the
/// host: one transaction, <c>SELECT … FOR UPDATE</c> on the token row, the new pair written in one statement, commit).
/// </summary>
public interface IZaloTokenStore
{
    ValueTask<ZaloTokenPair?> GetAsync(CancellationToken ct);

    /// <summary>Sets the pair outright (the administrator's first refresh token, or a new one after an outage).</summary>
    ValueTask PutAsync(ZaloTokenPair pair, CancellationToken ct);

    /// <summary>Reads the pair under the lock, lets <paramref name="exchange"/> replace it, stores its answer, releases.</summary>
    ValueTask<ZaloTokenPair> ExchangeAsync(Func<ZaloTokenPair?, CancellationToken, Task<ZaloTokenPair>> exchange, CancellationToken ct);
}

/// <summary>A store in memory: for the simulator, tests and a single process without a database.</summary>
public sealed class InMemoryZaloTokenStore(ZaloTokenPair? initial = null) : IZaloTokenStore
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private ZaloTokenPair? _pair = initial;

    public ValueTask<ZaloTokenPair?> GetAsync(CancellationToken ct) => ValueTask.FromResult(Volatile.Read(ref _pair));

    public ValueTask PutAsync(ZaloTokenPair pair, CancellationToken ct)
    {
        Volatile.Write(ref _pair, pair);
        return ValueTask.CompletedTask;
    }

    public async ValueTask<ZaloTokenPair> ExchangeAsync(Func<ZaloTokenPair?, CancellationToken, Task<ZaloTokenPair>> exchange, CancellationToken ct)
    {
        await _lock.WaitAsync(ct);
        try
        {
            var next = await exchange(Volatile.Read(ref _pair), ct);
            Volatile.Write(ref _pair, next);
            return next;
        }
        finally
        {
            _lock.Release();
        }
    }
}

/// <summary>Why no access token could be had: <see cref="Permanent"/> when only an administrator can fix it.</summary>
public sealed class ZaloTokenException(string code, bool permanent, string message) : Exception(message)
{
    public string Code { get; } = code;
    public bool Permanent { get; } = permanent;
}

/// <summary>Hands out a fresh access token, refreshing 5 minutes before expiry and when Zalo says it is bad (§7.1).</summary>
public sealed class ZaloTokenKeeper(IZaloOAuthApi oauth, IZaloTokenStore store, ZaloOptions options, TimeProvider time)
{
    public async Task<string> AccessTokenAsync(CancellationToken ct)
    {
        var pair = await store.GetAsync(ct) ?? throw NoPair();
        return Fresh(pair) ? pair.AccessToken : await RefreshAsync(pair.AccessToken, ct);
    }

    /// <summary>
    /// A new access token for one that was refused or is stale. Under the lock, a pair another instance refreshed
    /// meanwhile is taken as it is, so its refresh token is not spent a second time.
    /// </summary>
    public async Task<string> RefreshAsync(string? stale, CancellationToken ct)
    {
        var pair = await store.ExchangeAsync(async (current, token) =>
        {
            if (current is null) throw NoPair();
            if (current.AccessToken != stale && Fresh(current)) return current;
            return await ExchangeAsync(current.RefreshToken, token);
        }, ct);
        return pair.AccessToken;
    }

    private bool Fresh(ZaloTokenPair pair) => pair.AccessToken.Length > 0 && pair.AccessExpiresAt - options.RefreshAhead > time.GetUtcNow();

    private async Task<ZaloTokenPair> ExchangeAsync(string refreshToken, CancellationToken ct)
    {
        var form = new Dictionary<string, string>
        {
            ["app_id"] = options.AppId, ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken,
        };
        var call = await ProviderCall.RunAsync(() => oauth.RefreshAsync(options.AppSecret, form, ct), null, ct);
        if (call.Failure is not null) throw new ZaloTokenException("TOKEN_" + ProviderCall.CodeOf(call.Failure), false, "Zalo's token refresh got no answer.");
        var response = call.Response!;
        if (ProviderCall.IsServerError(response.StatusCode) || response.StatusCode == HttpStatusCode.TooManyRequests)
            throw new ZaloTokenException("TOKEN_" + ProviderCall.Http(response.StatusCode), false, "Zalo's token refresh failed on Zalo's side.");
        var answer = response.Content;
        if (!response.IsSuccessStatusCode || answer is null)
            throw new ZaloTokenException("TOKEN_" + ProviderCall.Http(response.StatusCode), true, "Zalo refused the token refresh.");
        // Failures may come with HTTP 200 and an error code (§7.1), e.g. -14020 for a refresh token already used.
        if (ZaloJson.Long(answer.Error) is { } error && error != 0)
            throw new ZaloTokenException(error.ToString(CultureInfo.InvariantCulture), true, "Zalo refused the refresh token.");
        var seconds = ZaloJson.Long(answer.ExpiresIn);
        if (string.IsNullOrEmpty(answer.AccessToken) || string.IsNullOrEmpty(answer.RefreshToken) || seconds is not > 0)
            throw new ZaloTokenException("TOKEN_BAD_ANSWER", false, "Zalo's token answer lacks a token or its lifetime.");
        return new ZaloTokenPair(answer.AccessToken, answer.RefreshToken, time.GetUtcNow().AddSeconds(seconds.Value));
    }

    private static ZaloTokenException NoPair() =>
        new("NO_TOKEN", true, "No Zalo token is stored: put the OA's refresh token from the Zalo console in the token store.");
}
