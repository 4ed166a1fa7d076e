using System.Security.Cryptography;
using System.Text;
using TdmEdu.Fees.BankAdapters.Bidv;

namespace TdmEdu.Fees.BankAdapters.Tests.Bidv;

public sealed class BidvTokenTests
{
    private static readonly DateTimeOffset Now = new(2025, 9, 10, 9, 30, 0, TimeSpan.FromHours(7));

    private static BidvToken Keyed(string key) => new(m => HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(m)));

    private static readonly BidvToken Tokens = Keyed("our key");

    private static string Bearer(string token) => "Bearer " + token;

    private static string Basic(string pair) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(pair));

    [Fact]
    public void Read_ATokenJustMinted_NamesItsUserAndThePasswordItWasIssuedWith()
    {
        var token = Tokens.Mint("hocphi_ts02", "mat-khau", Now);

        var holder = Tokens.Read(Bearer(token), Now);

        Assert.NotNull(holder);
        Assert.Equal("hocphi_ts02", holder.User);
        Assert.True(Tokens.IssuedWith(holder, "mat-khau"));
        Assert.False(Tokens.IssuedWith(holder, "mat-khau-khac"));
    }

    [Fact]
    public void Mint_TheToken_DoesNotCarryThePassword()
    {
        var token = Tokens.Mint("u", "mat-khau-bi-mat", Now);
        var payload = token.Split('.')[0].Replace('-', '+').Replace('_', '/');

        var text = Encoding.UTF8.GetString(Convert.FromBase64String(payload + new string('=', (4 - payload.Length % 4) % 4)));

        Assert.StartsWith($"u|{Now.AddSeconds(300).ToUnixTimeSeconds()}|", text);
        Assert.DoesNotContain("mat-khau", text);
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(300, true)]
    [InlineData(301, false)]
    public void Read_AfterItsLifetime_IsRefused(int secondsLater, bool good)
    {
        var token = Tokens.Mint("u", "p", Now);

        Assert.Equal(good, Tokens.Read(Bearer(token), Now.AddSeconds(secondsLater)) is not null);
    }

    [Fact]
    public void Read_ATokenOfAnotherKey_IsRefused()
    {
        var token = Keyed("another key").Mint("u", "p", Now);

        Assert.Null(Tokens.Read(Bearer(token), Now));
    }

    [Fact]
    public void Read_ATokenWithAnotherUserWrittenIn_IsRefused()
    {
        var token = Tokens.Mint("u", "p", Now);
        var forged = Convert.ToBase64String(Encoding.UTF8.GetBytes($"admin|{Now.AddDays(1).ToUnixTimeSeconds()}|x")).TrimEnd('=') + "." + token.Split('.')[1];

        Assert.Null(Tokens.Read(Bearer(forged), Now));
    }

    [Fact]
    public void Read_AUsernameWithABar_ReadsBackWhole()
    {
        var token = Tokens.Mint("truong|ts02", "p", Now);

        Assert.Equal("truong|ts02", Tokens.Read(Bearer(token), Now)?.User);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Basic dTpw")]
    [InlineData("Bearer ")]
    [InlineData("Bearer a.b.c")]
    [InlineData("Bearer !!!.???")]
    [InlineData("Bearer abcde.abcde")]
    public void Read_WhatIsNotOneOfOurTokens_IsNull(string authorization) =>
        Assert.Null(Tokens.Read(authorization, Now));

    [Fact]
    public void Read_TheSchemeInAnyCase_IsAccepted()
    {
        var token = Tokens.Mint("u", "p", Now);

        Assert.NotNull(Tokens.Read("bearer " + token, Now));
    }

    [Fact]
    public void BasicCredentials_APasswordWithAColon_KeepsItWhole()
    {
        Assert.Equal(("hocphi", "a:b"), BidvToken.BasicCredentials(Basic("hocphi:a:b")));
        Assert.Equal(("hocphi", ""), BidvToken.BasicCredentials(Basic("hocphi:")));
        Assert.Equal(("u", "p"), BidvToken.BasicCredentials("basic " + Convert.ToBase64String("u:p"u8.ToArray())));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Bearer dTpw")]
    [InlineData("Basic not-base64!")]
    public void BasicCredentials_NotBasic_IsNull(string authorization) =>
        Assert.Null(BidvToken.BasicCredentials(authorization));

    [Theory]
    [InlineData("no colon")]
    [InlineData(":no user")]
    public void BasicCredentials_WithoutAUser_IsNull(string pair) =>
        Assert.Null(BidvToken.BasicCredentials(Basic(pair)));

    [Fact]
    public void PasswordMatches_ComparesWholePasswords()
    {
        Assert.True(BidvToken.PasswordMatches("mat-khau", "mat-khau"));
        Assert.False(BidvToken.PasswordMatches("mat-khau", "mat-kha"));
        Assert.False(BidvToken.PasswordMatches("mat-khau", "Mat-khau"));
    }
}
