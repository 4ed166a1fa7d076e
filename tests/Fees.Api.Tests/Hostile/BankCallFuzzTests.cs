using System.Net.Http.Headers;
using System.Text;
using TdmEdu.Fees.Api.Tests.Support;
using TdmEdu.Fees.BankAdapters.Msb;
using TdmEdu.Fees.BankAdapters.Vcb;

namespace TdmEdu.Fees.Api.Tests.Hostile;

/// <summary>
/// The banks' endpoints fed mutated calls. With the signature of the call before it was altered, nothing is
/// stored and no money moves. Signed again (garbage a bank key vouches for), the call is answered in the bank's
/// format, never with a fault; whatever was stored is applied or explained, and the audit passes.
/// </summary>
public sealed class BankCallFuzzTests
{
    private static async Task<int> SendAsync(BankHost host, string path, byte[] body, Action<HttpRequestMessage> headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        headers(request);
        using var response = await host.Http.SendAsync(request);
        Assert.True((int)response.StatusCode < 500, $"{path} answered {(int)response.StatusCode}");
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.ToString() ?? "");
        return (int)response.StatusCode;
    }

    /// <summary>Unreadable (400, the account cannot even be found to check the signature) or not signed by the bank (401).</summary>
    private static readonly int[] Refused = [400, 401];

    private const string Money = "SELECT (SELECT count(*) FROM payments) * 1000000 + (SELECT count(*) FROM bank_inbox)";

    [Fact]
    public async Task Vcb_MutatedCalls_AlteredMoveNothing_ResignedNeverFault()
    {
        await using var host = await BankHost.StartAsync();
        var key = host.Account("TS01", "VCB").Vcb!.PrivateKeyPem;
        var original = Encoding.UTF8.GetBytes(host.VcbBody("VCBF1", 1_371_800, await host.PaymentCodeAsync("7900000001") + " hoc phi"));
        var originalSignature = VcbNotification.Sign(key, original);
        var before = await host.Fees.Db.ScalarAsync(Money);

        foreach (var (_, body) in Mutator.Mutants(original, Mutator.Cases(150), 31))
            if (!body.AsSpan().SequenceEqual(original))
                Assert.Contains(await SendAsync(host, "/api/banks/vcb/notify", body, r => r.Headers.Add(VcbNotification.SignatureHeader, originalSignature)), Refused);
        Assert.Equal(before, await host.Fees.Db.ScalarAsync(Money));

        foreach (var (_, body) in Mutator.Mutants(original, Mutator.Cases(150), 32))
            await SendAsync(host, "/api/banks/vcb/notify", body, r => r.Headers.Add(VcbNotification.SignatureHeader, VcbNotification.Sign(key, body)));
        await host.ProcessInboxAsync();
        Assert.Equal(0, await host.Fees.Db.ScalarAsync("SELECT count(*) FROM bank_inbox WHERE processed_at IS NULL"));
        var audit = await host.Fees.RunAsync("audit");
        Assert.True(audit.ExitCode == 0, audit.ToString());
    }

    [Fact]
    public async Task Msb_MutatedCalls_AlteredMoveNothing_ResignedNeverFault()
    {
        await using var host = await BankHost.StartAsync();
        var secret = host.Account("TS02", "MSB").Msb!;
        var va = secret.VaPrefix + (await host.PaymentCodeAsync("7900000040"))[^8..];
        var original = Encoding.UTF8.GetBytes(host.MsbBody("MSBF1", 500_000, va));
        var ts = host.Fees.Clock.Now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var originalSignature = MsbNotification.Sign(secret.Secret, ts, original);
        var before = await host.Fees.Db.ScalarAsync(Money);

        foreach (var (_, body) in Mutator.Mutants(original, Mutator.Cases(150), 41))
            if (!body.AsSpan().SequenceEqual(original))
                Assert.Contains(await SendAsync(host, "/api/banks/msb/notify", body, r =>
                {
                    r.Headers.Add(MsbNotification.TimestampHeader, ts);
                    r.Headers.Add(MsbNotification.SignatureHeader, originalSignature);
                }), Refused);
        Assert.Equal(before, await host.Fees.Db.ScalarAsync(Money));

        foreach (var (_, body) in Mutator.Mutants(original, Mutator.Cases(150), 42))
            await SendAsync(host, "/api/banks/msb/notify", body, r =>
            {
                r.Headers.Add(MsbNotification.TimestampHeader, ts);
                r.Headers.Add(MsbNotification.SignatureHeader, MsbNotification.Sign(secret.Secret, ts, body));
            });
        await host.ProcessInboxAsync();
        var audit = await host.Fees.RunAsync("audit");
        Assert.True(audit.ExitCode == 0, audit.ToString());
    }

    [Fact]
    public async Task Bidv_MutatedPayBills_NeverFault_AndOnlyChecksummedOnesPay()
    {
        await using var host = await BankHost.StartAsync();
        var token = await host.BidvTokenAsync();
        var code = await host.PaymentCodeAsync("7900000040");
        var original = Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(host.PayBill("BF1", code, "TS02-202509-00001", "1371800")));

        foreach (var (_, body) in Mutator.Mutants(original, Mutator.Cases(200), 51))
            await SendAsync(host, "/api/banks/bidv/paybill", body, r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token));
        await host.ProcessInboxAsync();

        // Whatever was paid carried BIDV's checksum over its own trans_id, bill_id and amount.
        Assert.True(await host.Fees.Db.ScalarAsync("SELECT count(*) FROM payments WHERE source = 'BIDV'") <= 1);
        var audit = await host.Fees.RunAsync("audit");
        Assert.True(audit.ExitCode == 0, audit.ToString());
    }
}
