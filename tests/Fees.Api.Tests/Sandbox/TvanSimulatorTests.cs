using System.Text;
using TdmEdu.Fees.Api.Application.Receipts;
using TdmEdu.Fees.Api.Sandbox;
using TdmEdu.Fees.Api.Tests.Support;
using TdmEdu.Fees.TvanAdapters;

namespace TdmEdu.Fees.Api.Tests.Sandbox;

/// <summary>
/// `fees tvan-sim` as `./fees up` runs it: the service's outbox uploads to it, it checks each signature and the
/// idempotency rules, and calls the service back signed; a receipt numbered …13 ends rejected, the rest accepted.
/// </summary>
public sealed class TvanSimulatorTests
{
    [Fact]
    public async Task TheServiceAndTheSandboxProvider_EndEachReceiptAcceptedOrRejected_ByTheSignedCallback()
    {
        var simPort = PostgresServer.FreePort();
        var sim = new Uri($"http://127.0.0.1:{simPort}/");
        await using var host = await BankHost.StartAsync(settings: TvanSimulator.ServiceSettings(sim).ToDictionary(s => s.Key, s => (string?)s.Value));
        await using var provider = await TvanSimulator.StartAsync(new TvanSimulator.Settings(simPort, host.BaseAddress, Down: false), CancellationToken.None);
        foreach (var _ in Enumerable.Range(0, 14))
            await host.Fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00001", "--amount", "10000");
        // The callbacks are signed with the simulator's clock, the real one: the service's must agree within 300 s.
        host.Fees.Clock.Now = DateTimeOffset.UtcNow;

        await using (var scope = host.App.Services.CreateAsyncScope())
            Assert.Equal(14, (await scope.ServiceProvider.GetRequiredService<TvanOutbox>().RunAsync(TimeSpan.FromSeconds(20), CancellationToken.None)).Taken);
        // The simulator's own signal that each callback was made and answered: the service stored it before answering.
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        foreach (var _ in Enumerable.Range(0, 14)) await provider.CallbackMade.WaitAsync(bound.Token);
        Assert.Equal(14, await host.Fees.Db.ScalarAsync("SELECT count(*) FROM receipts WHERE status IN ('accepted', 'rejected')"));

        Assert.Equal(["13|rejected"], await host.Fees.Db.ListAsync("SELECT number || '|' || status FROM receipts WHERE status <> 'accepted'"));
        Assert.Equal(14, provider.List().Count);
        Assert.Equal(0, provider.FailedCallbacks);
        Assert.Contains("E_CONTENT", (await host.Fees.Db.ListAsync("SELECT reason FROM receipt_events WHERE to_status = 'rejected'")).Single());
    }

    [Fact]
    public async Task TheSandboxProvider_RefusesABadSignature_AndAChangedDocumentUnderAKeyItHolds_AndIsDownWhenTold()
    {
        await using var fees = await Support.Fees.StartAsync();
        await fees.SetUpExampleSchoolAsync();
        await fees.OkAsync("notices", "issue", "--period", "2025-09");
        await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00001", "--amount", "10000");
        var xml = Convert.FromHexString((await fees.Db.ListAsync("SELECT encode(signed_xml, 'hex') FROM receipts")).Single());
        TvanDocument Doc(byte[] bytes) => new()
        {
            TaxCode = "3700000001", Kind = TvanKinds.Receipt, Template = "EBL01", Series = "25T", Number = 1, IssuedOn = "2025-09-05", TotalVnd = 10000,
            Sha256 = TvanOutbox.Sha256(bytes), XmlBase64 = Convert.ToBase64String(bytes),
        };
        var changed = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(xml).Replace("<TgTien>10000</TgTien>", "<TgTien>90000</TgTien>", StringComparison.Ordinal));

        await using var sim = await TvanSimulator.StartAsync(new TvanSimulator.Settings(0, new Uri("http://127.0.0.1:9/"), Down: false), CancellationToken.None);
        var client = TvanClients.Create(new TvanOptions { ApiBase = sim.Address, Token = TvanSimulator.Sandbox.Token, CallbackSecret = "x" });
        var stranger = TvanClients.Create(new TvanOptions { ApiBase = sim.Address, Token = "not-the-token", CallbackSecret = "x" });

        Assert.Equal("UNAUTHENTICATED", Assert.IsType<TvanPaused>(await TvanUpload.SendAsync(stranger, "k1", Doc(xml), CancellationToken.None)).Code);
        Assert.Equal("SIGNATURE_INVALID", Assert.IsType<TvanRefused>(await TvanUpload.SendAsync(client, "k1", Doc(changed), CancellationToken.None)).Code);
        var first = Assert.IsType<TvanTaken>(await TvanUpload.SendAsync(client, "k1", Doc(xml), CancellationToken.None));
        Assert.Equal(first, await TvanUpload.SendAsync(client, "k1", Doc(xml), CancellationToken.None));
        var wrongHash = Doc(xml);
        Assert.Equal("XML_MALFORMED", Assert.IsType<TvanRefused>(await TvanUpload.SendAsync(client, "k2", new TvanDocument
        {
            TaxCode = wrongHash.TaxCode, Kind = wrongHash.Kind, IssuedOn = wrongHash.IssuedOn, Sha256 = new string('0', 64), XmlBase64 = wrongHash.XmlBase64,
        }, CancellationToken.None)).Code);
        // Another (validly signed) document under a key it holds: 409.
        await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00001", "--amount", "20000");
        var other = Convert.FromHexString((await fees.Db.ListAsync("SELECT encode(signed_xml, 'hex') FROM receipts WHERE number = 2")).Single());
        Assert.IsType<TvanConflict>(await TvanUpload.SendAsync(client, "k1", Doc(other), CancellationToken.None));

        await using var down = await TvanSimulator.StartAsync(new TvanSimulator.Settings(0, new Uri("http://127.0.0.1:9/"), Down: true), CancellationToken.None);
        var toDown = TvanClients.Create(new TvanOptions { ApiBase = down.Address, Token = TvanSimulator.Sandbox.Token, CallbackSecret = "x" });
        Assert.Equal("UNAVAILABLE", Assert.IsType<TvanLater>(await TvanUpload.SendAsync(toDown, "k1", Doc(xml), CancellationToken.None)).Code);
    }
}
