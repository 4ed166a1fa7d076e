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

    [Fact]
    public void AfterReduction_OfANegativeAmount_IsRefused()
    {
        var e = Assert.Throws<InvalidOperationException>(() => new Money(-1).AfterReduction(50));

        Assert.Equal("Reductions apply to charges, which are never negative.", e.Message);
        Assert.Equal(0, Money.Zero.AfterReduction(50).Dong);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(101)]
    public void AfterReduction_OutsideZeroToHundred_SaysTheRange(int percent)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new Money(100).AfterReduction(percent));

        Assert.Equal("percent", e.ParamName);
        Assert.StartsWith("A reduction is between 0 and 100 percent.", e.Message);
    }

    [Theory]
    [InlineData(100, new long[] { 1, 1, 1 }, new long[] { 34, 33, 33 })]
    [InlineData(101, new long[] { 0, 1, 1 }, new long[] { 0, 51, 50 })]
    [InlineData(-100, new long[] { 1, 1, 1 }, new long[] { -34, -33, -33 })]
    [InlineData(1_000, new long[] { 3, 1 }, new long[] { 750, 250 })]
    [InlineData(7, new long[] { 0, 0, 5 }, new long[] { 0, 0, 7 })]
    public void Split_TheDongsLostToRounding_GoToTheFirstPartsWithAWeight(long amount, long[] weights, long[] expected) =>
        Assert.Equal(expected, new Money(amount).Split(weights).Select(p => p.Dong));

    [Fact]
    public void Split_WithoutParts_IsRefused()
    {
        Assert.Throws<ArgumentNullException>(() => new Money(100).Split(null!));
        Assert.Equal("Splitting needs at least one part. (Parameter 'weights')", Assert.Throws<ArgumentException>(() => new Money(100).Split([])).Message);
    }

    [Fact]
    public void Split_ANegativeWeight_IsRefusedEvenBesidePositiveOnes() =>
        Assert.Equal("Weights are never negative. (Parameter 'weights')",
            Assert.Throws<ArgumentException>(() => new Money(100).Split([5, -1, 5])).Message);

    [Fact]
    public void Split_AllWeightsZero_IsRefused() =>
        Assert.Equal("At least one weight must be above zero. (Parameter 'weights')",
            Assert.Throws<ArgumentException>(() => new Money(100).Split([0, 0])).Message);

    [Fact]
    public void Arithmetic_IsOnWholeDong()
    {
        Assert.Equal(new Money(1_371_800), new Money(1_000_000) + new Money(371_800));
        Assert.Equal(new Money(628_200), new Money(1_000_000) - new Money(371_800));
        Assert.Equal(new Money(-371_800), -new Money(371_800));
        Assert.Equal(new Money(540_000), new Money(30_000) * 18);
    }

    [Theory]
    [InlineData(-1, false, false, true)]
    [InlineData(0, true, false, false)]
    [InlineData(1, false, true, false)]
    public void Sign_IsZeroPositiveOrNegative(long dong, bool zero, bool positive, bool negative) =>
        Assert.Equal((zero, positive, negative), (new Money(dong).IsZero, new Money(dong).IsPositive, new Money(dong).IsNegative));

    [Theory]
    [InlineData(1, 2)]
    [InlineData(2, 2)]
    [InlineData(3, 2)]
    [InlineData(-5, 0)]
    public void Comparisons_FollowTheAmount(long a, long b)
    {
        Money x = new(a), y = new(b);

        bool[] expected = [a < b, a > b, a <= b, a >= b], actual = [x < y, x > y, x <= y, x >= y];

        Assert.Equal(expected, actual);
        Assert.Equal(a.CompareTo(b), x.CompareTo(y));
        Assert.Equal(Math.Min(a, b), Money.Min(x, y).Dong);
        Assert.Equal(Math.Max(a, b), Money.Max(x, y).Dong);
    }

    [Theory]
    [InlineData(0, "0 đ")]
    [InlineData(1_371_800, "1.371.800 đ")]
    [InlineData(-50_000, "-50.000 đ")]
    public void ToString_WritesDotsBetweenThousands(long dong, string text) => Assert.Equal(text, new Money(dong).ToString());
}
