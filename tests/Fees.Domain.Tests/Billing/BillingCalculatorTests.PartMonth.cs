using TdmEdu.Fees.Domain.Billing;
using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Domain.Tests.Billing;

/// <summary>A month the pupil joins, leaves or changes class in, billed by each item's part-month rule.</summary>
public sealed partial class BillingCalculatorTests
{
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
}
