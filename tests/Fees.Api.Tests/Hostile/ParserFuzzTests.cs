using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Hostile;

/// <summary>
/// Every file parser fed randomly mutated copies of a valid file: each answer is a reading (exit 0) or a refusal
/// in words naming the file (exit 2); never a crash ("Unexpected problem", exit 4) and never a hang. Imports that
/// write are checked to write all or nothing.
/// </summary>
public sealed class ParserFuzzTests
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(20);

    private const string Mt940 = ":20:S1\n:25:65210000000001\n:60F:C250909VND0,\n:61:2509100910C1371800,00NTRFNONREF//FT1\n:86:HS10000004\n hoc phi\n" +
                                 ":61:2509100910D11000,NCHGNONREF//FT2\n:86:Phi SMS\n:62F:C250910VND1360800,\n";

    private const string Camt = "<?xml version=\"1.0\"?><Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><BkToCstmrStmt><Stmt><Id>S1</Id>" +
                                "<Acct><Id><Othr><Id>0281000111222</Id></Othr></Id></Acct><Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy=\"VND\">0</Amt>" +
                                "<CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2025-09-09</Dt></Dt></Bal><Ntry><Amt Ccy=\"VND\">1371800</Amt><CdtDbtInd>CRDT</CdtDbtInd>" +
                                "<BookgDt><Dt>2025-09-10</Dt></BookgDt><AcctSvcrRef>FT1</AcctSvcrRef><NtryDtls><TxDtls><RltdPties><DbtrAcct><Id><Othr><Id>0123456789</Id>" +
                                "</Othr></Id></DbtrAcct></RltdPties><RmtInf><Ustrd>HS10000004 hoc phi</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry></Stmt></BkToCstmrStmt></Document>";

    private const string Fileout =
        "STT,Mã kênh giao dịch,Mã dịch vụ,Mã dịch vụ chi tiết,Mã hóa đơn,Mã khách hàng tại đối tác,Số tiền giao dịch,Mã tiền tệ,Số Trace hệ thống,Giờ khởi tạo," +
        "Ngày khởi tạo,Giờ thanh toán,Ngày thanh toán,Tài khoản ghi nợ,Tài khoản ghi có,Số thẻ,Mã thiết bị,Kết quả đối soát,Yêu cầu của đối tác,Loại giao dịch,Thông tin bổ sung,ID giao dịch BIDV\n" +
        "1,MB,HOCPHI_TDM,,TS02-202509-00001,HS10000004,1371800,VND,123456,093000,20250910,093002,20250910,1234567890,65210000000001,,,Khớp,,01,,BIDV250910001\n";

    private static byte[] VcbXlsx()
    {
        object?[][] rows =
        [
            ["SAO KÊ TÀI KHOẢN / STATEMENT OF ACCOUNT"],
            ["Số tài khoản/Account number", "0281000111222"],
            ["STT/No.", "Ngày GD/ TNX Date\nSố CT/ Doc No", "Ngày hiệu lực/ Effective date", "Số tiền ghi nợ/ Debit", "Số tiền ghi có¹/ Credit", "Số dư/ Balance", "Nội dung chi tiết/ Transactions in detail"],
            ["1", "10/09/2025 09:30:12", "10/09/2025", "", "1.371.800", "1.371.800", "MBVCB.123.456.HS10000004 hoc phi"],
        ];
        using var ms = new MemoryStream();
        MiniExcelLibs.MiniExcel.SaveAs(ms, rows.Select(r => Enumerable.Range(0, 7).ToDictionary(i => ((char)('A' + i)).ToString(), i => i < r.Length ? r[i] ?? "" : (object)"")), printHeader: false);
        return ms.ToArray();
    }

    /// <summary>Runs the CLI on one input, within the hang bound; the outcome must be a reading or a refusal in words.</summary>
    private static async Task<CliResult> OneAsync(string what, int index, Func<Task<CliResult>> run)
    {
        // On a thread of its own: a parser that loops forever must fail the case, not hang the test.
        CliResult r;
        try
        {
            r = await Task.Run(run).WaitAsync(Hang);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{what}, case {index}: no answer within {Hang.TotalSeconds} s (a parser that never stops).");
        }
        Assert.True(r.ExitCode is 0 or 2 && !r.Err.Contains("Unexpected problem", StringComparison.Ordinal),
            $"{what}, case {index}: exit {r.ExitCode}: {r.Err}");
        if (r.ExitCode == 2) Assert.False(string.IsNullOrWhiteSpace(r.Err), $"{what}, case {index}: refused without a reason");
        return r;
    }

    [Theory]
    [InlineData("mt940", "s.sta", 1)]
    [InlineData("camt053", "s.xml", 2)]
    [InlineData("bidv-fileout", "Fileout.csv", 3)]
    [InlineData("vcb-xlsx", "vcb.xlsx", 4)]
    public async Task StatementFiles_Mutated_AreReadOrRefusedInWords_NeverCrashOrHang(string format, string name, int seed)
    {
        var original = format switch
        {
            "mt940" => System.Text.Encoding.UTF8.GetBytes(Mt940), "camt053" => System.Text.Encoding.UTF8.GetBytes(Camt),
            "bidv-fileout" => System.Text.Encoding.UTF8.GetBytes(Fileout), _ => VcbXlsx(),
        };
        var folder = Directory.CreateTempSubdirectory("fuzz-").FullName;
        var path = Path.Combine(folder, name);
        await File.WriteAllBytesAsync(path, original);
        Assert.Equal(0, (await Support.Cli.RunAsync("statements", "parse", path, "--format", format)).ExitCode);

        var refused = 0;
        foreach (var (i, bytes) in Mutator.Mutants(original, Mutator.Cases(150), seed))
        {
            await File.WriteAllBytesAsync(path, bytes);
            foreach (var f in new[] { format, "auto" })
                if ((await OneAsync($"{format} read as {f}", i, () => Support.Cli.RunAsync("statements", "parse", path, "--format", f))).ExitCode == 2) refused++;
        }
        Assert.True(refused > 0, "the mutations never produced a bad file; the fuzzer is not mutating");
        Directory.Delete(folder, true);
    }

    [Fact]
    public async Task VietQrPayloads_Mutated_DecodeOrAreRefusedInWords()
    {
        var payload = (await Support.Cli.RunAsync("qr", "encode", "--bank", "970436", "--account", "0281000111222", "--amount", "1371800", "--purpose", "HS10000004 202509")).Out.Trim();
        var refused = 0;
        foreach (var (i, text) in Mutator.Mutants(payload, Mutator.Cases(400), 11))
            if ((await OneAsync("qr decode", i, () => Support.Cli.RunAsync("qr", "decode", text))).ExitCode == 2) refused++;
        Assert.True(refused > Mutator.Cases(400) / 2, "most mutations break the CRC and must be refused");
    }

    [Fact]
    public async Task RosterAndSchedule_Mutated_ImportWhole_OrWriteNothing()
    {
        await using var fees = await Support.Fees.StartAsync();
        await fees.SetUpExampleSchoolAsync();
        const string Count = "SELECT (SELECT count(*) FROM students) * 1000 + (SELECT count(*) FROM fee_items)";

        foreach (var (i, bytes) in Mutator.Mutants(System.Text.Encoding.UTF8.GetBytes(Samples.Students), Mutator.Cases(120), 21))
        {
            var before = await fees.Db.ScalarAsync(Count);
            var path = Path.Combine(fees.Folder, "roster.csv");
            await File.WriteAllBytesAsync(path, bytes);
            var r = await OneAsync("students import", i, () => fees.RunAsync("students", "import", path));
            if (r.ExitCode == 2) Assert.Equal(before, await fees.Db.ScalarAsync(Count));
        }
        foreach (var (i, bytes) in Mutator.Mutants(System.Text.Encoding.UTF8.GetBytes(Samples.Schedule), Mutator.Cases(120), 22))
        {
            var before = await fees.Db.ScalarAsync(Count);
            var path = Path.Combine(fees.Folder, "schedule.json");
            await File.WriteAllBytesAsync(path, bytes);
            var r = await OneAsync("schedule import", i, () => fees.RunAsync("schedule", "import", path));
            if (r.ExitCode == 2) Assert.Equal(before, await fees.Db.ScalarAsync(Count));
        }
        Assert.Equal(0, (await fees.RunAsync("audit")).ExitCode);
    }
}
