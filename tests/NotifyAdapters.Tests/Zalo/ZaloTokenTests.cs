using Microsoft.AspNetCore.WebUtilities;
using TdmEdu.Fees.NotifyAdapters.Tests.Support;
using TdmEdu.Fees.NotifyAdapters.Zalo;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace TdmEdu.Fees.NotifyAdapters.Tests.Zalo;

/// <summary>§7.1: the token refresh, once on a refused token, and refresh tokens that work only once.</summary>
public sealed class ZaloTokenTests : IDisposable
{
    private const string TokenPath = "/v4/oa/access_token";
    private const string SendPath = "/message/template";
    private readonly ZaloWire _zalo = new();

    public void Dispose() => _zalo.Dispose();

    private Task<SendOutcome> SendAsync(ZaloZnsChannel channel) =>
        channel.SendAsync(Samples.Message(NotificationChannel.ZaloZns, ZaloWire.Phone), CancellationToken.None).AsTask();

    [Fact]
    public async Task TokenAboutToExpire_IsRefreshedFirst_WithTheContractsForm()
    {
        await _zalo.Store.PutAsync(new ZaloTokenPair("AT1", "RT1", Samples.Evening.AddMinutes(4)), CancellationToken.None);
        _zalo.TokenHostWithSingleUseRefreshTokens();
        _zalo.SendAnswers(ZaloWire.Success(), accessToken: "AT2");
        using var sp = _zalo.Services();

        Assert.IsType<Accepted>(await SendAsync(_zalo.Channel(sp)));

        var refresh = _zalo.Server.LogEntries.First(e => e.RequestMessage.Path == TokenPath).RequestMessage;
        Assert.Equal(ZaloWire.AppSecret, refresh.Headers!["secret_key"].Single());
        Assert.StartsWith("application/x-www-form-urlencoded", refresh.Headers["Content-Type"].Single());
        var form = QueryHelpers.ParseQuery(refresh.Body);
        Assert.Equal((ZaloWire.AppId, "refresh_token", "RT1"), (form["app_id"].ToString(), form["grant_type"].ToString(), form["refresh_token"].ToString()));
        var stored = await _zalo.Store.GetAsync(CancellationToken.None);
        Assert.Equal(("AT2", "RT2", Samples.Evening.AddSeconds(90_000)), (stored!.AccessToken, stored.RefreshToken, stored.AccessExpiresAt));
    }

    [Theory]
    [InlineData(-124, 200)]
    [InlineData(-216, 200)]
    [InlineData(0, 401)]
    public async Task RefusedToken_IsRefreshedOnce_AndTheSendMadeAgain(int error, int status)
    {
        _zalo.TokenHostWithSingleUseRefreshTokens();
        _zalo.SendAnswers(status == 401 ? new { } : ZaloWire.Error(error), status, accessToken: "AT1");
        _zalo.SendAnswers(ZaloWire.Success("after-refresh"), accessToken: "AT2");
        using var sp = _zalo.Services();

        var outcome = await SendAsync(_zalo.Channel(sp));

        Assert.Equal("Accepted after-refresh 1", Samples.Describe(outcome));
        Assert.Equal((1, 2), (_zalo.Calls(TokenPath), _zalo.Calls(SendPath)));
    }

    [Fact]
    public async Task TokenRefusedAgainAfterItsRefresh_IsRetriedLater_WithoutASecondRefresh()
    {
        _zalo.TokenHostWithSingleUseRefreshTokens();
        _zalo.SendAnswers(ZaloWire.Error(-124));
        using var sp = _zalo.Services();

        Assert.Equal("Retry -124", Samples.Describe(await SendAsync(_zalo.Channel(sp))));
        Assert.Equal((1, 2), (_zalo.Calls(TokenPath), _zalo.Calls(SendPath)));
    }

    [Fact]
    public async Task RefreshTokenAlreadyUsed_PausesTheChannel_AndSaysWhy()
    {
        await _zalo.Store.PutAsync(ZaloTokenPair.FromRefreshToken("RT1"), CancellationToken.None);
        _zalo.Server.Given(Request.Create().WithPath(TokenPath).UsingPost())
            .RespondWith(Response.Create().WithBodyAsJson(new { error = -14020, error_name = "Refresh token is used" }));
        using var sp = _zalo.Services();

        Assert.Equal("Failed -14020 DisableChannel next alert", Samples.Describe(await SendAsync(_zalo.Channel(sp))));
        Assert.Equal(0, _zalo.Calls(SendPath));
    }

    [Fact]
    public async Task TokenHostDown_IsRetried_NotAPause()
    {
        await _zalo.Store.PutAsync(ZaloTokenPair.FromRefreshToken("RT1"), CancellationToken.None);
        _zalo.Server.Given(Request.Create().WithPath(TokenPath).UsingPost()).RespondWith(Response.Create().WithStatusCode(502));
        using var sp = _zalo.Services();

        Assert.Equal("Retry TOKEN_HTTP 502", Samples.Describe(await SendAsync(_zalo.Channel(sp))));
        Assert.Equal("RT1", (await _zalo.Store.GetAsync(CancellationToken.None))!.RefreshToken);
    }

    [Fact]
    public async Task NoTokenStored_PausesTheChannel()
    {
        using var sp = _zalo.Services(store: new InMemoryZaloTokenStore());

        Assert.Equal("Failed NO_TOKEN DisableChannel next alert", Samples.Describe(await SendAsync(_zalo.Channel(sp))));
    }

    [Fact]
    public async Task TwoInstancesRefreshingAtOnce_SpendTheRefreshTokenOnce_AndBothSend()
    {
        // Two hosts (two service providers) on one token store, both holding an expired access token.
        await _zalo.Store.PutAsync(new ZaloTokenPair("AT1", "RT1", Samples.Evening.AddMinutes(-1)), CancellationToken.None);
        _zalo.TokenHostWithSingleUseRefreshTokens();
        _zalo.SendAnswers(ZaloWire.Success(), accessToken: "AT2");
        using var one = _zalo.Services();
        using var two = _zalo.Services();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => SendAsync(_zalo.Channel(i % 2 == 0 ? one : two))));

        Assert.All(outcomes, o => Assert.IsType<Accepted>(o));
        Assert.Equal(1, _zalo.Calls(TokenPath));
        Assert.Equal("RT2", (await _zalo.Store.GetAsync(CancellationToken.None))!.RefreshToken);
    }

    [Fact]
    public async Task ARefreshTokenUsedTwice_IsRefusedByTheWire_AsTheContractSays()
    {
        // The WireMock token host itself keeps the single-use rule, so the tests above would see a second use.
        _zalo.TokenHostWithSingleUseRefreshTokens();
        using var sp = _zalo.Services();
        var keeper = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<ZaloTokenKeeper>(sp);
        await _zalo.Store.PutAsync(ZaloTokenPair.FromRefreshToken("RT1"), CancellationToken.None);
        Assert.Equal("AT2", await keeper.AccessTokenAsync(CancellationToken.None));

        await _zalo.Store.PutAsync(ZaloTokenPair.FromRefreshToken("RT1"), CancellationToken.None);
        var e = await Assert.ThrowsAsync<ZaloTokenException>(() => keeper.AccessTokenAsync(CancellationToken.None));

        Assert.Equal(("-14020", true), (e.Code, e.Permanent));
    }
}
