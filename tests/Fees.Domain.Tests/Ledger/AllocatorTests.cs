using TdmEdu.Fees.Domain.Ledger;

namespace TdmEdu.Fees.Domain.Tests.Ledger;

/// <summary>
/// The allocation rules as the accountant and cli.md state them: money pays the notice it names, then the oldest
/// month, notices of a month in number order, a notice's lines in the schedule's item order; what is left is
/// credit. Held credit and refunds are taken oldest payment first.
/// </summary>
public sealed class AllocatorTests
{
    private static readonly Guid Sep = Guid.NewGuid(), Oct = Guid.NewGuid(), Nov = Guid.NewGuid();

    /// <summary>One open line of a notice of the given month (yyyyMM), numbered like the service numbers them.</summary>
    private static OpenLine Line(Guid notice, int period, int lineNo, long outstandingVnd, string? noticeNo = null) =>
        new(notice, Guid.NewGuid(), period, noticeNo ?? $"TS01-{period}-00001", lineNo, outstandingVnd);

    private static IReadOnlyList<(Guid Notice, long Amount)> Paid(AllocationPlan plan) =>
        plan.Allocations.Select(a => (a.NoticeId, a.AmountVnd)).ToList();

    [Fact]
    public void Plan_WhenSeveralMonthsOpen_PaysOldestMonthFirst()
    {
        // Given newest first, so only the rule can put September first.
        var lines = new[] { Line(Nov, 202511, 1, 300_000), Line(Oct, 202510, 1, 300_000), Line(Sep, 202509, 1, 300_000) };

        var plan = Allocator.Plan(450_000, lines);

        Assert.Equal([(Sep, 300_000L), (Oct, 150_000L)], Paid(plan));
        Assert.Equal(0, plan.RemainderVnd);
    }

    [Fact]
    public void Plan_WhenTheNewYearHasBegun_PaysDecemberBeforeJanuary()
    {
        var dec = Guid.NewGuid();
        var jan = Guid.NewGuid();

        var plan = Allocator.Plan(100_000, [Line(jan, 202601, 1, 100_000), Line(dec, 202512, 1, 100_000)]);

        Assert.Equal([(dec, 100_000L)], Paid(plan));
    }

    [Fact]
    public void Plan_WhenTwoNoticesShareAMonth_PaysTheLowerNoticeNumberFirst()
    {
        var first = Guid.NewGuid();
        var second = Guid.NewGuid();
        var lines = new[] { Line(second, 202509, 1, 100_000, "TS01-202509-00002"), Line(first, 202509, 1, 100_000, "TS01-202509-00001") };

        var plan = Allocator.Plan(100_000, lines);

        Assert.Equal([(first, 100_000L)], Paid(plan));
    }

    [Fact]
    public void Plan_WithinANotice_PaysLinesInTheSchedulesItemOrder()
    {
        var meals = Line(Sep, 202509, 2, 540_000);
        var care = Line(Sep, 202509, 1, 200_000);
        var insurance = Line(Sep, 202509, 3, 631_800);

        var plan = Allocator.Plan(500_000, [insurance, meals, care]);

        Assert.Equal([(care.LineId, 200_000L), (meals.LineId, 300_000L)], plan.Allocations.Select(a => (a.LineId, a.AmountVnd)));
    }

    [Fact]
    public void Plan_WhenThePaymentNamesANotice_PaysItBeforeOlderMonths()
    {
        var plan = Allocator.Plan(400_000, [Line(Sep, 202509, 1, 300_000), Line(Oct, 202510, 1, 300_000)], preferredNoticeId: Oct);

        Assert.Equal([(Oct, 300_000L), (Sep, 100_000L)], Paid(plan));
    }

    [Fact]
    public void Plan_WhenTheNamedNoticeIsNotOpen_PaysOldestMonthFirst()
    {
        var plan = Allocator.Plan(100_000, [Line(Oct, 202510, 1, 100_000), Line(Sep, 202509, 1, 100_000)], preferredNoticeId: Guid.NewGuid());

        Assert.Equal([(Sep, 100_000L)], Paid(plan));
    }

    [Fact]
    public void Plan_WhenMoreArrivesThanIsOwed_PaysEverythingAndHoldsTheRestAsCredit()
    {
        var plan = Allocator.Plan(1_000_000, [Line(Sep, 202509, 1, 300_000), Line(Oct, 202510, 1, 200_000)]);

        Assert.Equal([(Sep, 300_000L), (Oct, 200_000L)], Paid(plan));
        Assert.Equal(500_000, plan.RemainderVnd);
        Assert.Equal(500_000, plan.AllocatedVnd);
    }

    [Fact]
    public void Plan_WhenNothingIsOwed_HoldsAllOfItAsCredit()
    {
        var plan = Allocator.Plan(250_000, []);

        Assert.Empty(plan.Allocations);
        Assert.Equal(250_000, plan.RemainderVnd);
    }

    [Fact]
    public void Plan_WhenLessArrivesThanIsOwed_StopsWhereTheMoneyEnds()
    {
        var plan = Allocator.Plan(300_000, [Line(Sep, 202509, 1, 300_000), Line(Oct, 202510, 1, 300_000)]);

        Assert.Equal([(Sep, 300_000L)], Paid(plan));
        Assert.Equal(0, plan.RemainderVnd);
    }

    [Fact]
    public void Plan_LinesAlreadyPaid_TakeNothing()
    {
        var plan = Allocator.Plan(100_000, [Line(Sep, 202509, 1, 0), Line(Oct, 202510, 1, 100_000)]);

        Assert.Equal([(Oct, 100_000L)], Paid(plan));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Plan_NothingOrLessThanNothing_IsNotAPayment(long amountVnd)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Allocator.Plan(amountVnd, [Line(Sep, 202509, 1, 100)]));

        Assert.Equal("amountVnd", e.ParamName);
        Assert.StartsWith("A payment is above zero.", e.Message);
    }

    [Fact]
    public void PlanCreditUse_PaysOldestMonthFirstFromTheOldestCredit()
    {
        Guid older = Guid.NewGuid(), newer = Guid.NewGuid();
        var oct = Line(Oct, 202510, 1, 150_000);
        var sep = Line(Sep, 202509, 1, 100_000);

        var uses = Allocator.PlanCreditUse([new CreditSource(older, 120_000), new CreditSource(newer, 500_000)], [oct, sep]);

        Assert.Equal(
            [(older, Sep, 100_000L), (older, Oct, 20_000L), (newer, Oct, 130_000L)],
            uses.Select(u => (u.PaymentId, u.NoticeId!.Value, u.AmountVnd)));
        Assert.Equal([sep.LineId, oct.LineId, oct.LineId], uses.Select(u => u.LineId!.Value));
    }

    [Fact]
    public void PlanCreditUse_APartlyUsedCredit_IsUsedUpBeforeTheNextOne()
    {
        Guid first = Guid.NewGuid(), second = Guid.NewGuid(), third = Guid.NewGuid();
        var lines = new[] { Line(Sep, 202509, 1, 30_000), Line(Sep, 202509, 2, 30_000), Line(Oct, 202510, 1, 100_000) };

        var uses = Allocator.PlanCreditUse([new(first, 100_000), new(second, 40_000), new(third, 5_000)], lines);

        Assert.Equal([(first, 30_000L), (first, 30_000L), (first, 40_000L), (second, 40_000L), (third, 5_000L)], uses.Select(u => (u.PaymentId, u.AmountVnd)));
    }

    [Fact]
    public void PlanCreditUse_WhenCreditIsShort_UsesAllOfItAndLeavesTheRestOwed()
    {
        var payment = Guid.NewGuid();

        var uses = Allocator.PlanCreditUse([new(payment, 70_000)], [Line(Sep, 202509, 1, 50_000), Line(Oct, 202510, 1, 50_000)]);

        Assert.Equal([(Sep, 50_000L), (Oct, 20_000L)], uses.Select(u => (u.NoticeId!.Value, u.AmountVnd)));
    }

    [Fact]
    public void PlanCreditUse_PaymentsHoldingNoCredit_AreNotDrawnOn()
    {
        Guid spent = Guid.NewGuid(), overdrawn = Guid.NewGuid(), holding = Guid.NewGuid();

        var uses = Allocator.PlanCreditUse([new(spent, 0), new(overdrawn, -10_000), new(holding, 60_000)], [Line(Sep, 202509, 1, 100_000)]);

        Assert.Equal([(holding, 60_000L)], uses.Select(u => (u.PaymentId, u.AmountVnd)));
    }

    [Fact]
    public void PlanCreditUse_WithoutCredit_UsesNothing() =>
        Assert.Empty(Allocator.PlanCreditUse([], [Line(Sep, 202509, 1, 100_000)]));

    [Fact]
    public void PlanRefund_TakesTheOldestCreditFirstAndOnlyWhatItNeeds()
    {
        Guid older = Guid.NewGuid(), newer = Guid.NewGuid(), newest = Guid.NewGuid();

        var uses = Allocator.PlanRefund(150_000, [new(older, 100_000), new(newer, 80_000), new(newest, 80_000)]);

        Assert.Equal([(older, 100_000L), (newer, 50_000L)], uses.Select(u => (u.PaymentId, u.AmountVnd)));
        Assert.All(uses, u => Assert.Equal((null, null), (u.NoticeId, u.LineId)));
    }

    [Fact]
    public void PlanRefund_PaymentsHoldingNoCredit_AreNotDrawnOn()
    {
        Guid spent = Guid.NewGuid(), holding = Guid.NewGuid();

        var uses = Allocator.PlanRefund(10_000, [new(spent, 0), new(holding, 10_000)]);

        Assert.Equal([(holding, 10_000L)], uses.Select(u => (u.PaymentId, u.AmountVnd)));
    }

    [Fact]
    public void PlanRefund_MoreThanTheCreditHeld_IsRefusedWithBothAmounts()
    {
        var e = Assert.Throws<LedgerRuleException>(() => Allocator.PlanRefund(150_000, [new(Guid.NewGuid(), 100_000), new(Guid.NewGuid(), 20_000)]));

        Assert.Equal("A refund of 150000 đồng is more than the 120000 đồng the student holds as credit.", e.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void PlanRefund_NothingOrLessThanNothing_IsNotARefund(long amountVnd)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Allocator.PlanRefund(amountVnd, [new(Guid.NewGuid(), 100_000)]));

        Assert.Equal("amountVnd", e.ParamName);
        Assert.StartsWith("A refund is above zero.", e.Message);
    }
}
