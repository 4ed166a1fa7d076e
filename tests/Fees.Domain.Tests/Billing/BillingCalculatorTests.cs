using TdmEdu.Fees.Domain.Billing;
using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Domain.Tests.Billing;

public sealed partial class BillingCalculatorTests
{
    private static readonly Dictionary<int, int> Days = new() { [9] = 18, [10] = 22, [11] = 20, [12] = 22, [1] = 15, [2] = 18, [3] = 21, [4] = 20, [5] = 16 };

    private static FeeSchedule Schedule(params FeeItem[] extra) => new(new SchoolYear(2025), [9, 10, 11, 12, 1, 2, 3, 4, 5], 15,
        [
            new("BAN_TRU", "Dịch vụ bán trú", FeeKind.Service, FeeUnit.Month, 200_000, FeeScope.All, true, null, new Dictionary<int, int>(), []),
            new("TIEN_AN", "Tiền ăn", FeeKind.Service, FeeUnit.Day, 30_000, FeeScope.All, true, null, Days, []),
            new("BHYT", "Bảo hiểm y tế", FeeKind.PassThrough, FeeUnit.Once, 631_800, FeeScope.All, false, null, new Dictionary<int, int>(), [9]),
            .. extra,
        ],
        [
            new("HN", "Con hộ nghèo", 100, ["BAN_TRU"], null),
            new("CN", "Con hộ cận nghèo", 50, ["*"], null),
        ]);

    private static StudentBillingProfile Student(string[]? policies = null, DateOnly? enrolled = null, string[]? optional = null,
        SchoolLevel level = SchoolLevel.TH, int grade = 1, string cls = "1A1") =>
        new("TS01", level, grade, cls, enrolled,
            (policies ?? []).Select(p => p.Split('@')).Select(p => new PolicyMembership(p[0], p.Length > 1 ? DateOnly.Parse(p[1]) : null)).ToList(),
            optional ?? []);

    private static long Due(FeeSchedule s, StudentBillingProfile p, int year = 2025, int month = 9) =>
        BillingCalculator.Compute(s, p, new BillingMonth(year, month), out _)?.AmountDueVnd ?? -1;

    [Fact]
    public void Compute_TheWorkedExampleOfCliMd_GivesTheDocumentedBills()
    {
        var s = Schedule();
        Assert.Equal(1_371_800, Due(s, Student()));
        Assert.Equal(1_001_800, Due(s, Student(["CN"])));
        Assert.Equal(901_800, Due(s, Student(["HN", "CN"])));
    }

    [Fact]
    public void Compute_SeveralPolicies_TakesTheHighestPerItemAndNeverStacks()
    {
        var notice = BillingCalculator.Compute(Schedule(), Student(["CN", "HN"]), new BillingMonth(2025, 9), out _)!;

        var banTru = notice.Lines.Single(l => l.ItemCode == "BAN_TRU");
        var tienAn = notice.Lines.Single(l => l.ItemCode == "TIEN_AN");
        var bhyt = notice.Lines.Single(l => l.ItemCode == "BHYT");
        Assert.Equal((100, "HN", 0L), (banTru.ReductionPercent, banTru.ReductionPolicy, banTru.AmountVnd));
        Assert.Equal((50, "CN", 270_000L), (tienAn.ReductionPercent, tienAn.ReductionPolicy, tienAn.AmountVnd));
        Assert.Equal((0, (string?)null, 631_800L), (bhyt.ReductionPercent, bhyt.ReductionPolicy, bhyt.AmountVnd));
    }

    [Fact]
    public void Support_ForEveryItem_LeavesWhatTheSchoolOnlyPassesOnAndWhatTheFamilyChose()
    {
        var english = new FeeItem("TIENG_ANH", "Tiếng Anh", FeeKind.Voluntary, FeeUnit.Month, 150_000, FeeScope.All, false, null, new Dictionary<int, int>(), []);
        var s = Schedule(english) with { Policies = [new("HT", "Hỗ trợ", 0, ["*"], null, PolicyKind.Support, SupportVnd: 2_000_000)] };
        var notice = BillingCalculator.Compute(s, Student(["HT"], optional: ["TIENG_ANH"]), new BillingMonth(2025, 9), out _)!;
        Assert.Equal(200_000 + 18 * 30_000, notice.SupportVnd);
        Assert.Equal(631_800 + 150_000, notice.AmountDueVnd);

        // Named, a voluntary item is paid like any other.
        s = s with { Policies = [new("HT", "Hỗ trợ", 0, ["TIENG_ANH"], null, PolicyKind.Support, SupportVnd: 100_000)] };
        Assert.Equal(50_000, BillingCalculator.Compute(s, Student(["HT"], optional: ["TIENG_ANH"]), new BillingMonth(2025, 9), out _)!.Lines.Single(l => l.ItemCode == "TIENG_ANH").AmountVnd);
    }

    [Fact]
    public void Compute_LinesFollowTheScheduleOrderAndCarryUnits()
    {
        var notice = BillingCalculator.Compute(Schedule(), Student(), new BillingMonth(2025, 9), out _)!;

        Assert.Equal(["BAN_TRU", "TIEN_AN", "BHYT"], notice.Lines.Select(l => l.ItemCode));
        Assert.Equal([1, 2, 3], notice.Lines.Select(l => l.LineNo));
        Assert.Equal(18, notice.Lines[1].Quantity);
        Assert.Equal(new DateOnly(2025, 9, 15), notice.DueDate);
    }

    [Fact]
    public void Compute_OnceItem_IsBilledOnlyInItsMonths()
    {
        Assert.DoesNotContain(BillingCalculator.Compute(Schedule(), Student(), new BillingMonth(2025, 10), out _)!.Lines, l => l.ItemCode == "BHYT");
        Assert.Equal(200_000 + 15 * 30_000, Due(Schedule(), Student(), 2026, 1));
    }

    [Fact]
    public void Compute_ExpiredPolicy_NoLongerReduces()
    {
        var s = Schedule();
        var p = Student(["CN@2025-09-30"]);
        Assert.Equal(1_001_800, Due(s, p, 2025, 9));
        Assert.Equal(860_000, Due(s, p, 2025, 10));
    }

    [Fact]
    public void Compute_APolicyValidUntilTheFirstOfTheMonth_StillReducesThatMonth()
    {
        var p = Student(["CN@2025-10-01"]);

        Assert.Equal((200_000 + 22 * 30_000) / 2, Due(Schedule(), p, 2025, 10));
        Assert.Equal(200_000 + 20 * 30_000, Due(Schedule(), p, 2025, 11));
    }

    [Fact]
    public void Compute_AMembershipOfAPolicyTheScheduleDoesNotHave_ReducesNothing() =>
        Assert.Equal(1_371_800, Due(Schedule(), Student(["XX"])));

    [Fact]
    public void Compute_TwoPoliciesOfTheSamePercent_NameTheFirstCodeInOrdinalOrder()
    {
        var s = Schedule() with { Policies = [new("KT", "Khuyết tật", 50, ["*"], null), new("CN", "Con hộ cận nghèo", 50, ["*"], null)] };

        var notice = BillingCalculator.Compute(s, Student(["KT", "CN"]), new BillingMonth(2025, 9), out _)!;

        Assert.Equal(["CN", "CN", null], notice.Lines.Select(l => l.ReductionPolicy));
    }

    [Fact]
    public void Compute_GrossAndDue_AreTheSumsOfTheLines()
    {
        var notice = BillingCalculator.Compute(Schedule(), Student(["CN"]), new BillingMonth(2025, 9), out var reason)!;

        Assert.Null(reason);
        Assert.Equal(200_000 + 18 * 30_000 + 631_800, notice.GrossVnd);
        Assert.Equal(100_000 + 18 * 15_000 + 631_800, notice.AmountDueVnd);
        Assert.Equal((1, 18, 30_000L, 540_000L), (notice.Lines[0].Quantity, notice.Lines[1].Quantity, notice.Lines[1].UnitPriceVnd, notice.Lines[1].GrossVnd));
    }

    [Fact]
    public void Compute_WhenNoItemAppliesToTheStudent_BillsNothingAndSaysWhy()
    {
        var s = Schedule() with { Items = [new("LOP_9", "Ôn thi", FeeKind.Service, FeeUnit.Month, 100_000, new FeeScope([], [], [9], []), false, null, new Dictionary<int, int>(), [])] };

        Assert.Null(BillingCalculator.Compute(s, Student(), new BillingMonth(2025, 9), out var reason));
        Assert.Equal(NotBilledReason.NothingApplies, reason);
    }

    [Fact]
    public void Compute_WithoutAScheduleOrAStudent_IsRefusedByName()
    {
        Assert.Equal("schedule", Assert.Throws<ArgumentNullException>(() => BillingCalculator.Compute(null!, Student(), new BillingMonth(2025, 9), out _)).ParamName);
        Assert.Equal("student", Assert.Throws<ArgumentNullException>(() => BillingCalculator.Compute(Schedule(), null!, new BillingMonth(2025, 9), out _)).ParamName);
    }

    [Fact]
    public void Compute_AnItemOfAnUnknownUnit_IsRefused()
    {
        var s = Schedule() with { Items = [new("X", "X", FeeKind.Service, (FeeUnit)9, 1, FeeScope.All, false, null, new Dictionary<int, int>(), [])] };

        Assert.Equal("Unknown unit 9.", Assert.Throws<InvalidOperationException>(() => BillingCalculator.Compute(s, Student(), new BillingMonth(2025, 9), out _)).Message);
    }

    [Fact]
    public void Compute_StudentEnrolledLater_IsNotBilledBeforeThatMonth()
    {
        var p = Student(enrolled: new DateOnly(2025, 10, 6));

        Assert.Null(BillingCalculator.Compute(Schedule(), p, new BillingMonth(2025, 9), out var reason));
        Assert.Equal(NotBilledReason.NotYetEnrolled, reason);
        Assert.Equal(860_000, Due(Schedule(), p, 2025, 10));
    }

    [Fact]
    public void Compute_VoluntaryItem_OnlyForFamiliesWhoChoseIt()
    {
        var english = new FeeItem("TIENG_ANH", "Tiếng Anh", FeeKind.Voluntary, FeeUnit.Month, 150_000, FeeScope.All, false, null, new Dictionary<int, int>(), []);
        var s = Schedule(english);

        Assert.Equal(1_371_800, Due(s, Student()));
        Assert.Equal(1_521_800, Due(s, Student(optional: ["TIENG_ANH"])));
    }

    [Fact]
    public void Compute_ScopedItem_AppliesOnlyWithinItsScope()
    {
        var ac = new FeeItem("MAY_LANH", "Máy lạnh", FeeKind.Service, FeeUnit.Month, 40_000,
            new FeeScope([], [SchoolLevel.THCS], [6, 7], ["6A1"]), false, null, new Dictionary<int, int>(), []);
        var s = Schedule(ac);

        Assert.DoesNotContain(BillingCalculator.Compute(s, Student(level: SchoolLevel.THCS, grade: 6, cls: "6A2"), new BillingMonth(2025, 10), out _)!.Lines, l => l.ItemCode == "MAY_LANH");
        Assert.Contains(BillingCalculator.Compute(s, Student(level: SchoolLevel.THCS, grade: 6, cls: "6A1"), new BillingMonth(2025, 10), out _)!.Lines, l => l.ItemCode == "MAY_LANH");
    }

    [Fact]
    public void Compute_MonthOutsideTheSchoolYear_BillsNothing()
    {
        Assert.Null(BillingCalculator.Compute(Schedule(), Student(), new BillingMonth(2026, 7), out var r1));
        Assert.Equal(NotBilledReason.NotABillingMonth, r1);
        Assert.Null(BillingCalculator.Compute(Schedule(), Student(), new BillingMonth(2026, 9), out _));
    }

    [Fact]
    public void Validate_ABrokenSchedule_NamesEachProblem()
    {
        var s = new FeeSchedule(new SchoolYear(2025), [9, 10], 40,
            [new("A", "", FeeKind.Service, FeeUnit.Day, 0, FeeScope.All, false, null, new Dictionary<int, int> { [9] = 18 }, [])],
            [new("P", "P", 120, ["Z"], null)]);

        var errors = s.Validate();

        Assert.Contains("due_day: 40 is not a day of the month (1-31).", errors);
        Assert.Contains("item A: name is empty.", errors);
        Assert.Contains("item A: amount must be a whole number of đồng above 0.", errors);
        Assert.Contains("item A: priced per day but has no school days for month 10.", errors);
        Assert.Contains("policy P: percent 120 is outside 0-100.", errors);
        Assert.Contains("policy P: item Z is not in the schedule.", errors);
    }

    [Theory]
    [InlineData(2025, 2, 31, 28)]
    [InlineData(2024, 2, 31, 29)]
    [InlineData(2025, 9, 15, 15)]
    public void DueDate_InAShortMonth_IsItsLastDay(int year, int month, int dueDay, int expected) =>
        Assert.Equal(expected, new BillingMonth(year, month).DueDate(dueDay).Day);
}
