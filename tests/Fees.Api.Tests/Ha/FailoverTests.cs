using System.Collections.Concurrent;
using System.Diagnostics;
using Npgsql;
using TdmEdu.Fees.Api.Tests.Support;
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

    [Fact]
    public async Task PrimaryKilledMidStream_TheStandbyTakesOver_EveryAcknowledgedCallIsAppliedOnce_AndTheOldPrimaryRejoins()
    {
        var cluster = ha.Cluster;
        var connection = cluster.With("fees_failover");
        // No commit returns before a synchronous standby has it: what the service answers a bank is on two nodes.
        await using (var primary = new NpgsqlConnection(cluster.Admin))
        {
            await primary.OpenAsync();
            Assert.Equal("on", (string)(await new NpgsqlCommand("SHOW synchronous_commit", primary).ExecuteScalarAsync())!);
            Assert.NotEqual("", (string)(await new NpgsqlCommand("SHOW synchronous_standby_names", primary).ExecuteScalarAsync())!);
        }
        await using var fees = await Support.Fees.ExampleOnAsync(cluster.Admin, connection);
        var creds = await fees.SandboxBanksAsync();
        var vcb = creds.Single(c => c.SchoolCode == "TS01" && c.Bank == "VCB");
        var code = await fees.PaymentCodeAsync("7900000001");
        var calls = Enumerable.Range(1, Calls).Select(i => VcbCalls.Body(vcb.AccountNo, $"HA{i:D4}", 1_000, $"{code} hoc phi")).ToList();

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
            // Completes when a standby holds the lead (Patroni's key in etcd, watched): what a refused sender waits for.
            var leaderBack = new TaskCompletionSource<Task<string>>(TaskCreationOptions.RunContinuationsAsynchronously);
            // The service's output when the first call went through after a standby took the lead: a line its worker writes
            // after this one is a commit on the new primary.
            var recoveredAtLine = -1;

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
                        if (stopWeb.IsCancellationRequested) break;
                        web.Add((clock.Elapsed.TotalSeconds, ok));
                        // A person whose page failed tries again once the database has a primary again.
                        if (!ok) await (await leaderBack.Task).WaitAsync(stopWeb.Token);
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
                        try { status = await VcbCalls.SendAsync(client, vcb.Vcb!.PrivateKeyPem, calls[i]); }
                        catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { status = 0; }
                        if (status == 200)
                        {
                            acknowledged[i] = clock.Elapsed.TotalSeconds;
                            if (leaderBack.Task is { IsCompleted: true } back && back.Result.IsCompletedSuccessfully)
                                Interlocked.CompareExchange(ref recoveredAtLine, service.LinesSoFar, -1);
                            if (acknowledged.Count == Calls / 3 && Interlocked.CompareExchange(ref killed, "", null) is null)
                            {
                                killed = await cluster.KillPrimaryAsync();
                                killedAt.SetResult(clock.Elapsed.TotalSeconds);
                                leaderBack.SetResult(cluster.WaitLeaderAsync(killed));
                            }
                            break;
                        }
                        failures.Add(clock.Elapsed.TotalSeconds);
                        Assert.True(clock.Elapsed < deadline, $"call {i} was not acknowledged within two minutes (last answer {status})");
                        // The bank sends it again once a standby has taken over; the service's own pauses on a cut write
                        // space the sends while the new primary finishes its promotion.
                        await await leaderBack.Task;
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

            // The service's worker goes on by itself on the new primary: it applies calls stored after the failover (and says
            // so) without being restarted. What it has not reached yet, `fees inbox process` applies, returning when none waits.
            Assert.True(recoveredAtLine >= 0);
            await service.SaysAsync("bank call(s) of account", TimeSpan.FromMinutes(1), after: recoveredAtLine);
            await fees.OkAsync("inbox", "process");
            Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM bank_inbox WHERE processed_at IS NULL"));

            var errors = failures.Where(t => t >= kill).Order().ToList();
            var firstError = errors.Count > 0 ? errors[0] : kill;
            var back = acknowledged.Values.Where(t => t > firstError).DefaultIfEmpty(firstError).Min();
            var webErrors = web.Count(w => !w.Ok);
            output.WriteLine($"killed {killed} after {kill:0.0} s; no acknowledgement for {back - firstError:0.0} s from the first refused call; " +
                             $"{failures.Count} refused or cut sends; web {webErrors} errors of {web.Count}; all {Calls} acknowledged after {acknowledged.Values.Max():0.0} s");
            Assert.Equal(Calls, acknowledged.Count);
            // The drill met the failover: calls were still being sent when the primary died and were acknowledged after
            // it, whether refused first and sent again, or held by the service's own retries until the new primary answered
            // (since a missing primary is retried like a cut connection, a bank may see no refusal at all).
            Assert.Contains(acknowledged.Values, t => t > kill + 1);
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
