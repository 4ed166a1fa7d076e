using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Cli;

/// <summary>The school's month as vouchers for its accounting software: accounts per item and channel, adding up to the ledger.</summary>
public sealed class VoucherTests
{
    private const string Accounts = """
        Mã trường,Mã khoản,Kênh,TK Nợ,TK Có
        ,*,tiền mặt,1111,5311
        ,*,ngân hàng,1121,5311
        ,BHYT,cash,1111,3382
        ,BHYT,bank,1121,3382
        ,_CREDIT,cash,1111,3388
        ,_CREDIT,bank,1121,3388
        TS01,TIEN_AN,bank,1121,5312

        """;

    [Fact]
    public async Task AMonthsCashAndBankMoney_AreVouchersPerItemAndChannel_ThatAddUpToTheLedger()
    {
        await using var host = await BankHost.StartAsync();
        var fees = host.Fees;
        Assert.Contains("7 account row(s)", await fees.OkAsync("vouchers", "accounts", fees.File("tk.csv", Accounts, bom: true)), StringComparison.Ordinal);
        // An pays 128,200 more than his notice in cash; Bích's parent pays her notice by Vietcombank.
        await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00001", "--amount", "1500000");
        var bich = await host.PaymentCodeAsync("7900000002");
        await host.VcbAsync(host.VcbBody("VCB0100", 1_001_800, $"{bich} hoc phi"));
        await host.ProcessInboxAsync();

        var csv = Path.Combine(fees.Folder, "ct.csv");
        Assert.Contains("Wrote 2 voucher(s), 7 line(s) for TS01 2025-09", await fees.OkAsync("vouchers", "export", "--school", "TS01", "--period", "2025-09", "--out", csv), StringComparison.Ordinal);
        var lines = (await File.ReadAllLinesAsync(csv)).Select(l => l.TrimStart('\uFEFF')).ToList();
        Assert.Equal("date,voucher_no,voucher_type,debit_account,credit_account,amount,payer,student_code,description", lines[0]);
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToList();
        // The cash voucher is numbered by its receipt; the bank's by the bank's reference.
        var cash = rows.Where(r => r[2] == "PT").ToList();
        Assert.Single(cash.Select(r => r[1]).Distinct());
        Assert.StartsWith("TS01/", cash[0][1], StringComparison.Ordinal);
        Assert.Equal(["1111>5311 200000", "1111>5311 540000", "1111>3382 631800", "1111>3388 128200"], cash.Select(r => $"{r[3]}>{r[4]} {r[5]}"));
        Assert.Equal(["BC-VCB0100"], rows.Where(r => r[2] == "BC").Select(r => r[1]).Distinct());
        Assert.Equal(["1121>5311 100000", "1121>5312 270000", "1121>3382 631800"], rows.Where(r => r[2] == "BC").Select(r => $"{r[3]}>{r[4]} {r[5]}"));
        Assert.All(rows, r => Assert.Equal("05/09/2025", r[0]));

        // Adding up: the money accounts take the month's payments, the items its allocations, the held account the rest.
        long Sum(Func<string[], bool> where) => rows.Where(where).Sum(r => long.Parse(r[5], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(await fees.Db.ScalarAsync("SELECT sum(amount_vnd) FROM payments"), Sum(r => r[3] is "1111" or "1121"));
        Assert.Equal(await fees.Db.ScalarAsync("SELECT sum(amount_vnd) FROM allocations"), Sum(r => r[4] != "3388"));
    }

    [Fact]
    public async Task AReversal_IsAVoucherMirroringTheItemsItTookTheMoneyBackFrom()
    {
        await using var host = await BankHost.StartAsync();
        var fees = host.Fees;
        await fees.OkAsync("vouchers", "accounts", fees.File("tk.csv", Accounts, bom: true));
        var paid = await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00001", "--amount", "1500000");
        var receipt = System.Text.RegularExpressions.Regex.Match(paid, @"TS01/\S+").Value.TrimEnd('.', ',');
        await fees.OkAsync("payments", "reverse", "--receipt", receipt, "--reason", "ghi nhầm");

        var csv = Path.Combine(fees.Folder, "ct.csv");
        await fees.OkAsync("vouchers", "export", "--school", "TS01", "--period", "2025-09", "--out", csv);
        var rows = (await File.ReadAllLinesAsync(csv)).Skip(1).Select(l => l.Split(',')).ToList();
        var taken = rows.Where(r => r[1].StartsWith("DC-", StringComparison.Ordinal)).Select(r => $"{r[3]}>{r[4]} {r[5]}").ToList();
        Assert.Equal(["1111>5311 -200000", "1111>5311 -540000", "1111>3382 -631800", "1111>3388 -128200"], taken);
        Assert.All(rows.Where(r => r[1].StartsWith("DC-", StringComparison.Ordinal)), r => Assert.Equal("PT", r[2]));
        Assert.DoesNotContain(rows, r => r[2] == "PK");
        // Every account nets to nothing.
        Assert.All(rows.GroupBy(r => $"{r[3]}>{r[4]}"), g => Assert.Equal(0, g.Sum(r => long.Parse(r[5], System.Globalization.CultureInfo.InvariantCulture))));
    }

    [Fact]
    public async Task AnAccountsFileWithABadChannelOrAccount_IsRefusedWhole_ByLineAndColumn()
    {
        await using var fees = await Support.Fees.StartAsync();
        var r = await fees.RunAsync("vouchers", "accounts", fees.File("tk.csv", "item_code,channel,debit,credit\n*,séc,1111,5311\nBHYT,cash,11=1,3382\n"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("line 2", r.Err, StringComparison.Ordinal);
        Assert.Contains("\"séc\" is not cash, bank or *.", r.Err, StringComparison.Ordinal);
        Assert.Contains("\"11=1\" is not an account number", r.Err, StringComparison.Ordinal);
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM voucher_accounts"));
    }

    [Fact]
    public async Task OneTransferForTwoSiblings_CreditsEachPupilsItems_UnderThatPupil()
    {
        await using var host = await BankHost.StartAsync();
        var fees = host.Fees;
        await fees.OkAsync("vouchers", "accounts", fees.File("tk.csv", Accounts, bom: true));
        var an = await host.PaymentCodeAsync("7900000001");
        var bich = await host.PaymentCodeAsync("7900000002");
        await host.VcbAsync(host.VcbBody("VCB0200", 2_373_600, $"{an} {bich} hoc phi"));
        await host.ProcessInboxAsync();

        var csv = Path.Combine(fees.Folder, "ct.csv");
        await fees.OkAsync("vouchers", "export", "--school", "TS01", "--period", "2025-09", "--out", csv);
        var rows = (await File.ReadAllLinesAsync(csv)).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(["7900000001 1371800", "7900000002 1001800"],
            rows.GroupBy(r => r[7]).Select(g => $"{g.Key} {g.Sum(r => long.Parse(r[5], System.Globalization.CultureInfo.InvariantCulture))}").Order().ToList());
    }
}
