using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Cli;

/// <summary>A term paid up front: quoted per month, taken once, and put on each month's notice as it is billed.</summary>
public sealed class PrepaidTermTests
{
    [Fact]
    public async Task ATermPaidUpFront_IsQuotedMonthByMonth_AndPaysEachMonthsNoticeAsItIsBilled()
    {
        await using var fees = await Support.Fees.StartAsync();
        await fees.OkAsync("schools", "import", fees.File("schools.csv", Samples.Schools));
        await fees.OkAsync("schedule", "import", fees.File("schedule.json", Samples.Schedule));
        await fees.OkAsync("students", "import", fees.File("students.csv", Samples.Students, bom: true));
        fees.Clock.Now = new DateTimeOffset(2025, 9, 3, 3, 0, 0, TimeSpan.Zero);
        await fees.OkAsync("notices", "issue", "--period", "2025-09");

        // An: September's notice, then October (200,000 + 22 meals) and November (200,000 + 20 meals) as billing would charge them.
        var quote = await fees.OkAsync("notices", "quote", "--student", "7900000001", "--months", "3");
        Assert.Contains("2025-09  left on its notice", quote, StringComparison.Ordinal);
        Assert.Contains("2025-10  to be billed", quote, StringComparison.Ordinal);
        Assert.Contains("Term of 3 month(s): 3.031.800 ₫. Held for the pupil: 0 ₫. To pay for the term: 3.031.800 ₫.", quote, StringComparison.Ordinal);

        await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00001", "--amount", "3031800");
        Assert.Contains("Held for the pupil: 1.660.000 ₫. To pay for the term: 0 ₫.", await fees.OkAsync("notices", "quote", "--student", "7900000001", "--from", "2025-10", "--months", "2"), StringComparison.Ordinal);

        foreach (var (m, at) in new[] { ("2025-10", 10), ("2025-11", 11) })
        {
            fees.Clock.Now = new DateTimeOffset(2025, at, 1, 3, 0, 0, TimeSpan.Zero);
            await fees.OkAsync("notices", "issue", "--period", m);
        }
        Assert.Equal(["202509 paid", "202510 paid", "202511 paid"], await fees.Db.ListAsync("""
            SELECT n.period_key || ' ' || n.status FROM notices n JOIN students s ON s.id = n.student_id WHERE s.student_code = '7900000001' ORDER BY 1
            """));
        Assert.Contains("Held for the pupil: 0 ₫.", await fees.OkAsync("notices", "quote", "--student", "7900000001", "--from", "2025-12", "--months", "1"), StringComparison.Ordinal);
        await fees.OkAsync("audit");

        var bad = await fees.RunAsync("notices", "quote", "--student", "7900000001", "--months", "13");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("a term is 1 to 12 billing months.", bad.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AQuote_PutsWhatEarlierMonthsOweFirst_AndCountsSupportMonthsAcrossTheTerm_AsBillingThenCharges()
    {
        // Found by attack and review: a family paying the quote exactly found October paid first and the term short; a
        // support with months left for one more month was counted in every month quoted.
        await using var fees = await StateSupportTests.BilledAsync("2025-09");
        var september = await fees.Db.ScalarAsync("SELECT amount_due_vnd FROM notices WHERE notice_no = 'TS01-202509-00001'");

        var quote = await fees.OkAsync("notices", "quote", "--student", "7900000001", "--from", "2025-10", "--months", "3");
        Assert.Matches($@"earlier\s+still owed\s+{System.Text.RegularExpressions.Regex.Escape(Money(september))}", quote);
        var quoted = System.Text.RegularExpressions.Regex.Matches(quote, @"(2025-1[0-2])  to be billed\s+([\d.]+) ₫")
            .ToDictionary(m => m.Groups[1].Value, m => long.Parse(m.Groups[2].Value.Replace(".", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(3, quoted.Count);
        var total = september + quoted.Values.Sum();
        Assert.Contains($"To pay for the term: {Money(total)}.", quote, StringComparison.Ordinal);

        // Paid exactly, and billed month by month: every month of the term is paid, and each was quoted what it was billed.
        await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00001", "--amount", total.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var (m, at) in new[] { ("2025-10", 10), ("2025-11", 11), ("2025-12", 12) })
        {
            fees.Clock.Now = new DateTimeOffset(2025, at, 1, 3, 0, 0, TimeSpan.Zero);
            await fees.OkAsync("notices", "issue", "--period", m);
        }
        Assert.Equal(["202509 paid", "202510 paid", "202511 paid", "202512 paid"], await fees.Db.ListAsync("""
            SELECT n.period_key || ' ' || n.status FROM notices n JOIN students s ON s.id = n.student_id WHERE s.student_code = '7900000001' ORDER BY 1
            """));
        Assert.Equal(quoted.OrderBy(q => q.Key).Select(q => q.Value).ToList(), (await fees.Db.ListAsync("""
            SELECT n.amount_due_vnd::text FROM notices n JOIN students s ON s.id = n.student_id WHERE s.student_code = '7900000001' AND n.period_key > 202509 ORDER BY n.period_key
            """)).Select(long.Parse).ToList());
        await fees.OkAsync("audit");
    }

    private static string Money(long v) => v.ToString("N0", System.Globalization.CultureInfo.GetCultureInfo("vi-VN")) + " ₫";
}
