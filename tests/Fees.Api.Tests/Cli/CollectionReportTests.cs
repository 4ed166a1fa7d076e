namespace TdmEdu.Fees.Api.Tests.Cli;

public sealed class CollectionReportTests
{
    private static async Task<List<Dictionary<string, string>>> ReportAsync(Support.Fees fees, params string[] args)
    {
        var path = Path.Combine(fees.Folder, $"report-{Guid.NewGuid():N}.csv");
        await fees.OkAsync(["report", "collection", .. args, "--out", path]);
        var lines = File.ReadAllLines(path);
        var header = lines[0].TrimStart('\uFEFF').Split(',');
        return lines.Skip(1).Select(l => header.Zip(Split(l)).ToDictionary(x => x.First, x => x.Second)).ToList();
    }

    // School and class names here carry no commas except inside quotes.
    private static IEnumerable<string> Split(string line)
    {
        var cells = new List<string>();
        var cur = new System.Text.StringBuilder();
        var quoted = false;
        foreach (var c in line)
        {
            if (c == '"') quoted = !quoted;
            else if (c == ',' && !quoted) { cells.Add(cur.ToString()); cur.Clear(); }
            else cur.Append(c);
        }
        cells.Add(cur.ToString());
        return cells;
    }

    [Fact]
    public async Task ReportCollection_BySchoolClassAndItem_AddsUpToTheDong()
    {
        await using var fees = await Support.Fees.StartAsync();
        await fees.SetUpExampleSchoolAsync();
        await fees.OkAsync("notices", "issue", "--period", "2025-09");
        await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00001", "--amount", "1371800");
        await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00002", "--amount", "300000");

        var school = (await ReportAsync(fees, "--period", "2025-09")).Single();
        var classes = await ReportAsync(fees, "--period", "2025-09", "--by", "class");
        var items = await ReportAsync(fees, "--year", "2025-2026", "--by", "item");

        Assert.Equal(("TS01", "2025-09", "3", "3275400", "1671800"), (school["scope"], school["period"], school["notices"], school["amount_due"], school["amount_collected"]));
        Assert.Equal(("0.5104", "0", "1671800", "1603600"), (school["collection_rate"], school["cashless_amount"], school["cash_amount"], school["outstanding"]));
        Assert.Equal(("3", "1"), (school["students"], school["students_paid"]));
        Assert.Equal(["TS01/1A1", "TS01/2A1", "TS01/3A1"], classes.Select(c => c["scope"]));
        Assert.Equal(1_671_800, classes.Sum(c => long.Parse(c["amount_collected"])));
        Assert.Equal(["BAN_TRU", "BHYT", "TIEN_AN"], items.Select(i => i["scope"]));
        Assert.Equal("2025-2026", items[0]["period"]);
        Assert.Equal(3_275_400, items.Sum(i => long.Parse(i["amount_due"])));
        Assert.Equal(1_671_800, items.Sum(i => long.Parse(i["amount_collected"])));
    }

    [Fact]
    public async Task ReportCollection_WithoutPeriodOrYear_IsAUsageError()
    {
        await using var fees = await Support.Fees.StartAsync();

        var r = await fees.RunAsync("report", "collection", "--out", Path.Combine(fees.Folder, "x.csv"));

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("--period YYYY-MM or --year YYYY-YYYY", r.Err);
    }
}
