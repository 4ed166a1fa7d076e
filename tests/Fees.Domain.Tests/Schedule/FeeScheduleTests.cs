using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Domain.Tests.Schedule;

/// <summary>
/// What `schedule import` refuses, one sentence per broken rule naming the item or policy (cli.md: schedule JSON),
/// and how an item's scope and a policy's items are read.
/// </summary>
public sealed class FeeScheduleTests
{
    private static readonly IReadOnlyDictionary<int, int> NoDays = new Dictionary<int, int>();

    private static FeeItem Monthly(string code, long amountVnd = 200_000, string name = "Dịch vụ bán trú", FeeScope? scope = null) =>
        new(code, name, FeeKind.Service, FeeUnit.Month, amountVnd, scope ?? FeeScope.All, true, null, NoDays, []);

    private static FeeItem Daily(string code, IReadOnlyDictionary<int, int> days) =>
        new(code, "Tiền ăn", FeeKind.Service, FeeUnit.Day, 30_000, FeeScope.All, true, null, days, []);

    private static FeeItem Once(string code, params int[] months) =>
        new(code, "Bảo hiểm y tế", FeeKind.PassThrough, FeeUnit.Once, 631_800, FeeScope.All, false, null, NoDays, months);

    private static PolicyGroup Policy(string code, int percent = 50, params string[] items) =>
        new(code, "Con hộ cận nghèo", percent, items.Length == 0 ? ["*"] : items, null);

    private static FeeSchedule Schedule(IReadOnlyList<FeeItem>? items = null, IReadOnlyList<PolicyGroup>? policies = null,
        IReadOnlyList<int>? months = null, int dueDay = 15) =>
        new(new SchoolYear(2025), months ?? [9, 10], dueDay, items ?? [Monthly("BAN_TRU")], policies ?? []);

    [Fact]
    public void Validate_TheExampleOfCliMd_HasNoProblem()
    {
        var s = Schedule(
            [Monthly("BAN_TRU"), Daily("TIEN_AN", new Dictionary<int, int> { [9] = 18, [10] = 0 }), Once("BHYT", 9),
             Monthly("LOP_1", scope: new FeeScope([], [], [0, 1, 12], []))],
            [Policy("HN", 100, "BAN_TRU", "tien_an"), Policy("CN", 0), Policy("X_2", 50)], dueDay: 31);

        Assert.Empty(s.Validate());
    }

    [Fact]
    public void Validate_DueDayOne_IsADayOfTheMonth() => Assert.Empty(Schedule(dueDay: 1).Validate());

    [Theory]
    [InlineData(0)]
    [InlineData(32)]
    public void Validate_ADueDayOutsideTheMonth_IsNamed(int dueDay) =>
        Assert.Equal([$"due_day: {dueDay} is not a day of the month (1-31)."], Schedule(dueDay: dueDay).Validate());

    [Fact]
    public void Validate_NoMonths_IsNamed() =>
        Assert.Equal(["months: the school year needs at least one billing month."], Schedule(months: []).Validate());

    [Fact]
    public void Validate_MonthsOutsideOneToTwelve_AreNamedEach() =>
        Assert.Equal(["months: 0 is not a month.", "months: 13 is not a month."], Schedule(months: [0, 1, 12, 13]).Validate());

    [Fact]
    public void Validate_AMonthListedTwice_IsNamed() =>
        Assert.Equal(["months: a month is listed twice."], Schedule(months: [9, 10, 9]).Validate());

    [Fact]
    public void Validate_NoItems_IsNamed() =>
        Assert.Equal(["items: the schedule has no fee items."], Schedule(items: []).Validate());

    [Fact]
    public void Validate_TwoItemsWithOneCode_AreNamedWhateverTheCase() =>
        Assert.Equal(["items: the code BAN_TRU is used by 2 items."], Schedule([Monthly("BAN_TRU"), Monthly("ban_tru")]).Validate());

    [Theory]
    [InlineData("")]
    [InlineData("BAN TRU")]
    [InlineData("BÁN_TRU")]
    [InlineData("BAN-TRU")]
    [InlineData("A23456789012345678901234567890123")]
    public void Validate_AnItemCodeThatIsNotLettersDigitsAndUnderscore_IsNamed(string code) =>
        Assert.Contains($"item {code}: a code is letters, digits and '_' only.", Schedule([Monthly(code)]).Validate());

    [Theory]
    [InlineData("A")]
    [InlineData("_")]
    [InlineData("A2345678901234567890123456789012")]
    public void Validate_ShortAndThirtyTwoCharacterCodes_AreCodes(string code) =>
        Assert.Empty(Schedule([Monthly(code)], [Policy(code, 10, code)]).Validate());

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void Validate_AnItemWithoutAName_IsNamed(string name) =>
        Assert.Equal(["item BAN_TRU: name is empty."], Schedule([Monthly("BAN_TRU", name: name)]).Validate());

    [Theory]
    [InlineData(0)]
    [InlineData(-200_000)]
    public void Validate_AnItemOfNoMoney_IsNamed(long amountVnd) =>
        Assert.Equal(["item BAN_TRU: amount must be a whole number of đồng above 0."], Schedule([Monthly("BAN_TRU", amountVnd)]).Validate());

    [Fact]
    public void Validate_ADailyItemWithoutDaysForABillingMonth_IsNamedPerMonth() =>
        Assert.Equal(["item TIEN_AN: priced per day but has no school days for month 10."],
            Schedule([Daily("TIEN_AN", new Dictionary<int, int> { [9] = 18 })]).Validate());

    [Theory]
    [InlineData(-1)]
    [InlineData(32)]
    public void Validate_ImpossibleSchoolDays_AreNamed(int days) =>
        Assert.Equal([$"item TIEN_AN: {days} school days in month 10 is impossible."],
            Schedule([Daily("TIEN_AN", new Dictionary<int, int> { [9] = 31, [10] = days })]).Validate());

    [Fact]
    public void Validate_AnItemBilledOnceWithoutAMonth_IsNamed() =>
        Assert.Equal(["item BHYT: billed once but names no month to bill it in."], Schedule([Once("BHYT")]).Validate());

    [Fact]
    public void Validate_AnItemBilledOnceOutsideTheBillingMonths_IsNamed() =>
        Assert.Equal(["item BHYT: billed in month 11, which is not a billing month of the school year."], Schedule([Once("BHYT", 9, 11)]).Validate());

    [Fact]
    public void Validate_DaysAndOnceMonthsOfAMonthlyItem_AreNotItsRules()
    {
        var monthly = new FeeItem("BAN_TRU", "Bán trú", FeeKind.Service, FeeUnit.Month, 1, FeeScope.All, true, null, new Dictionary<int, int> { [9] = 99 }, [11]);

        Assert.Empty(Schedule([monthly]).Validate());
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(13)]
    public void Validate_AGradeThatDoesNotExist_IsNamed(int grade) =>
        Assert.Equal([$"item LOP: grade {grade} does not exist (0 for kindergarten, 1-12)."],
            Schedule([Monthly("LOP", scope: new FeeScope([], [], [grade], []))]).Validate());

    [Fact]
    public void Validate_TwoPoliciesWithOneCode_AreNamed() =>
        Assert.Equal(["policies: the code HN is used by 2 policies."], Schedule(policies: [Policy("HN"), Policy("hn")]).Validate());

    [Fact]
    public void Validate_APolicyCodeThatIsNotACode_IsNamed() =>
        Assert.Equal(["policy H N: a code is letters, digits and '_' only."], Schedule(policies: [Policy("H N")]).Validate());

    [Theory]
    [InlineData(-1)]
    [InlineData(101)]
    public void Validate_APercentOutsideZeroToHundred_IsNamed(int percent) =>
        Assert.Equal([$"policy CN: percent {percent} is outside 0-100."], Schedule(policies: [Policy("CN", percent)]).Validate());

    [Fact]
    public void Validate_HundredPercent_IsAReduction() => Assert.Empty(Schedule(policies: [Policy("HN", 100)]).Validate());

    [Fact]
    public void Validate_APolicyNamingNoItems_IsNamed() =>
        Assert.Equal(["policy CN: names no items (use \"*\" for all)."],
            Schedule(policies: [new PolicyGroup("CN", "Con hộ cận nghèo", 50, [], null)]).Validate());

    [Fact]
    public void Validate_APolicyNamingAnUnknownItem_IsNamed() =>
        Assert.Equal(["policy CN: item TIEN_AN is not in the schedule."], Schedule(policies: [Policy("CN", 50, "*", "BAN_TRU", "TIEN_AN")]).Validate());

    [Fact]
    public void Covers_AnItemTheGroupNamesAmongOthers_OrAllWithAStar()
    {
        var named = Policy("HN", 100, "BAN_TRU", "TIEN_AN");

        Assert.True(named.Covers("tien_an"));
        Assert.True(named.Covers("BAN_TRU"));
        Assert.False(named.Covers("BHYT"));
        Assert.True(Policy("CN", 50, "*").Covers("BHYT"));
    }

    [Fact]
    public void FindPolicyAndItem_ByCodeInAnyCase_OrNothing()
    {
        var s = Schedule([Monthly("BAN_TRU")], [Policy("HN"), Policy("CN")]);

        Assert.Equal("CN", s.FindPolicy("cn")?.Code);
        Assert.Null(s.FindPolicy("XX"));
        Assert.Equal("BAN_TRU", s.FindItem("ban_tru")?.Code);
        Assert.Null(s.FindItem("TIEN_AN"));
        Assert.True(s.BillsMonth(10));
        Assert.False(s.BillsMonth(11));
    }

    [Theory]
    [InlineData("TS01", SchoolLevel.TH, 1, "1A1", true)]
    [InlineData("ts02", SchoolLevel.TH, 1, "1A1", true)]
    [InlineData("TS03", SchoolLevel.TH, 1, "1A1", false)]
    [InlineData("TS01", SchoolLevel.THCS, 1, "1A1", false)]
    [InlineData("TS01", SchoolLevel.TH, 2, "1A1", false)]
    [InlineData("TS01", SchoolLevel.TH, 1, "1a2", true)]
    [InlineData("TS01", SchoolLevel.TH, 1, "1A3", false)]
    public void Includes_AStudentOnlyWhenEveryNamedDimensionMatches(string school, SchoolLevel level, int grade, string cls, bool included)
    {
        var scope = new FeeScope(["TS01", "TS02"], [SchoolLevel.MN, SchoolLevel.TH], [0, 1], ["1A1", "1A2"]);

        Assert.Equal(included, scope.Includes(school, level, grade, cls));
    }

    [Fact]
    public void Includes_AnEmptyDimension_MeansAll()
    {
        Assert.True(FeeScope.All.Includes("TS09", SchoolLevel.THPT, 12, "12C"));
        Assert.True(new FeeScope(["TS01"], [], [], []).Includes("TS01", SchoolLevel.THPT, 12, "12C"));
        Assert.False(new FeeScope(["TS01"], [], [], []).Includes("TS09", SchoolLevel.THPT, 12, "12C"));
    }
}
