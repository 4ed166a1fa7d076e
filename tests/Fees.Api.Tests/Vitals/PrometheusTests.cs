using System.Globalization;
using Npgsql;
using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Vitals;

/// <summary>
/// The vital signs as an operator sees them: two service nodes export /metrics on their monitoring ports, Debian's
/// Prometheus scrapes both and evaluates the repository's alert rules; each alert is made to fire by its condition
/// (a bank call waiting over five minutes, a broken ledger invariant, a receipt-number gap, the primary restarted
/// under the nodes), and none fires before.
/// </summary>
public sealed class PrometheusTests
{
    [Fact]
    public async Task TwoNodesScraped_AndEachAlertFires_WhenItsConditionHolds()
    {
        await using var cluster = await PostgresServer.StartPrivateAsync();
        var connection = PostgresServer.With(cluster.Admin, "fees");
        await using var fees = await Support.Fees.ExampleOnAsync(cluster.Admin, connection);
        var creds = await fees.SandboxBanksAsync();
        var vcb = creds.Single(c => c.SchoolCode == "TS01" && c.Bank == "VCB");
        var code = await fees.PaymentCodeAsync("7900000001");

        var metricsPorts = new[] { PostgresServer.FreePort(), PostgresServer.FreePort() };
        Dictionary<string, string> Settings(int metricsPort) => new()
        {
            ["Metrics__Port"] = metricsPort.ToString(CultureInfo.InvariantCulture),
            ["Metrics__SampleSeconds"] = "1",
            ["Metrics__AuditSeconds"] = "1",
        };
        var (one, address) = await ServiceProcess.ServeAsync(connection, Settings(metricsPorts[0]));
        await using var _1 = one;
        var (two, _) = await ServiceProcess.ServeAsync(connection, Settings(metricsPorts[1]));
        await using var _2 = two;
        // What the test waits for in Prometheus besides the alerts, as conditions it says when they hold.
        const string Applied = "sum(fees_bank_calls_applied_total{outcome=\"applied\"})", Acknowledged = "sum(fees_bank_calls_acknowledged_total)";
        await using var prometheus = await PrometheusServer.StartAsync(metricsPorts, new Dictionary<string, string>
        {
            ["BothNodesScrapedAndAudited"] = "count(up{job=\"fees\"} == 1) == 2 and count(fees_audit_failed_checks == 0) == 2",
            ["FirstCallCountedAndApplied"] = $"{Acknowledged} == 1 and {Applied} == 1",
            ["SecondCallCountedAndWaiting"] = $"{Acknowledged} == 2 and max(fees_bank_inbox_backlog) == 1",
        });
        using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };

        // The monitoring port serves /metrics and nothing else; the public port never serves /metrics. The requests
        // answered (these two) are timed in the request durations.
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await client.GetAsync("/metrics")).StatusCode);
        Assert.True((await client.GetAsync("/health")).IsSuccessStatusCode);
        using (var scrape = new HttpClient { Timeout = TimeSpan.FromSeconds(10) })
        {
            var text = await scrape.GetStringAsync($"http://127.0.0.1:{metricsPorts[0]}/metrics");
            foreach (var name in new[] { "fees_bank_inbox_backlog", "fees_review_queue_size", "fees_unidentified_amount_vnd", "fees_notifications_backlog",
                         "fees_failed_items", "fees_database_primary_changes_total", "http_server_request_duration_seconds", "db_client_connection" })
                Assert.True(text.Contains(name, StringComparison.Ordinal), $"{name} is not among {string.Join(", ", text.Split('\n').Where(l => l.StartsWith("# TYPE", StringComparison.Ordinal)))}");
            Assert.Equal(System.Net.HttpStatusCode.NotFound, (await scrape.GetAsync($"http://127.0.0.1:{metricsPorts[0]}/health")).StatusCode);
        }

        // Both nodes scraped; the audit ran and passed on both; nothing fires.
        await prometheus.FiringAsync("BothNodesScrapedAndAudited");
        Assert.Empty(await prometheus.AlertsAsync());
        // The audit ran as the cluster's job, one run at a time, not one per node (both nodes read its last run).
        Assert.True(await fees.Db.ScalarAsync("SELECT count(*) FROM ledger_audit_runs WHERE run_by = 'job:ledger-audit'") >= 1);
        Assert.Equal(0, await fees.Db.ScalarAsync("""
            SELECT count(*) FROM ledger_audit_runs a JOIN ledger_audit_runs b ON a.id < b.id
            WHERE tstzrange(a.started_at, a.finished_at) && tstzrange(b.started_at, b.finished_at)
            """));

        // A call acknowledged and applied: both counted; its receipt is the one renumbered below.
        string Call(string id) => VcbCalls.Body(vcb.AccountNo, id, 1_000_000, $"{code} hoc phi");
        Assert.Equal(200, await VcbCalls.SendAsync(client, vcb.Vcb!.PrivateKeyPem, Call("VITAL001")));
        await prometheus.FiringAsync("FirstCallCountedAndApplied");

        // The primary restarted under both nodes (what they see of a failover: another postmaster): DatabaseFailover
        // fires, and stays for ten minutes.
        Assert.DoesNotContain("DatabaseFailover", (await prometheus.AlertsAsync()).Keys);
        cluster.Stop();
        cluster.Start();
        NpgsqlConnection.ClearAllPools(); // this test's own pooled connections went down with the server
        await prometheus.FiringAsync("DatabaseFailover");

        // A call acknowledged while its account is held (another node stuck on it): counted, waiting; once it has
        // waited over five minutes (its stored time moved back), BankCallsWaiting fires.
        await using var holder = new NpgsqlConnection(connection);
        await holder.OpenAsync();
        await using var tx = await holder.BeginTransactionAsync();
        await using (var hold = new NpgsqlCommand($"SELECT 1 FROM school_bank_accounts WHERE account_no = '{vcb.AccountNo}' FOR NO KEY UPDATE", holder, tx))
            await hold.ExecuteNonQueryAsync();
        Assert.Equal(200, await VcbCalls.SendAsync(client, vcb.Vcb!.PrivateKeyPem, Call("VITAL002")));
        await prometheus.FiringAsync("SecondCallCountedAndWaiting");
        Assert.DoesNotContain("BankCallsWaiting", (await prometheus.AlertsAsync()).Keys);
        await fees.Db.ExecAsync("UPDATE bank_inbox SET received_at = received_at - interval '6 minutes' WHERE processed_at IS NULL");
        await prometheus.FiringAsync("BankCallsWaiting");

        // A notice whose paid amount disagrees with its allocations: the audit fails; no receipt gap is claimed.
        const string FirstNotice = "(SELECT min(notice_no) FROM notices)";
        await fees.Db.ExecAsync($"UPDATE notices SET amount_paid_vnd = amount_paid_vnd + 1 WHERE notice_no = {FirstNotice}");
        await prometheus.FiringAsync("LedgerAuditFailing");
        Assert.DoesNotContain("ReceiptNumberGap", (await prometheus.AlertsAsync()).Keys);

        // The bank payment's receipt renumbered past a missing number: a gap (the trigger that keeps a receipt's facts is
        // bypassed, as only a person with the database's keys could). It is signed first: a signature made while it is
        // renumbered would state the wrong number for good. The nodes' signing job may hold it; then this run skips it and
        // the renumber waits for the job's commit, which stated the number read under its lock. It is queued for the tax
        // office too, for the same reason: an upload queued while it is renumbered would name the wrong number (CI saw
        // the nodes' T-VAN job do that); a queueing the job has not committed yet makes this one wait for it.
        await fees.OkAsync("ereceipts", "sign");
        await fees.OkAsync("ereceipts", "send");
        const string Renumber = "SET session_replication_role = replica; UPDATE receipts SET number = number {0} 1 WHERE id = (SELECT id FROM receipts ORDER BY number DESC LIMIT 1); SET session_replication_role = origin";
        await fees.Db.ExecAsync(string.Format(CultureInfo.InvariantCulture, Renumber, "+"));
        await prometheus.FiringAsync("ReceiptNumberGap");

        // What the operator sees: Prometheus' alerts page with the four firing (./fees screenshots keeps it in docs/screenshots),
        // the test's own conditions dropped from it.
        await prometheus.DropConditionsAsync();
        await using (var browser = await Support.Browser.LaunchAsync())
        {
            var page = await browser.PageAsync(prometheus.Address);
            await page.GotoAsync("classic/alerts");
            foreach (var alert in new[] { "BankCallsWaiting", "DatabaseFailover", "LedgerAuditFailing", "ReceiptNumberGap" })
                Assert.Contains(alert, await page.ContentAsync());
            await page.GetByText("Firing (4)").WaitForAsync();
            await Support.Browser.ScreenshotAsync(page, "prometheus-alerts");
        }

        // Put right, each alert ends: the ledger and the receipt restored, the account released and its call applied.
        await fees.Db.ExecAsync($"UPDATE notices SET amount_paid_vnd = amount_paid_vnd - 1 WHERE notice_no = {FirstNotice}");
        await fees.Db.ExecAsync(string.Format(CultureInfo.InvariantCulture, Renumber, "-"));
        await tx.RollbackAsync();
        // The held call applied (the backlog gone), the ledger is whole again, and what fired ends.
        await prometheus.ResolvedAsync("BankCallsWaiting");
        Assert.Equal(2, await fees.Db.ScalarAsync("SELECT count(*) FROM payments"));
        var audit = await fees.RunAsync("audit");
        Assert.True(audit.ExitCode == 0, audit.ToString());
        await prometheus.ResolvedAsync("LedgerAuditFailing");
        await prometheus.ResolvedAsync("ReceiptNumberGap");
    }
}
