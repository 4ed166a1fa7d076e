using Microsoft.AspNetCore.WebUtilities;
using TdmEdu.Fees.NotifyAdapters.Esms;

namespace TdmEdu.Fees.NotifyAdapters.Tests.Esms;

/// <summary>§8's GET callback read into delivered, failed or still sent.</summary>
public sealed class EsmsCallbackTests
{
    private static EsmsDelivery Parse(string query)
    {
        var q = QueryHelpers.ParseQuery(query);
        return EsmsCallback.Parse(name => q.TryGetValue(name, out var v) ? v.ToString() : null);
    }

    [Theory]
    [InlineData("SMSID=s1&SendFailed=0&SendStatus=5&SendSuccess=1&TotalPrice=700&RequestId=r1&TypeId=2&telcoid=1&phonenumber=0912345678", DeliveryState.Delivered, 700L)]
    [InlineData("SMSID=s1&SendFailed=1&SendStatus=5&SendSuccess=0&TotalPrice=0&RequestId=r1", DeliveryState.Failed, 0L)]
    [InlineData("SMSID=s1&SendStatus=4&RequestId=r1", DeliveryState.Failed, null)]
    [InlineData("SMSID=s1&SendStatus=1", DeliveryState.Sent, null)]
    [InlineData("SMSID=s1&SendStatus=2&TotalPrice=700.0", DeliveryState.Sent, 700L)]
    [InlineData("SMSID=s1&SendStatus=7&TotalPrice=12.5", DeliveryState.Sent, null)]
    public void WellFormed_IsReadAsTheContractSays(string query, DeliveryState state, long? price)
    {
        var d = Parse(query);

        Assert.Null(d.Problem);
        Assert.Equal((state, price, "s1"), (d.State, d.TotalPriceVnd, d.SmsId));
    }

    [Theory]
    [InlineData("SendStatus=5&SendSuccess=1", "neither SMSID nor RequestId")]
    [InlineData("SMSID=s1", "SendStatus is missing")]
    [InlineData("SMSID=s1&SendStatus=9", "SendStatus \"9\"")]
    public void Malformed_SaysWhy(string query, string why) => Assert.StartsWith(why, Parse(query).Problem);
}
