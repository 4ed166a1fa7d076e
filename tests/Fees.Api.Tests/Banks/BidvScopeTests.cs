using System.Text.Json;
using TdmEdu.Fees.Api.Application.Banks;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Api.Sandbox;
using TdmEdu.Fees.Api.Tests.Support;
using TdmEdu.Fees.BankAdapters.Bidv;
using TdmEdu.Fees.BankAdapters.Msb;
using TdmEdu.Fees.Domain.Students;

namespace TdmEdu.Fees.Api.Tests.Banks;

/// <summary>
/// Played as an outsider holding one school's BIDV keys: TS02 and TS03 collect on the same BIDV service id,
/// each with its own username, password and checksum secret. TS02's keys must reach nothing of TS03's.
/// </summary>
public sealed class BidvScopeTests
{
    private const string PupilOfB = "7900000050";
    private const string BillOfB = "TS03-202509-00001";

    /// <summary>The example set-up plus TS03 (BIDV on TS02's service id, and MSB) with one pupil billed for September.</summary>
    private static async Task<BankHost> TwoSchoolsOnOneServiceAsync()
    {
        var host = await BankHost.StartAsync();
        await host.Fees.OkAsync("schools", "import", host.Fees.File("ts03-school.csv",
            "school_code,name,level,ward,bank,account_no,account_name\n" +
            "TS03,Trường THCS Thử Nghiệm Hai,THCS,Phú Cường,BIDV,65210000000003,TRUONG THCS THU NGHIEM HAI\n" +
            "TS03,Trường THCS Thử Nghiệm Hai,THCS,Phú Cường,MSB,03000000000003,TRUONG THCS THU NGHIEM HAI\n"));
        await host.Fees.OkAsync("students", "import", host.Fees.File("ts03.csv", Samples.StudentHeader +
            $"TS03,{PupilOfB},Võ Thị Hạnh,03/03/2013,Nữ,6,6B1,Võ Văn Tâm,0912000050,,,\n"));
        await host.Fees.OkAsync("notices", "issue", "--period", "2025-09", "--school", "TS03");
        await using var db = host.Fees.Db.Open();
        host.Credentials.AddRange((await new BankSandbox(db, BankHost.Box).EnsureAsync()).Where(c => c.SchoolCode == "TS03"));
        Assert.Equal(host.Account("TS02", "BIDV").Bidv!.ServiceId, host.Account("TS03", "BIDV").Bidv!.ServiceId);
        return host;
    }

    private static object Inquiry(BankHost host, string customer, string school)
    {
        var b = host.Account(school, "BIDV").Bidv!;
        return new { customer_id = customer, service_id = b.ServiceId, checksum = BidvBillPayment.InquiryChecksum(b.Secret, b.ServiceId, customer) };
    }

    private static object Revert(BankHost host, string transId, string billId, string amount, string school)
    {
        var b = host.Account(school, "BIDV").Bidv!;
        return new
        {
            trans_id = transId, service_id = b.ServiceId, bill_id = billId, amount, reason = "khiếu nại",
            checksum = BidvBillPayment.PaymentChecksumMd5(b.Secret, transId, billId, amount),
        };
    }

    private static string Code(JsonElement body) => body.GetProperty("result_code").GetString()!;

    [Fact]
    public async Task GetBill_AnotherSchoolsPupilWithThisSchoolsKeys_AnswersExactlyAsACodeNobodyHolds()
    {
        await using var host = await TwoSchoolsOnOneServiceAsync();
        var pupilOfB = await host.PaymentCodeAsync(PupilOfB);
        var nobodys = PaymentCode.Create("HS", 9_999_990).Value;
        var tokenA = await host.BidvTokenAsync("TS02");

        var foreign = await host.BidvAsync("getbill", Inquiry(host, pupilOfB, "TS02"), tokenA);
        var unknown = await host.BidvAsync("getbill", Inquiry(host, nobodys, "TS02"), tokenA);
        var own = await host.BidvAsync("getbill", Inquiry(host, pupilOfB, "TS03"), await host.BidvTokenAsync("TS03"));

        Assert.Equal((400, "011"), (unknown.Status, Code(unknown.Body)));
        Assert.Equal((unknown.Status, unknown.Body.GetRawText()), (foreign.Status, foreign.Body.GetRawText()));
        // The pupil is there for the school that collects for her.
        Assert.Equal((200, "VO THI HANH"), (own.Status, own.Body.GetProperty("customer_name").GetString()));
    }

    [Fact]
    public async Task PayBill_AnotherSchoolsPupilWithThisSchoolsKeys_IsRefusedAndNothingIsStoredOrPaid()
    {
        await using var host = await TwoSchoolsOnOneServiceAsync();
        var pupilOfB = await host.PaymentCodeAsync(PupilOfB);

        var (status, body) = await host.BidvAsync("paybill", host.PayBill("XA100", pupilOfB, BillOfB, "500000", school: "TS02"), await host.BidvTokenAsync("TS02"));
        await host.ProcessInboxAsync();

        Assert.Equal((400, "011"), (status, Code(body)));
        Assert.Equal(0, await host.Fees.Db.ScalarAsync("SELECT count(*) FROM bank_inbox"));
        Assert.Equal(0, await host.Fees.Db.ScalarAsync("SELECT count(*) FROM payments"));
        Assert.Equal(0, await host.Fees.Db.ScalarAsync($"SELECT amount_paid_vnd FROM notices WHERE notice_no = '{BillOfB}'"));
    }

    [Fact]
    public async Task RevertBill_AnotherSchoolsStoredPayment_IsAnUnknownBillAndThePaymentStays()
    {
        await using var host = await TwoSchoolsOnOneServiceAsync();
        var pupilOfB = await host.PaymentCodeAsync(PupilOfB);
        var paid = await host.BidvAsync("paybill", host.PayBill("XB200", pupilOfB, BillOfB, "500000", school: "TS03"), await host.BidvTokenAsync("TS03"));
        await host.ProcessInboxAsync();
        Assert.Equal((200, "000"), (paid.Status, Code(paid.Body)));

        var tokenA = await host.BidvTokenAsync("TS02");
        var (status, body) = await host.BidvAsync("revertbill", Revert(host, "XB200", BillOfB, "500000", "TS02"), tokenA);
        var (otherStatus, otherBody) = await host.BidvAsync("revertbill", Revert(host, "XB999", BillOfB, "500000", "TS02"), tokenA);
        await host.ProcessInboxAsync();

        Assert.Equal((400, "021"), (status, Code(body)));
        Assert.Equal((otherStatus, otherBody.GetRawText()), (status, body.GetRawText()));
        Assert.Equal(0, await host.Fees.Db.ScalarAsync("SELECT count(*) FROM bank_inbox WHERE kind = 'revertbill'"));
        Assert.Equal(0, await host.Fees.Db.ScalarAsync("SELECT count(*) FROM payments WHERE reverses_payment_id IS NOT NULL"));
        Assert.Equal(500_000, await host.Fees.Db.ScalarAsync($"SELECT amount_paid_vnd FROM notices WHERE notice_no = '{BillOfB}'"));
    }

    [Fact]
    public async Task PayBill_WithATransIdAnotherSchoolsCallHolds_IsKeptUnderItsOwnAccount_AndEachSchoolPaysAndRevertsItsOwn()
    {
        // Found by attack: with one school's keys, paying its own pupil under BIDV's next trans_ids made every other school
        // on the service id refuse its parents' real payments of those ids (001), and told the caller which ids were used.
        await using var host = await TwoSchoolsOnOneServiceAsync();
        var (tokenA, tokenB) = (await host.BidvTokenAsync("TS02"), await host.BidvTokenAsync("TS03"));
        const string OwnBill = "TS02-202509-00001";
        var own = await host.PaymentCodeAsync("7900000040");
        var squat = await host.BidvAsync("paybill", host.PayBill("XC300", own, OwnBill, "1000", school: "TS02"), tokenA);

        // TS03's parent pays with the trans_id TS02 took first: accepted and applied on TS03's account.
        var real = await host.BidvAsync("paybill", host.PayBill("XC300", await host.PaymentCodeAsync(PupilOfB), BillOfB, "500000", school: "TS03"), tokenB);
        var again = await host.BidvAsync("paybill", host.PayBill("XC300", await host.PaymentCodeAsync(PupilOfB), BillOfB, "500000", school: "TS03"), tokenB);
        var otherAmount = await host.BidvAsync("paybill", host.PayBill("XC300", await host.PaymentCodeAsync(PupilOfB), BillOfB, "400000", school: "TS03"), tokenB);
        await host.ProcessInboxAsync();

        Assert.Equal((200, "000"), (squat.Status, Code(squat.Body)));
        Assert.Equal((200, "000"), (real.Status, Code(real.Body)));
        Assert.Equal(real.Body.GetRawText(), again.Body.GetRawText());
        Assert.Equal((400, "001"), (otherAmount.Status, Code(otherAmount.Body)));
        Assert.Equal(1000, await host.Fees.Db.ScalarAsync($"SELECT amount_paid_vnd FROM notices WHERE notice_no = '{OwnBill}'"));
        Assert.Equal(500_000, await host.Fees.Db.ScalarAsync($"SELECT amount_paid_vnd FROM notices WHERE notice_no = '{BillOfB}'"));

        // Each school reverts its own payment of that trans_id, and only its own; TS02 first, so TS03's reversal is kept
        // under its account's key too.
        var revertA = await host.BidvAsync("revertbill", Revert(host, "XC300", OwnBill, "1000", "TS02"), tokenA);
        await host.ProcessInboxAsync();
        Assert.Equal((200, "000"), (revertA.Status, Code(revertA.Body)));
        Assert.Equal(0, await host.Fees.Db.ScalarAsync($"SELECT amount_paid_vnd FROM notices WHERE notice_no = '{OwnBill}'"));
        Assert.Equal(500_000, await host.Fees.Db.ScalarAsync($"SELECT amount_paid_vnd FROM notices WHERE notice_no = '{BillOfB}'"));
        var revertB = await host.BidvAsync("revertbill", Revert(host, "XC300", BillOfB, "500000", "TS03"), tokenB);
        await host.ProcessInboxAsync();
        Assert.Equal((200, "000"), (revertB.Status, Code(revertB.Body)));
        Assert.Equal(0, await host.Fees.Db.ScalarAsync($"SELECT amount_paid_vnd FROM notices WHERE notice_no = '{BillOfB}'"));

        Assert.Equal(["paybill 1000 XC300 reversed", "paybill 500000 XC300@ reversed", "revertbill 1000 XC300 reversed", "revertbill 500000 XC300@ reversed"],
            await host.Fees.Db.ListAsync("""
                SELECT m.kind || ' ' || m.amount_vnd || ' ' || split_part(split_part(m.idempotency_key, '@', 1), ':', 2)
                       || CASE WHEN m.idempotency_key LIKE '%@%' THEN '@' ELSE '' END || ' ' || CASE WHEN m.kind = 'paybill' THEN
                          CASE WHEN EXISTS (SELECT 1 FROM payments p JOIN payments r ON r.reverses_payment_id = p.id WHERE p.inbox_id = m.id) THEN 'reversed' ELSE 'standing' END
                          ELSE m.outcome END
                FROM bank_inbox m ORDER BY m.kind, m.amount_vnd
                """));
        Assert.Equal(0, (await host.Fees.RunAsync("audit")).ExitCode);

        // TS03's books name the payment by BIDV's trans_id alone: the account a clash key adds would tell TS03's accountant
        // that another school's call held that id (found by attack).
        var month = (await host.Fees.Db.ListAsync("SELECT DISTINCT to_char(received_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM') FROM payments")).Single();
        var (book, vouchers) = (Path.Combine(host.Fees.Folder, "ts03-book.csv"), Path.Combine(host.Fees.Folder, "ts03-vouchers.csv"));
        await host.Fees.OkAsync("books", "bank", "--school", "TS03", "--period", month, "--out", book);
        await host.Fees.OkAsync("vouchers", "export", "--school", "TS03", "--period", month, "--out", vouchers);
        foreach (var file in new[] { book, vouchers })
        {
            var text = await File.ReadAllTextAsync(file);
            Assert.Contains($"BC-{host.Account("TS03", "BIDV").Bidv!.ServiceId}:XC300", text, StringComparison.Ordinal);
            Assert.DoesNotContain("XC300@", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task GetBillAndPayBill_PupilOwingTwoSchools_OnlyTheCallersNoticesAndTheCallersAccount()
    {
        await using var host = await TwoSchoolsOnOneServiceAsync();
        // The pupil moved from TS02 to TS03 (planted: the transfer is its own action) with September at TS02 still open.
        await host.Fees.Db.ExecAsync("""
            UPDATE students SET school_id = (SELECT id FROM schools WHERE code = 'TS03'),
                class_id = (SELECT c.id FROM classes c JOIN schools s ON s.id = c.school_id WHERE s.code = 'TS03' AND c.name = '6B1')
            WHERE student_code = '7900000040'
            """);
        await host.Fees.OkAsync("notices", "issue", "--period", "2025-10", "--school", "TS03");
        var code = await host.PaymentCodeAsync("7900000040");
        var tokenB = await host.BidvTokenAsync("TS03");
        Assert.Equal(1, await host.Fees.Db.ScalarAsync(
            "SELECT count(*) FROM notices n JOIN students s ON s.id = n.student_id WHERE s.student_code = '7900000040' AND n.notice_no LIKE 'TS02-%' AND n.status = 'issued'"));

        var (status, body) = await host.BidvAsync("getbill", Inquiry(host, code, "TS03"), tokenB);
        var formerSchool = await host.BidvAsync("getbill", Inquiry(host, code, "TS02"), await host.BidvTokenAsync("TS02"));
        var paid = await host.BidvAsync("paybill", host.PayBill("XD400", code, "TS02-202509-00001", "1371800", school: "TS03"), tokenB);
        await host.ProcessInboxAsync();

        Assert.Equal((200, "000"), (status, Code(body)));
        var bills = body.GetProperty("data").EnumerateArray().Select(b => b.GetProperty("bill_id").GetString()!).ToList();
        Assert.NotEmpty(bills);
        Assert.All(bills, b => Assert.StartsWith("TS03-", b));
        Assert.Equal("011", Code(formerSchool.Body));
        Assert.Equal((200, "000"), (paid.Status, Code(paid.Body)));
        Assert.Equal(1, await host.Fees.Db.ScalarAsync(
            $"SELECT count(*) FROM bank_inbox WHERE account_id = (SELECT id FROM school_bank_accounts WHERE account_no = '{host.Account("TS03", "BIDV").AccountNo}')"));
    }

    [Fact]
    public async Task GetBill_SharedUsername_ActsOnlyForTheAccountsWhoseSecretAndPasswordMatched()
    {
        await using var host = await TwoSchoolsOnOneServiceAsync();
        var a = host.Account("TS02", "BIDV").Bidv!;
        await ConfigureAsync(host, "TS03", new BankSettings.Change(Username: a.Username, Password: a.Password, Secret: "secret-of-ts03-only"));
        var pupilOfB = await host.PaymentCodeAsync(PupilOfB);
        var token = await host.BidvTokenAsync("TS02");
        object Signed(string secret) => new { customer_id = pupilOfB, service_id = a.ServiceId, checksum = BidvBillPayment.InquiryChecksum(secret, a.ServiceId, pupilOfB) };

        var withTs02Secret = await host.BidvAsync("getbill", Signed(a.Secret), token);
        var withTs03Secret = await host.BidvAsync("getbill", Signed("secret-of-ts03-only"), token);
        await ConfigureAsync(host, "TS03", new BankSettings.Change(Password: "another-password-of-ts03"));
        var otherPassword = await host.BidvAsync("getbill", Signed("secret-of-ts03-only"), token);

        Assert.Equal("011", Code(withTs02Secret.Body));
        Assert.Equal("000", Code(withTs03Secret.Body));
        // The token was issued for TS02's password: TS03's account, now with its own password, is not the caller's.
        Assert.Equal("004", Code(otherPassword.Body));
    }

    [Fact]
    public async Task MsbNotify_TransactionIdAnotherAccountsCallHolds_IsKeptUnderItsOwnAccountNotAnsweredWithTheirAnswer()
    {
        await using var host = await TwoSchoolsOnOneServiceAsync();
        var first = await host.MsbAsync(host.MsbBody("FT-SHARED-1", 500_000, null));
        var b = host.Account("TS03", "MSB");
        var body = host.MsbBody("FT-SHARED-1", 700_000, null).Replace(host.Account("TS02", "MSB").AccountNo, b.AccountNo, StringComparison.Ordinal);
        var ts = host.Fees.Clock.Now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

        var (status, answer) = await host.PostAsync("/api/banks/msb/notify", body, r =>
        {
            r.Headers.Add(MsbNotification.TimestampHeader, ts);
            r.Headers.Add(MsbNotification.SignatureHeader, MsbNotification.Sign(b.Msb!.Secret, ts, System.Text.Encoding.UTF8.GetBytes(body)));
        });
        await host.ProcessInboxAsync();

        Assert.Equal(200, first.Status);
        Assert.Equal((200, "00"), (status, answer.GetProperty("code").GetString()));
        // Each account's money kept apart: 500.000 on TS02's account, 700.000 on TS03's, under a key of its own account.
        Assert.Equal(["500000 FT-SHARED-1", "700000 FT-SHARED-1@"],
            await host.Fees.Db.ListAsync("SELECT amount_vnd || ' ' || split_part(idempotency_key, '@', 1) || CASE WHEN idempotency_key LIKE '%@%' THEN '@' ELSE '' END FROM bank_inbox ORDER BY amount_vnd"));
        Assert.Equal(0, (await host.Fees.RunAsync("audit")).ExitCode);
    }

    private static async Task ConfigureAsync(BankHost host, string school, BankSettings.Change change)
    {
        await using var db = host.Fees.Db.Open();
        await BankSettings.ConfigureAsync(db, BankHost.Box, new BusinessClock(host.Fees.Clock), new Actor("test"), school, "BIDV", change, CancellationToken.None);
    }
}
