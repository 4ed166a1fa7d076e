using TdmEdu.Fees.Api.Application.Payments;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;

namespace TdmEdu.Fees.Api.Tests.Application;

/// <summary>
/// The counter's guards and the corrections desk on a real PostgreSQL: the school's limit for one cash payment, the
/// confirmation an excess needs, reversals, replaced receipts and refunds done at once up to the authority's limit and
/// waiting for the school's principal above it, never on another school's money.
/// </summary>
public sealed class CashDeskTests
{
    private static readonly Actor Accountant = new("kt@ts01.vn"), Principal = new("ht@ts01.vn");

    private static async Task<Support.Fees> IssuedAsync()
    {
        var fees = await Support.Fees.StartAsync();
        await fees.SetUpExampleSchoolAsync();
        // A pupil of a second school, so that another school's money exists.
        await fees.OkAsync("students", "import", fees.File("ts02.csv", Support.Samples.StudentHeader + "TS02,7900000099,Võ Thị Hoa,02/02/2017,Nữ,2,2A1,Võ Văn Phúc,0912000099,,,\n"));
        await fees.OkAsync("notices", "issue", "--period", "2025-09");
        await fees.OkAsync("notices", "issue", "--period", "2025-10");
        return fees;
    }

    private static Ledger LedgerOf(Support.Fees fees, FeesDb db, Actor? who = null) => new(db, new BusinessClock(fees.Clock), who ?? Accountant);

    private static CorrectionDesk DeskOf(Support.Fees fees, FeesDb db, Actor who) => new(db, new BusinessClock(fees.Clock), who);

    private static async Task AuditPassesAsync(Support.Fees fees)
    {
        var r = await fees.RunAsync("audit");
        Assert.True(r.ExitCode == 0, r.ToString());
    }

    [Fact]
    public async Task CashAboveTheNoticesBalance_IsRefusedUntilTheExcessIsConfirmed_AndThenGoesWhereThePlanSaid()
    {
        await using var fees = await IssuedAsync();
        await using var db = fees.Db.Open();
        var ledger = LedgerOf(fees, db);
        const string september = "TS01-202509-00002", october = "TS01-202510-00002";
        var owed = await fees.Db.ScalarAsync($"SELECT amount_due_vnd FROM notices WHERE notice_no = '{september}'");

        // 500.000 ₫ above September's balance: October's notice takes what it owes, by the rules the payment will use; the rest is credit.
        var octoberOwes = await fees.Db.ScalarAsync($"SELECT amount_due_vnd FROM notices WHERE notice_no = '{october}'");
        Assert.True(octoberOwes < 500_000, $"October owes {octoberOwes}");
        var plan = (await ledger.PlanCashAsync(september, owed + 500_000))!;
        Assert.Equal(owed, plan.NoticeBalanceVnd);
        Assert.Equal(500_000, plan.ExcessVnd(owed + 500_000));
        Assert.Equal([(september, owed), (october, octoberOwes)], plan.Notices.Select(n => (n.NoticeNo, n.AmountVnd)).ToList());
        Assert.Equal(500_000 - octoberOwes, plan.CreditVnd);

        var refused = await Assert.ThrowsAsync<ExcessNotConfirmedException>(() => ledger.RecordCashAsync(september, owed + 500_000, null, "web-a", default, new CashGuard(0, 0)));
        Assert.Equal(500_000, refused.ExcessVnd);
        Assert.Contains("nhiều hơn", refused.Vietnamese);
        // A confirmation of another excess (the form was for another amount) is no confirmation.
        await Assert.ThrowsAsync<ExcessNotConfirmedException>(() => ledger.RecordCashAsync(september, owed + 500_000, null, "web-b", default, new CashGuard(0, 400_000)));
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM payments"));

        var r = await ledger.RecordCashAsync(september, owed + 500_000, null, "web-c", default, new CashGuard(0, 500_000));
        Assert.Equal(plan.CreditVnd, r.CreditVnd);
        Assert.Equal(octoberOwes, await fees.Db.ScalarAsync($"SELECT amount_paid_vnd FROM notices WHERE notice_no = '{october}'"));

        // Money on the notice now paid: all of it is excess, and without confirmation nothing is recorded.
        var again = await Assert.ThrowsAsync<ExcessNotConfirmedException>(() => ledger.RecordCashAsync(september, 100_000, null, "web-d", default, new CashGuard(owed, 0)));
        Assert.Equal(100_000, again.ExcessVnd);
        Assert.Equal(1, await fees.Db.ScalarAsync("SELECT count(*) FROM payments"));
        await AuditPassesAsync(fees);
    }

    [Theory]
    [InlineData("1500000", 1_500_000L)]
    [InlineData("1.500.000", 1_500_000L)]
    [InlineData("1,500,000", 1_500_000L)]
    [InlineData(" 815.000 ", 815_000L)]
    [InlineData("1.5", null)]
    [InlineData("1,5", null)]
    [InlineData("1.500.00", null)]
    [InlineData("1.500,000", null)]
    [InlineData("-5", null)]
    [InlineData("", null)]
    public void AnAmountTyped_IsReadOnlyWhenItsGroupsAreWhole(string typed, long? expected)
    {
        Assert.Equal(expected, Api.Web.Lang.TryParseAmount(typed, out var vnd) ? vnd : null);
    }

    [Fact]
    public async Task ADueDate_MayNeitherBePastNorMoreThanThreeMonthsAhead_AndAMonthCloseWaitsForABillingRun()
    {
        await using var fees = await IssuedAsync();
        await using var db = fees.Db.Open();
        var billing = new Api.Application.Billing.MonthlyBilling(db, new BusinessClock(fees.Clock), Accountant);
        var november = new Domain.Schedule.BillingMonth(2025, 11);
        var far = await Assert.ThrowsAsync<BadInputException>(() => billing.IssueAsync(november, "TS01", dryRun: true, default, new DateOnly(9999, 12, 31)));
        Assert.Contains("quá ba tháng", far.Problems[0].ReasonVi);
        await Assert.ThrowsAsync<BadInputException>(() => billing.IssueAsync(november, "TS01", dryRun: true, default, new DateOnly(2026, 2, 1)));
        var ok = await billing.IssueAsync(november, "TS01", dryRun: true, default, new DateOnly(2026, 1, 31));
        Assert.Equal(new DateOnly(2026, 1, 31), ok.Details!.DueDate);
        Assert.False(Api.Web.Lang.IsSensibleDay(new DateOnly(9999, 12, 31)));
        Assert.False(Api.Web.Lang.IsSensibleDay(DateOnly.MinValue));
    }

    [Fact]
    public async Task CashAboveTheSchoolsLimit_IsRefusedOnEveryPath_NamingTheLimit()
    {
        await using var fees = await IssuedAsync();
        Assert.Contains("TS01 cash limit: 2.000.000", await fees.OkAsync("schools", "limits", "--school", "TS01", "--cash-limit", "2.000.000"));

        var cli = await fees.RunAsync("payments", "cash", "--notice", "TS01-202509-00001", "--amount", "2000001");
        Assert.NotEqual(0, cli.ExitCode);
        Assert.Contains("2.000.000", cli.Err + cli.Out);
        await using var db = fees.Db.Open();
        var e = await Assert.ThrowsAsync<BusinessRuleException>(() => LedgerOf(fees, db).RecordCashAsync("TS01-202509-00001", 99_999_999_999, null, "web-x", default, new CashGuard(0, 99_999_999_999)));
        Assert.Contains("vượt hạn mức", e.Vietnamese);
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM payments"));
        // At the limit it is taken.
        await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00001", "--amount", "2000000");
        await AuditPassesAsync(fees);
    }

    [Fact]
    public async Task ACorrectionWithinTheLimit_IsDoneAtOnce_AboveItWaitsForThePrincipal_WhoApprovesOrRejects()
    {
        await using var fees = await IssuedAsync();
        Assert.Contains("approval limit: 1.000.000", await fees.OkAsync("schools", "limits", "--approval-limit", "1000000"));
        await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00001", "--amount", "300000");
        await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00002", "--amount", "1001800");
        var small = Guid.Parse((await fees.Db.ListAsync("SELECT r.id FROM receipts r JOIN payments p ON p.id = r.payment_id WHERE p.amount_vnd = 300000"))[0]);
        var large = Guid.Parse((await fees.Db.ListAsync("SELECT r.id FROM receipts r JOIN payments p ON p.id = r.payment_id WHERE p.amount_vnd = 1001800"))[0]);

        await using (var db = fees.Db.Open())
        {
            var done = await DeskOf(fees, db, Accountant).AskForReceiptAsync("TS01", CorrectionDesk.Reverse, small, "Thu nhầm", default);
            Assert.Equal(CorrectionDesk.Done, done.Status);
        }
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT amount_paid_vnd FROM notices WHERE notice_no = 'TS01-202509-00001'"));

        Guid waiting;
        await using (var db = fees.Db.Open())
        {
            var asked = await DeskOf(fees, db, Accountant).AskForReceiptAsync("TS01", CorrectionDesk.Reverse, large, "Phụ huynh nộp nhầm", default);
            Assert.Equal(CorrectionDesk.Pending, asked.Status);
            waiting = asked.Id;
        }
        Assert.Equal(1_001_800, await fees.Db.ScalarAsync("SELECT amount_paid_vnd FROM notices WHERE notice_no = 'TS01-202509-00002'"));
        // A second click queues nothing more.
        await using (var db = fees.Db.Open())
            await Assert.ThrowsAsync<BusinessRuleException>(() => DeskOf(fees, db, Accountant).AskForReceiptAsync("TS01", CorrectionDesk.Reverse, large, "lần nữa", default));
        // Another school's principal cannot decide it (the school is part of the key).
        await using (var db = fees.Db.Open())
            await Assert.ThrowsAsync<BadInputException>(() => DeskOf(fees, db, Principal).DecideAsync("TS02", waiting, approve: true, null, default));

        await using (var db = fees.Db.Open())
        {
            var approved = await DeskOf(fees, db, Principal).DecideAsync("TS01", waiting, approve: true, "Đồng ý", default);
            Assert.Equal(CorrectionDesk.Done, approved.Status);
            Assert.Equal("ht@ts01.vn", approved.DecidedBy);
        }
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT amount_paid_vnd FROM notices WHERE notice_no = 'TS01-202509-00002'"));
        await using (var db = fees.Db.Open())
            await Assert.ThrowsAsync<BusinessRuleException>(() => DeskOf(fees, db, Principal).DecideAsync("TS01", waiting, approve: false, null, default));

        // A rejected replacement changes nothing.
        await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00003", "--amount", "1500000");
        var third = Guid.Parse((await fees.Db.ListAsync("SELECT r.id FROM receipts r JOIN payments p ON p.id = r.payment_id WHERE p.amount_vnd = 1500000"))[0]);
        await using (var db = fees.Db.Open())
        {
            var asked = await DeskOf(fees, db, Accountant).AskForReceiptAsync("TS01", CorrectionDesk.Replace, third, "Sai tên người nộp", default);
            var rejected = await DeskOf(fees, db, Principal).DecideAsync("TS01", asked.Id, approve: false, "Không cần", default);
            Assert.Equal(CorrectionDesk.Rejected, rejected.Status);
        }
        Assert.Equal("issued", (await fees.Db.ListAsync($"SELECT status FROM receipts WHERE id = '{third}'"))[0]);
        await AuditPassesAsync(fees);
    }

    [Fact]
    public async Task Corrections_NeverTouchAnotherSchoolsMoney_NorUndoBankMoneyFromAReceipt()
    {
        await using var fees = await IssuedAsync();
        await fees.OkAsync("payments", "cash", "--notice", "TS02-202509-00001", "--amount", "100000");
        var theirs = Guid.Parse((await fees.Db.ListAsync("SELECT id FROM receipts"))[0]);
        await using (var db = fees.Db.Open())
        {
            await Assert.ThrowsAsync<BadInputException>(() => DeskOf(fees, db, Accountant).AskForReceiptAsync("TS01", CorrectionDesk.Reverse, theirs, "x", default));
            var student = Guid.Parse((await fees.Db.ListAsync("SELECT student_id FROM payments"))[0]);
            await Assert.ThrowsAsync<BadInputException>(() => DeskOf(fees, db, Accountant).AskForRefundAsync("TS01", student, 1000, "cash", "x", default));
        }
        // A bank payment's receipt is not reversed from the receipt's page: the money is in the bank. (Made up here without
        // a bank call, which the audit rightly refuses at the end, so this test plants that state.)
        await AuditPassesAsync(fees);
        fees.PlantsBrokenState();
        var ts02 = Guid.Parse((await fees.Db.ListAsync("SELECT id FROM schools WHERE code = 'TS02'"))[0]);
        var pupil = Guid.Parse((await fees.Db.ListAsync("SELECT student_id FROM payments"))[0]);
        await using (var db = fees.Db.Open())
        {
            var bank = new Payment
            {
                Id = Guid.CreateVersion7(), SchoolId = ts02, StudentId = pupil, Method = PaymentMethods.Bank, AmountVnd = 50_000,
                ReceivedAt = fees.Clock.Now, Source = "test-bank", ExternalRef = "FT1", Actor = "test",
            };
            await LedgerOf(fees, db).RecordBankAsync(bank, [pupil]);
        }
        var bankReceipt = Guid.Parse((await fees.Db.ListAsync("SELECT r.id FROM receipts r JOIN payments p ON p.id = r.payment_id WHERE p.method = 'bank'"))[0]);
        await using (var db = fees.Db.Open())
        {
            var e = await Assert.ThrowsAsync<BusinessRuleException>(() => DeskOf(fees, db, new Actor("kt@ts02.vn")).AskForReceiptAsync("TS02", CorrectionDesk.Reverse, bankReceipt, "x", default));
            Assert.Contains("chuyển khoản", e.Vietnamese);
        }
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM correction_requests"));
    }

    [Fact]
    public async Task RefundsSplitBelowTheLimit_CountTogether_AndTheRestWaitsForThePrincipal()
    {
        await using var fees = await IssuedAsync();
        await fees.OkAsync("schools", "limits", "--approval-limit", "1000000");
        var owed = await fees.Db.ScalarAsync("SELECT sum(amount_due_vnd) FROM notices WHERE notice_no LIKE 'TS01-2025__-00001'");
        await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00001", "--amount", (owed + 2_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture));
        var student = Guid.Parse((await fees.Db.ListAsync("SELECT student_id FROM payments"))[0]);
        await using var db = fees.Db.Open();
        Assert.Equal(CorrectionDesk.Done, (await DeskOf(fees, db, Accountant).AskForRefundAsync("TS01", student, 900_000, "cash", "Phụ huynh xin nhận lại", default)).Status);
        // 900,000 + 900,000 is above the 1,000,000 limit: the second half waits, though each is below it.
        Assert.Equal(CorrectionDesk.Pending, (await DeskOf(fees, db, Accountant).AskForRefundAsync("TS01", student, 900_000, "cash", "Phần còn lại", default)).Status);
        Assert.Equal(900_000, await fees.Db.ScalarAsync("SELECT sum(amount_vnd) FROM refunds"));
        await AuditPassesAsync(fees);
    }

    [Fact]
    public async Task RefundsMadeOutsideTheDesk_CountTowardsTheLimit_ByWhenTheMoneyWentBack()
    {
        // Found by review: the desk counted only its own requests, by the day they were asked, so 900,000 paid back by
        // `payments refund` (or a leave paid back in cash) left the next 900,000 to the accountant alone.
        await using var fees = await IssuedAsync();
        await fees.OkAsync("schools", "limits", "--approval-limit", "1000000");
        var owed = await fees.Db.ScalarAsync("SELECT sum(amount_due_vnd) FROM notices WHERE notice_no LIKE 'TS01-2025__-00001'");
        await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00001", "--amount", (owed + 3_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture));
        var student = Guid.Parse((await fees.Db.ListAsync("SELECT student_id FROM payments"))[0]);
        var code = (await fees.Db.ListAsync($"SELECT student_code FROM students WHERE id = '{student}'"))[0];
        await fees.OkAsync("payments", "refund", "--student", code, "--amount", "900000", "--reason", "Phụ huynh xin nhận lại");
        await using (var db = fees.Db.Open())
        {
            var waiting = await DeskOf(fees, db, Accountant).AskForRefundAsync("TS01", student, 900_000, "cash", "Thêm", default);
            Assert.Equal(CorrectionDesk.Pending, waiting.Status);
            await DeskOf(fees, db, Principal).DecideAsync("TS01", waiting.Id, approve: false, "Hỏi lại phụ huynh", default);
        }
        // Thirty-one days later the first refund no longer counts.
        fees.Clock.Now = fees.Clock.Now.AddDays(31);
        await using (var db = fees.Db.Open())
            Assert.Equal(CorrectionDesk.Done, (await DeskOf(fees, db, Accountant).AskForRefundAsync("TS01", student, 900_000, "cash", "Thêm lần sau", default)).Status);
        Assert.Equal(1_800_000, await fees.Db.ScalarAsync("SELECT sum(amount_vnd) FROM refunds"));
        await AuditPassesAsync(fees);
    }

    [Fact]
    public async Task ARefundOfCredit_PaysBackOnlyThisSchoolsMoney_InCashOrByTransfer_AndTheAuditTiesItToItsRequest()
    {
        await using var fees = await IssuedAsync();
        // 2.000.000 ₫ more than the pupil owes over both months: credit at TS01.
        var owed = await fees.Db.ScalarAsync("SELECT sum(amount_due_vnd) FROM notices WHERE notice_no LIKE 'TS01-2025__-00001'");
        await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00001", "--amount", (owed + 2_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture));
        var student = Guid.Parse((await fees.Db.ListAsync("SELECT student_id FROM payments"))[0]);
        await using (var db = fees.Db.Open())
        {
            var done = await DeskOf(fees, db, Accountant).AskForRefundAsync("TS01", student, 1_500_000, "bank", "Phụ huynh xin nhận lại", default);
            Assert.Equal(CorrectionDesk.Done, done.Status);
            Assert.Equal("500000", done.Result);
            await Assert.ThrowsAsync<BusinessRuleException>(() => DeskOf(fees, db, Accountant).AskForRefundAsync("TS01", student, 600_000, "cash", "thêm", default));
        }
        Assert.Equal(["bank"], await fees.Db.ListAsync("SELECT DISTINCT method FROM refunds"));
        await AuditPassesAsync(fees);

        // Negative controls: a refund that lost its request's amount; a reversed payment's receipt set back to issued.
        fees.PlantsBrokenState();
        await fees.Db.ExecAsync("UPDATE correction_requests SET amount_vnd = amount_vnd + 1");
        var audit = await fees.RunAsync("audit");
        Assert.NotEqual(0, audit.ExitCode);
        Assert.Contains("FAIL  a correction marked done was made", audit.Out + audit.Err);
        await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00002", "--amount", "100000");
        var receipt = (await fees.Db.ListAsync("SELECT r.id FROM receipts r JOIN payments p ON p.id = r.payment_id WHERE p.amount_vnd = 100000"))[0];
        await using (var db = fees.Db.Open())
            await DeskOf(fees, db, Accountant).AskForReceiptAsync("TS01", CorrectionDesk.Reverse, Guid.Parse(receipt), "Thu nhầm", default);
        // The database refuses it (receipts are append-only); the audit must still see it when done around the trigger.
        var refused = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => fees.Db.ExecAsync($"UPDATE receipts SET status = 'issued', cancelled_at = NULL WHERE id = '{receipt}'"));
        Assert.Contains("is cancelled for good", refused.MessageText);
        await fees.Db.ExecAsync($"SET session_replication_role = replica; UPDATE receipts SET status = 'issued', cancelled_at = NULL WHERE id = '{receipt}'; SET session_replication_role = origin");
        audit = await fees.RunAsync("audit");
        Assert.Contains("FAIL  a reversed payment's receipts are cancelled", audit.Out + audit.Err);
    }
}
