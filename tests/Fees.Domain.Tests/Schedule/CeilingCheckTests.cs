using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Domain.Tests.Schedule;

public sealed class CeilingCheckTests
{
    private static readonly SchoolYear Year = new(2025);

    private static FeeSchedule Schedule(long amount, FeeScope? scope = null, string? ceiling = null) => new(Year, [9], 15,
        [new FeeItem("AN", "Tiền ăn", FeeKind.Service, FeeUnit.Day, amount, scope ?? FeeScope.All, true, null, new Dictionary<int, int> { [9] = 18 }, [], CeilingCode: ceiling)], []);

    private static readonly CeilingSchool WardKindergarten = new("MN01", SchoolLevel.MN, AreaType.Ward);
    private static readonly CeilingSchool CommunePrimary = new("TH02", SchoolLevel.TH, AreaType.Commune);

    private static FeeCeiling Ceiling(AreaType area, SchoolLevel? level, long max, int? rise = null) =>
        new("AN", "Tiền ăn", Year, area, level, FeeUnit.Day, max, rise, "NQ 18/2025");

    [Fact]
    public void ALevelsOwnCeiling_BeatsTheOneForEveryLevel_AndEachSchoolIsCheckedByItsArea()
    {
        FeeCeiling[] ceilings = [Ceiling(AreaType.Ward, null, 30_000), Ceiling(AreaType.Ward, SchoolLevel.MN, 35_000), Ceiling(AreaType.Commune, null, 25_000)];
        var breaches = CeilingCheck.Check(Schedule(32_000), null, ceilings, [WardKindergarten, CommunePrimary]);
        Assert.Equal(["TH02"], breaches.Select(b => b.School.Code));
        Assert.Equal(25_000, breaches.Single().Ceiling.MaxAmountVnd);
    }

    [Fact]
    public void AnItemScopedToOneSchool_IsCheckedThereOnly_UnderTheCeilingItNames()
    {
        var priced = Schedule(26_000, new FeeScope(["MN01"], [], [], []), ceiling: "AN") with { };
        Assert.Empty(CeilingCheck.Check(priced, null, [Ceiling(AreaType.Commune, null, 25_000), Ceiling(AreaType.Ward, null, 30_000)], [WardKindergarten, CommunePrimary]));
    }

    [Fact]
    public void TheRise_IsFlooredAndComparedWithLastYearsItemOfTheSameUnit()
    {
        var last = Schedule(20_001) with { SchoolYear = new SchoolYear(2024) };
        FeeCeiling[] ceilings = [Ceiling(AreaType.Ward, null, 100_000, rise: 15)];
        // 20,001 × 115% = 23,001.15: 23,001 is allowed, 23,002 is not.
        Assert.Empty(CeilingCheck.Check(Schedule(23_001), last, ceilings, [WardKindergarten]));
        var risen = CeilingCheck.Check(Schedule(23_002), last, ceilings, [WardKindergarten]).Single();
        Assert.True(risen.IsRise);
        Assert.Equal(23_001, risen.AllowedVnd);
    }
}
