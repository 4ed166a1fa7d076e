using TdmEdu.Fees.Api.Application.Banks;
using TdmEdu.Fees.Api.Application.Reports;
using TdmEdu.Fees.Api.Sandbox;
using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Banks;

/// <summary>
/// The rules of bank money played as an outsider would, with one school's keys: a reversal undoes only a whole
/// credit of its own account, parked money stays in sight until a person decides, money pays only the receiving
/// school's notices. Each ends with the audit.
/// </summary>
public sealed class BankMoneyRulesTests
{
    private const string Notice = "TS01-202509-00001";

    [Fact]
    public async Task Vcb_ReversalOfOneDongNamingAPaidCredit_MovesNothingAndWaitsInTheQueue()
    {
        await using var host = await BankHost.StartAsync();
        var code = await host.PaymentCodeAsync("7900000001");
        await host.VcbAsync(host.VcbBody("VCB0700", 1_371_800, code));
        await host.ProcessInboxAsync();

        var (status, _) = await host.VcbAsync(host.VcbBody("VCB0701", 1, "tra soat", "D", "VCB0700"));
        await host.ProcessInboxAsync();

        Assert.Equal(200, status);
        Assert.Equal(1_371_800, await host.Fees.Db.ScalarAsync($"SELECT amount_paid_vnd FROM notices WHERE notice_no = '{Notice}'"));
        Assert.Equal(0, await host.Fees.Db.ScalarAsync("SELECT count(*) FROM payments WHERE amount_vnd < 0"));
        Assert.Equal(["held"], await host.Fees.Db.ListAsync("SELECT outcome FROM bank_inbox WHERE idempotency_key = 'VCB0701'"));
        var listing = await host.Fees.OkAsync("review", "list");
        Assert.Contains("held", listing);
        Assert.Contains("takes back 1 đồng of a credit of 1371800 đồng", listing);
        Assert.Equal(0, (await host.Fees.RunAsync("audit")).ExitCode);

        var id = (await host.Fees.Db.ListAsync("SELECT right(id::text, 12) FROM bank_inbox WHERE idempotency_key = 'VCB0701'")).Single();
        Assert.Contains("seen and settled", await host.Fees.OkAsync("review", "ignore", id, "--reason", "bank fee correction, settled with the bank"));
        Assert.Contains("0 item(s) wait for review", await host.Fees.OkAsync("review", "list"));
        Assert.Equal(0, (await host.Fees.RunAsync("audit")).ExitCode);
    }

    [Fact]
    public async Task Vcb_WholeReversalFromAnotherSchoolsAccount_SignedWithItsOwnKey_MovesNothing()
    {
        await using var host = await BankHost.StartAsync();
        await host.Fees.OkAsync("schools", "import", host.Fees.File("ts03.csv",
            "school_code,name,level,ward,bank,account_no,account_name\nTS03,Trường Mầm non Thử Nghiệm,MN,Phú Cường,VCB,0281000999999,TRUONG MAM NON THU NGHIEM\n"));
        List<SandboxCredentials> creds;
        await using (var db = host.Fees.Db.Open()) creds = await new BankSandbox(db, BankHost.Box).EnsureAsync();
        var other = creds.Single(c => c.SchoolCode == "TS03" && c.Bank == "VCB");
        var code = await host.PaymentCodeAsync("7900000001");
        await host.VcbAsync(host.VcbBody("VCB0710", 1_371_800, code));
        await host.ProcessInboxAsync();

        var body = host.VcbBody("VCB0711", 1_371_800, "tra soat", "D", "VCB0710", account: other.AccountNo);
        var (status, _) = await host.VcbAsync(body, BankAdapters.Vcb.VcbNotification.Sign(other.Vcb!.PrivateKeyPem, System.Text.Encoding.UTF8.GetBytes(body)));
        await host.ProcessInboxAsync();

        Assert.Equal(200, status);
        Assert.Equal(1_371_800, await host.Fees.Db.ScalarAsync($"SELECT amount_paid_vnd FROM notices WHERE notice_no = '{Notice}'"));
        Assert.Equal(["held: names a credit received on another account; moves nothing, for a person to look at"],
            await host.Fees.Db.ListAsync("SELECT outcome || ': ' || outcome_reason FROM bank_inbox WHERE idempotency_key = 'VCB0711'"));
        Assert.Equal(0, (await host.Fees.RunAsync("audit")).ExitCode);
    }

    [Fact]
    public async Task Msb_PartialReversalOfParkedMoney_LeavesItParkedAndListed()
    {
        await using var host = await BankHost.StartAsync();
        await host.MsbAsync(host.MsbBody("FT0710", 100_000, null));
        await host.MsbAsync(host.MsbBody("FT0711", 1, null, "D", "FT0710"));
        await host.ProcessInboxAsync();

        Assert.Equal(0, await host.Fees.Db.ScalarAsync("SELECT count(*) FROM unidentified_money WHERE reversed_by_inbox_id IS NOT NULL"));
        var listing = await host.Fees.OkAsync("review", "list");
        Assert.Contains("parked", listing);
        Assert.Contains("held", listing);
        Assert.Contains("2 item(s) wait for review", listing);
        Assert.Equal(0, (await host.Fees.RunAsync("audit")).ExitCode);
    }

    [Fact]
    public async Task ParkedMoney_ThenTheSameCreditOnTheStatement_StaysListedUntilAPersonAssignsIt()
    {
        await using var host = await BankHost.StartAsync();
        var fees = host.Fees;
        await host.MsbAsync(host.MsbBody("FT0720", 500_000, null));
        await host.ProcessInboxAsync();
        var account = host.Account("TS02", "MSB").AccountNo;
        await fees.OkAsync("statements", "import", fees.File("msb.sta", $":20:S1\n:25:{account}\n:60F:C250909VND0,\n" +
            ":61:2509100910C500000,NTRFNONREF//FT0720\n:86:hoc phi con\n"), "--bank", "MSB", "--account", account);
        Assert.Contains("1 duplicate", await fees.OkAsync("reconcile"));

        // The money is still in sight: in the queue, on the dashboard's unidentified money, and assignable.
        var listing = await fees.OkAsync("review", "list");
        Assert.Contains("parked", listing);
        Assert.Contains("1 item(s) wait for review", listing);
        await using (var db = fees.Db.Open())
            Assert.Equal(500_000, (await new Ageing(db).UnidentifiedAsync(new DateOnly(2025, 9, 12), "TS02")).Single().B0);
        var id = (await fees.Db.ListAsync("SELECT right(id::text, 12) FROM unidentified_money")).Single();

        var said = await fees.OkAsync("review", "confirm", id, "--student", "7900000040", "--reason", "the parent called with the receipt");

        Assert.Contains("paid for student 7900000040", said);
        Assert.Equal(500_000, await fees.Db.ScalarAsync("SELECT sum(amount_paid_vnd) FROM notices n JOIN students s ON s.id = n.student_id WHERE s.student_code = '7900000040'"));
        Assert.Contains("0 item(s) wait for review", await fees.OkAsync("review", "list"));
        Assert.Equal(0, (await fees.RunAsync("audit")).ExitCode);

        // Undone, it waits again; the bank taking it back then closes it without moving a đồng twice.
        Assert.Contains("is undone", await fees.OkAsync("review", "undo", id, "--reason", "wrong family"));
        Assert.Contains("1 item(s) wait for review", await fees.OkAsync("review", "list"));
        await host.MsbAsync(host.MsbBody("FT0721", 500_000, null, "D", "FT0720"));
        await host.ProcessInboxAsync();
        Assert.Contains("0 item(s) wait for review", await fees.OkAsync("review", "list"));
        Assert.Equal(0, (await fees.RunAsync("audit")).ExitCode);
    }

    [Fact]
    public async Task ParkedMoney_AssignedToAPupilOfAnotherSchool_IsRefused()
    {
        await using var host = await BankHost.StartAsync();
        await host.MsbAsync(host.MsbBody("FT0730", 500_000, null));
        await host.ProcessInboxAsync();
        var id = (await host.Fees.Db.ListAsync("SELECT right(id::text, 12) FROM unidentified_money")).Single();

        var refused = await host.Fees.RunAsync("review", "confirm", id, "--student", "7900000001", "--reason", "try");
        // By payment code: refused like a code nobody holds, without naming the other school's pupil's student code.
        var byCode = await host.Fees.RunAsync("review", "confirm", id, "--student", await host.PaymentCodeAsync("7900000001"), "--reason", "try");

        Assert.Equal(3, refused.ExitCode);
        Assert.Contains("There is no pupil 7900000001 at the school whose account received this money", refused.Err);
        Assert.Equal(3, byCode.ExitCode);
        Assert.DoesNotContain("7900000001", byCode.Err);
        Assert.Equal(0, await host.Fees.Db.ScalarAsync("SELECT count(*) FROM payments"));
    }

    [Fact]
    public async Task ASecondCreditWithTheSameBankReferenceButAnotherAmount_IsHeldForAPerson_NotDroppedAsADuplicate()
    {
        await using var host = await BankHost.StartAsync();
        var an = await host.PaymentCodeAsync("7900000001");
        var binh = await host.PaymentCodeAsync("7900000002");
        var first = host.VcbBody("VCB0780", 250_000, $"{an} hoc phi");
        var second = host.VcbBody("VCB0781", 7_000_000, $"{binh} hoc phi").Replace("\"FTVCB0781\"", "\"FTVCB0780\"");
        await host.VcbAsync(first);
        var (status, _) = await host.VcbAsync(second);
        await host.ProcessInboxAsync();

        Assert.Equal(200, status);
        Assert.Equal(["applied", "unidentified"], await host.Fees.Db.ListAsync("SELECT outcome FROM bank_inbox ORDER BY idempotency_key"));
        var listing = await host.Fees.OkAsync("review", "list");
        Assert.Contains("of an earlier credit of 250000 đồng but brings 7000000 đồng", listing);
        // A partial reversal naming the held credit takes nothing back from the first one.
        await host.VcbAsync(host.VcbBody("VCB0782", 250_000, "tra soat", "D", "VCB0781"));
        await host.ProcessInboxAsync();
        Assert.Equal(0, await host.Fees.Db.ScalarAsync("SELECT count(*) FROM payments WHERE amount_vnd < 0"));
        // A person can still assign the held money.
        var id = (await host.Fees.Db.ListAsync("SELECT right(id::text, 12) FROM unidentified_money")).Single();
        await host.Fees.OkAsync("review", "confirm", id, "--student", "7900000002", "--reason", "the bank confirmed two transfers");
        Assert.Equal(7_250_000, await host.Fees.Db.ScalarAsync("SELECT sum(amount_vnd) FROM payments WHERE amount_vnd > 0"));
    }

    [Fact]
    public async Task AStatementLineWithANotificationsReferenceButAnotherAmount_IsNotADuplicate()
    {
        await using var host = await BankHost.StartAsync();
        var fees = host.Fees;
        await host.MsbAsync(host.MsbBody("FT0790", 500_000, null));
        await host.ProcessInboxAsync();
        var account = host.Account("TS02", "MSB").AccountNo;
        await fees.OkAsync("statements", "import", fees.File("msb.sta", $":20:S1\n:25:{account}\n:60F:C250909VND0,\n" +
            ":61:2509100910C3000000,NTRFNONREF//FT0790\n:86:hoc phi\n"), "--bank", "MSB", "--account", account);

        var output = await fees.OkAsync("reconcile");

        Assert.DoesNotContain("duplicate", output);
        var listing = await fees.OkAsync("review", "list");
        Assert.Contains("2 item(s) wait for review", listing);
    }

    [Fact]
    public async Task AStatementDebitLine_CannotBeConfirmedForAPupil()
    {
        await using var host = await BankHost.StartAsync();
        var fees = host.Fees;
        var account = host.Account("TS01", "VCB").AccountNo;
        await fees.OkAsync("statements", "import", fees.File("rev.sta", $":20:S1\n:25:{account}\n:60F:C250909VND0,\n" +
            ":61:2509100910RD500000,NTRFNONREF//FT0740\n:86:reversal of something\n"), "--bank", "VCB", "--account", account);
        await fees.OkAsync("reconcile");
        var id = (await fees.Db.ListAsync("SELECT right(id::text, 12) FROM statement_lines")).Single();

        var refused = await fees.RunAsync("review", "confirm", id, "--student", "7900000001", "--reason", "try");

        Assert.Equal(3, refused.ExitCode);
        Assert.Contains("cannot pay a pupil", refused.Err);
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM payments"));
    }

    [Fact]
    public async Task APupilWhoMoved_MoneyToTheNewSchoolsAccount_DoesNotPayTheOldSchoolsNotice()
    {
        await using var host = await BankHost.StartAsync();
        var fees = host.Fees;
        // 7900000001 of TS01 has an open September notice there; the administrator's import moves the pupil to TS02.
        await fees.OkAsync("students", "import", fees.File("move.csv", Samples.StudentHeader +
            "TS02,7900000001,Nguyễn Văn An,12/05/2018,Nam,6,6A1,Nguyễn Văn Bình,0912000001,,,\n"));
        var code = await host.PaymentCodeAsync("7900000001");

        await host.MsbAsync(host.MsbBody("FT0750", 1_371_800, null).Replace("03000000000001-123456-hoc phi", $"{code} hoc phi"));
        await host.ProcessInboxAsync();

        Assert.Equal(0, await fees.Db.ScalarAsync($"SELECT amount_paid_vnd FROM notices WHERE notice_no = '{Notice}'"));
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM allocations"));
        Assert.Equal(1, await fees.Db.ScalarAsync("SELECT count(*) FROM payments p JOIN schools s ON s.id = p.school_id WHERE s.code = 'TS02'"));
        Assert.Equal(0, (await fees.RunAsync("audit")).ExitCode);
    }

    [Fact]
    public async Task AVeryLargeCredit_IsAppliedAndListedForAPersonUntilSeen()
    {
        await using var host = await BankHost.StartAsync();
        var code = await host.PaymentCodeAsync("7900000001");
        await host.VcbAsync(host.VcbBody("VCB0760", 60_000_000, code));
        await host.ProcessInboxAsync();

        Assert.Equal(1_371_800, await host.Fees.Db.ScalarAsync($"SELECT amount_paid_vnd FROM notices WHERE notice_no = '{Notice}'"));
        var listing = await host.Fees.OkAsync("review", "list");
        Assert.Contains("flagged", listing);
        Assert.Contains("unusually large amount", listing);
        var id = (await host.Fees.Db.ListAsync("SELECT right(id::text, 12) FROM bank_inbox")).Single();
        await host.Fees.OkAsync("review", "ignore", id, "--reason", "the parent paid the year ahead, confirmed by phone");
        Assert.Contains("0 item(s) wait for review", await host.Fees.OkAsync("review", "list"));
    }

    [Fact]
    public async Task AStoredCallThatCannotBeApplied_EndsFailedAndListed_NotLost()
    {
        await using var host = await BankHost.StartAsync();
        // A call stored by an older version that no adapter can read any more: the worker must not drop it.
        await host.Fees.Db.ExecAsync("""
            INSERT INTO bank_inbox (id, bank, kind, idempotency_key, account_id, raw_body, headers, received_at, answer_status, answer_body, attempts, flagged)
            SELECT gen_random_uuid(), 'VCB', 'notify', 'VCB0770', id, '{"transactionId": 1}', '{}', now(), 200, '{}', 0, false
            FROM school_bank_accounts WHERE bank = 'VCB'
            """);

        for (var round = 0; round < InboxProcessor.MaxAttempts; round++) await host.ProcessInboxAsync();

        Assert.Equal(["failed"], await host.Fees.Db.ListAsync("SELECT outcome FROM bank_inbox"));
        var listing = await host.Fees.OkAsync("review", "list");
        Assert.Contains("failed", listing);
        Assert.Contains("1 item(s) wait for review", listing);
        var id = (await host.Fees.Db.ListAsync("SELECT right(id::text, 12) FROM bank_inbox")).Single();
        var refused = await host.Fees.RunAsync("review", "confirm", id, "--student", "7900000001", "--reason", "try");
        Assert.Equal(3, refused.ExitCode);
        await host.Fees.OkAsync("review", "ignore", id, "--reason", "the bank confirmed it returned the money");
        Assert.Contains("0 item(s) wait for review", await host.Fees.OkAsync("review", "list"));
    }
}
