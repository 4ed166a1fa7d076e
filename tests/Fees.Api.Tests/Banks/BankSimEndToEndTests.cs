using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Banks;

public sealed class BankSimEndToEndTests
{
    /// <summary>Waits for the worker to reach a state, up to a deadline: a condition, not a fixed sleep.</summary>
    private static async Task<string> WaitForStatusAsync(BankHost host, string notice, string status)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        string current;
        do
        {
            await using var db = host.Fees.Db.Open();
            current = db.Notices.Single(n => n.NoticeNo == notice).Status.ToString();
            if (current == status) return current;
            await host.App.Services.GetRequiredService<Api.Application.Banks.InboxSignal>().WaitAsync(TimeSpan.FromMilliseconds(200), CancellationToken.None);
        }
        while (DateTime.UtcNow < deadline);
        return current;
    }

    [Theory]
    [InlineData("TS02-202509-00001", "bidv")]
    [InlineData("TS01-202509-00001", "vcb")]
    [InlineData("TS02-202509-00002", "msb")]
    public async Task BankSimPay_EachBank_EndsWithTheNoticePaidAndAReceipt(string notice, string via)
    {
        await using var host = await BankHost.StartAsync(runWorker: true);

        var output = await host.Fees.OkAsync("bank-sim", "pay", "--notice", notice, "--via", via, "--duplicates", "3", "--url", host.BaseAddress.ToString());

        Assert.Equal(4, output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal("Paid", await WaitForStatusAsync(host, notice, "Paid"));
        Assert.Equal(1, await host.Fees.Db.ScalarAsync($"SELECT count(DISTINCT r.id) FROM receipts r JOIN payments p ON p.id = r.payment_id JOIN allocations a ON a.payment_id = p.id JOIN notices n ON n.id = a.notice_id WHERE n.notice_no = '{notice}' AND r.status IN ('pending_signature', 'issued')"));
        Assert.Equal(1, await host.Fees.Db.ScalarAsync("SELECT count(*) FROM payments"));
        Assert.Equal(0, (await host.Fees.RunAsync("audit")).ExitCode);
    }

    [Fact]
    public async Task BankSimPay_WithReverse_LeavesTheNoticeUnpaid()
    {
        await using var host = await BankHost.StartAsync(runWorker: false);

        await host.Fees.OkAsync("bank-sim", "pay", "--notice", "TS01-202509-00001", "--via", "vcb", "--reverse", "--url", host.BaseAddress.ToString());
        await host.ProcessInboxAsync();

        Assert.Equal(0, await host.Fees.Db.ScalarAsync("SELECT amount_paid_vnd FROM notices WHERE notice_no = 'TS01-202509-00001'"));
        Assert.Equal(0, (await host.Fees.RunAsync("audit")).ExitCode);
    }

    [Fact]
    public async Task BankSimSecrets_PrintsTheSandboxCredentialsOfEveryAccount()
    {
        await using var host = await BankHost.StartAsync();

        var output = await host.Fees.OkAsync("bank-sim", "secrets");

        var rows = System.Text.Json.JsonDocument.Parse(output).RootElement;
        Assert.Equal(3, rows.GetArrayLength());
        var bidv = rows.EnumerateArray().Single(r => r.GetProperty("bank").GetString() == "BIDV");
        Assert.Equal(4, bidv.GetProperty("bidv").GetProperty("va_prefix").GetString()!.Length);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, bidv.GetProperty("vcb").ValueKind);
        Assert.Contains("BEGIN PRIVATE KEY", rows.EnumerateArray().Single(r => r.GetProperty("bank").GetString() == "VCB").GetProperty("vcb").GetProperty("private_key_pem").GetString());
        // Secrets are stored sealed, never in clear.
        Assert.Equal(0, await host.Fees.Db.ScalarAsync($"SELECT count(*) FROM school_bank_accounts WHERE bidv_secret_sealed = '{bidv.GetProperty("bidv").GetProperty("secret").GetString()}'"));
    }
}
