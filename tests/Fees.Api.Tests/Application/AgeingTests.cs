using TdmEdu.Fees.Api.Application.Reports;
using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Application;

/// <summary>Outstanding money by days past due, unidentified money by days waiting, and the month trend equal to the report.</summary>
public sealed class AgeingTests
{
    [Fact]
    public async Task Outstanding_MovesIntoOlderBuckets_AsDaysPass_AndPaidMoneyLeavesIt()
    {
        await using var fees = await Support.Fees.StartAsync();
        await fees.SetUpExampleSchoolAsync();
        await fees.OkAsync("notices", "issue", "--period", "2025-09");
        await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00001", "--amount", "371800");
        await using var db = fees.Db.Open();
        var ageing = new Ageing(db);

        var early = (await ageing.OutstandingAsync(new DateOnly(2025, 9, 10), "TS01")).Single();
        var late = (await ageing.OutstandingAsync(new DateOnly(2025, 10, 20), "TS01")).Single();
        var later = (await ageing.OutstandingAsync(new DateOnly(2026, 1, 20), "TS01")).Single();

        const long Left = 3_275_400 - 371_800;
        Assert.Equal((Left, 0L, 0L), (early.B0, early.B1, early.B2));
        Assert.Equal((0L, 0L, Left), (late.B0, late.B1, late.B2)); // due 15/09: 35 days late on 20/10
        Assert.Equal(Left, later.B4);
        Assert.Equal(3, late.Count);
        Assert.Empty(await ageing.OutstandingAsync(new DateOnly(2025, 9, 10), "TS99"));
    }

    [Fact]
    public async Task Unidentified_CountsWaitingLinesAndParkedCredits_NotDecidedOnes_ByAge()
    {
        await using var host = await BankHost.StartAsync();
        var fees = host.Fees;
        var account = host.Account("TS01", "VCB").AccountNo;
        await fees.OkAsync("statements", "import", fees.File("s.sta", $":20:S\n:25:{account}\n:60F:C250801VND0,\n" +
            ":61:2508010801C70000,NTRFNONREF//FT1\n:86:ung ho\n:61:2509040904C90000,NTRFNONREF//FT2\n:86:khong ro\n"), "--bank", "VCB", "--account", account);
        await fees.OkAsync("reconcile");
        await host.VcbAsync(host.VcbBody("VCB9001", 25_000, "chuyen tien"));
        await host.ProcessInboxAsync();
        await using var db = fees.Db.Open();
        var ageing = new Ageing(db);

        var before = (await ageing.UnidentifiedAsync(new DateOnly(2025, 9, 5), "TS01")).Single();
        var id = (await fees.Db.ListAsync("SELECT right(l.id::text, 12) FROM statement_lines l WHERE l.content = 'ung ho'")).Single();
        await fees.OkAsync("review", "ignore", id, "--reason", "Quỹ lớp");
        var after = (await ageing.UnidentifiedAsync(new DateOnly(2025, 9, 5), "TS01")).Single();

        Assert.Equal((90_000 + 25_000, 0L, 70_000L, 0L, 3L), (before.B0, before.B1, before.B2, before.B3, before.Count)); // FT1 waited 35 days
        Assert.Equal((90_000 + 25_000, 0L, 0L, 2L), (after.B0, after.B1, after.B2, after.Count));
    }

    [Fact]
    public async Task MonthTrend_EqualsTheCollectionReport_ToTheDong()
    {
        await using var fees = await Support.Fees.StartAsync();
        await fees.SetUpExampleSchoolAsync();
        await fees.OkAsync("notices", "issue", "--period", "2025-09");
        await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00002", "--amount", "1001800");
        var csv = Path.Combine(fees.Folder, "c.csv");
        await fees.OkAsync("report", "collection", "--period", "2025-09", "--by", "school", "--out", csv);
        var report = File.ReadAllLines(csv).Skip(1).Select(l => l.Split(',')).ToList();
        await using var db = fees.Db.Open();

        var month = (await new Ageing(db).MonthsAsync(202509, 202608)).Single();

        Assert.Equal(202509, month.PeriodKey);
        Assert.Equal(report.Sum(r => long.Parse(r[4], System.Globalization.CultureInfo.InvariantCulture)), month.AmountDue);
        Assert.Equal(report.Sum(r => long.Parse(r[5], System.Globalization.CultureInfo.InvariantCulture)), month.Collected);
        Assert.Equal(1_001_800, month.Collected);
    }
}
