using System.Security.Cryptography;
using TdmEdu.Fees.NotifyAdapters.Links;

namespace TdmEdu.Fees.NotifyAdapters.Tests.Links;

public sealed class PortalLinkTests
{
    private static readonly byte[] KeyA = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
    private static readonly byte[] KeyB = Enumerable.Range(101, 40).Select(i => (byte)i).ToArray();
    private static readonly DateTimeOffset Now = new(2026, 9, 1, 0, 0, 0, TimeSpan.Zero);

    private static PortalLink Portal(char current = 'a') => PortalLink.Portal(new LinkKeys(new Dictionary<char, byte[]> { ['a'] = KeyA, ['b'] = KeyB }, current));

    [Fact]
    public void Create_ThenVerify_GivesTheLidAndExpiry()
    {
        var lid = PortalLink.NewLid();
        var token = Portal().Create(lid, Now.AddDays(60));

        var r = Portal().Verify(token, Now);

        Assert.Equal(new LinkResult(LinkCheck.Valid, lid, Now.AddDays(60)), r);
        Assert.Matches("^[A-Za-z0-9_-]{22}\\.[0-9a-z]+\\.a[A-Za-z0-9_-]{22}$", token);
    }

    [Fact]
    public void Signature_IsTheFirst16BytesOfHmacOverPrefixLidAndExp()
    {
        var lid = PortalLink.LidOf(Guid.Parse("0192d3c4-0000-7000-8000-000000000001"));
        var token = Portal().Create(lid, DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));

        var exp = "tro8w0"; // 1,800,000,000 in base 36
        var mac = HMACSHA256.HashData(KeyA, System.Text.Encoding.ASCII.GetBytes("pl1." + lid + "." + exp))[..16];
        Assert.Equal($"{lid}.{exp}.a{System.Buffers.Text.Base64Url.EncodeToString(mac)}", token);
    }

    [Fact]
    public void DuringRotation_LinksOfBothKeysHold()
    {
        var lid = PortalLink.NewLid();
        var old = Portal('a').Create(lid, Now.AddDays(1));
        var fresh = Portal('b').Create(lid, Now.AddDays(1));

        Assert.Equal(LinkCheck.Valid, Portal('b').Verify(old, Now).Check);
        Assert.Equal(LinkCheck.Valid, Portal('a').Verify(fresh, Now).Check);
        Assert.Contains(".b", fresh);
    }

    [Fact]
    public void Expired_IsExpired_OnlyWhenTheSignatureHolds()
    {
        var token = Portal().Create(PortalLink.NewLid(), Now.AddSeconds(10));

        Assert.Equal(LinkCheck.Valid, Portal().Verify(token, Now.AddSeconds(9)).Check);
        Assert.Equal(LinkCheck.Expired, Portal().Verify(token, Now.AddSeconds(10)).Check);
        var forged = token[..^1] + (token[^1] == 'A' ? 'B' : 'A');
        Assert.Equal(LinkCheck.BadSignature, Portal().Verify(forged, Now.AddDays(100)).Check);
    }

    [Fact]
    public void AnotherChildsLid_UnderTheSameSignature_IsRefused()
    {
        var token = Portal().Create(PortalLink.NewLid(), Now.AddDays(1));
        var other = PortalLink.NewLid() + token[22..];

        Assert.Equal(LinkCheck.BadSignature, Portal().Verify(other, Now).Check);
    }

    [Fact]
    public void LaterExpiry_UnderTheSameSignature_IsRefused()
    {
        var token = Portal().Create(PortalLink.NewLid(), Now.AddDays(1));
        var parts = token.Split('.');

        Assert.Equal(LinkCheck.BadSignature, Portal().Verify($"{parts[0]}.zzzzzz.{parts[2]}", Now).Check);
    }

    [Fact]
    public void UnsubscribeToken_IsNotAPortalLink_NorTheReverse()
    {
        var keys = new LinkKeys(new Dictionary<char, byte[]> { ['a'] = KeyA }, 'a');
        var lid = PortalLink.NewLid();
        var unsubscribe = PortalLink.Unsubscribe(keys).Create(lid, Now.AddDays(1));

        Assert.Equal(LinkCheck.Valid, PortalLink.Unsubscribe(keys).Verify(unsubscribe, Now).Check);
        Assert.Equal(LinkCheck.BadSignature, PortalLink.Portal(keys).Verify(unsubscribe, Now).Check);
        Assert.Equal(LinkCheck.BadSignature, PortalLink.Unsubscribe(keys).Verify(PortalLink.Portal(keys).Create(lid, Now.AddDays(1)), Now).Check);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAA.t0abcd")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAA.t0abcd.aBBBBBBBBBBBBBBBBBBBBBB")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAA.T0ABCD.aBBBBBBBBBBBBBBBBBBBBBB")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAA.0t0abc.aBBBBBBBBBBBBBBBBBBBBBB")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAA.zzzzzzzzzzzzz.aBBBBBBBBBBBBBBBBBBBBBB")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAA.t0abcd.aBBBBBBBBBBBBBBBBBBBBB+")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAA.t0abcd.aBBBBBBBBBBBBBBBBBBBBBB.x")]
    public void Malformed_IsMalformed(string? token) => Assert.Equal(LinkCheck.Malformed, Portal().Verify(token, Now).Check);

    [Fact]
    public void UnknownKeyId_IsABadSignature() =>
        Assert.Equal(LinkCheck.BadSignature, Portal().Verify(Portal().Create(PortalLink.NewLid(), Now.AddDays(1)).Replace(".a", ".z"), Now).Check);

    [Fact]
    public void Keys_ShorterThan32Bytes_OrThreeLive_AreRefused()
    {
        Assert.Throws<ArgumentException>(() => new LinkKeys(new Dictionary<char, byte[]> { ['a'] = new byte[31] }, 'a'));
        Assert.Throws<ArgumentException>(() => new LinkKeys(new Dictionary<char, byte[]> { ['a'] = KeyA, ['b'] = KeyB, ['c'] = KeyB }, 'a'));
        Assert.Throws<ArgumentException>(() => new LinkKeys(new Dictionary<char, byte[]> { ['a'] = KeyA }, 'b'));
    }
}
