using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Cli;

public sealed class StatementsImportTests
{
    private const string Day1 = ":20:S1\n:25:65210000000001\n:60F:C250909VND0,\n" +
        ":61:2509100910C1371800,00NTRFNONREF//FT1\n:86:HS10000004 hoc phi\n" +
        ":61:2509100910C50000,00NTRFNONREF\n:86:tien lai\n" +
        ":61:2509100910C50000,00NTRFNONREF\n:86:tien lai\n:62F:C250910VND1471800,\n";

    private const string Day1And2 = Day1 + ":20:S2\n:25:65210000000001\n:60F:C250910VND1471800,\n" +
        ":61:2509110911C200000,00NTRFNONREF//FT2\n:86:HS10000012\n:62F:C250911VND1671800,\n";

    private static async Task<Support.Fees> StartAsync()
    {
        var fees = await Support.Fees.StartAsync();
        await fees.OkAsync("schools", "import", fees.File("s.csv", Samples.Schools));
        return fees;
    }

    [Fact]
    public async Task StatementsImport_OverlappingFiles_StoreEachLineOnce()
    {
        await using var fees = await StartAsync();

        var first = await fees.OkAsync("statements", "import", fees.File("d1.sta", Day1), "--bank", "BIDV", "--account", "65210000000001");
        var second = await fees.OkAsync("statements", "import", fees.File("d12.sta", Day1And2), "--bank", "BIDV", "--account", "65210000000001");
        var again = await fees.OkAsync("statements", "import", fees.File("d12b.sta", Day1And2), "--bank", "BIDV", "--account", "65210000000001");

        Assert.Contains("3 line(s), 3 new, 0 already imported", first);
        Assert.Contains("4 line(s), 1 new, 3 already imported", second);
        Assert.Contains("4 line(s), 0 new, 4 already imported", again);
        // Two identical interest lines without a reference are two lines (occurrence 1 and 2), not one.
        Assert.Equal(4, await fees.Db.ScalarAsync("SELECT count(*) FROM statement_lines"));
    }

    [Fact]
    public async Task StatementsImport_ABanksHeadingAndA30February_AreImportedAndSaidByLine()
    {
        await using var fees = await StartAsync();
        var sent = "BIDV - SAO KE TAI KHOAN\n" + Day1.Replace(":61:2509100910C1371800,00NTRFNONREF//FT1", ":61:2502300230C1371800,00NTRFNONREF//FT1", StringComparison.Ordinal);

        var said = await fees.OkAsync("statements", "import", fees.File("sent.sta", sent), "--bank", "BIDV", "--account", "65210000000001");

        Assert.Contains("Warning: sent.sta, line 1: \"BIDV - SAO KE TAI KHOAN\" is outside any statement (a bank's own heading); skipped.", said, StringComparison.Ordinal);
        Assert.Contains("Warning: sent.sta, line 5: value date \"250230\" is day 30 of a month of 28 days; read as 28/02/2025, the month's last day.", said, StringComparison.Ordinal);
        Assert.Equal(["2025-02-28 1371800"], await fees.Db.ListAsync("SELECT booking_date::text || ' ' || amount_vnd FROM statement_lines WHERE bank_ref = 'FT1'"));
    }

    [Fact]
    public async Task StatementsImport_WhatASchoolAccountCannotHold_IsRefusedWhole()
    {
        await using var fees = await StartAsync();
        var usd = Day1.Replace("C250909VND0,", "C250909USD0,");
        var fraction = Day1.Replace("C50000,00NTRFNONREF\n:86:tien lai\n:61", "C50000,25NTRFNONREF\n:86:tien lai\n:61");

        var r1 = await fees.RunAsync("statements", "import", fees.File("usd.sta", usd), "--bank", "BIDV", "--account", "65210000000001");
        var r2 = await fees.RunAsync("statements", "import", fees.File("frac.sta", fraction), "--bank", "BIDV", "--account", "65210000000001");
        var r3 = await fees.RunAsync("statements", "import", fees.File("other.sta", Day1), "--bank", "BIDV", "--account", "99999999");
        var r4 = await fees.RunAsync("statements", "import", fees.File("wrong.sta", Day1), "--bank", "MSB", "--account", "03000000000001");
        // Found by attack: an account number that only ends in the school's is another account.
        var r5 = await fees.RunAsync("statements", "import", fees.File("longer.sta", Day1.Replace(":25:65210000000001", ":25:999965210000000001", StringComparison.Ordinal)),
            "--bank", "BIDV", "--account", "65210000000001");
        Assert.Equal(2, r5.ExitCode);
        Assert.Contains("the statement is of account 999965210000000001, not 65210000000001", r5.Err, StringComparison.Ordinal);

        Assert.Equal(2, r1.ExitCode);
        Assert.Contains("usd.sta, line 4: the currency is USD", r1.Err);
        // The balance too: a balance in another currency is never set against the VND lines.
        Assert.Contains("usd.sta, line 3: the balance is stated in USD; a school account holds VND only.", r1.Err);
        Assert.Equal(2, r2.ExitCode);
        Assert.Contains("frac.sta, line 6: the amount 50000.25 has a fraction of a đồng.", r2.Err);
        Assert.Equal(2, r3.ExitCode);
        Assert.Contains("no school has the BIDV account 99999999", r3.Err);
        Assert.Equal(2, r4.ExitCode);
        Assert.Contains("the statement is of account 65210000000001, not 03000000000001", r4.Err);
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM statement_lines"));
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM statement_imports"));
    }

    [Fact]
    public async Task StatementsImport_AFileOf200000Lines_IsRefusedWholeForOneBadLine_ThenImportedClean()
    {
        await using var fees = await StartAsync();
        var sb = new System.Text.StringBuilder(":20:BIG\n:25:65210000000001\n:60F:C250901VND0,\n");
        for (var i = 0; i < 200_000; i++) sb.Append($":61:2509{1 + i % 28:D2}C{100_000 + i},NTRFNONREF//BIG{i:D6}\n:86:hoc phi {i}\n");
        var good = sb.ToString();
        // The last entry but one (its :61: is on line 4 + 2 × 199,998) has a fraction of a đồng.
        var bad = good.Replace($"C{100_000 + 199_998},NTRF", $"C{100_000 + 199_998},5NTRF");
        var refused = await fees.RunAsync("statements", "import", fees.File("big-bad.sta", bad), "--bank", "BIDV", "--account", "65210000000001");
        var stored = await fees.Db.ScalarAsync("SELECT count(*) FROM statement_lines");
        var imported = await fees.OkAsync("statements", "import", fees.File("big.sta", good), "--bank", "BIDV", "--account", "65210000000001");

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("big-bad.sta, line 400000: the amount 299998.5 has a fraction of a đồng", refused.Err);
        Assert.Equal(0, stored);
        Assert.Contains("200000 line(s), 200000 new, 0 already imported", imported);
        Assert.Equal(200_000, await fees.Db.ScalarAsync("SELECT count(*) FROM statement_lines"));
    }

    [Fact]
    public async Task StatementsImport_BalancesThatDoNotChain_AreWarnedAboutButImported()
    {
        await using var fees = await StartAsync();
        await fees.OkAsync("statements", "import", fees.File("d1.sta", Day1), "--bank", "BIDV", "--account", "65210000000001");
        var gap = ":20:S3\n:25:65210000000001\n:60F:C250912VND2000000,\n:61:2509120912C5000,NTRFNONREF//FT9\n:86:x\n:62F:C250912VND2005000,\n" +
                  ":20:S4\n:25:65210000000001\n:60F:C250913VND1,\n:62F:C250913VND1,\n";

        var output = await fees.OkAsync("statements", "import", fees.File("gap.sta", gap), "--bank", "BIDV", "--account", "65210000000001");

        Assert.Contains("1 new", output);
        Assert.Contains("Warning: gap.sta: the opening balance 2000000 does not follow the closing balance 1471800 of d1.sta", output);
        Assert.Contains("Warning: gap.sta, line 9: statement S4 opens at 1 but the one before closed at 2005000.", output);
    }
}
