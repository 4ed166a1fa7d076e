using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using TdmEdu.Fees.Api.Application.Receipts;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Security;
using TdmEdu.Fees.Api.Tests.Support;
using TdmEdu.Fees.Domain.Receipts;
using TdmEdu.Fees.TvanAdapters;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace TdmEdu.Fees.Api.Tests.Receipts;

/// <summary>
/// The outbox to the T-VAN provider (contracts/ereceipts.md §10) against WireMock.Net playing the provider: each
/// signed receipt goes once under its key, the provider's answers move it along §8, an outage is retried on the
/// schedule and caught up, a refusal or a rejection ends rejected, a conflicting key is never sent again, and a
/// cancelled or replaced receipt gets its error notice 04/SS-CTĐT after the receipt itself.
/// </summary>
public sealed partial class TvanOutboxTests : IDisposable
{
    private const string Token = "test-tvan-token";
    private readonly WireMockServer _provider = WireMockServer.Start();

    public void Dispose() => _provider.Stop();

    private TvanOutbox Outbox(Support.Fees fees, FeesDbScope scope) => new(scope.Db, new BusinessClock(fees.Clock),
        new ReceiptCertificateSource(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["EReceipts:SandboxCertificates"] = SandboxSigning.Folder }).Build()),
        TvanClients.Create(new TvanOptions { ApiBase = new Uri(_provider.Url!), Token = Token, CallbackSecret = "s" }));

    private async Task<TvanRun> RunAsync(Support.Fees fees)
    {
        await using var scope = new FeesDbScope(fees);
        return await Outbox(fees, scope).RunAsync(TimeSpan.FromSeconds(20), CancellationToken.None);
    }

    private async Task<(bool, string?)> AnswerAsync(Support.Fees fees, string providerId, string status, params TvanError[] errors)
    {
        await using var scope = new FeesDbScope(fees);
        return await Outbox(fees, scope).ApplyAsync(new TvanStatus { ProviderId = providerId, Status = status, Errors = [.. errors] }, "callback", CancellationToken.None);
    }

    private void Answers(int status, object body, string? path = null) =>
        _provider.Given(Request.Create().WithPath(path ?? "/v1/documents").UsingPost()).RespondWith(Response.Create().WithStatusCode(status).WithBodyAsJson(body));

    /// <summary>202 with a new provider id for each upload: P1, P2, …</summary>
    private void AnswersWithNewIds()
    {
        var ids = 0;
        _provider.Given(Request.Create().WithPath("/v1/documents").UsingPost())
            .RespondWith(Response.Create().WithCallback(_ => new WireMock.ResponseMessage
            {
                StatusCode = 202, BodyData = new WireMock.Util.BodyData
                {
                    BodyAsString = JsonSerializer.Serialize(new { providerId = $"P{Interlocked.Increment(ref ids)}", status = "received" }),
                    DetectedBodyType = WireMock.Types.BodyType.String,
                },
            }));
    }

    private List<WireMock.Logging.ILogEntry> Uploads() => [.. _provider.LogEntries.Where(e => e.RequestMessage.Path == "/v1/documents")];

    private static async Task<Support.Fees> PaidAsync()
    {
        var fees = await Support.Fees.StartAsync();
        await fees.SetUpExampleSchoolAsync();
        await fees.OkAsync("notices", "issue", "--period", "2025-09");
        await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00001", "--amount", "1371800", "--payer", "Nguyễn Thị Lan");
        return fees;
    }

    [Fact]
    public async Task ASignedReceipt_GoesOnceUnderItsKey_WithItsSignedXml_AndTheCallbackMakesItAccepted()
    {
        await using var fees = await PaidAsync();
        AnswersWithNewIds();

        var run = await RunAsync(fees);

        Assert.Equal((1, 1), (run.Queued, run.Taken));
        var upload = Assert.Single(Uploads()).RequestMessage;
        Assert.Equal("3700000001:EBL01:25T:1", upload.Headers!["Idempotency-Key"].Single());
        Assert.Equal("Bearer " + Token, upload.Headers["Authorization"].Single());
        var body = JsonDocument.Parse(upload.Body!).RootElement;
        var stored = Convert.FromHexString((await fees.Db.ListAsync("SELECT encode(signed_xml, 'hex') FROM receipts")).Single());
        Assert.Equal(stored, Convert.FromBase64String(body.GetProperty("xmlBase64").GetString()!));
        Assert.Equal(TvanOutbox.Sha256(stored), body.GetProperty("sha256").GetString());
        Assert.Equal(("receipt", "3700000001", 1371800L), (body.GetProperty("kind").GetString(), body.GetProperty("taxCode").GetString(), body.GetProperty("totalVnd").GetInt64()));
        Assert.Equal(["sent"], await fees.Db.ListAsync("SELECT status FROM receipts"));

        // Nothing is sent twice: the next run finds nothing due.
        Assert.Equal(0, (await RunAsync(fees)).Taken);
        Assert.Single(Uploads());

        Assert.Equal((true, (string?)null), await AnswerAsync(fees, "P1", "accepted"));
        Assert.Equal(["accepted"], await fees.Db.ListAsync("SELECT status FROM receipts"));
        Assert.Equal(["issued>sent:tvan", "sent>accepted:tvan"], await fees.Db.ListAsync(
            "SELECT from_status || '>' || to_status || ':' || actor FROM receipt_events WHERE actor = 'tvan' ORDER BY at, to_status DESC"));
        // A late "rejected" never undoes the tax office's acceptance; it is kept as said.
        await AnswerAsync(fees, "P1", "rejected", new TvanError { Code = "E", Text = "late" });
        Assert.Equal(["accepted|accepted"], await fees.Db.ListAsync("SELECT r.status || '|' || o.state FROM receipts r JOIN ereceipt_outbox o ON o.receipt_id = r.id"));
        Assert.Equal(3, await fees.Db.ScalarAsync("SELECT count(*) FROM ereceipt_provider_events"));
    }

    [Fact]
    public async Task AnOutage_KeepsTheReceiptIssued_IsRetriedOnTheSchedule_AndCaughtUpWhenTheProviderReturns()
    {
        await using var fees = await PaidAsync();
        Answers(503, new { code = "UNAVAILABLE", text = "down" });

        await RunAsync(fees);
        Assert.Equal(["issued|pending|1|UNAVAILABLE"], await fees.Db.ListAsync(
            "SELECT r.status || '|' || o.state || '|' || o.attempts || '|' || o.last_code FROM receipts r JOIN ereceipt_outbox o ON o.receipt_id = r.id"));
        Assert.Equal(60, await fees.Db.ScalarAsync("SELECT extract(epoch FROM next_at - updated_at)::bigint FROM ereceipt_outbox"));

        // Not due yet: nothing is sent.
        await RunAsync(fees);
        Assert.Single(Uploads());

        // The schedule: 1 min, then 5 min, then 15 min.
        fees.Clock.Now += TimeSpan.FromMinutes(1);
        await RunAsync(fees);
        Assert.Equal(300, await fees.Db.ScalarAsync("SELECT extract(epoch FROM next_at - updated_at)::bigint FROM ereceipt_outbox"));
        fees.Clock.Now += TimeSpan.FromMinutes(5);
        await RunAsync(fees);
        Assert.Equal(900, await fees.Db.ScalarAsync("SELECT extract(epoch FROM next_at - updated_at)::bigint FROM ereceipt_outbox"));
        Assert.Equal(3, Uploads().Count);

        _provider.Reset();
        Answers(202, new { providerId = "P9", status = "received" });
        fees.Clock.Now += TimeSpan.FromMinutes(15);
        Assert.Equal(1, (await RunAsync(fees)).Taken);
        Assert.Equal(["sent|sent|4"], await fees.Db.ListAsync(
            "SELECT r.status || '|' || o.state || '|' || o.attempts FROM receipts r JOIN ereceipt_outbox o ON o.receipt_id = r.id"));
        // Every try carried the same document under the same key.
        Assert.Single(_provider.LogEntries.Select(e => e.RequestMessage.Headers!["Idempotency-Key"].Single()).Distinct());
    }

    [Fact]
    public async Task ARetryAfter_IsHonoured_AndAnAnswerWithoutAProviderId_IsNotTakenForAnUpload()
    {
        await using var fees = await PaidAsync();
        _provider.Given(Request.Create().WithPath("/v1/documents").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "600").WithBodyAsJson(new { code = "RATE_LIMITED", text = "slow down" }));
        await RunAsync(fees);
        Assert.Equal(["RATE_LIMITED|600"], await fees.Db.ListAsync("SELECT last_code || '|' || extract(epoch FROM next_at - updated_at)::bigint FROM ereceipt_outbox"));

        _provider.Reset();
        Answers(202, new { status = "received" });
        fees.Clock.Now += TimeSpan.FromMinutes(10);
        await RunAsync(fees);
        Assert.Equal(["issued|pending|BAD_ANSWER"], await fees.Db.ListAsync(
            "SELECT r.status || '|' || o.state || '|' || o.last_code FROM receipts r JOIN ereceipt_outbox o ON o.receipt_id = r.id"));
    }

    [Fact]
    public async Task ARefusedUpload_AndARejectionByTheTaxOffice_EachEndRejected_WithTheReasonKept()
    {
        await using var fees = await PaidAsync();
        await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00002", "--amount", "100000", "--payer", "Trần Văn Bình");
        _provider.Given(Request.Create().WithPath("/v1/documents").WithHeader("Idempotency-Key", "3700000001:EBL01:25T:1").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(422).WithBodyAsJson(new { code = "SERIES_NOT_REGISTERED", text = "series 25T is not registered" }));
        _provider.Given(Request.Create().WithPath("/v1/documents").WithHeader("Idempotency-Key", "3700000001:EBL01:25T:2").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(202).WithBodyAsJson(new { providerId = "P2", status = "received" }));

        var run = await RunAsync(fees);
        Assert.Contains(run.Problems, p => p.Contains("SERIES_NOT_REGISTERED", StringComparison.Ordinal));
        await AnswerAsync(fees, "P2", "rejected", new TvanError { Code = "E_CONTENT", Text = "nội dung sai" });

        Assert.Equal(["1|rejected|rejected|SERIES_NOT_REGISTERED", "2|rejected|rejected|E_CONTENT"], await fees.Db.ListAsync(
            "SELECT r.number || '|' || r.status || '|' || o.state || '|' || o.last_code FROM receipts r JOIN ereceipt_outbox o ON o.receipt_id = r.id ORDER BY r.number"));
        Assert.Equal(["issued>rejected|SERIES_NOT_REGISTERED: series 25T is not registered", "sent>rejected|E_CONTENT: nội dung sai"], await fees.Db.ListAsync(
            "SELECT e.from_status || '>' || e.to_status || '|' || e.reason FROM receipt_events e JOIN receipts r ON r.id = e.receipt_id WHERE e.to_status = 'rejected' ORDER BY r.number"));
        // A rejected receipt is mended by a replacement (§8); the refused one is not sent again.
        fees.Clock.Now += TimeSpan.FromDays(1);
        await RunAsync(fees);
        Assert.Equal(2, Uploads().Count);
    }

    [Fact]
    public async Task AProviderIdThatAlreadyNamesAnotherDocument_IsNotTakenForAnUpload_AndWaitsForTheNextRun()
    {
        await using var fees = await PaidAsync();
        await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00002", "--amount", "100000");
        Answers(202, new { providerId = "SAME", status = "received" });

        var run = await RunAsync(fees);

        Assert.Equal(1, run.Taken);
        Assert.Equal(["1|sent|", "2|pending|BAD_ANSWER"], await fees.Db.ListAsync(
            "SELECT number || '|' || state || '|' || COALESCE(last_code, '') FROM ereceipt_outbox ORDER BY number"));
    }

    [Fact]
    public async Task AnAnswerWithATextCutInsideAnEmoji_OrANullError_IsStoredWhole_OrRefused_NeverA500()
    {
        await using var fees = await PaidAsync();
        AnswersWithNewIds();
        await RunAsync(fees);

        Assert.Equal((false, "errors holds an item that is not {code, text}"), await AnswerAsync(fees, "P1", "rejected", (TvanError)null!));
        var long1 = new string('x', 999) + "😀";
        Assert.Equal((true, (string?)null), await AnswerAsync(fees, "P1", "rejected", new TvanError { Code = "E", Text = long1 }));
        Assert.Equal(["rejected|999"], await fees.Db.ListAsync("SELECT state || '|' || length(last_error) FROM ereceipt_outbox"));
    }

    [Fact]
    public async Task APollTheProviderCannotAnswer_NeverKeepsTheOthersFromBeingAsked()
    {
        await using var fees = await PaidAsync();
        await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00002", "--amount", "100000");
        AnswersWithNewIds();
        await RunAsync(fees);
        _provider.Given(Request.Create().WithPath("/v1/documents/P1").UsingGet()).RespondWith(Response.Create().WithStatusCode(404).WithBodyAsJson(new { code = "NOT_FOUND" }));
        _provider.Given(Request.Create().WithPath("/v1/documents/P2").UsingGet())
            .RespondWith(Response.Create().WithBodyAsJson(new { providerId = "P2", status = "accepted", messageId = "M", errors = Array.Empty<object>(), updatedAt = "2025-09-05T11:00:00" }));

        fees.Clock.Now += TimeSpan.FromHours(2);
        await RunAsync(fees);

        Assert.Equal(["1|sent|POLL_HTTP_404", "2|accepted|"], await fees.Db.ListAsync(
            "SELECT number || '|' || state || '|' || COALESCE(last_code, '') FROM ereceipt_outbox ORDER BY number"));
        Assert.Equal(["1|sent", "2|accepted"], await fees.Db.ListAsync("SELECT number || '|' || status FROM receipts ORDER BY number"));
    }

    [Fact]
    public async Task AProviderThatRefusesUs_PausesTheWholeRun_RatherThanTryingEveryDocument()
    {
        await using var fees = await PaidAsync();
        await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00002", "--amount", "100000");
        await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00003", "--amount", "100000");
        Answers(401, new { code = "UNAUTHENTICATED", text = "token expired" });

        var run = await RunAsync(fees);

        Assert.Single(Uploads());
        Assert.Contains(run.Problems, p => p.Contains("UNAUTHENTICATED", StringComparison.Ordinal));
        Assert.Equal(["1|UNAUTHENTICATED|60", "2||60", "3||60"], await fees.Db.ListAsync(
            $"SELECT number || '|' || COALESCE(last_code, '') || '|' || extract(epoch FROM next_at - '{fees.Clock.Now:O}'::timestamptz)::bigint FROM ereceipt_outbox ORDER BY number"));
    }

    [Fact]
    public async Task AConflictingKey_StopsThatDocumentForGood_AndTheOthersGoOn()
    {
        await using var fees = await PaidAsync();
        await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00002", "--amount", "100000");
        _provider.Given(Request.Create().WithPath("/v1/documents").WithHeader("Idempotency-Key", "3700000001:EBL01:25T:1").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(409).WithBodyAsJson(new { code = "IDEMPOTENCY_CONFLICT", text = "other sha256" }));
        _provider.Given(Request.Create().WithPath("/v1/documents").WithHeader("Idempotency-Key", "3700000001:EBL01:25T:2").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(202).WithBodyAsJson(new { providerId = "P2", status = "received" }));

        await RunAsync(fees);
        foreach (var _ in Enumerable.Range(0, 3))
        {
            fees.Clock.Now += TimeSpan.FromHours(7);
            await RunAsync(fees);
        }

        Assert.Equal(["1|conflict|issued", "2|sent|sent"], await fees.Db.ListAsync(
            "SELECT o.number || '|' || o.state || '|' || r.status FROM ereceipt_outbox o JOIN receipts r ON r.id = o.receipt_id ORDER BY o.number"));
        Assert.Equal(2, Uploads().Count);
    }

    [Fact]
    public async Task AReversalAndAReplacement_EachFileASignedErrorNotice_AfterTheReceiptItNames()
    {
        await using var fees = await PaidAsync();
        await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00002", "--amount", "100000");
        AnswersWithNewIds();
        await fees.OkAsync("payments", "reverse", "--receipt", "TS01/EBL01/25T/0000001", "--reason", "Nộp nhầm");
        await fees.OkAsync("receipts", "cancel", "--receipt", "TS01/EBL01/25T/0000002", "--reason", "Sai tên người nộp");
        await RunAsync(fees);

        var keys = Uploads().Select(e => e.RequestMessage.Headers!["Idempotency-Key"].Single()).ToList();
        Assert.Equal(5, keys.Count);
        // Each notice after the receipt it names.
        Assert.True(keys.IndexOf("3700000001:EBL01:25T:1") < keys.FindIndex(k => k.Contains(":notice:", StringComparison.Ordinal)));
        Assert.Contains("3700000001:EBL01:25T:3", keys);
        Assert.Equal(["1|cancelled|1|Nộp nhầm", "2|replaced|3|Sai tên người nộp"], await fees.Db.ListAsync("""
            SELECT o.number || '|' || r.status || '|' || (xpath('//CTu/TCTBao/text()', convert_from(o.xml, 'UTF8')::xml))[1]::text || '|'
                   || (xpath('//CTu/LDo/text()', convert_from(o.xml, 'UTF8')::xml))[1]::text
            FROM ereceipt_outbox o JOIN receipts r ON r.id = o.receipt_id WHERE o.kind = 'error_notice' ORDER BY o.number
            """));
        foreach (var xml in await fees.Db.ListAsync("SELECT encode(xml, 'hex') FROM ereceipt_outbox WHERE kind = 'error_notice'"))
        {
            var bytes = Convert.FromHexString(xml);
            Assert.True(ReceiptSignature.Verify(bytes, TaxOfficeXml.NoticeRoot, TaxOfficeXml.NoticeData, TaxOfficeXml.Signer).Valid);
            Assert.Contains("<MSo>04/SS-CTĐT</MSo>", Encoding.UTF8.GetString(bytes));
        }
        var notice = Uploads().Select(e => JsonDocument.Parse(e.RequestMessage.Body!).RootElement).First(b => b.GetProperty("kind").GetString() == "error_notice");
        Assert.Equal("3700000001", notice.GetProperty("taxCode").GetString());

        // Queued once: another run makes no second notice.
        fees.Clock.Now += TimeSpan.FromHours(2);
        await RunAsync(fees);
        Assert.Equal(2, await fees.Db.ScalarAsync("SELECT count(*) FROM ereceipt_outbox WHERE kind = 'error_notice'"));
    }
}
