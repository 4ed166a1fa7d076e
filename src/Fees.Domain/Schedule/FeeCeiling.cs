namespace TdmEdu.Fees.Domain.Schedule;

/// <summary>Where a school is: a ward (phường) or a commune (xã); the city's ceilings differ between them.</summary>
public enum AreaType { Ward, Commune }

/// <summary>
/// The city's most a school may charge for one kind of item in a school year, per area type (and optionally per
/// level and unit), with the legal document that sets it and the most the price may rise over last year's.
/// </summary>
public sealed record FeeCeiling(string Code, string Name, SchoolYear Year, AreaType Area, SchoolLevel? Level, FeeUnit Unit, long MaxAmountVnd,
    int? MaxRisePercent, string LegalBasis);

/// <summary>A school as the ceiling check needs it.</summary>
public sealed record CeilingSchool(string Code, SchoolLevel Level, AreaType Area);

/// <summary>An item priced above its ceiling at a school, or risen more than allowed over last year's price.</summary>
public sealed record CeilingBreach(FeeItem Item, CeilingSchool School, FeeCeiling Ceiling, long? LastYearVnd, bool OtherUnit = false)
{
    public bool IsRise => LastYearVnd is not null;

    /// <summary>The most the rise allows: floor(last × (100 + rise) / 100).</summary>
    public long AllowedVnd => LastYearVnd is { } last ? last * (100 + (Ceiling.MaxRisePercent ?? 0)) / 100 : Ceiling.MaxAmountVnd;
}

/// <summary>
/// Checks a schedule against the city's ceilings: every item, at every school its scope reaches, priced at most
/// the ceiling of its kind (the item's ceiling code, else its code) for the school's area, level and the item's
/// unit, and risen at most the allowed percent over last year's item of the same code and unit.
/// </summary>
public static class CeilingCheck
{
    public static IReadOnlyList<CeilingBreach> Check(FeeSchedule schedule, FeeSchedule? lastYear, IReadOnlyList<FeeCeiling> ceilings, IReadOnlyList<CeilingSchool> schools)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var breaches = new List<CeilingBreach>();
        var ofYear = ceilings.Where(c => c.Year == schedule.SchoolYear).ToList();
        if (ofYear.Count == 0) return breaches;
        foreach (var item in schedule.Items)
        {
            // The item's own code and the ceiling it names both hold: naming a looser kind escapes nothing.
            var named = ofYear.Where(c => string.Equals(c.Code, item.Code, StringComparison.OrdinalIgnoreCase)
                                          || (item.CeilingCode is { } cc && string.Equals(c.Code, cc, StringComparison.OrdinalIgnoreCase))).ToList();
            var kind = named.Where(c => c.Unit == item.Unit).ToList();
            if (kind.Count == 0)
            {
                // A kind capped only in another unit (a meal per day billed per month) cannot be compared: refused, not waved through.
                if (named.Count > 0)
                    foreach (var school in schools.Where(s => ReachesSchool(item.Scope, s)).OrderBy(s => s.Code, StringComparer.Ordinal).Take(1))
                        breaches.Add(new CeilingBreach(item, school, named[0], null, OtherUnit: true));
                continue;
            }
            var last = lastYear?.FindItem(item.Code) is { } l && l.Unit == item.Unit ? l : null;
            foreach (var school in schools.Where(s => ReachesSchool(item.Scope, s)).OrderBy(s => s.Code, StringComparer.Ordinal))
            {
                // A ceiling for the school's level beats one for every level.
                // The strictest of the ceilings that hold here; one for the school's level beats one for every level.
                var here = kind.Where(c => c.Area == school.Area && (c.Level is null || c.Level == school.Level)).ToList();
                var own = here.Where(c => c.Level is not null).ToList();
                var ceiling = (own.Count > 0 ? own : here).MinBy(c => c.MaxAmountVnd);
                if (ceiling is null) continue;
                if (item.AmountVnd > ceiling.MaxAmountVnd) breaches.Add(new CeilingBreach(item, school, ceiling, null));
                else if (ceiling.MaxRisePercent is { } rise && last is not null && item.AmountVnd > last.AmountVnd * (100 + rise) / 100)
                    breaches.Add(new CeilingBreach(item, school, ceiling, last.AmountVnd));
            }
        }
        return breaches;
    }

    private static bool ReachesSchool(FeeScope scope, CeilingSchool school) =>
        (scope.Schools.Count == 0 || scope.Schools.Contains(school.Code, StringComparer.OrdinalIgnoreCase))
        && (scope.Levels.Count == 0 || scope.Levels.Contains(school.Level));
}
