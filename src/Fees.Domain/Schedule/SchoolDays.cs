namespace TdmEdu.Fees.Domain.Schedule;

/// <summary>
/// The school days of a month as billing counts them without a calendar of holidays: Monday to Friday, and Saturdays
/// too where the month counts more school days than it has weekdays. Sundays never.
/// </summary>
public static class SchoolDays
{
    public static int Weekdays(BillingMonth m) => Count(m.FirstDay, m.LastDay, saturdays: false);

    /// <summary>Whether a day can be a school day in a month counting at most <paramref name="mostDays"/> of them.</summary>
    public static bool IsSchoolDay(DateOnly day, int mostDays) => day.DayOfWeek switch
    {
        DayOfWeek.Sunday => false,
        DayOfWeek.Saturday => mostDays > Weekdays(BillingMonth.Of(day)),
        _ => true,
    };

    /// <summary>The days from <paramref name="from"/> to <paramref name="to"/> (both included) that can be school days.</summary>
    public static int Count(DateOnly from, DateOnly to, bool saturdays)
    {
        var n = 0;
        for (var d = from; d <= to; d = d.AddDays(1))
            if (d.DayOfWeek != DayOfWeek.Sunday && (saturdays || d.DayOfWeek != DayOfWeek.Saturday)) n++;
        return n;
    }
}

/// <summary>
/// How an item bills a month the pupil is in for only part of (joining, leaving or changing class in it):
/// <see cref="Full"/> the whole month; <see cref="Days"/> by the school days they are in (a per-day item bills those
/// days, at most the month's; a monthly item its price × days in / the month's school days, rounded down);
/// <see cref="Half"/> half the price (rounded down) when they are in for less than half the month's school days, else
/// the whole month. A month they are in for no day bills nothing.
/// </summary>
public enum PartMonthRule { Full, Days, Half }

/// <summary>A pupil's time in a month: from and to (both included) in a class of a grade.</summary>
public sealed record Stint(DateOnly From, DateOnly To, int Grade, string ClassName);

/// <summary>A move to another class (and grade) from a day on; the class before it was <see cref="FromClass"/>.</summary>
public sealed record ClassMove(DateOnly On, int FromGrade, string FromClass);
