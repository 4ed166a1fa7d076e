using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Cli;

/// <summary>A price from a month on: notices already issued keep their amounts, and no change starts in a month already billed.</summary>
public sealed class PriceChangeTests
{
    private static string WithChange(string from, long amount) => Samples.Schedule.Replace(
        "\"unit\": \"day\", \"amount\": 30000,",
        $"\"unit\": \"day\", \"amount\": 30000, \"price_changes\": [{{\"from\": \"{from}\", \"amount\": {amount}}}],", StringComparison.Ordinal);

    private static Task<List<string>> MealPricesAsync(Support.Fees fees) => fees.Db.ListAsync("""
        SELECT n.period_key || ' ' || l.unit_price_vnd || ' ' || l.gross_vnd FROM notice_lines l JOIN notices n ON n.id = l.notice_id JOIN students s ON s.id = n.student_id
        WHERE s.student_code = '7900000001' AND l.item_code = 'TIEN_AN' ORDER BY n.period_key
        """);

    [Fact]
    public async Task ANewPriceFromNovember_BillsNovemberOn_AndIssuedMonthsKeepTheirs_AndABilledMonthCannotBeRepriced()
    {
        await using var fees = await Support.Fees.StartAsync();
        await fees.OkAsync("schools", "import", fees.File("schools.csv", Samples.Schools));
        await fees.OkAsync("schedule", "import", fees.File("s.json", WithChange("2025-11", 32000)));
        await fees.OkAsync("students", "import", fees.File("students.csv", Samples.Students, bom: true));
        foreach (var m in new[] { "2025-09", "2025-10", "2025-11" })
        {
            fees.Clock.Now = new DateTimeOffset(int.Parse(m[..4], System.Globalization.CultureInfo.InvariantCulture), int.Parse(m[5..], System.Globalization.CultureInfo.InvariantCulture), 3, 3, 0, 0, TimeSpan.Zero);
            await fees.OkAsync("notices", "issue", "--period", m);
        }
        // 18, 22 and 20 school days: at 30,000 until October, at 32,000 from November.
        Assert.Equal(["202509 30000 540000", "202510 30000 660000", "202511 32000 640000"], await MealPricesAsync(fees));

        // Moving the change to October, which is billed, is refused and stores nothing; the same file again changes nothing.
        var moved = await fees.RunAsync("schedule", "import", fees.File("m.json", WithChange("2025-10", 32000)));
        Assert.Equal(2, moved.ExitCode);
        Assert.Contains("item TIEN_AN: the price from 2025-10 cannot change: 2025-10 is already billed", moved.Err, StringComparison.Ordinal);
        Assert.Equal(["202511:32000"], await fees.Db.ListAsync("SELECT price_changes FROM fee_items WHERE code = 'TIEN_AN'"));
        Assert.Contains("is unchanged", await fees.OkAsync("schedule", "import", fees.File("s2.json", WithChange("2025-11", 32000))), StringComparison.Ordinal);
        // A change from a month not billed yet is taken.
        await fees.OkAsync("schedule", "import", fees.File("d.json", WithChange("2025-11", 32000).Replace("\"amount\": 32000}]", "\"amount\": 32000}, {\"from\": \"2026-01\", \"amount\": 33000}]", StringComparison.Ordinal)));
        Assert.Equal(["202511:32000,202601:33000"], await fees.Db.ListAsync("SELECT price_changes FROM fee_items WHERE code = 'TIEN_AN'"));
        Assert.Equal(0, (await fees.RunAsync("audit")).ExitCode);
    }

    [Fact]
    public async Task APriceChangeAboveTheCeiling_OrInAMonthNotBilled_IsRefused()
    {
        await using var fees = await Support.Fees.StartAsync();
        await fees.OkAsync("schools", "import", fees.File("schools.csv", Samples.Schools));
        await fees.OkAsync("ceilings", "import", fees.File("tran.csv", "school_year,code,name,area,level,unit,max_amount,max_rise_percent,legal_basis\n2025-2026,TIEN_AN,Tiền ăn,ward,,day,35000,,NQ 18/2025/NQ-HĐND\n"));
        var over = await fees.RunAsync("schedule", "import", fees.File("o.json", WithChange("2026-01", 36000)));
        Assert.Equal(2, over.ExitCode);
        Assert.Contains("item TIEN_AN: at school TS01 (ward) it is 36.000 ₫, above the ceiling of 35.000 ₫", over.Err, StringComparison.Ordinal);
        var july = await fees.RunAsync("schedule", "import", fees.File("j.json", WithChange("2026-07", 31000)));
        Assert.Contains("item TIEN_AN: a price from 2026-07, which is not a billing month of 2025-2026.", july.Err, StringComparison.Ordinal);
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM fee_items"));
    }
}
