using TdmEdu.Fees.Api.Application.Pupils;
using TdmEdu.Fees.Api.Common;

namespace TdmEdu.Fees.Api.Tests.Application;

/// <summary>
/// The pupil's and the notice's pages as data, on PostgreSQL: every figure from the ledger's rows (payments, receipts,
/// credit, refunds, reversals), contacts whole or half hidden, and each school seeing only its own records of a pupil.
/// </summary>
public sealed class PupilFilesTests
{
    private static async Task<string> PaymentCodeAsync(Support.Fees fees, string studentCode) =>
        (await fees.Db.ListAsync($"SELECT payment_code FROM students WHERE student_code = '{studentCode}'")).Single();

    private static async Task<string> NoticeOfAsync(Support.Fees fees, string studentCode, string period) =>
        (await fees.Db.ListAsync($"SELECT n.notice_no FROM notices n JOIN students s ON s.id = n.student_id WHERE s.student_code = '{studentCode}' AND n.period_key = {period.Replace("-", "", StringComparison.Ordinal)}")).Single();

    private static async Task<PupilRecord?> PupilAsync(Support.Fees fees, string school, string studentCode, bool whole = true)
    {
        var code = await PaymentCodeAsync(fees, studentCode);
        await using var db = fees.Db.Open();
        return await new PupilFiles(db, new BusinessClock(fees.Clock)).PupilAsync(school, code, whole);
    }

    private static async Task<NoticeRecord?> NoticeAsync(Support.Fees fees, string school, string noticeNo)
    {
        await using var db = fees.Db.Open();
        return await new PupilFiles(db, new BusinessClock(fees.Clock)).NoticeAsync(school, noticeNo);
    }

    private static async Task<string> CashAsync(Support.Fees fees, string notice, string amount, params string[] more) =>
        (await fees.OkAsync(["payments", "cash", "--notice", notice, "--amount", amount, .. more])).Split('\n')[0].Trim();

    [Fact]
    public async Task Pupil_ShowsNoticesPaymentsReceiptsCreditRefundsAndReversals_AsTheLedgerHasThem()
    {
        await using var fees = await PupilSearchTests.StartAsync();
        var notice = await NoticeOfAsync(fees, "7900000001", "2025-09");
        var first = await CashAsync(fees, notice, "1.500.000", "--payer", "Nguyễn Văn Bình");   // 128,200 more than owed
        var second = await CashAsync(fees, notice, "50.000");                                  // on a paid notice: all credit
        await fees.OkAsync("payments", "refund", "--student", "7900000001", "--amount", "28.200", "--reason", "Trả lại tiền thừa");
        await fees.OkAsync("payments", "reverse", "--receipt", second, "--reason", "Thu nhầm");

        var r = (await PupilAsync(fees, "TS01", "7900000001"))!;

        Assert.Equal(("Nguyễn Văn An", "1A1", null), (r.Pupil.FullName, r.Pupil.ClassName, r.Pupil.NowAt));
        var n = Assert.Single(r.Notices);
        Assert.Equal((notice, "paid", 1_371_800L, 0L), (n.NoticeNo, n.Status, n.PaidVnd, n.BalanceVnd));
        Assert.Equal(0, r.OwedVnd);
        // 128,200 held, 28,200 refunded from it (the oldest credit first); the reversed 50,000 holds nothing.
        Assert.Equal(100_000, r.CreditVnd);
        Assert.Equal([50_000L, 1_500_000L], r.Payments.Select(p => p.AmountVnd));
        var (reversed, paid) = (r.Payments[0], r.Payments[1]);
        Assert.NotNull(reversed.ReversedAt);
        Assert.Equal(second, reversed.Receipt);
        Assert.Equal((first, "Nguyễn Văn Bình", 100_000L, 28_200L), (paid.Receipt, paid.Payer, paid.HeldVnd, paid.RefundedVnd));
        Assert.Equal([new PaidNotice(notice, 1_371_800)], paid.Paid);
        Assert.Equal([(second, "cancelled"), (first, "issued")], r.Receipts.Select(x => (x.Reference, x.Status)));
        Assert.Equal("Thu nhầm", r.Receipts[0].CancelReason);
        Assert.Equal([(28_200L, "Trả lại tiền thừa")], r.Refunds.Select(x => (x.AmountVnd, x.Reason)));
        Assert.Contains(r.Messages, m => m.Kind == "notice_issued" && m.NoticeNo == notice && m.Channel == "sms");
        Assert.Empty(r.Transfers);
    }

    [Fact]
    public async Task Pupil_GuardiansContacts_WholeOnlyWhenAsked_OtherwiseHiddenAsTheParentPageHidesThem()
    {
        await using var fees = await PupilSearchTests.StartAsync();

        var whole = (await PupilAsync(fees, "TS01", "7900000001", whole: true))!.Guardian!;
        var hidden = (await PupilAsync(fees, "TS01", "7900000001", whole: false))!.Guardian!;

        Assert.Equal("Nguyễn Văn Bình", whole.Name);
        Assert.Equal([("phone", "0912000001", "all")], whole.Ways.Select(w => (w.Kind, w.Whole, w.Choice)));
        Assert.Equal([("phone", null, "•••••••001")], hidden.Ways.Select(w => (w.Kind, w.Whole, w.Shown)));
    }

    [Fact]
    public async Task Notice_ShowsLinesReductionsAmountsTheMoneyOnItAndItsMessages()
    {
        await using var fees = await PupilSearchTests.StartAsync();
        var notice = await NoticeOfAsync(fees, "7900000003", "2025-09"); // Nam: 100 % off the care, 50 % off meals
        var receipt = await CashAsync(fees, notice, "400.000");

        var n = (await NoticeAsync(fees, "TS01", notice.ToUpperInvariant()))!;

        Assert.Equal(("Lê Hoàng Nam", "3A1", "2025-09"), (n.PupilName, n.ClassName, n.Month.ToString()));
        Assert.Equal((1_371_800L, 470_000L, 901_800L), (n.GrossVnd, n.ReductionVnd, n.DueVnd));
        Assert.Equal(n.DueVnd, n.Lines.Sum(l => l.AmountVnd));
        Assert.Equal([100, 50, 0], n.Lines.Select(l => l.ReductionPercent));
        Assert.Equal((400_000L, 501_800L, "partially_paid"), (n.PaidVnd, n.BalanceVnd, n.Status));
        Assert.Equal([("payment", "cash", 400_000L, receipt)], n.Money.Select(m => (m.Kind, m.Method, m.AmountVnd, m.Receipt)));
        Assert.Contains(n.Messages, m => m.Kind == "notice_issued");
        Assert.Equal(new DateOnly(2025, 9, 15), n.DueDate);
    }

    [Fact]
    public async Task PupilAndNotice_OfAnotherSchool_AreNotFound()
    {
        await using var fees = await PupilSearchTests.StartAsync();
        var ts02Notice = await NoticeOfAsync(fees, "7900000040", "2025-09");
        var ts01Notice = await NoticeOfAsync(fees, "7900000002", "2025-09");

        Assert.Null(await PupilAsync(fees, "TS01", "7900000040"));
        Assert.Null(await PupilAsync(fees, "TS01", "7900000050"));
        Assert.Null(await PupilAsync(fees, "TS02", "7900000002"));
        Assert.Null(await NoticeAsync(fees, "TS01", ts02Notice));
        Assert.Null(await NoticeAsync(fees, "TS02", ts01Notice));
        Assert.NotNull(await NoticeAsync(fees, "TS01", ts01Notice));
    }

    [Fact]
    public async Task APupilWhoMoved_EachSchoolSeesItsOwnRecords_AndTheOldSchoolStillFindsThem()
    {
        await using var fees = await PupilSearchTests.StartAsync();
        var september = await NoticeOfAsync(fees, "7900000001", "2025-09");
        await CashAsync(fees, september, "500.000");
        await fees.OkAsync("students", "transfer", "--student", "7900000001", "--to", "TS02", "--class", "6A1", "--reason", "Theo đơn của phụ huynh");
        await fees.OkAsync("notices", "issue", "--period", "2025-10");

        var old = (await PupilAsync(fees, "TS01", "7900000001"))!;
        var now = (await PupilAsync(fees, "TS02", "7900000001"))!;
        await using var db = fees.Db.Open();
        var search = new PupilSearch(db);
        var atOld = await search.FindAsync("TS01", "nguyen van an");
        var atNew = await search.FindAsync("TS02", "nguyen van an");

        Assert.Equal("Trường THCS Thử Nghiệm", old.Pupil.NowAt);
        Assert.Null(old.Guardian);
        Assert.Equal([september], old.Notices.Select(x => x.NoticeNo));
        Assert.Equal([500_000L], old.Payments.Select(p => p.AmountVnd));
        Assert.Equal([(false, "Trường THCS Thử Nghiệm")], old.Transfers.Select(t => (t.In, t.ToSchool)));
        Assert.Null(now.Pupil.NowAt);
        Assert.Equal(["2025-10"], now.Notices.Select(x => x.Month.ToString()));
        Assert.Empty(now.Payments);
        Assert.Equal([(true, "Trường Tiểu học Thử Nghiệm")], now.Transfers.Select(t => (t.In, t.FromSchool)));
        Assert.Equal([("7900000001", true)], atOld.Pupils.Select(p => (p.StudentCode, p.Moved)));
        Assert.Equal(["7900000001", "7900000050"], atNew.Pupils.Select(p => p.StudentCode).Order());
        Assert.All(atNew.Pupils, p => Assert.False(p.Moved));
    }
}
