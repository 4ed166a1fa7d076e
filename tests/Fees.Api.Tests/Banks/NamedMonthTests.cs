using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Banks;

/// <summary>
/// Money is applied to the month the transfer names (the QR's text names it), else to the oldest month, and the
/// reason says which: on the notification path and on the statement path alike. Each ends with the audit.
/// </summary>
public sealed class NamedMonthTests
{
    private const string September = "TS01-202509-00001";
    private const string October = "TS01-202510-00001";

    private static async Task<(BankHost Host, string Code, long OctoberDue)> TwoOpenMonthsAsync()
    {
        var host = await BankHost.StartAsync();
        await host.Fees.OkAsync("notices", "issue", "--period", "2025-10");
        var code = await host.PaymentCodeAsync("7900000001");
        var due = await host.Fees.Db.ScalarAsync($"SELECT amount_due_vnd FROM notices WHERE notice_no = '{October}'");
        return (host, code, due);
    }

    [Fact]
    public async Task CancellingAPaidMonth_PaysTheOtherOpenMonthFromTheMoneyItReleases()
    {
        // Found by attack (round 8): a cancelled notice's money became credit and sat beside the pupil's open notice.
        var (host, code, due) = await TwoOpenMonthsAsync();
        await using var _ = host;
        var september = await host.Fees.Db.ScalarAsync($"SELECT amount_due_vnd FROM notices WHERE notice_no = '{September}'");
        await host.VcbAsync(host.VcbBody("VCB0810", september, $"{code} 2025-09 hoc phi"));
        await host.ProcessInboxAsync();

        await host.Fees.OkAsync("notices", "cancel", "--notice", September, "--reason", "Lập sai tháng");

        Assert.Equal(Math.Min(september, due), await host.Fees.Db.ScalarAsync($"SELECT amount_paid_vnd FROM notices WHERE notice_no = '{October}'"));
        Assert.Equal(0, (await host.Fees.RunAsync("audit")).ExitCode);
    }

    [Fact]
    public async Task AReversalOfAPaymentForTwoPupils_PaysEachReopenedNoticeFromThatPupilsOwnCredit()
    {
        // Found by attack (round 8): a transfer naming two pupils, taken back, reopened both notices; only the first
        // pupil's credit was used, the second was asked again while the school held theirs.
        await using var host = await BankHost.StartAsync();
        var (first, second) = (await host.PaymentCodeAsync("7900000001"), await host.PaymentCodeAsync("7900000002"));
        var dueFirst = await host.Fees.Db.ScalarAsync($"SELECT amount_due_vnd FROM notices WHERE notice_no = '{September}'");
        var dueSecond = await host.Fees.Db.ScalarAsync("SELECT amount_due_vnd FROM notices WHERE notice_no = 'TS01-202509-00002'");
        await host.VcbAsync(host.VcbBody("VCB0820", dueFirst + dueSecond, $"{first} {second} hoc phi"));
        await host.ProcessInboxAsync();
        await host.VcbAsync(host.VcbBody("VCB0821", dueSecond, $"{second} hoc phi"));
        await host.ProcessInboxAsync();
        Assert.Equal(["paid", "paid"], await host.Fees.Db.ListAsync($"SELECT status FROM notices WHERE notice_no IN ('{September}', 'TS01-202509-00002') ORDER BY notice_no"));

        await host.VcbAsync(host.VcbBody("VCB0822", dueFirst + dueSecond, "tra soat", "D", "VCB0820"));
        await host.ProcessInboxAsync();

        Assert.Equal(["issued 0", $"paid {dueSecond}"],
            await host.Fees.Db.ListAsync($"SELECT status || ' ' || amount_paid_vnd FROM notices WHERE notice_no IN ('{September}', 'TS01-202509-00002') ORDER BY notice_no"));
        Assert.Equal(0, (await host.Fees.RunAsync("audit")).ExitCode);
    }

    [Fact]
    public async Task Vcb_TransferNamingOctober_PaysOctoberFirst_AndSaysSo()
    {
        var (host, code, due) = await TwoOpenMonthsAsync();
        await using var _ = host;

        await host.VcbAsync(host.VcbBody("VCB0800", due, $"{code} 2025-10 hoc phi"));
        await host.ProcessInboxAsync();

        Assert.Equal(due, await host.Fees.Db.ScalarAsync($"SELECT amount_paid_vnd FROM notices WHERE notice_no = '{October}'"));
        Assert.Equal(0, await host.Fees.Db.ScalarAsync($"SELECT amount_paid_vnd FROM notices WHERE notice_no = '{September}'"));
        var said = (await host.Fees.Db.ListAsync("SELECT outcome_reason FROM bank_inbox WHERE idempotency_key = 'VCB0800'")).Single();
        Assert.Contains("the transfer names 2025-10: that month first", said);
        Assert.Equal(0, (await host.Fees.RunAsync("audit")).ExitCode);
    }

    [Fact]
    public async Task Vcb_TransferNamingNoMonth_PaysTheOldestFirst()
    {
        var (host, code, due) = await TwoOpenMonthsAsync();
        await using var _ = host;

        await host.VcbAsync(host.VcbBody("VCB0801", due, $"{code} hoc phi"));
        await host.ProcessInboxAsync();

        Assert.Equal(0, await host.Fees.Db.ScalarAsync($"SELECT amount_paid_vnd FROM notices WHERE notice_no = '{October}'"));
        Assert.True(await host.Fees.Db.ScalarAsync($"SELECT amount_paid_vnd FROM notices WHERE notice_no = '{September}'") > 0);
        Assert.DoesNotContain("names", (await host.Fees.Db.ListAsync("SELECT outcome_reason FROM bank_inbox WHERE idempotency_key = 'VCB0801'")).Single());
        Assert.Equal(0, (await host.Fees.RunAsync("audit")).ExitCode);
    }

    [Fact]
    public async Task Vcb_TransferNamingAMonthWithNothingOpen_PaysTheOldestFirst_AndSaysWhy()
    {
        var (host, code, due) = await TwoOpenMonthsAsync();
        await using var _ = host;

        await host.VcbAsync(host.VcbBody("VCB0802", due, $"{code} 2025-12"));
        await host.ProcessInboxAsync();

        Assert.Equal(0, await host.Fees.Db.ScalarAsync($"SELECT amount_paid_vnd FROM notices WHERE notice_no = '{October}'"));
        Assert.Contains("the transfer names 2025-12, which has nothing open: oldest months first",
            (await host.Fees.Db.ListAsync("SELECT outcome_reason FROM bank_inbox WHERE idempotency_key = 'VCB0802'")).Single());
        Assert.Equal(0, (await host.Fees.RunAsync("audit")).ExitCode);
    }

    [Fact]
    public async Task StatementLine_NamingOctober_PaysOctoberFirst_AndTheLineSaysSo()
    {
        var (host, code, due) = await TwoOpenMonthsAsync();
        await using var _ = host;
        var fees = host.Fees;
        var account = host.Account("TS01", "VCB").AccountNo;

        await fees.OkAsync("statements", "import", fees.File("vcb.sta", $":20:S1\n:25:{account}\n:60F:C251009VND0,\n" +
            $":61:2510100910C{due},NTRFNONREF//FT0800\n:86:{code} T10/2025\n"), "--bank", "VCB", "--account", account);
        await fees.OkAsync("reconcile");

        Assert.Equal(due, await fees.Db.ScalarAsync($"SELECT amount_paid_vnd FROM notices WHERE notice_no = '{October}'"));
        Assert.Equal(0, await fees.Db.ScalarAsync($"SELECT amount_paid_vnd FROM notices WHERE notice_no = '{September}'"));
        Assert.Contains("that month first", (await fees.Db.ListAsync("SELECT reason FROM reconciliations")).Single());
        Assert.Equal(0, (await fees.RunAsync("audit")).ExitCode);
    }
}
