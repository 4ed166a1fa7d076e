using TdmEdu.Fees.Api.Application.Reports;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Api.Tests.Application;

/// <summary>
/// Which months have notices, on PostgreSQL: per school and for any school, newest first; where the staff land (the latest
/// month with notices, not an empty current month; this month when there are none); what a month picker offers.
/// </summary>
public sealed class NoticeMonthsTests
{
    private static async Task<T> AskAsync<T>(Support.Fees fees, Func<NoticeMonths, Task<T>> ask)
    {
        await using var db = fees.Db.Open();
        return await ask(new NoticeMonths(db, new BusinessClock(fees.Clock)));
    }

    private static string[] Names(IEnumerable<BillingMonth> months) => months.Select(m => m.ToString()).ToArray();

    [Fact]
    public async Task Landing_IsTheLatestMonthWithNotices_NotAnEmptyCurrentMonth_AndThisMonthWhenThereAreNone()
    {
        await using var fees = await Support.Fees.StartAsync();
        await fees.SetUpExampleSchoolAsync();
        await fees.OkAsync("students", "import", fees.File("ts02.csv", Support.Samples.StudentHeader +
            "TS02,7900000040,Đặng Quốc Bảo,07/07/2013,Nam,6,6A1,Đặng Văn Hùng,0912000040,,,\n"));

        // Nothing billed: every school lands on this month (the clock says 5 September 2025).
        Assert.Equal("2025-09", (await AskAsync(fees, m => m.LandingAsync("TS01"))).ToString());
        Assert.Equal("2025-09", (await AskAsync(fees, m => m.LandingAsync(null))).ToString());
        Assert.Empty(await AskAsync(fees, m => m.WithNoticesAsync(null)));

        // TS01 billed for October only: September, this month, is empty for it; it lands on October. TS02 has none.
        await fees.OkAsync("notices", "issue", "--period", "2025-10", "--school", "TS01");
        Assert.Equal("2025-10", (await AskAsync(fees, m => m.LandingAsync("TS01"))).ToString());
        Assert.Equal("2025-09", (await AskAsync(fees, m => m.LandingAsync("TS02"))).ToString());
        Assert.Empty(await AskAsync(fees, m => m.WithNoticesAsync("TS02")));

        // TS02 billed for September: each school its own months; any school, all of them, newest first.
        await fees.OkAsync("notices", "issue", "--period", "2025-09", "--school", "TS02");
        Assert.Equal(["2025-10"], Names(await AskAsync(fees, m => m.WithNoticesAsync("ts01"))));
        Assert.Equal(["2025-09"], Names(await AskAsync(fees, m => m.WithNoticesAsync("TS02"))));
        Assert.Equal(["2025-10", "2025-09"], Names(await AskAsync(fees, m => m.WithNoticesAsync(null))));
        Assert.Equal("2025-10", (await AskAsync(fees, m => m.LandingAsync(null))).ToString());
        Assert.Empty(await AskAsync(fees, m => m.WithNoticesAsync("XX99")));
    }

    [Fact]
    public async Task Choices_AreTheMonthsWithNotices_ThisMonth_AndTheMonthShown_NewestFirst_EachOnce()
    {
        await using var fees = await Support.Fees.StartAsync();
        await fees.SetUpExampleSchoolAsync();
        await fees.OkAsync("notices", "issue", "--period", "2025-10", "--school", "TS01");
        await fees.OkAsync("notices", "issue", "--period", "2025-12", "--school", "TS01");

        Assert.Equal(["2025-12", "2025-10", "2025-09"], Names(await AskAsync(fees, m => m.ChoicesAsync("TS01", new BillingMonth(2025, 10)))));
        Assert.Equal(["2025-12", "2025-10", "2025-09", "2025-03"], Names(await AskAsync(fees, m => m.ChoicesAsync("TS01", new BillingMonth(2025, 3)))));
        Assert.Equal(["2025-09"], Names(await AskAsync(fees, m => m.ChoicesAsync("TS02", new BillingMonth(2025, 9)))));
    }
}
