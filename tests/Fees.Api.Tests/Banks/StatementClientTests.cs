using System.Text.Json;
using TdmEdu.Fees.Api.Hosting;
using TdmEdu.Fees.BankAdapters.Msb;
using TdmEdu.Fees.BankAdapters.Statements;
using TdmEdu.Fees.BankAdapters.Vcb;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace TdmEdu.Fees.Api.Tests.Banks;

/// <summary>The outbound Refit clients, with their resilience, against WireMock.Net playing Vietcombank and MSB.</summary>
public sealed class StatementClientTests : IDisposable
{
    private readonly WireMockServer _bank = WireMockServer.Start();

    public void Dispose() => _bank.Stop();

    private ServiceProvider Services(int breakerMinimumCalls = 50) =>
        new ServiceCollection().AddBankStatementClients(new BankClientOptions(new Uri(_bank.Url!), new Uri(_bank.Url!))
        {
            AttemptTimeout = TimeSpan.FromSeconds(2),
            TotalTimeout = TimeSpan.FromSeconds(10),
            RetryDelay = TimeSpan.FromMilliseconds(10),
            BreakerMinimumCalls = breakerMinimumCalls,
        }).BuildServiceProvider();

    private VcbStatementClient Vcb(ServiceProvider sp) => new(sp.GetRequiredService<IVcbStatementApi>(), "client", "secret");

    private void Token() =>
        _bank.Given(Request.Create().WithPath("/oauth2/token").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new { access_token = "tok", expires_in = 300 }));

    private static object Item(int n, object? amount = null) => new
    {
        transactionId = $"T{n}", transactionTime = "2025-09-10 09:30:00", valueDate = "2025-09-10", referenceNumber = $"FT{n}",
        creditDebit = "C", amount = amount ?? 100_000 + n, currency = "VND", content = $"HS12345671 hoc phi {n}", payerAccount = "0123", payerName = "A",
    };

    private int Calls(string path) => _bank.LogEntries.Count(e => e.RequestMessage.Path == path);

    [Fact]
    public async Task Vcb_ThreePages_AreAllRead()
    {
        Token();
        for (var p = 1; p <= 3; p++)
            _bank.Given(Request.Create().WithPath("/api/v1/accounts/0281000111222/transactions").WithParam("page", p.ToString()).UsingGet())
                .RespondWith(Response.Create().WithBodyAsJson(new { page = p, totalPages = 3, items = Enumerable.Range(p * 10, 4).Select(n => Item(n)) }));
        using var sp = Services();

        var lines = await Vcb(sp).FetchAsync("0281000111222", new DateOnly(2025, 9, 1), new DateOnly(2025, 9, 30));

        Assert.Equal(12, lines.Count);
        Assert.Equal(("FT10", 100_010L, true), (lines[0].BankRef, lines[0].AmountVnd, lines[0].Credit));
        Assert.All(_bank.LogEntries.Where(e => e.RequestMessage.Path.Contains("transactions")), e => Assert.Equal("Bearer tok", e.RequestMessage.Headers!["Authorization"].Single()));
    }

    [Fact]
    public async Task Vcb_ReadFailingTwiceThenAnswering_IsRetried()
    {
        Token();
        var path = "/api/v1/accounts/1/transactions";
        _bank.Given(Request.Create().WithPath(path).UsingGet()).InScenario("flaky").WillSetStateTo("one")
            .RespondWith(Response.Create().WithStatusCode(503));
        _bank.Given(Request.Create().WithPath(path).UsingGet()).InScenario("flaky").WhenStateIs("one").WillSetStateTo("two")
            .RespondWith(Response.Create().WithStatusCode(503));
        _bank.Given(Request.Create().WithPath(path).UsingGet()).InScenario("flaky").WhenStateIs("two")
            .RespondWith(Response.Create().WithBodyAsJson(new { page = 1, totalPages = 1, items = new[] { Item(1) } }));
        using var sp = Services();

        var lines = await Vcb(sp).FetchAsync("1", new DateOnly(2025, 9, 1), new DateOnly(2025, 9, 30));

        Assert.Single(lines);
        Assert.Equal(3, Calls(path));
    }

    [Fact]
    public async Task Vcb_TokenPostFailing_IsNotRetried()
    {
        _bank.Given(Request.Create().WithPath("/oauth2/token").UsingPost()).RespondWith(Response.Create().WithStatusCode(503));
        using var sp = Services();

        var e = await Assert.ThrowsAsync<BankAnswerException>(() => Vcb(sp).FetchAsync("1", new DateOnly(2025, 9, 1), new DateOnly(2025, 9, 30)));

        Assert.Equal("Vietcombank refused the statement token: HTTP 503.", e.Message);
        Assert.Equal(1, Calls("/oauth2/token"));
    }

    [Fact]
    public async Task Vcb_SlowBank_TimesOutWithAClearMessage()
    {
        Token();
        _bank.Given(Request.Create().WithPath("/api/v1/accounts/1/transactions").UsingGet())
            .RespondWith(Response.Create().WithDelay(TimeSpan.FromSeconds(5)).WithBodyAsJson(new { page = 1, totalPages = 1, items = Array.Empty<object>() }));
        using var sp = Services();

        var e = await Assert.ThrowsAsync<BankAnswerException>(() => Vcb(sp).FetchAsync("1", new DateOnly(2025, 9, 1), new DateOnly(2025, 9, 30)));

        Assert.Contains("did not answer the statement page 1 in time", e.Message);
    }

    [Theory]
    [InlineData("{\"page\": 1, \"totalPages\": 1, \"items\": [")]
    [InlineData("fraction")]
    [InlineData("missing")]
    public async Task Vcb_MalformedAnswer_IsRefusedSayingWhere(string what)
    {
        Token();
        var body = what switch
        {
            "fraction" => JsonSerializer.Serialize(new { page = 1, totalPages = 1, items = new[] { Item(1), Item(2, 12.5) } }),
            "missing" => JsonSerializer.Serialize(new { page = 1, totalPages = 1, items = new object[] { new { transactionId = "X", amount = 5 } } }),
            _ => what,
        };
        _bank.Given(Request.Create().WithPath("/api/v1/accounts/1/transactions").UsingGet())
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(body));
        using var sp = Services();

        var e = await Assert.ThrowsAsync<BankAnswerException>(() => Vcb(sp).FetchAsync("1", new DateOnly(2025, 9, 1), new DateOnly(2025, 9, 30)));

        Assert.Contains(what switch { "fraction" => "page 1, item 2: amount", "missing" => "item 1: transactionTime is missing", _ => "not the JSON we expect" }, e.Message);
    }

    [Fact]
    public async Task Vcb_BankThatKeepsFailing_TripsTheCircuitBreaker()
    {
        Token();
        _bank.Given(Request.Create().WithPath("/api/v1/accounts/1/transactions").UsingGet()).RespondWith(Response.Create().WithStatusCode(500));
        using var sp = Services(breakerMinimumCalls: 3);
        var client = Vcb(sp);
        var messages = new List<string>();

        for (var i = 0; i < 4; i++)
            messages.Add((await Assert.ThrowsAsync<BankAnswerException>(() => client.FetchAsync("1", new DateOnly(2025, 9, 1), new DateOnly(2025, 9, 30)))).Message);

        Assert.Contains(messages, m => m.Contains("are paused after repeated failures"));
        Assert.True(Calls("/api/v1/accounts/1/transactions") < 12, "the breaker stops calls before every attempt is made");
    }

    [Fact]
    public async Task Msb_Query_IsSignedOverTheExactBodyAndPaged()
    {
        const string secret = "msb-sandbox-secret";
        _bank.Given(Request.Create().WithPath("/statement/v1/query").UsingPost())
            .RespondWith(Response.Create().WithBodyAsJson(new
            {
                code = "00",
                data = new
                {
                    total = 2,
                    records = new object[]
                    {
                        new { transactionId = "FT1", referenceNo = "IB/FT1", vaNumber = "88000110000004", transactionTime = "2025-09-10 09:30:00", valueDate = "2025-09-10", amount = "500000", dcSign = "C", remark = "x" },
                        new { transactionId = "FT2", referenceNo = "IB/FT2", vaNumber = (string?)null, transactionTime = "2025-09-11 10:00:00", valueDate = "2025-09-11", amount = 1000, dcSign = "D", remark = "phi" },
                    },
                },
            }));
        using var sp = Services();

        var lines = await new MsbStatementClient(sp.GetRequiredService<IMsbStatementApi>(), secret, TimeProvider.System)
            .FetchAsync("03000000000001", new DateOnly(2025, 9, 1), new DateOnly(2025, 9, 30));

        Assert.Equal(2, lines.Count);
        Assert.Equal(("FT1", 500_000L, true, "88000110000004"), (lines[0].BankRef, lines[0].AmountVnd, lines[0].Credit, lines[0].VirtualAccount));
        var request = _bank.LogEntries.Last().RequestMessage;
        Assert.True(MsbNotification.SignatureMatches(secret, request.Headers!["X-MSB-Timestamp"].Single(), request.BodyAsBytes,
            request.Headers["X-MSB-Signature"].Single()));
    }
}
