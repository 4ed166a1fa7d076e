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
    public async Task PeriodSummary_GivesTotalsPerSchoolWithoutPersonalData_ToWhoMayReadThatSchool()
    {
        await using var host = await BankHost.StartAsync(before: fees => fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00001", "--amount", "1371800"));
        await StaffLogins.AddAsync(host.Fees);
        await Support.Browser.AddLoginAsync(host.Fees, "kt@ts02.vn", "Đặng Thị Kế", "accountant", "TS02");

        // Found by attack (round 14): any school's money and how many of its families had not paid, to anyone, signed in or not.
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Http.GetAsync("/api/periods/2025-09/summary?school=TS01")).StatusCode);

        var auditor = await StaffLogins.ClientAsync(host, StaffLogins.Auditor);
        var body = await auditor.GetStringAsync("/api/periods/2025-09/summary");
        var rows = JsonDocument.Parse(body).RootElement.EnumerateArray().ToList();
        Assert.Equal(["TS01", "TS02"], rows.Select(r => r.GetProperty("schoolCode").GetString()));
        var row = rows[0];
        Assert.Equal(3_275_400, row.GetProperty("amountDueVnd").GetInt64());
        Assert.Equal(1_371_800, row.GetProperty("amountPaidVnd").GetInt64());
        Assert.Equal(1, row.GetProperty("paid").GetInt32());
        Assert.DoesNotContain("Nguyễn", body);
        var bad = await auditor.GetAsync("/api/periods/2025-9/summary");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);

        // A school's staff: their own school's totals, and no other's.
        var other = await StaffLogins.ClientAsync(host, "kt@ts02.vn");
        var own = JsonDocument.Parse(await other.GetStringAsync("/api/periods/2025-09/summary")).RootElement.EnumerateArray();
        Assert.Equal(["TS02"], own.Select(r => r.GetProperty("schoolCode").GetString()));
        Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync("/api/periods/2025-09/summary?school=TS01")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/api/periods/2025-09/summary?school=TS02")).StatusCode);
        Assert.Contains("\"TS02\"", await other.GetStringAsync("/api/periods/2025-09/summary?school=ts02")); // codes as typed
    }
}
