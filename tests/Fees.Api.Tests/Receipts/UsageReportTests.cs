using System.Text;
using TdmEdu.Fees.Api.Security;
using TdmEdu.Fees.Domain.Receipts;

namespace TdmEdu.Fees.Api.Tests.Receipts;

/// <summary>
/// The usage report BC26/BLĐT (contracts/ereceipts.md §11): per template and series the numbers used, those voided and
/// the fees standing, as signed XML or CSV; queued once per period, and a period already queued with other figures is refused.
/// </summary>
public sealed class UsageReportTests
{
    [Fact]
    public async Task TheReport_CountsNumbersAndVoided_IsSigned_AndAPeriodIsQueuedOnceWithItsFirstFigures()
    {
        await using var fees = await Support.Fees.StartAsync();
        await fees.SetUpExampleSchoolAsync();
        await fees.OkAsync("notices", "issue", "--period", "2025-09");
        await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00001", "--amount", "100000");
        await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00002", "--amount", "200000");
        await fees.OkAsync("payments", "reverse", "--receipt", "TS01/EBL01/25T/0000001", "--reason", "Nộp nhầm");

        var csv = Path.Combine(fees.Folder, "bc26.csv");
        Assert.Contains("2 receipt(s) in 1 series, 1 cancelled or replaced, 200,000 đồng",
            await fees.OkAsync("ereceipts", "usage-report", "--school", "TS01", "--from", "2025-09-01", "--to", "2025-09-30", "--out", csv));
        Assert.Equal("3700000001,2025-09-01,2025-09-30,EBL01,25T,1,2,2,1,1,200000", (await File.ReadAllLinesAsync(csv))[1]);

        // Not before the period is over.
        var early = await fees.RunAsync("ereceipts", "usage-report", "--school", "TS01", "--from", "2025-09-01", "--to", "2025-09-30", "--out", csv, "--send");
        Assert.Equal(3, early.ExitCode);
        Assert.Contains("a report is sent once its period is over", early.Err);

        fees.Clock.Now = new DateTimeOffset(2025, 10, 2, 3, 0, 0, TimeSpan.Zero);
        var xmlFile = Path.Combine(fees.Folder, "bc26.xml");
        Assert.Contains("Queued for the tax office", await fees.OkAsync("ereceipts", "usage-report", "--school", "TS01", "--from", "2025-09-01", "--to", "2025-09-30",
            "--out", xmlFile, "--send"));
        var xml = await File.ReadAllBytesAsync(xmlFile);
        Assert.True(ReceiptSignature.Verify(xml, TaxOfficeXml.ReportRoot, TaxOfficeXml.ReportData, TaxOfficeXml.Signer).Valid);
        // The file is the very document queued.
        Assert.Equal(["1"], await fees.Db.ListAsync($"SELECT count(*) FROM ereceipt_outbox WHERE xml = decode('{Convert.ToHexString(xml)}', 'hex')"));
        Assert.Contains("<MSo>BC26/BLĐT</MSo>", Encoding.UTF8.GetString(xml));
        Assert.Equal(["3700000001:report:2025-09-01:2025-09-30|usage_report|200000"],
            await fees.Db.ListAsync("SELECT idempotency_key || '|' || kind || '|' || total_vnd FROM ereceipt_outbox WHERE kind = 'usage_report'"));

        // The same figures again (another day): nothing new. Other figures for that period: refused, the first stands.
        fees.Clock.Now += TimeSpan.FromDays(1);
        Assert.Contains("queued before", await fees.OkAsync("ereceipts", "usage-report", "--school", "TS01", "--from", "2025-09-01", "--to", "2025-09-30", "--out", xmlFile, "--send"));
        fees.Clock.Now = new DateTimeOffset(2025, 9, 20, 3, 0, 0, TimeSpan.Zero);
        await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00003", "--amount", "50000");
        fees.Clock.Now = new DateTimeOffset(2025, 10, 4, 3, 0, 0, TimeSpan.Zero);
        var refused = await fees.RunAsync("ereceipts", "usage-report", "--school", "TS01", "--from", "2025-09-01", "--to", "2025-09-30", "--out", xmlFile, "--send");
        Assert.Equal(3, refused.ExitCode);
        Assert.Contains("already sent with other figures", refused.Err);
        Assert.Equal(1, await fees.Db.ScalarAsync("SELECT count(*) FROM ereceipt_outbox WHERE kind = 'usage_report'"));

        // One the provider refused is filed again, corrected, under the period's key with a revision.
        await fees.Db.ExecAsync("UPDATE ereceipt_outbox SET state = 'rejected', last_code = 'E_CONTENT' WHERE kind = 'usage_report'");
        Assert.Contains("Queued for the tax office", await fees.OkAsync("ereceipts", "usage-report", "--school", "TS01", "--from", "2025-09-01", "--to", "2025-09-30", "--out", xmlFile, "--send"));
        Assert.Equal(["3700000001:report:2025-09-01:2025-09-30|rejected", "3700000001:report:2025-09-01:2025-09-30:2|pending"],
            await fees.Db.ListAsync("SELECT idempotency_key || '|' || state FROM ereceipt_outbox WHERE kind = 'usage_report' ORDER BY created_at"));

        var bad = await fees.RunAsync("ereceipts", "usage-report", "--school", "TS01", "--from", "2025-09-30", "--to", "2025-09-01", "--out", csv);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("ends before it starts", bad.Err);
    }
}
