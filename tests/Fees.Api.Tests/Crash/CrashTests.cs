using System.Collections.Concurrent;
using System.Text;
using Npgsql;
using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Crash;

/// <summary>
/// The service killed with SIGKILL mid-peak, a statement import and a reconciliation killed mid-run, PostgreSQL
/// restarted under load. After recovery every bank call the service acknowledged is applied exactly once, no
/// import is half there, and the audit passes. The banks retry what was not acknowledged, as they do.
/// </summary>
public sealed class CrashTests
{
    /// <summary>
    /// After the last call is acknowledged: the service is stopped (killed: whatever its worker was applying is
    /// rolled back) and what the inbox still holds is applied by `fees inbox process`, which returns when it is
    /// done. Nothing waits for time to pass.
    /// </summary>
    private static async Task ApplyTheRestAsync(Support.Fees fees, ServiceProcess service)
    {
        await service.KillAsync();
        await fees.OkAsync("inbox", "process");
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM bank_inbox WHERE processed_at IS NULL"));
    }

    private static async Task AuditPassesAsync(Support.Fees fees)
    {
        var audit = await fees.RunAsync("audit");
        Assert.True(audit.ExitCode == 0, audit.ToString());
    }

    [Fact]
    public async Task KilledMidPeak_EveryAcknowledgedCallIsAppliedOnce_AfterRestartAndBankRetries()
    {
        await using var host = await BankHost.StartAsync();
        var connection = host.Fees.Db.ConnectionString;
        var key = host.Account("TS01", "VCB").Vcb!.PrivateKeyPem;
        var code = await host.PaymentCodeAsync("7900000001");
        var calls = Enumerable.Range(1, 200).Select(i => host.VcbBody($"VCBK{i:D3}", 1_000, $"{code} hoc phi")).ToList();
        var acknowledged = new ConcurrentDictionary<int, bool>();

        var (first, address) = await ServiceProcess.ServeAsync(connection);
        await using (first)
        {
            using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
            using var gate = new SemaphoreSlim(8);
            var killed = 0;
            await Task.WhenAll(calls.Select(async (body, i) =>
            {
                await gate.WaitAsync();
                try
                {
                    if (await VcbCalls.SendAsync(client, key, body) == 200 && acknowledged.TryAdd(i, true) && acknowledged.Count == 60
                        && Interlocked.Exchange(ref killed, 1) == 0)
                        await first.KillAsync();
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    // Not acknowledged: the bank will send it again.
                }
                finally
                {
                    gate.Release();
                }
            }));
            Assert.True(first.HasExited);
        }
        Assert.InRange(acknowledged.Count, 60, 199);

        var (second, again) = await ServiceProcess.ServeAsync(connection);
        await using (second)
        {
            using var client = new HttpClient { BaseAddress = again };
            // The bank retries what it has no answer for, and, being a bank, a few it has.
            foreach (var i in Enumerable.Range(0, calls.Count).Where(i => !acknowledged.ContainsKey(i) || i % 20 == 0))
                Assert.Equal(200, await VcbCalls.SendAsync(client, key, calls[i]));
            await ApplyTheRestAsync(host.Fees, second);
        }

        Assert.Equal(200, await host.Fees.Db.ScalarAsync("SELECT count(*) FROM payments WHERE source = 'VCB'"));
        Assert.Equal(200, await host.Fees.Db.ScalarAsync("SELECT count(DISTINCT idempotency_key) FROM bank_inbox WHERE bank = 'VCB'"));
        Assert.Equal(200_000, await host.Fees.Db.ScalarAsync("SELECT sum(amount_vnd) FROM payments WHERE source = 'VCB'"));
        await AuditPassesAsync(host.Fees);
    }

    private static string Mt940(string account, int lines, string code)
    {
        var sb = new StringBuilder($":20:BIG\n:25:{account}\n:60F:C250909VND0,\n");
        for (var i = 1; i <= lines; i++)
            sb.Append(FormattableString.Invariant($":61:2509100910C{1000 + i % 7},NTRFNONREF//FTC{i:D7}\n:86:{(i % 2 == 0 ? code + " hoc phi" : "chuyen khoan " + i)}\n"));
        return sb.ToString();
    }

    [Fact]
    public async Task KilledMidImport_LeavesNoLineOfTheFile_AndTheImportAgainIsWhole()
    {
        await using var host = await BankHost.StartAsync();
        var fees = host.Fees;
        var account = host.Account("TS01", "VCB").AccountNo;
        var file = fees.File("big.sta", Mt940(account, 120_000, await host.PaymentCodeAsync("7900000001")));
        await using (var import = ServiceProcess.Start(fees.Db.ConnectionString, "statements", "import", file, "--bank", "VCB", "--account", account))
        {
            // Said once the lines are copied inside the import's transaction, before it is committed.
            await import.SaysAsync("lines copied", TimeSpan.FromSeconds(120));
            await import.KillAsync();
        }

        var left = await fees.Db.ScalarAsync("SELECT count(*) FROM statement_lines");
        Assert.Equal(0, left);
        await AuditPassesAsync(fees);
        Assert.Contains("120000 line(s)", await fees.OkAsync("statements", "import", file, "--bank", "VCB", "--account", account));
        Assert.Equal(120_000, await fees.Db.ScalarAsync("SELECT count(*) FROM statement_lines"));
        Assert.Equal(1, await fees.Db.ScalarAsync("SELECT count(*) FROM statement_imports WHERE inserted > 0"));
    }

    [Fact]
    public async Task KilledMidReconciliation_KeepsWholeBatches_AndTheNextRunFinishesExactlyOnce()
    {
        await using var host = await BankHost.StartAsync();
        var fees = host.Fees;
        var account = host.Account("TS01", "VCB").AccountNo;
        const int Lines = 40_000;
        await fees.OkAsync("statements", "import", fees.File("big.sta", Mt940(account, Lines, await host.PaymentCodeAsync("7900000001"))), "--bank", "VCB", "--account", account);
        fees.Clock.Now += TimeSpan.FromMinutes(5);

        await using (var run = ServiceProcess.Start(fees.Db.ConnectionString, "reconcile"))
        {
            // Said after each full batch is committed: killed after the first, before the last.
            await run.SaysAsync("decided and committed so far", TimeSpan.FromSeconds(120));
            await run.KillAsync();
        }

        var done = await fees.Db.ScalarAsync("SELECT count(*) FROM reconciliations");
        Assert.True(done < Lines, "the run finished before it was killed; nothing was proven");
        Assert.Equal(0, done % 10_000);
        await AuditPassesAsync(fees);

        await fees.OkAsync("reconcile");

        Assert.Equal(Lines, await fees.Db.ScalarAsync("SELECT count(*) FROM reconciliations"));
        Assert.Equal(Lines / 2, await fees.Db.ScalarAsync("SELECT count(*) FROM payments WHERE source LIKE 'STMT-%'"));
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM (SELECT external_ref FROM payments GROUP BY external_ref HAVING count(*) > 1) d"));
        await AuditPassesAsync(fees);
    }

    [Fact]
    public async Task PostgresRestartedUnderLoad_CallsAreRetriedUntilAcknowledged_AndEachAppliedOnce()
    {
        await using var cluster = await PostgresServer.StartPrivateAsync();
        var connection = PostgresServer.With(cluster.Admin, "fees");
        await using var fees = await Support.Fees.ExampleOnAsync(cluster.Admin, connection);
        var creds = await fees.SandboxBanksAsync();
        var key = creds.Single(c => c.SchoolCode == "TS01" && c.Bank == "VCB").Vcb!.PrivateKeyPem;
        var code = await fees.PaymentCodeAsync("7900000001");
        var vcbAccount = creds.Single(c => c.SchoolCode == "TS01" && c.Bank == "VCB").AccountNo;
        var calls = Enumerable.Range(1, 150).Select(i => VcbCalls.Body(vcbAccount, $"VCBR{i:D3}", 1_000, $"{code} hoc phi")).ToList();

        var (service, address) = await ServiceProcess.ServeAsync(connection);
        await using (service)
        {
            using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
            var fiftySent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var refused = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var refusals = 0;
            // The bank sends each call until it is acknowledged; one that is not waits until the server is back
            // (the condition a bank's retry waits for), then goes again: a few times, as broken connections clear.
            var load = Task.Run(async () =>
            {
                for (var i = 0; i < calls.Count; i++)
                {
                    if (i == 50)
                    {
                        fiftySent.SetResult();
                        await stopped.Task;
                    }
                    for (var attempt = 1; ; attempt++)
                    {
                        int status;
                        try { status = await VcbCalls.SendAsync(client, key, calls[i]); }
                        catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { status = 0; }
                        if (status == 200) break;
                        Assert.True(attempt < 50, $"call {i} was never acknowledged (last answer {status})");
                        refusals++;
                        refused.TrySetResult();
                        await started.Task;
                    }
                }
            });
            await fiftySent.Task;
            cluster.Stop();
            stopped.SetResult();
            await refused.Task.WaitAsync(TimeSpan.FromSeconds(60));   // a call has met the stopped server
            cluster.Start();
            NpgsqlConnection.ClearAllPools(); // this test's own pooled connections died with the old server
            started.SetResult();
            await load.WaitAsync(TimeSpan.FromSeconds(120));
            Assert.True(refusals > 0);
            await ApplyTheRestAsync(fees, service);
        }

        Assert.Equal(150, await fees.Db.ScalarAsync("SELECT count(*) FROM payments WHERE source = 'VCB'"));
        Assert.Equal(150_000, await fees.Db.ScalarAsync("SELECT sum(amount_vnd) FROM payments WHERE source = 'VCB'"));
        await AuditPassesAsync(fees);
    }
    /// <summary>
    /// The database goes away (its machine is down, `./fees down` stopped it first) and then the service is told to
    /// stop: it must stop, within its shutdown timeout, though its workers cannot reach the database to finish.
    /// </summary>
    [Fact]
    public async Task TheDatabaseGone_SigtermStillStopsTheService_WithinItsShutdownTimeout()
    {
        await using var cluster = await PostgresServer.StartPrivateAsync();
        var connection = PostgresServer.With(cluster.Admin, "fees");
        await using var fees = await Support.Fees.ExampleOnAsync(cluster.Admin, connection);
        var creds = await fees.SandboxBanksAsync();
        var vcb = creds.Single(c => c.SchoolCode == "TS01" && c.Bank == "VCB");
        var code = await fees.PaymentCodeAsync("7900000001");

        // The host's shutdown timeout as an operator may set it (30 s unless set), short here so the test stays short.
        var (service, address) = await ServiceProcess.ServeAsync(connection, new Dictionary<string, string> { ["DOTNET_shutdownTimeoutSeconds"] = "5" });
        await using (service)
        {
            using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
            // A call acknowledged and applied: the inbox worker and the jobs have all been at work.
            Assert.Equal(200, await VcbCalls.SendAsync(client, vcb.Vcb!.PrivateKeyPem, VcbCalls.Body(vcb.AccountNo, "VCBT001", 1_000, $"{code} hoc phi")));
            cluster.Stop();
            try
            {
                NpgsqlConnection.ClearAllPools();
                // A second call finds no database: refused, and the worker is poked into a database that is not there.
                Assert.NotEqual(200, await VcbCalls.SendAsync(client, vcb.Vcb!.PrivateKeyPem, VcbCalls.Body(vcb.AccountNo, "VCBT002", 1_000, $"{code} hoc phi")));
                var stopped = service.TerminateAsync();
                var ended = await stopped.WaitAsync(TimeSpan.FromSeconds(20)).ContinueWith(t => t.IsCompletedSuccessfully, TaskScheduler.Default);
                Assert.True(ended, "the service still ran 20 s after SIGTERM (its shutdown timeout 5 s): " + string.Join(" | ", service.LinesWith("shut").Concat(service.LinesWith("fail")).TakeLast(8)));
            }
            finally
            {
                cluster.Start();
            }
        }
    }
}
