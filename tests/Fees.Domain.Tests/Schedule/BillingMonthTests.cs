using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Domain.Tests.Schedule;

/// <summary>A billing period is one calendar month written yyyy-MM (cli.md: --period YYYY-MM).</summary>
public sealed class BillingMonthTests
{
    [Theory]
    [InlineData("2025-09", 2025, 9)]
    [InlineData("2026-01", 2026, 1)]
    [InlineData("2000-12", 2000, 12)]
    [InlineData("2200-01", 2200, 1)]
    public void TryParse_APeriodWrittenYyyyMm_IsRead(string text, int year, int month)
    {
        Assert.True(BillingMonth.TryParse(text, out var m));
        Assert.Equal(new BillingMonth(year, month), m);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("2025-9")]
    [InlineData("2025/09")]
    [InlineData("2025-009")]
    [InlineData("20a5-09")]
    [InlineData("2025-0a")]
    [InlineData("+025-09")]
    [InlineData("2025-00")]
    [InlineData("2025-13")]
    [InlineData("1999-12")]
    [InlineData("2201-01")]
    public void TryParse_AnythingElse_IsRefused(string? text)
    {
        Assert.False(BillingMonth.TryParse(text, out var m));
        Assert.Equal(default, m);
    }

    [Fact]
    public void ToString_WritesTheMonthAsItIsTyped()
    {
        Assert.Equal("2025-09", new BillingMonth(2025, 9).ToString());
        Assert.Equal("2026-12", new BillingMonth(2026, 12).ToString());
    }

    [Fact]
    public void FirstAndLastDay_SpanTheCalendarMonth()
    {
        Assert.Equal((new DateOnly(2025, 9, 1), new DateOnly(2025, 9, 30)), (new BillingMonth(2025, 9).FirstDay, new BillingMonth(2025, 9).LastDay));
        Assert.Equal(new DateOnly(2024, 2, 29), new BillingMonth(2024, 2).LastDay);
        Assert.Equal(new DateOnly(2025, 12, 31), new BillingMonth(2025, 12).LastDay);
    }

    [Fact]
    public void Of_ADate_IsItsMonth() => Assert.Equal(new BillingMonth(2025, 10), BillingMonth.Of(new DateOnly(2025, 10, 31)));

    [Fact]
    public void Key_IsYyyyMmAsANumberAndReadsBack()
    {
        Assert.Equal(202509, new BillingMonth(2025, 9).Key);
        Assert.Equal(new BillingMonth(2026, 1), BillingMonth.FromKey(202601));
        Assert.True(new BillingMonth(2025, 12).Key < new BillingMonth(2026, 1).Key);
    }

    [Fact]
    public void Next_AfterDecember_IsJanuaryOfTheNextYear()
    {
        Assert.Equal(new BillingMonth(2026, 1), new BillingMonth(2025, 12).Next());
        Assert.Equal(new BillingMonth(2025, 10), new BillingMonth(2025, 9).Next());
    }

    [Theory]
    [InlineData(2025, 12, 2026, 1)]
    [InlineData(2025, 9, 2025, 9)]
    [InlineData(2026, 5, 2025, 9)]
    public void Comparisons_FollowTheCalendar(int y1, int m1, int y2, int m2)
    {
        BillingMonth a = new(y1, m1), b = new(y2, m2);
        var order = (y1 * 12 + m1).CompareTo(y2 * 12 + m2);

        bool[] expected = [order < 0, order > 0, order <= 0, order >= 0], actual = [a < b, a > b, a <= b, a >= b];

        Assert.Equal(expected, actual);
        Assert.Equal(order, Math.Sign(a.CompareTo(b)));
    }
}
