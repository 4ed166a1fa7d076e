using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Application;

public sealed class LedgerTests
{
    private static async Task<Support.Fees> IssuedAsync(params string[] periods)
    {
        var fees = await Support.Fees.StartAsync();
        await fees.SetUpExampleSchoolAsync();
        foreach (var p in periods.DefaultIfEmpty("2025-09")) await fees.OkAsync("notices", "issue", "--period", p);
        return fees;
    }

    private static Task<long> PaidAsync(Support.Fees fees, string notice) =>
        fees.Db.ScalarAsync($"SELECT amount_paid_vnd FROM notices WHERE notice_no = '{notice}'");

    private static async Task<string> StatusAsync(Support.Fees fees, string notice)
    {
        await using var db = fees.Db.Open();
        return (await db.Notices.SingleAsync(n => n.NoticeNo == notice)).Status.ToString();
    }

    private static async Task AuditPassesAsync(Support.Fees fees)
    {
        var r = await fees.RunAsync("audit");
        Assert.True(r.ExitCode == 0, r.ToString());
    }

    [Fact]
    public async Task PaymentsCash_FullAmount_PaysTheNoticeAndPrintsReceiptOne()
    {
        await using var fees = await IssuedAsync();

        var output = await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00001", "--amount", "1.371.800", "--payer", "Nguyễn Văn Bình");

        Assert.StartsWith("TS01/EBL01/25T/0000001", output);
        Assert.Equal(1_371_800, await PaidAsync(fees, "TS01-202509-00001"));
        Assert.Equal("Paid", await StatusAsync(fees, "TS01-202509-00001"));
        await AuditPassesAsync(fees);
    }

    [Fact]
    public async Task PaymentsCash_PartAmount_LeavesNoticePartiallyPaidAndPaysLinesInScheduleOrder()
    {
        await using var fees = await IssuedAsync();

        await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00001", "--amount", "300000");

        Assert.Equal("PartiallyPaid", await StatusAsync(fees, "TS01-202509-00001"));
        // BAN_TRU (200000) is paid first, then 100000 of TIEN_AN; BHYT waits.
        Assert.Equal(200_000, await fees.Db.ScalarAsync("SELECT sum(a.amount_vnd) FROM allocations a JOIN notice_lines l ON l.id = a.notice_line_id WHERE l.item_code = 'BAN_TRU'"));
        Assert.Equal(100_000, await fees.Db.ScalarAsync("SELECT sum(a.amount_vnd) FROM allocations a JOIN notice_lines l ON l.id = a.notice_line_id WHERE l.item_code = 'TIEN_AN'"));
        await AuditPassesAsync(fees);
    }

    [Fact]
    public async Task PaymentsCash_Overpayment_BecomesCreditThatTheNextNoticeUsesAsPaid()
    {
        await using var fees = await IssuedAsync();

        var output = await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00001", "--amount", "1500000");
        await fees.OkAsync("notices", "issue", "--period", "2025-10");

        Assert.Contains("128.200 ₫ held as the student's credit", output);
        var october = await fees.Db.ScalarAsync("SELECT id IS NOT NULL FROM notices WHERE notice_no = 'TS01-202510-00001'") == 1;
        Assert.True(october);
        // Credit shows as amount paid, never as a smaller amount due.
        Assert.Equal(860_000, await fees.Db.ScalarAsync("SELECT amount_due_vnd FROM notices WHERE notice_no = 'TS01-202510-00001'"));
        Assert.Equal(128_200, await PaidAsync(fees, "TS01-202510-00001"));
        Assert.Equal("PartiallyPaid", await StatusAsync(fees, "TS01-202510-00001"));
        await AuditPassesAsync(fees);
    }

    [Fact]
    public async Task PaymentsCash_WithOlderOpenNotice_PaysTheNamedNoticeFirstThenTheOldest()
    {
        await using var fees = await IssuedAsync("2025-09", "2025-10");

        await fees.OkAsync("payments", "cash", "--notice", "TS01-202510-00001", "--amount", "1000000");

        Assert.Equal(860_000, await PaidAsync(fees, "TS01-202510-00001"));
        Assert.Equal(140_000, await PaidAsync(fees, "TS01-202509-00001"));
        await AuditPassesAsync(fees);
    }

    [Fact]
    public async Task PaymentsCash_TenAtOnceOnOneNotice_KeepReceiptsGapFreeAndMoneyWhole()
    {
        await using var fees = await IssuedAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ =>
            fees.RunAsync("payments", "cash", "--notice", "TS01-202509-00001", "--amount", "200000")));

        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.ToString()));
        var numbers = results.Select(r => r.Out.Split('\n')[0].Trim()).OrderBy(x => x, StringComparer.Ordinal).ToList();
        Assert.Equal(Enumerable.Range(1, 10).Select(n => $"TS01/EBL01/25T/{n:D7}"), numbers);
        Assert.Equal(1_371_800, await PaidAsync(fees, "TS01-202509-00001"));
        // 2,000,000 received, 1,371,800 on the notice: the rest is held as credit, not lost.
        Assert.Equal(628_200, await fees.Db.ScalarAsync(
            "SELECT (SELECT sum(amount_vnd) FROM payments) - (SELECT sum(amount_vnd) FROM allocations)"));
        await AuditPassesAsync(fees);
    }

    [Fact]
    public async Task PaymentsCash_SameClientReferenceTwice_IsRecordedOnce()
    {
        await using var fees = await IssuedAsync();

        var first = await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00002", "--amount", "500000", "--ref", "desk-1-0001");
        var second = await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00002", "--amount", "500000", "--ref", "desk-1-0001");

        Assert.Equal(first.Split('\n')[0], second.Split('\n')[0]);
        Assert.Equal(1, await fees.Db.ScalarAsync("SELECT count(*) FROM payments"));
        Assert.Equal(500_000, await PaidAsync(fees, "TS01-202509-00002"));
    }

    [Fact]
    public async Task PaymentsReverse_UndoesWithLinkedEntriesAndCancelsTheReceipt()
    {
        await using var fees = await IssuedAsync();
        var receipt = (await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00001", "--amount", "1500000")).Split('\n')[0].Trim();
        await fees.OkAsync("notices", "issue", "--period", "2025-10"); // uses the 128,200 credit

        await fees.OkAsync("payments", "reverse", "--receipt", receipt, "--reason", "Thu nhầm học sinh");

        Assert.Equal(0, await PaidAsync(fees, "TS01-202509-00001"));
        Assert.Equal(0, await PaidAsync(fees, "TS01-202510-00001"));
        Assert.Equal("Issued", await StatusAsync(fees, "TS01-202509-00001"));
        Assert.Equal(1, await fees.Db.ScalarAsync("SELECT count(*) FROM receipts WHERE status = 'cancelled'"));
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT sum(amount_vnd) FROM payments"));
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM allocations a WHERE a.amount_vnd < 0 AND a.reverses_allocation_id IS NULL"));
        await AuditPassesAsync(fees);

        var twice = await fees.RunAsync("payments", "reverse", "--receipt", receipt, "--reason", "again");
        Assert.Equal(3, twice.ExitCode);
        Assert.Contains("already reversed", twice.Err);
    }

    [Fact]
    public async Task PaymentsRefund_MoreThanTheCredit_IsRefusedAndTheRestWorks()
    {
        await using var fees = await IssuedAsync();
        await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00001", "--amount", "1500000");

        var tooMuch = await fees.RunAsync("payments", "refund", "--student", "7900000001", "--amount", "200000", "--reason", "Trả lại tiền thừa");
        var ok = await fees.OkAsync("payments", "refund", "--student", "7900000001", "--amount", "128200", "--reason", "Trả lại tiền thừa");

        Assert.Equal(3, tooMuch.ExitCode);
        Assert.Contains("more than the 128200 đồng the student holds as credit", tooMuch.Err);
        Assert.Contains("0 ₫ credit left", ok);
        await AuditPassesAsync(fees);
    }

    [Fact]
    public async Task ReceiptsCancel_KeepsTheNumberAndLinksAReplacementWithTheNextOne()
    {
        await using var fees = await IssuedAsync();
        await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00001", "--amount", "100000");
        await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00002", "--amount", "100000");

        var output = await fees.OkAsync("receipts", "cancel", "--receipt", "TS01/EBL01/25T/0000001", "--reason", "Sai tên người nộp");

        Assert.Contains("its replacement is TS01/EBL01/25T/0000003", output);
        Assert.Equal(3, await fees.Db.ScalarAsync("SELECT count(*) FROM receipts"));
        Assert.Equal(1, await fees.Db.ScalarAsync(
            "SELECT count(*) FROM receipts r JOIN receipts o ON o.id = r.replaces_receipt_id WHERE o.number = 1 AND r.number = 3"));
        await AuditPassesAsync(fees);
    }

    [Fact]
    public async Task Receipts_TwoSchoolsWithTheSameSeriesSymbols_NumberSeparatelyAndNeedTheSchoolToBeNamed()
    {
        await using var fees = await IssuedAsync();
        await fees.OkAsync("students", "import", fees.File("ts02.csv", Samples.StudentHeader +
            "TS02,7900000040,Đặng Quốc Bảo,07/07/2013,Nam,6,6A1,Đặng Văn Hùng,0912000040,,,\n"));
        await fees.OkAsync("notices", "issue", "--period", "2025-09", "--school", "TS02");

        var a = (await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00001", "--amount", "100000")).Split('\n')[0];
        var b = (await fees.OkAsync("payments", "cash", "--notice", "TS02-202509-00001", "--amount", "100000")).Split('\n')[0];
        var ambiguous = await fees.RunAsync("receipts", "cancel", "--receipt", "EBL01/25T/0000001", "--reason", "x");

        Assert.Equal("TS01/EBL01/25T/0000001", a);
        Assert.Equal("TS02/EBL01/25T/0000001", b);
        Assert.Equal(2, ambiguous.ExitCode);
        Assert.Contains("put the school code in front", ambiguous.Err);
        await fees.OkAsync("receipts", "cancel", "--receipt", b, "--reason", "Sai số tiền");
        Assert.Equal(1, await fees.Db.ScalarAsync("SELECT count(*) FROM receipts WHERE status = 'replaced' AND school_id = (SELECT id FROM schools WHERE code = 'TS02')"));
        await AuditPassesAsync(fees);
    }

    [Fact]
    public async Task NoticesCancel_WithMoney_MovesItToCreditAndEndsRefunded()
    {
        await using var fees = await IssuedAsync();
        await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00001", "--amount", "300000");

        var output = await fees.OkAsync("notices", "cancel", "--notice", "TS01-202509-00001", "--reason", "Học sinh chuyển trường trước khai giảng");
        var pay = await fees.RunAsync("payments", "cash", "--notice", "TS01-202509-00001", "--amount", "1000");

        Assert.Contains("refunded", output);
        Assert.Equal("Refunded", await StatusAsync(fees, "TS01-202509-00001"));
        Assert.Equal(3, pay.ExitCode);
        Assert.Contains("takes no payment", pay.Err);
        await AuditPassesAsync(fees);
    }

    [Fact]
    public async Task PaymentsCash_BadAmountOrUnknownNotice_WritesNothing()
    {
        await using var fees = await IssuedAsync();

        Assert.Equal(1, (await fees.RunAsync("payments", "cash", "--notice", "TS01-202509-00001", "--amount", "12,5")).ExitCode);
        Assert.Equal(1, (await fees.RunAsync("payments", "cash", "--notice", "TS01-202509-00001", "--amount", "-5")).ExitCode);
        Assert.Equal(2, (await fees.RunAsync("payments", "cash", "--notice", "TS01-202509-00001", "--amount", "0")).ExitCode);
        var unknown = await fees.RunAsync("payments", "cash", "--notice", "NOPE", "--amount", "1000");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("there is no notice NOPE", unknown.Err);
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM payments"));
    }
}
