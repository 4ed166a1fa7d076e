using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using TdmEdu.Fees.Api.Hosting;
using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Http;

public sealed class HostTests
{
    private static async Task<(WebApplication App, HttpClient Client)> StartAsync(string cs)
    {
        var app = WebHost.Build(cs, 0, BankHost.Box, runWorker: false);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, new HttpClient { BaseAddress = new Uri(address) });
    }

    [Fact]
    public async Task Health_WithAMigratedDatabase_IsHealthy()
    {
        await using var fees = await Support.Fees.StartAsync();
        var (app, client) = await StartAsync(fees.Db.ConnectionString);
        await using var _ = app;

        var r = await client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("healthy", (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task PeriodSummary_GivesTotalsPerSchoolWithoutPersonalData()
    {
        await using var fees = await Support.Fees.StartAsync();
        await fees.SetUpExampleSchoolAsync();
        await fees.OkAsync("notices", "issue", "--period", "2025-09");
        await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00001", "--amount", "1371800");
        var (app, client) = await StartAsync(fees.Db.ConnectionString);
        await using var _ = app;

        var body = await client.GetStringAsync("/api/periods/2025-09/summary");
        var bad = await client.GetAsync("/api/periods/2025-9/summary");

        var row = JsonDocument.Parse(body).RootElement[0];
        Assert.Equal("TS01", row.GetProperty("schoolCode").GetString());
        Assert.Equal(3_275_400, row.GetProperty("amountDueVnd").GetInt64());
        Assert.Equal(1_371_800, row.GetProperty("amountPaidVnd").GetInt64());
        Assert.Equal(1, row.GetProperty("paid").GetInt32());
        Assert.DoesNotContain("Nguyễn", body);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
    }
}
