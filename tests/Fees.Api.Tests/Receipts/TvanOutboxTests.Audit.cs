using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using TdmEdu.Fees.Api.Tests.Support;
using TdmEdu.Fees.TvanAdapters;

namespace TdmEdu.Fees.Api.Tests.Receipts;

/// <summary>The outbox's guard, the audit's view of it, and the provider's signed callback.</summary>
public sealed partial class TvanOutboxTests
{
    [Theory]
    [InlineData("UPDATE ereceipt_outbox SET sha256 = repeat('0', 64) WHERE kind = 'receipt'", "is not that receipt as signed")]
    [InlineData("UPDATE ereceipt_outbox SET idempotency_key = '3700000001:EBL01:25T:9' WHERE kind = 'receipt'", "is not that receipt as signed")]
    [InlineData("UPDATE ereceipt_outbox SET xml = convert_to(replace(convert_from(xml, 'UTF8'), 'Nộp nhầm', 'Khác'), 'UTF8') WHERE kind = 'error_notice'", "does not hash to its recorded SHA-256")]
    [InlineData("UPDATE receipts SET status = 'accepted'", "receipt accepted while its upload is sent")]
    [InlineData("UPDATE ereceipt_outbox SET state = 'accepted' WHERE kind = 'receipt'", "receipt sent while its upload is accepted")]
    public async Task TheAudit_NamesAnUploadThatIsNotTheSignedReceipt_OrAStateTheProviderDidNotGive(string corruption, string problem)
    {
        await using var fees = await PaidAsync();
        AnswersWithNewIds();
        await RunAsync(fees);
        if (corruption.Contains("error_notice", StringComparison.Ordinal))
        {
            await fees.OkAsync("payments", "reverse", "--receipt", "TS01/EBL01/25T/0000001", "--reason", "Nộp nhầm");
            await RunAsync(fees);
        }
        Assert.Equal(0, (await fees.RunAsync("audit")).ExitCode);

        fees.PlantsBrokenState();
        await fees.Db.ExecAsync($"SET session_replication_role = replica; {corruption}; SET session_replication_role = origin");
        var audit = await fees.RunAsync("audit");

        Assert.Equal(3, audit.ExitCode);
        Assert.Contains(audit.Err.Split('\n'), l => l.StartsWith("FAIL  what goes to the tax office is what was signed", StringComparison.Ordinal) && l.Contains(problem, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AQueuedDocument_CannotBeChangedOrDeleted_OnlyItsDeliveryMoves()
    {
        await using var fees = await PaidAsync();
        Answers(503, new { code = "X" });
        await RunAsync(fees);

        var change = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => fees.Db.ExecAsync("UPDATE ereceipt_outbox SET sha256 = 'x'"));
        Assert.Contains("what is sent never changes", change.MessageText);
        var delete = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => fees.Db.ExecAsync("DELETE FROM ereceipt_outbox"));
        Assert.Contains("never deleted", delete.MessageText);
        await fees.Db.ExecAsync("UPDATE ereceipt_outbox SET attempts = attempts + 1");
    }

    [Fact]
    public async Task TheProvidersCallback_IsTakenOnlyWithAValidSignatureInTheWindow()
    {
        const string secret = "callback-secret-for-test";
        await using var host = await BankHost.StartAsync(settings: new Dictionary<string, string?>
        {
            ["EReceipts:Tvan:ApiBase"] = _provider.Url, ["EReceipts:Tvan:Token"] = Token, ["EReceipts:Tvan:CallbackSecret"] = secret,
        });
        await host.Fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00001", "--amount", "1371800");
        Answers(202, new { providerId = "PX", status = "received" });
        await RunAsync(host.Fees);

        async Task<int> PostAsync(string body, string? signature)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/ereceipts/provider/events") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            if (signature is not null) request.Headers.TryAddWithoutValidation(TvanSignature.Header, signature);
            using var response = await host.Http.SendAsync(request);
            return (int)response.StatusCode;
        }
        var accepted = JsonSerializer.Serialize(new { providerId = "PX", status = "accepted", messageId = "M1", errors = Array.Empty<object>(), updatedAt = "2025-09-05T10:00:00" });
        var bytes = Encoding.UTF8.GetBytes(accepted);
        var now = host.Fees.Clock.Now;

        Assert.Equal(401, await PostAsync(accepted, null));
        Assert.Equal(401, await PostAsync(accepted, TvanSignature.Make("another-secret", now, bytes)));
        Assert.Equal(401, await PostAsync(accepted, TvanSignature.Make(secret, now - TimeSpan.FromSeconds(301), bytes)));
        Assert.Equal(401, await PostAsync(accepted.Replace("M1", "M2", StringComparison.Ordinal), TvanSignature.Make(secret, now, bytes)));
        Assert.Equal(["sent"], await host.Fees.Db.ListAsync("SELECT status FROM receipts"));

        var odd = JsonSerializer.Serialize(new { providerId = "PX", status = "lost" });
        Assert.Equal(400, await PostAsync(odd, TvanSignature.Make(secret, now, Encoding.UTF8.GetBytes(odd))));
        Assert.Equal(200, await PostAsync(accepted, TvanSignature.Make(secret, now, bytes)));
        Assert.Equal(["accepted"], await host.Fees.Db.ListAsync("SELECT status FROM receipts"));
        Assert.Equal(["upload|received", "callback|accepted"], await host.Fees.Db.ListAsync("SELECT source || '|' || status FROM ereceipt_provider_events ORDER BY received_at, source DESC"));
    }
}
