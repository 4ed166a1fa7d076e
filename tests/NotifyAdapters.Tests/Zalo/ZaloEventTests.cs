using System.Security.Cryptography;
using System.Text;
using TdmEdu.Fees.NotifyAdapters.Zalo;

namespace TdmEdu.Fees.NotifyAdapters.Tests.Zalo;

/// <summary>§7.3's webhook: X-ZEvent-Signature and the reading of a delivery event.</summary>
public sealed class ZaloEventTests
{
    private const string AppId = "4321987650";
    private const string OaKey = "oa-secret-key";

    private static byte[] Delivery(string msgId = "zns-42", string timestamp = "\"1764856801000\"") => Encoding.UTF8.GetBytes(
        "{\"app_id\":\"" + AppId + "\",\"event_name\":\"user_received_message\",\"timestamp\":" + timestamp
        + ",\"sender\":{\"id\":\"579745863508352884\"},\"recipient\":{\"id\":\"84912345678\"},"
        + "\"message\":{\"msg_id\":\"" + msgId + "\",\"delivery_time\":\"1764856800000\"}}");

    // Written out here rather than through the adapter, so a change of the formula in one place shows.
    private static string Mac(string appId, byte[] body, string timestamp, string key) =>
        Convert.ToHexStringLower(SHA256.HashData([.. Encoding.UTF8.GetBytes(appId), .. body, .. Encoding.UTF8.GetBytes(timestamp + key)]));

    [Theory]
    [InlineData("")]
    [InlineData("mac=")]
    [InlineData("MAC=")]
    public void Signature_OverAppIdBodyTimestampAndKey_Matches(string prefix)
    {
        var body = Delivery();

        Assert.True(ZaloEvents.SignatureMatches(AppId, body, OaKey, prefix + Mac(AppId, body, "1764856801000", OaKey)));
        Assert.True(ZaloEvents.SignatureMatches(AppId, body, OaKey, prefix + Mac(AppId, body, "1764856801000", OaKey).ToUpperInvariant()));
    }

    [Fact]
    public void Signature_WithANumericTimestamp_UsesItAsWritten()
    {
        var body = Delivery(timestamp: "1764856801000");

        Assert.True(ZaloEvents.SignatureMatches(AppId, body, OaKey, Mac(AppId, body, "1764856801000", OaKey)));
    }

    [Fact]
    public void Signature_OfAnotherBody_KeyOrApp_DoesNotMatch()
    {
        var body = Delivery();
        var good = Mac(AppId, body, "1764856801000", OaKey);

        Assert.False(ZaloEvents.SignatureMatches(AppId, Delivery("zns-43"), OaKey, good));
        Assert.False(ZaloEvents.SignatureMatches(AppId, body, "another-key", good));
        Assert.False(ZaloEvents.SignatureMatches("999", body, OaKey, good));
        Assert.False(ZaloEvents.SignatureMatches(AppId, body, OaKey, good[..^2]));
        Assert.False(ZaloEvents.SignatureMatches(AppId, body, OaKey, null));
        Assert.False(ZaloEvents.SignatureMatches(AppId, Encoding.UTF8.GetBytes("{\"event_name\":\"x\"}"), OaKey, good));
        Assert.False(ZaloEvents.SignatureMatches(AppId, Encoding.UTF8.GetBytes("not json"), OaKey, good));
    }

    [Fact]
    public void Check_WithTheOptions_RefusesOrOnlyLogsAsConfigured()
    {
        var body = Delivery();
        var good = Mac(AppId, body, "1764856801000", OaKey);
        var options = new ZaloOptions { AppId = AppId, AppSecret = "s", OaSecretKey = OaKey };

        Assert.Equal(ZaloSignatureCheck.Valid, ZaloEvents.Check(options, body, "mac=" + good));
        Assert.Equal(ZaloSignatureCheck.Refused, ZaloEvents.Check(options, body, "mac=" + good.Replace('a', 'b')));
        Assert.Equal(ZaloSignatureCheck.LoggedOnly, ZaloEvents.Check(options with { EnforceEventSignature = false }, body, null));
        Assert.Equal(ZaloSignatureCheck.Refused, ZaloEvents.Check(options with { OaSecretKey = null }, body, "mac=" + good));
    }

    [Fact]
    public void Parse_Delivery_GivesMsgIdAndTime()
    {
        Assert.Equal(new ZaloDelivery("user_received_message", "zns-42", DateTimeOffset.FromUnixTimeMilliseconds(1_764_856_800_000)),
            ZaloEvents.Parse(Delivery()));
    }

    [Theory]
    [InlineData("{\"event_name\":\"user_received_message\",\"message\":{\"msg_id\":\"chat-1\"}}", "other user_received_message")]
    [InlineData("{\"event_name\":\"follow\",\"timestamp\":\"1\"}", "other follow")]
    [InlineData("{\"event_name\":\"user_received_message\",\"message\":{\"delivery_time\":\"1764856800000\"}}", "bad message.msg_id")]
    [InlineData("{\"event_name\":\"user_received_message\",\"message\":{\"msg_id\":\"a\",\"delivery_time\":\"yesterday\"}}", "bad message.delivery_time")]
    [InlineData("{\"message\":{}}", "bad event_name")]
    [InlineData("[1,2]", "bad the body is not a JSON object")]
    [InlineData("{\"event_name\":", "bad the body is not JSON")]
    public void Parse_Otherwise_SaysWhat(string body, string expected)
    {
        var e = ZaloEvents.Parse(Encoding.UTF8.GetBytes(body));

        var said = e switch
        {
            ZaloOtherEvent o => "other " + o.EventName,
            ZaloBadEvent b => "bad " + b.Reason,
            _ => e.ToString(),
        };
        Assert.StartsWith(expected, said);
    }

    [Fact]
    public void Parse_OversizedBody_IsRefusedUnread() =>
        Assert.IsType<ZaloBadEvent>(ZaloEvents.Parse(new byte[ZaloEvents.MaxBodyBytes + 1]));
}
