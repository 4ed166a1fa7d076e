using TdmEdu.Fees.Domain.Billing;
using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Domain.Tests.Billing;

public sealed class AbsenceRefundTests
{
    [Theory]
    [InlineData(1, false, 3, 1, 18, 3)]
    [InlineData(1, true, 3, 1, 18, 4)]
    [InlineData(3, false, 3, 0, 18, 1)]
    [InlineData(3, false, 2, 5, 18, 0)]
    [InlineData(1, true, 15, 10, 18, 18)]
    public void RefundableDays_FollowTheRule_AndNeverExceedTheDaysBilled(int from, bool without, int noticed, int unnoticed, int billed, int expected) =>
        Assert.Equal(expected, new AbsenceRefundRule(from, without).RefundableDays(noticed, unnoticed, billed));

    [Fact]
    public void ARefund_IsWhatTheLineChargedLessWhatTheDaysEatenCost_WithTheReductionFloored()
    {
        // 17 × 30,001 × 50% = 255,008.5 → 255,008; 18 days → 270,009: the refund is 15,001, not half of 30,001 rounded.
        var line = new BilledDayLine(18, 30_001, 50);
        Assert.Equal(15_001, line.RefundFor(1));
        Assert.Equal(270_009, line.RefundFor(18));
        Assert.Equal(270_009, line.RefundFor(40));
        Assert.Equal(0, new BilledDayLine(18, 30_000, 100).RefundFor(5));
    }

    private static NoticeDraft Draft(long meals) => new(new BillingMonth(2025, 10), new DateOnly(2025, 10, 15),
    [
        new NoticeLineDraft(1, "BAN_TRU", "Bán trú", FeeKind.Service, 1, 200_000, 200_000, 0, null, 200_000),
        new NoticeLineDraft(2, "TIEN_AN", "Tiền ăn", FeeKind.Service, 1, meals, meals, 0, null, meals),
    ]);

    [Fact]
    public void Adjustments_GoOnTheirItemsLine_ARefundStopsAtZero_AndTheRestWaits()
    {
        var after = NoticeAdjustments.Apply(Draft(50_000), [new LineAdjustment("TIEN_AN", 202509, 3, 90_000), new LineAdjustment("HOC_PHI", 202509, 1, 10_000)], out var applied);
        var meals = after.Lines[1];
        Assert.Equal((0L, 50_000L, 1), (meals.AmountVnd, meals.AdjustVnd, meals.AdjustDays));
        Assert.Equal(200_000, after.AmountDueVnd);
        Assert.Equal([new LineAdjustment("TIEN_AN", 202509, 1, 50_000)], applied);
    }

    [Fact]
    public void AChargeBack_RaisesTheLine()
    {
        var after = NoticeAdjustments.Apply(Draft(600_000), [new LineAdjustment("TIEN_AN", 202509, -1, -15_000)], out var applied);
        Assert.Equal((615_000L, -15_000L, -1, 0L), (after.Lines[1].AmountVnd, after.Lines[1].AdjustVnd, after.Lines[1].AdjustDays, after.Lines[1].ReductionVnd));
        Assert.Single(applied);
    }
}
