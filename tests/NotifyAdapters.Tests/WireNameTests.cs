namespace TdmEdu.Fees.NotifyAdapters.Tests;

public sealed class WireNameTests
{
    [Fact]
    public void EveryChannelAndKind_ReadsBackFromItsWireName()
    {
        foreach (var c in Enum.GetValues<NotificationChannel>()) Assert.Equal(c, WireNames.ChannelOf(WireNames.Of(c)));
        foreach (var k in Enum.GetValues<MessageKind>()) Assert.Equal(k, WireNames.KindOf(WireNames.Of(k)));
        Assert.Null(WireNames.ChannelOf("fax"));
        Assert.Null(WireNames.KindOf("notice"));
    }
}
