using System.Collections.Concurrent;
using System.Diagnostics;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Vitals;

/// <summary>A trace crosses from the bank's request to the worker that applies the call: its context is kept on the inbox row.</summary>
public sealed class TraceTests
{
    [Fact]
    public async Task TheRequestsTrace_IsStoredWithTheCall_AndTheApplySpanBelongsToIt()
    {
        var traceId = ActivityTraceId.CreateRandom();
        var spans = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == FeesTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => spans.Add(a),
        };
        ActivitySource.AddActivityListener(listener);
        await using var host = await BankHost.StartAsync();
        var vcb = host.Account("TS01", "VCB");
        var code = await host.PaymentCodeAsync("7900000001");

        // The bank's gateway sent a trace context: the request joins that trace, and the stored call keeps it.
        var sent = $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01";
        Assert.Equal(200, await VcbCalls.SendAsync(host.Http, vcb.Vcb!.PrivateKeyPem, VcbCalls.Body(vcb.AccountNo, "TRACE001", 500_000, $"{code} hoc phi"), sent));
        var stored = (await host.Fees.Db.ListAsync("SELECT trace_parent FROM bank_inbox WHERE idempotency_key = 'TRACE001'")).Single();
        Assert.StartsWith($"00-{traceId}-", stored);
        Assert.NotEqual(sent, stored); // the request's own span, a child of the bank's

        // The worker's span applying that one call is in the same trace, a child of the request's span.
        Assert.Equal(1, await host.ProcessInboxAsync());
        var apply = Assert.Single(spans, s => s.TraceId == traceId && s.OperationName == "apply bank calls");
        Assert.Equal(stored.Split('-')[2], apply.ParentSpanId.ToHexString());
        Assert.Equal(1, apply.GetTagItem("fees.bank.calls"));
    }
}
