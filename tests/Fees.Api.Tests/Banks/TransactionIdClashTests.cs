using System.Text;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Api.Tests.Support;
using TdmEdu.Fees.BankAdapters.Vcb;

namespace TdmEdu.Fees.Api.Tests.Banks;

/// <summary>
/// A school that holds its own Vietcombank key cannot block another school's money by sending that money's transaction
/// id first: the second school's call is stored under its own account, answered 00, applied, found by its reversal.
/// </summary>
public sealed class TransactionIdClashTests
{
    private const string OtherVcb = "0281000999999";

    private static Task<BankHost> StartAsync() => BankHost.StartAsync(before: fees => fees.OkAsync("schools", "import", fees.File("ts02-vcb.csv",
        "school_code,name,level,ward,bank,account_no,account_name\n" +
        "TS02,Trường THCS Thử Nghiệm,THCS,Hiệp Thành,BIDV,65210000000001,TRUONG THCS THU NGHIEM\n" +
        "TS02,Trường THCS Thử Nghiệm,THCS,Hiệp Thành,MSB,03000000000001,TRUONG THCS THU NGHIEM\n" +
        $"TS02,Trường THCS Thử Nghiệm,THCS,Hiệp Thành,VCB,{OtherVcb},TRUONG THCS THU NGHIEM\n")));

    private static Task<(int Status, System.Text.Json.JsonElement Body)> Ts02Async(BankHost host, string body) =>
        host.VcbAsync(body, VcbNotification.Sign(host.Account("TS02", "VCB").Vcb!.PrivateKeyPem, Encoding.UTF8.GetBytes(body)));

    [Fact]
    public async Task AnotherSchoolsCallWithTheSameTransactionId_IsStoredAppliedAndReversible_NotRefused()
    {
        await using var host = await StartAsync();
        var bao = await host.PaymentCodeAsync("7900000040");
        // TS01's key sends TS02's coming transaction id first, for a few đồng naming nobody.
        var squat = await host.VcbAsync(host.VcbBody("VCB9001", 1000, "khong ma"));

        var real = await Ts02Async(host, host.VcbBody("VCB9001", 815_000, $"{bao} hoc phi", account: OtherVcb));
        var again = await Ts02Async(host, host.VcbBody("VCB9001", 815_000, $"{bao} hoc phi", account: OtherVcb));
        await host.ProcessInboxAsync();

        Assert.Equal(200, squat.Status);
        Assert.Equal((200, "00"), (real.Status, real.Body.GetProperty("code").GetString()));
        Assert.Equal(real.Body.ToString(), again.Body.ToString());
        Assert.Equal(2, await host.Fees.Db.ScalarAsync("SELECT count(*) FROM bank_inbox"));
        Assert.Equal(815_000, await host.Fees.Db.ScalarAsync("SELECT amount_paid_vnd FROM notices WHERE notice_no = 'TS02-202509-00001'"));

        // The bank takes it back naming the transaction id: TS02's own credit is the one reversed.
        await Ts02Async(host, host.VcbBody("VCB9002", 815_000, "hoan tra", creditDebit: "D", original: "VCB9001", account: OtherVcb));
        await host.ProcessInboxAsync();
        Assert.Equal(0, await host.Fees.Db.ScalarAsync("SELECT amount_paid_vnd FROM notices WHERE notice_no = 'TS02-202509-00001'"));
        var audit = await host.Fees.RunAsync("audit");
        Assert.True(audit.ExitCode == 0, audit.ToString());
    }

    [Fact]
    public async Task ATransactionIdShapedLikeAnotherAccountsClashKey_IsRefused_SoTheOtherSchoolsMoneyStillLands()
    {
        await using var host = await StartAsync();
        var bao = await host.PaymentCodeAsync("7900000040");
        var ts02 = await host.Fees.Db.ListAsync($"SELECT replace(id::text, '-', '') FROM school_bank_accounts WHERE account_no = '{OtherVcb}'");
        // TS01's key tries to take the key TS02's call would be kept under, then the transaction id itself.
        var squatKey = await host.VcbAsync(host.VcbBody($"VCB9101@{ts02.Single()}", 1000, "khong ma"));
        var squat = await host.VcbAsync(host.VcbBody("VCB9101", 1000, "khong ma"));

        var real = await Ts02Async(host, host.VcbBody("VCB9101", 815_000, $"{bao} hoc phi", account: OtherVcb));
        await host.ProcessInboxAsync();

        Assert.Equal((400, "01"), (squatKey.Status, squatKey.Body.GetProperty("code").GetString()));
        Assert.Equal(200, squat.Status);
        Assert.Equal((200, "00"), (real.Status, real.Body.GetProperty("code").GetString()));
        Assert.Equal(815_000, await host.Fees.Db.ScalarAsync("SELECT amount_paid_vnd FROM notices WHERE notice_no = 'TS02-202509-00001'"));
    }

    [Fact]
    public async Task ATransactionIdShapedLikeAReviewDecisionsReference_IsRefused_SoTheOtherSchoolCanAssignItsParkedMoney()
    {
        await using var host = await StartAsync();
        var an = await host.PaymentCodeAsync("7900000001");
        // TS02's money without a code is parked; TS01's key tries to take the reference a decision on it would use.
        await Ts02Async(host, host.VcbBody("VCB9201", 815_000, "chuyen tien hoc", account: OtherVcb));
        await host.ProcessInboxAsync();
        var squat = await host.VcbAsync(host.VcbBody("VCB9201#review1", 1_000, $"{an} hoc phi"));
        Assert.Equal((400, "01"), (squat.Status, squat.Body.GetProperty("code").GetString()));
        Assert.Equal(0, await host.Fees.Db.ScalarAsync("SELECT count(*) FROM bank_inbox WHERE idempotency_key LIKE '%#%'"));

        var id = (await host.Fees.Db.ListAsync("SELECT right(id::text, 12) FROM unidentified_money")).Single();
        await host.Fees.OkAsync("review", "confirm", id, "--student", "7900000040", "--reason", "phụ huynh gọi điện");
        Assert.Equal(815_000, await host.Fees.Db.ScalarAsync("SELECT amount_paid_vnd FROM notices WHERE notice_no = 'TS02-202509-00001'"));
    }

    [Theory]
    [InlineData("VCB9251#review1")]
    [InlineData("VCB9251@X2")]
    public async Task AReversalNamingAKeyWithAReservedCharacter_IsRefused_AndNothingIsStored(string original)
    {
        await using var host = await StartAsync();
        var reversal = await host.VcbAsync(host.VcbBody("VCB9252", 1_000, "hoan tra", "D", original));
        Assert.Equal((400, "01"), (reversal.Status, reversal.Body.GetProperty("code").GetString()));
        Assert.Equal(0, await host.Fees.Db.ScalarAsync("SELECT count(*) FROM bank_inbox"));
    }

    [Fact]
    public async Task AReversalNamingAnotherSchoolsParkedMoney_TakesNoLockOnIt_AndIsHeld()
    {
        await using var host = await StartAsync();
        await Ts02Async(host, host.VcbBody("VCB9301", 777_000, "khong ro", account: OtherVcb));
        await host.ProcessInboxAsync();
        var parked = Guid.Parse((await host.Fees.Db.ListAsync("SELECT id FROM unidentified_money")).Single());

        // TS02's accountant is deciding on its parked money (the review lock held) while TS01's bank reverses "it".
        await using var deciding = host.Fees.Db.Open();
        await using var tx = await deciding.Database.BeginTransactionAsync();
        await ReviewLock.TakeAsync(deciding, parked, CancellationToken.None);
        Assert.Equal(200, (await host.VcbAsync(host.VcbBody("VCB9302", 777_000, "hoan tra", "D", "VCB9301"))).Status);
        Assert.Equal(1, await host.ProcessInboxAsync().WaitAsync(TimeSpan.FromSeconds(60)));
        await tx.RollbackAsync();

        Assert.Equal("held", (await host.Fees.Db.ListAsync("SELECT outcome FROM bank_inbox WHERE idempotency_key = 'VCB9302'")).Single());
        Assert.Equal(0, await host.Fees.Db.ScalarAsync("SELECT count(*) FROM unidentified_money WHERE reversed_by_inbox_id IS NOT NULL"));
    }
}
