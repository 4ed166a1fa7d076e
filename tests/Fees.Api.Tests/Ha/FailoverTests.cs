using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Npgsql;
using TdmEdu.Fees.Api.Sandbox;
using TdmEdu.Fees.Api.Tests.Support;
using TdmEdu.Fees.BankAdapters.Vcb;
using Xunit.Abstractions;

namespace TdmEdu.Fees.Api.Tests.Ha;

/// <summary>
/// The failover drill: the primary's postmaster is killed in the middle of a stream of bank calls and web use;
/// Patroni promotes the synchronous standby, the service goes on by itself, every call the bank saw acknowledged is
/// applied exactly once, the ones refused meanwhile are sent again and applied once, the audit passes on the new
/// primary and the old one comes back as a standby.
/// </summary>
[Collection(HaCollection.Name)]
public sealed class FailoverTests(HaFixture ha, ITestOutputHelper output)
{
    private const int Calls = 200;

    private static async Task<int> SendVcbAsync(HttpClient client, string key, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/banks/vcb/notify") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add(VcbNotification.SignatureHeader, VcbNotification.Sign(key, Encoding.UTF8.GetBytes(body)));
        using var response = await client.SendAsync(request);
        return (int)response.StatusCode;
    }

    [Fact]
    public async Task PrimaryKilledMidStream_TheStandbyTakesOver_EveryAcknowledgedCallIsAppliedOnce_AndTheOldPrimaryRejoins()
    {
        var cluster = ha.Cluster;
        await using (var admin = new NpgsqlConnection(cluster.Admin))
        {
            await admin.OpenAsync();
            await new NpgsqlCommand("CREATE DATABASE fees_failover", admin).ExecuteNonQueryAsync();
        }
        var connection = cluster.With("fees_failover");
        // No commit returns before a synchronous standby has it: what the service answers a bank is on two nodes.
        await using (var primary = new NpgsqlConnection(cluster.Admin))
        {
            await primary.OpenAsync();
            Assert.Equal("on", (string)(await new NpgsqlCommand("SHOW synchronous_commit", primary).ExecuteScalarAsync())!);
            Assert.NotEqual("", (string)(await new NpgsqlCommand("SHOW synchronous_standby_names", primary).ExecuteScalarAsync())!);
        }
        await using var fees = Support.Fees.On(new TestDatabase(cluster.Admin, "fees_failover", connection));
        await fees.OkAsync("db", "migrate");
        await fees.SetUpExampleSchoolAsync();
        await fees.OkAsync("notices", "issue", "--period", "2025-09");
        List<SandboxCredentials> creds;
        await using (var db = fees.Db.Open()) creds = await new BankSandbox(db, BankHost.Box).EnsureAsync();
        var vcb = creds.Single(c => c.SchoolCode == "TS01" && c.Bank == "VCB");
        string code;
        await using (var db = fees.Db.Open()) code = db.Students.Single(s => s.StudentCode == "7900000001").PaymentCode;
        var calls = Enumerable.Range(1, Calls).Select(i => System.Text.Json.JsonSerializer.Serialize(new
        {
            transactionId = $"HA{i:D4}", transactionTime = "2025-09-10 09:30:00", valueDate = "2025-09-10", referenceNumber = $"FTHA{i:D4}",
            accountNumber = vcb.AccountNo, amount = 1_000, currency = "VND", creditDebit = "C", content = $"{code} hoc phi",
            payerAccount = "0123456789", payerName = "NGUYEN VAN A", originalTransactionId = (string?)null,
        })).ToList();

        var oldPrimary = "";
        var (service, address) = await ServiceProcess.ServeAsync(connection);
        await using (service)
        {
            using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
            var clock = Stopwatch.StartNew();
            var acknowledged = new ConcurrentDictionary<int, double>();
            var failures = new ConcurrentBag<double>();
            var next = -1;
            var killedAt = new TaskCompletionSource<double>(TaskCreationOptions.RunContinuationsAsynchronously);
            string? killed = null;

            // Web use beside the bank: the health page and the open data index, which read the database.
            using var stopWeb = new CancellationTokenSource();
            var web = new ConcurrentBag<(double At, bool Ok)>();
            var browsing = Task.Run(async () =>
            {
                using var browser = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
                while (!stopWeb.IsCancellationRequested)
                    foreach (var page in new[] { "/health", "/du-lieu-mo/index.json" })
                    {
                        bool ok;
                        try { ok = (await browser.GetAsync(page, stopWeb.Token)).IsSuccessStatusCode; }
                        catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { ok = false; }
                        if (!stopWeb.IsCancellationRequested) web.Add((clock.Elapsed.TotalSeconds, ok));
                    }
            });

            // Four bank connections; each call is sent until it is acknowledged, as the bank's retry does.
            var senders = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
            {
                for (var i = Interlocked.Increment(ref next); i < Calls; i = Interlocked.Increment(ref next))
                {
                    var deadline = clock.Elapsed + TimeSpan.FromMinutes(2);
                    while (true)
                    {
                        int status;
                        try { status = await SendVcbAsync(client, vcb.Vcb!.PrivateKeyPem, calls[i]); }
                        catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { status = 0; }
                        if (status == 200)
                        {
                            acknowledged[i] = clock.Elapsed.TotalSeconds;
                            if (acknowledged.Count == Calls / 3 && Interlocked.CompareExchange(ref killed, "", null) is null)
                            {
                                killed = await cluster.KillPrimaryAsync();
                                killedAt.SetResult(clock.Elapsed.TotalSeconds);
                            }
                            break;
                        }
                        failures.Add(clock.Elapsed.TotalSeconds);
                        Assert.True(clock.Elapsed < deadline, $"call {i} was not acknowledged within two minutes (last answer {status})");
                        // A bank waits a moment before it sends again; here until any call has gone through since.
                        await Task.Delay(200);
                    }
                }
            })).ToList();
            await Task.WhenAll(senders);
            stopWeb.Cancel();
            await browsing;
            var kill = await killedAt.Task;
            oldPrimary = killed!;
            // This test's own pooled connections went down with the old primary.
            NpgsqlConnection.ClearAllPools();

            // The worker of the service applies the rest by itself, on the new primary.
            var applied = Stopwatch.StartNew();
            while (await fees.Db.ScalarAsync("SELECT count(*) FROM bank_inbox WHERE processed_at IS NULL") > 0 || await fees.Db.ScalarAsync("SELECT count(*) FROM bank_inbox") < Calls)
            {
                Assert.True(applied.Elapsed < TimeSpan.FromMinutes(1), "the service did not apply the waiting calls within a minute of the last acknowledgement");
                await Task.Delay(250);
            }

            var errors = failures.Where(t => t >= kill).Order().ToList();
            var firstError = errors.Count > 0 ? errors[0] : kill;
            var back = acknowledged.Values.Where(t => t > firstError).DefaultIfEmpty(firstError).Min();
            var webErrors = web.Count(w => !w.Ok);
            output.WriteLine($"killed {killed} after {kill:0.0} s; no acknowledgement for {back - firstError:0.0} s from the first refused call; " +
                             $"{failures.Count} refused or cut sends; web {webErrors} errors of {web.Count}; all {Calls} acknowledged after {acknowledged.Values.Max():0.0} s");
            Assert.Equal(Calls, acknowledged.Count);
            Assert.NotEmpty(errors); // the drill met the failover
        }

        // Every acknowledged call applied exactly once, and the ledger whole on the new primary.
        Assert.Equal(Calls, await fees.Db.ScalarAsync("SELECT count(*) FROM payments WHERE source = 'VCB' AND amount_vnd > 0"));
        Assert.Equal(Calls, await fees.Db.ScalarAsync("SELECT count(DISTINCT idempotency_key) FROM bank_inbox WHERE bank = 'VCB'"));
        Assert.Equal(Calls * 1_000L, await fees.Db.ScalarAsync("SELECT sum(amount_vnd) FROM payments WHERE source = 'VCB'"));
        var audit = await fees.RunAsync("audit");
        Assert.True(audit.ExitCode == 0, audit.ToString());

        // The old primary comes back as a standby of the new one.
        await cluster.WaitHealthyAsync();
        var members = await cluster.MembersAsync();
        output.WriteLine(string.Join("\n", members));
        Assert.Single(members, m => m.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1] == "leader");
        Assert.Contains(members, m => m.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0] == oldPrimary && m.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1] is "replica" or "sync_standby");
        Assert.Equal(3, members.Count(m => m.Split(' ', StringSplitOptions.RemoveEmptyEntries)[2] is "running" or "streaming"));
    }
}
