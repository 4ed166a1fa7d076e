using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Domain.Tests.Schedule;

/// <summary>A school year is written 2025-2026 and starts in August of its first year.</summary>
public sealed class SchoolYearTests
{
    [Theory]
    [InlineData(2025, 7, 2024)]
    [InlineData(2025, 8, 2025)]
    [InlineData(2025, 9, 2025)]
    [InlineData(2025, 12, 2025)]
    [InlineData(2026, 1, 2025)]
    [InlineData(2026, 5, 2025)]
    public void Containing_AMonth_IsTheYearThatStartedTheAugustBefore(int year, int month, int startYear) =>
        Assert.Equal(new SchoolYear(startYear), SchoolYear.Containing(new BillingMonth(year, month)));

    [Theory]
    [InlineData(8, 2025, 8)]
    [InlineData(12, 2025, 12)]
    [InlineData(1, 2026, 1)]
    [InlineData(7, 2026, 7)]
    public void MonthOf_AMonthNumber_FallsInTheFirstYearFromAugust(int month, int year, int expectedMonth) =>
        Assert.Equal(new BillingMonth(year, expectedMonth), new SchoolYear(2025).MonthOf(month));

    [Theory]
    [InlineData("2025-2026", 2025)]
    [InlineData(" 2025-2026 ", 2025)]
    [InlineData("2000-2001", 2000)]
    [InlineData("2200-2201", 2200)]
    public void TryParse_AYearWrittenAsTwoYears_IsRead(string text, int startYear)
    {
        Assert.True(SchoolYear.TryParse(text, out var y));
        Assert.Equal(new SchoolYear(startYear), y);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("2025")]
    [InlineData("2025-2026-2027")]
    [InlineData("2025-2027")]
    [InlineData("2025-2025")]
    [InlineData("2026-2025")]
    [InlineData("x025-2026")]
    [InlineData("2025-202x")]
    [InlineData("1999-2000")]
    [InlineData("2201-2202")]
    public void TryParse_AnythingElse_IsRefused(string? text)
    {
        Assert.False(SchoolYear.TryParse(text, out var y));
        Assert.Equal(default, y);
    }

    [Fact]
    public void ToString_WritesBothYears() => Assert.Equal("2025-2026", new SchoolYear(2025).ToString());
}
