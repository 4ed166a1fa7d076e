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
