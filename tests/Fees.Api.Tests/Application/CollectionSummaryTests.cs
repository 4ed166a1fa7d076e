using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Application.Reports;
using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Application;

/// <summary>
/// The dashboard's summary tables against the full recomputation (`report collection`, the ageing, the audit's receipt
/// gaps): equal after each kind of money movement, and the audit names a summary row that is not.
/// </summary>
public sealed class CollectionSummaryTests
{
    private static readonly DateOnly Today = new(2025, 10, 20);

    /// <summary>Every grouping of both months, the months' totals, the ageing and the receipt gaps: the summary says what the recomputation says.</summary>
    private static async Task SameAsTheRecomputationAsync(Support.Fees fees, string after)
    {
        await using var db = fees.Db.Open();
        var summary = new CollectionSummary(db);
        var report = new CollectionReport(db);
        foreach (var period in new[] { 202509, 202510, 202511 })
            foreach (var by in new[] { "school", "ward", "level", "item" })
            {
                var expected = await report.QueryAsync(period, period, by);
                var actual = await summary.RowsAsync(period, period, by, SummaryScope.All);
                Assert.True(expected.SequenceEqual(actual), $"after {after}, {period} by {by}:\nreport  {string.Join("\n        ", expected)}\nsummary {string.Join("\n        ", actual)}");
            }
        var year = await report.QueryAsync(202509, 202608, "school");
        var months = await summary.MonthsAsync(202509, 202608, SummaryScope.All);
        Assert.True((year.Sum(r => r.AmountDue), year.Sum(r => r.Collected), year.Sum(r => r.Cashless)) ==
                    (months.Sum(m => m.AmountDue), months.Sum(m => m.Collected), months.Sum(m => m.Cashless)), $"after {after}: the year's months");
        Assert.True((await new Ageing(db).OutstandingAsync(Today)).SequenceEqual(await summary.OutstandingAsync(Today)), $"after {after}: what is owed");
        var gaps = (await summary.ReceiptGapsAsync()).SelectMany(g => g.Missing.Select(m => $"{g.Series}: number {m} is missing")
            .Concat(g.Repeated.Select(r => $"{g.Series}: number {r} is used twice")));
        Assert.Equal((await new LedgerAudit(db).ReceiptGapsAsync()).Select(f => $"{f.Row}: {f.Problem}"), gaps);
        var audit = await fees.RunAsync("audit");
        Assert.True(audit.ExitCode == 0, $"after {after}: {audit}");
    }

    [Fact]
    public async Task Summary_EqualsTheRecomputation_AfterEveryKindOfMoneyMovement()
    {
        await using var host = await BankHost.StartAsync();
        var fees = host.Fees;
        await SameAsTheRecomputationAsync(fees, "billing");

        var partly = (await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00001", "--amount", "371800")).Split('\n')[0].Trim();
        await SameAsTheRecomputationAsync(fees, "a cash payment");

        var account = host.Account("TS01", "VCB").AccountNo;
        var bich = await host.PaymentCodeAsync("7900000002");
        await fees.OkAsync("statements", "import", fees.File("s.sta", $":20:S1\n:25:{account}\n:60F:C250909VND0,\n" +
            $":61:2509100910C1001800,NTRFNONREF//FT0001\n:86:{bich} hoc phi\n:61:2509100910C90000,NTRFNONREF//FT0002\n:86:khong ro\n"),
            "--bank", "VCB", "--account", account);
        await fees.OkAsync("reconcile");
        await host.VcbAsync(host.VcbBody("VCB7001", 500_000, await host.PaymentCodeAsync("7900000003")));
        await host.ProcessInboxAsync();
        await SameAsTheRecomputationAsync(fees, "bank payments from a statement and a notification");

        var waiting = (await fees.Db.ListAsync("SELECT right(l.id::text, 12) FROM statement_lines l WHERE l.content = 'khong ro'")).Single();
        await fees.OkAsync("review", "confirm", waiting, "--student", "7900000004", "--reason", "Phụ huynh gọi điện xác nhận");
        await SameAsTheRecomputationAsync(fees, "bank money a person tied to a pupil (credit until October is billed)");

        await fees.OkAsync("payments", "cash", "--notice", "TS02-202509-00001", "--amount", "2000000");
        await fees.OkAsync("notices", "issue", "--period", "2025-10");
        await SameAsTheRecomputationAsync(fees, "an overpayment whose credit paid the next month");

        await fees.OkAsync("payments", "reverse", "--receipt", partly, "--reason", "Thu nhầm học sinh");
        await fees.OkAsync("receipts", "cancel", "--receipt", "TS02/EBL01/25T/0000001", "--reason", "Sai tên người nộp");
        await SameAsTheRecomputationAsync(fees, "a reversal and a replaced receipt");

        await fees.OkAsync("payments", "cash", "--notice", "TS01-202510-00002", "--amount", "1500000");
        await fees.OkAsync("payments", "refund", "--student", "7900000002", "--amount", "100000", "--reason", "Trả lại tiền thừa");
        await fees.OkAsync("notices", "cancel", "--notice", "TS01-202510-00003", "--reason", "Học sinh nghỉ học");
        await SameAsTheRecomputationAsync(fees, "a refund of credit and a cancelled notice");

        await fees.OkAsync("students", "transfer", "--student", "7900000001", "--to", "TS02", "--class", "6A1", "--reason", "Chuyển nơi ở");
        await fees.OkAsync("notices", "issue", "--period", "2025-11");
        await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00001", "--amount", "1371800");
        await SameAsTheRecomputationAsync(fees, "a transfer, the new school's billing and the old school's notice paid");

        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM summary_stale_months"));
        Assert.True(await fees.Db.ScalarAsync("SELECT count(*) FROM summary_months") >= 5);
    }

    [Theory]
    [InlineData("UPDATE summary_months SET collected_vnd = collected_vnd + 1 WHERE period_key = 202509 AND school_id = (SELECT id FROM schools WHERE code = 'TS01')",
        "the dashboard's summary of each school's month, and by fee item, equals the ledger", "TS01/2025-09")]
    [InlineData("UPDATE summary_month_items SET cash_vnd = cash_vnd - 1000 WHERE period_key = 202509 AND item_code = 'BHYT'",
        "the dashboard's summary of each school's month, and by fee item, equals the ledger", "TS01/2025-09/BHYT")]
    [InlineData("DELETE FROM summary_open_notices WHERE period_key = 202509",
        "the dashboard's summary of what is owed equals the notices", "TS01/2025-09 due 2025-09-15")]
    [InlineData("UPDATE summary_receipt_series SET max_number = 7",
        "the dashboard's summary of each receipt series equals its receipts", "TS01/EBL01/25T")]
    public async Task Audit_ACorruptedSummaryRow_FailsNamingIt(string corruption, string check, string row)
    {
        await using var fees = await Support.Fees.StartAsync();
        await fees.SetUpExampleSchoolAsync();
        await fees.OkAsync("notices", "issue", "--period", "2025-09");
        await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00001", "--amount", "1371800");
        await using (var db = fees.Db.Open()) await new CollectionSummary(db).RefreshAsync();
        Assert.Equal(0, (await fees.RunAsync("audit")).ExitCode);

        fees.PlantsBrokenState();
        await fees.Db.ExecAsync(corruption);
        var audit = await fees.RunAsync("audit");

        Assert.Equal(3, audit.ExitCode);
        Assert.Contains($"FAIL  {check}: {row}: ", audit.Err);
    }

    [Fact]
    public async Task Audit_AChangeNobodyMarked_FailsNamingItsSchoolMonth()
    {
        await using var fees = await Support.Fees.StartAsync();
        await fees.SetUpExampleSchoolAsync();
        await fees.OkAsync("notices", "issue", "--period", "2025-09");
        await using (var db = fees.Db.Open()) await new CollectionSummary(db).RefreshAsync();

        fees.PlantsBrokenState();
        await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00002", "--amount", "500000");
        // As if a trigger had missed the payment: its school-month is never summarised again.
        await fees.Db.ExecAsync("DELETE FROM summary_stale_months");
        var audit = await fees.RunAsync("audit");

        Assert.Equal(3, audit.ExitCode);
        Assert.Contains("FAIL  the dashboard's summary of each school's month, and by fee item, equals the ledger: TS01/2025-09: the summary says notices 3, due 3275400, collected 0", audit.Err);
        Assert.Contains("the ledger notices 3, due 3275400, collected 500000", audit.Err);
    }

    [Fact]
    public async Task Refresh_ReSummarisesOnlyWhatChanged_AndRebuildRestoresEverything()
    {
        await using var fees = await Support.Fees.StartAsync();
        await fees.SetUpExampleSchoolAsync();
        await fees.OkAsync("notices", "issue", "--period", "2025-09");
        await fees.OkAsync("notices", "issue", "--period", "2025-10");
        await using var db = fees.Db.Open();
        var summary = new CollectionSummary(db);
        // Two school-months billed; no receipt yet, so no series to summarise.
        Assert.Equal((2, 0), await summary.RefreshAsync());
        Assert.Equal((0, 0), await summary.RefreshAsync());

        await fees.OkAsync("payments", "cash", "--notice", "TS01-202510-00001", "--amount", "100000");
        // The daily overdue mark changes no figure, so it marks nothing.
        await fees.Db.ExecAsync("UPDATE notices SET overdue_since = '2025-09-16' WHERE period_key = 202509");

        Assert.Equal((1, 1), await summary.RefreshAsync());
        Assert.Equal(100_000, await fees.Db.ScalarAsync("SELECT collected_vnd FROM summary_months WHERE period_key = 202510"));
        await fees.Db.ExecAsync("TRUNCATE summary_months, summary_month_items, summary_open_notices, summary_receipt_series");
        Assert.Equal((2, 2), await summary.RebuildAsync()); // both schools' receipt series, TS02's without a receipt

        Assert.Equal(100_000, await fees.Db.ScalarAsync("SELECT collected_vnd FROM summary_months WHERE period_key = 202510"));
    }

    [Fact]
    public async Task Read_WhileAnotherRefreshHoldsTheLock_AnswersFromTheSummaryAsItStands_AndTheNextReadCatchesUp()
    {
        await using var fees = await Support.Fees.StartAsync();
        await fees.SetUpExampleSchoolAsync();
        await fees.OkAsync("notices", "issue", "--period", "2025-09");
        await using var db = fees.Db.Open();
        var summary = new CollectionSummary(db);
        await summary.RefreshAsync();
        await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00001", "--amount", "100000");

        // Another refresh under way, as long as a month billed across a province keeps it: the read does not queue behind it.
        await using var other = fees.Db.Open();
        await other.Database.OpenConnectionAsync();
        await other.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_lock({CollectionSummary.RefreshLock})");
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var meanwhile = await summary.RowsAsync(202509, 202509, "school", SummaryScope.All, patience.Token);
        await other.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_unlock({CollectionSummary.RefreshLock})");
        var after = await summary.RowsAsync(202509, 202509, "school", SummaryScope.All);

        Assert.Equal(0, meanwhile.Single(r => r.Scope == "TS01").Collected);
        Assert.Equal(100_000, after.Single(r => r.Scope == "TS01").Collected);
    }
}
