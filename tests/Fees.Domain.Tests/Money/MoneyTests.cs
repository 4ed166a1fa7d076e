namespace TdmEdu.Fees.Domain.Tests.Money;

using Money = TdmEdu.Fees.Domain.Money.Money;

public sealed class MoneyTests
{
    [Theory]
    [InlineData(200_000, 50, 100_000)]
    [InlineData(631_801, 50, 315_900)]
    [InlineData(99, 70, 29)]
    [InlineData(540_000, 100, 0)]
    [InlineData(540_000, 0, 540_000)]
    public void AfterReduction_RoundsDownToTheDong(long amount, int percent, long expected) =>
        Assert.Equal(expected, new Money(amount).AfterReduction(percent).Dong);

    [Fact]
    public void AfterReduction_OutsideZeroToHundred_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new Money(100).AfterReduction(101));

    [Fact]
    public void Split_AnyAmountAndWeights_LosesNoDong()
    {
        var rng = new Random(3);
        for (var i = 0; i < 5000; i++)
        {
            var amount = rng.NextInt64(0, 10_000_000_000);
            var weights = Enumerable.Range(0, rng.Next(1, 8)).Select(_ => (long)rng.Next(0, 1000)).ToList();
            if (weights.Sum() == 0) weights[0] = 1;
            var parts = new Money(amount).Split(weights);
            Assert.Equal(amount, parts.Sum(p => p.Dong));
            Assert.All(parts.Zip(weights), x => Assert.True(x.Second > 0 || x.First.Dong == 0));
        }
    }

    [Fact]
    public void Addition_Overflow_ThrowsInsteadOfWrapping() =>
        Assert.Throws<OverflowException>(() => new Money(long.MaxValue) + new Money(1));
}
