using TdmEdu.Fees.Domain.Billing;
using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Domain.Tests.Billing;

public sealed class BillingCalculatorTests
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

    private static FeeSchedule PartMonthSchedule(PartMonthRule monthly, PartMonthRule daily) => Schedule() with
    {
        Items =
        [
            new("BAN_TRU", "Dịch vụ bán trú", FeeKind.Service, FeeUnit.Month, 200_000, FeeScope.All, true, null, new Dictionary<int, int>(), [], PartMonth: monthly),
            new("TIEN_AN", "Tiền ăn", FeeKind.Service, FeeUnit.Day, 30_000, FeeScope.All, true, null, Days, [], PartMonth: daily),
            new("BHYT", "Bảo hiểm y tế", FeeKind.PassThrough, FeeUnit.Once, 631_800, FeeScope.All, false, null, new Dictionary<int, int>(), [9]),
        ],
    };

    private static readonly BillingMonth October = new(2025, 10);

    [Fact]
    public void AJoinerMidMonth_IsBilledByTheSchoolDaysIn_WhereTheItemSaysSo()
    {
        // October 2025 has 23 weekdays; from Monday 20 October, 10.
        var notice = BillingCalculator.Compute(PartMonthSchedule(PartMonthRule.Days, PartMonthRule.Days), Student(enrolled: new DateOnly(2025, 10, 20)), October, out _)!;
        var banTru = notice.Lines.Single(l => l.ItemCode == "BAN_TRU");
        var tienAn = notice.Lines.Single(l => l.ItemCode == "TIEN_AN");
        Assert.Equal((1, 200_000L, 86_956L, (PartMonthRule?)PartMonthRule.Days, (int?)10, (int?)23), (banTru.Quantity, banTru.UnitPriceVnd, banTru.GrossVnd, banTru.Part, banTru.DaysIn, banTru.DaysOf));
        Assert.Equal((10, 300_000L), (tienAn.Quantity, tienAn.GrossVnd));
        Assert.Equal(386_956, notice.AmountDueVnd);

        // By default an item bills the whole month.
        Assert.Equal(200_000 + 22 * 30_000, Due(Schedule(), Student(enrolled: new DateOnly(2025, 10, 20)), 2025, 10));
        // Joining on the month's first school day is the whole month.
        Assert.Equal(200_000 + 22 * 30_000, Due(PartMonthSchedule(PartMonthRule.Days, PartMonthRule.Days), Student(enrolled: new DateOnly(2025, 10, 1)), 2025, 10));
    }

    [Fact]
    public void ALeaver_PaysHalfAMonthForLessThanHalfItsDays_AndNothingAfter()
    {
        var s = PartMonthSchedule(PartMonthRule.Half, PartMonthRule.Days);
        // Friday 10 October is the last day: 8 school days of 23.
        var leaver = Student() with { LeftOn = new DateOnly(2025, 10, 10) };
        var notice = BillingCalculator.Compute(s, leaver, October, out _)!;
        Assert.Equal(100_000, notice.Lines.Single(l => l.ItemCode == "BAN_TRU").GrossVnd);
        Assert.Equal(8 * 30_000, notice.Lines.Single(l => l.ItemCode == "TIEN_AN").GrossVnd);
        // Leaving on the 14th (10 days of 23) is still less than half; on the 20th (14 of 23) the whole month.
        Assert.Equal(100_000, BillingCalculator.Compute(s, leaver with { LeftOn = new DateOnly(2025, 10, 14) }, October, out _)!.Lines[0].GrossVnd);
        Assert.Equal(200_000, BillingCalculator.Compute(s, leaver with { LeftOn = new DateOnly(2025, 10, 20) }, October, out _)!.Lines[0].GrossVnd);

        Assert.Null(BillingCalculator.Compute(s, leaver, new BillingMonth(2025, 11), out var reason));
        Assert.Equal(NotBilledReason.Left, reason);
        // Leaving on Sunday 2 November: no school day of November, nothing billed.
        Assert.Null(BillingCalculator.Compute(s, leaver with { LeftOn = new DateOnly(2025, 11, 2) }, new BillingMonth(2025, 11), out reason));
        Assert.Equal(NotBilledReason.Left, reason);
    }

    [Fact]
    public void AClassChangeMidMonth_BillsEachClasssItemsForItsOwnDays()
    {
        var semiBoarding = new FeeScope([], [], [], ["1A1"]);
        var bus = new FeeScope([], [], [], ["1B1"]);
        var s = Schedule() with
        {
            Items =
            [
                new("BAN_TRU", "Dịch vụ bán trú", FeeKind.Service, FeeUnit.Month, 200_000, semiBoarding, true, null, new Dictionary<int, int>(), [], PartMonth: PartMonthRule.Days),
                new("XE", "Xe đưa đón", FeeKind.Service, FeeUnit.Month, 230_000, bus, false, null, new Dictionary<int, int>(), [], PartMonth: PartMonthRule.Days),
                new("NUOC", "Nước uống", FeeKind.Service, FeeUnit.Month, 10_000, FeeScope.All, false, null, new Dictionary<int, int>(), [], PartMonth: PartMonthRule.Days),
            ],
        };
        // In 1B1 from Wednesday 15 October: 10 school days in 1A1, 13 in 1B1; the water is the whole month in either.
        var moved = Student(cls: "1B1") with { Moves = [new ClassMove(new DateOnly(2025, 10, 15), 1, "1A1")] };
        var lines = BillingCalculator.Compute(s, moved, October, out _)!.Lines;
        Assert.Equal(["BAN_TRU 86956 10/23", "XE 130000 13/23", "NUOC 10000 -/-"], lines.Select(l => $"{l.ItemCode} {l.GrossVnd} {l.DaysIn?.ToString() ?? "-"}/{l.DaysOf?.ToString() ?? "-"}"));
        // Items billed whole follow the class at the month's end, as before part months existed.
        var whole = s with { Items = [.. s.Items.Select(i => i with { PartMonth = PartMonthRule.Full })] };
        Assert.Equal(["XE 230000", "NUOC 10000"], BillingCalculator.Compute(whole, moved, October, out _)!.Lines.Select(l => $"{l.ItemCode} {l.GrossVnd}"));
        // In November the move is behind: only 1B1's items.
        Assert.Equal(["XE", "NUOC"], BillingCalculator.Compute(s, moved, new BillingMonth(2025, 11), out _)!.Lines.Select(l => l.ItemCode));
        // In September, before it: only 1A1's.
        Assert.Equal(["BAN_TRU", "NUOC"], BillingCalculator.Compute(s, moved, new BillingMonth(2025, 9), out _)!.Lines.Select(l => l.ItemCode));
    }

    [Fact]
    public void APartMonthRule_ThatCannotApply_IsRefusedByTheSchedule()
    {
        var s = Schedule() with
        {
            Items =
            [
                new("TIEN_AN", "Tiền ăn", FeeKind.Service, FeeUnit.Day, 30_000, FeeScope.All, true, null, Days, [], PartMonth: PartMonthRule.Half),
                new("BHYT", "Bảo hiểm y tế", FeeKind.PassThrough, FeeUnit.Once, 631_800, FeeScope.All, false, null, new Dictionary<int, int>(), [9], PartMonth: PartMonthRule.Days),
            ],
            Policies = [],
        };
        var errors = s.Validate();
        Assert.Contains("item TIEN_AN: priced per day, so part of a month is billed by its days (part_month days), not by half.", errors);
        Assert.Contains("item BHYT: billed once, so it is billed whole whenever the pupil joins (part_month must be full).", errors);
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
