using System.Text;
using TdmEdu.Fees.Api.Application.Receipts;
using TdmEdu.Fees.Api.Security;
using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Receipts;

/// <summary>
/// Receipts as legal documents (contracts/ereceipts.md §7): one per payment and pupil listing what it paid, numbered in
/// the year's EBL01 series in the payment's transaction, signed with the school's certificate; an independent verifier
/// agrees, and one changed amount makes it, our check and the audit say so. A school that cannot sign keeps its money
/// and its receipts wait; an invoiced item stays off the receipt.
/// </summary>
public sealed class EReceiptTests
{
    private static async Task<byte[]> XmlAsync(Support.Fees fees, string lookupCode) =>
        Convert.FromHexString((await fees.Db.ListAsync($"SELECT encode(signed_xml, 'hex') FROM receipts WHERE lookup_code = '{lookupCode}'")).Single());

    private static async Task<string> TrustedPemAsync(string school, string folder)
    {
        using var certificate = SchoolCertificates.Load(await File.ReadAllBytesAsync(Path.Combine(SandboxSigning.Folder, school + ".p12")),
            (await File.ReadAllTextAsync(Path.Combine(SandboxSigning.Folder, school + ".password"))).Trim());
        var pem = Path.Combine(folder, school + ".pem");
        await File.WriteAllTextAsync(pem, certificate.ExportCertificatePem());
        return pem;
    }

    [Fact]
    public async Task ACashPayment_IsSignedAtOnce_AnIndependentVerifierAgrees_AndOneChangedAmountIsCaughtByItOurCheckAndTheAudit()
    {
        await using var fees = await Support.Fees.StartAsync();
        await fees.SetUpExampleSchoolAsync();
        await fees.OkAsync("notices", "issue", "--period", "2025-09");

        var printed = await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00001", "--amount", "1371800", "--payer", "Nguyễn Thị Lan");

        Assert.StartsWith("TS01/EBL01/25T/0000001", printed);
        Assert.Equal(["issued|true|1371800"], await fees.Db.ListAsync("SELECT status || '|' || sandbox_cert || '|' || amount_vnd FROM receipts"));
        var code = (await fees.Db.ListAsync("SELECT lookup_code FROM receipts")).Single();
        var xml = await XmlAsync(fees, code);
        var text = Encoding.UTF8.GetString(xml);
        foreach (var part in new[] { "<KHMSCTu>EBL01</KHMSCTu>", "<KHCTu>25T</KHCTu>", "<SCTu>1</SCTu>", "<NLap>2025-09-05</NLap>", "<HTTToan>TM</HTTToan>",
                     $"<MTCuu>{code}</MTCuu>", "<MST>3700000001</MST>", "<Ten>Nguyễn Thị Lan</Ten>", "<TgTien>1371800</TgTien>",
                     "<TKThu>Bảo hiểm y tế tháng 9/2025</TKThu>", "<DLieu>Nguyễn Văn An, lớp 1A1</DLieu>" })
            Assert.Contains(part, text);
        Assert.Equal(SignatureVerdict.Sandbox, ReceiptVerification.Check(xml, "3700000001").Verdict);

        var folder = Path.Combine(fees.Folder, "xmlsec");
        Directory.CreateDirectory(folder);
        var pem = await TrustedPemAsync("TS01", folder);
        var file = Path.Combine(folder, "receipt.xml");
        await File.WriteAllBytesAsync(file, xml);
        var (ok, okOut) = await Xmlsec1.VerifyAsync(pem, file);
        Assert.True(ok == 0, okOut);

        // One amount changed in the stored document, past the trigger (as someone with the database's keys could).
        fees.PlantsBrokenState();
        await fees.Db.ExecAsync("""
            SET session_replication_role = replica;
            UPDATE receipts SET signed_xml = convert_to(replace(convert_from(signed_xml, 'UTF8'), '<TgTien>1371800</TgTien>', '<TgTien>1871800</TgTien>'), 'UTF8');
            SET session_replication_role = origin
            """);
        var changed = await XmlAsync(fees, code);
        await File.WriteAllBytesAsync(file, changed);
        var (bad, badOut) = await Xmlsec1.VerifyAsync(pem, file);
        Assert.NotEqual(0, bad);
        Assert.Contains("FAIL", badOut);
        Assert.Equal(SignatureVerdict.Invalid, ReceiptVerification.Check(changed, "3700000001").Verdict);
        var audit = await fees.RunAsync("audit");
        Assert.Equal(3, audit.ExitCode);
        Assert.Contains("stored XML does not hash to its recorded SHA-256", audit.Err);
    }

    [Fact]
    public async Task OneTransferForTwoSiblings_MakesAReceiptForEach_ListingTheirOwnLines_AndTheCreditKeptOnTheFirst()
    {
        await using var host = await BankHost.StartAsync();
        var first = await host.PaymentCodeAsync("7900000001");
        var second = await host.PaymentCodeAsync("7900000002");
        await host.VcbAsync(host.VcbBody("VCB0301", 3_000_000, $"{first} va {second} hoc phi"));
        await host.ProcessInboxAsync();

        Assert.Equal(["7900000001|1998200|pending_signature", "7900000002|1001800|pending_signature"], await host.Fees.Db.ListAsync("""
            SELECT s.student_code || '|' || r.amount_vnd || '|' || r.status FROM receipts r JOIN students s ON s.id = r.student_id ORDER BY r.number
            """));
        Assert.Equal(["7900000001|Tiền nộp trước, trừ vào các khoản thu sau|626400"], await host.Fees.Db.ListAsync("""
            SELECT s.student_code || '|' || i.name || '|' || i.amount_vnd FROM receipt_items i JOIN receipts r ON r.id = i.receipt_id
            JOIN students s ON s.id = r.student_id WHERE i.notice_line_id IS NULL
            """));
        // Each lists only its own pupil's lines.
        Assert.Equal(0, await host.Fees.Db.ScalarAsync("""
            SELECT count(*) FROM receipt_items i JOIN receipts r ON r.id = i.receipt_id JOIN notice_lines l ON l.id = i.notice_line_id
            JOIN notices n ON n.id = l.notice_id WHERE n.student_id <> r.student_id
            """));

        Assert.Contains("2 receipt(s) signed", await host.Fees.OkAsync("ereceipts", "sign"));
        Assert.Equal(["issued", "issued"], await host.Fees.Db.ListAsync("SELECT status FROM receipts ORDER BY number"));
        Assert.Equal(2, await host.Fees.Db.ScalarAsync("SELECT count(*) FROM receipt_events WHERE from_status = 'pending_signature' AND to_status = 'issued'"));
    }

    [Fact]
    public async Task ASchoolWithoutATaxCode_KeepsItsMoney_ItsReceiptsWaitWithTheReason_AndAreSignedOnceItHasOne()
    {
        await using var fees = await Support.Fees.StartAsync();
        await fees.OkAsync("schools", "import", fees.File("schools.csv", """
            school_code,name,level,ward,bank,account_no,account_name
            TS01,Trường Tiểu học Thử Nghiệm,TH,Phú Cường,VCB,0281000111222,TRUONG TIEU HOC THU NGHIEM
            """));
        await fees.OkAsync("schedule", "import", fees.File("schedule.json", Samples.Schedule));
        await fees.OkAsync("students", "import", fees.File("students.csv", Samples.Students, bom: true));
        await fees.OkAsync("notices", "issue", "--period", "2025-09");

        Assert.StartsWith("TS01/EBL01/25T/0000001", await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00001", "--amount", "100000"));
        Assert.Equal(100_000, await fees.Db.ScalarAsync("SELECT amount_paid_vnd FROM notices WHERE notice_no = 'TS01-202509-00001'"));
        var waiting = await fees.RunAsync("ereceipts", "sign");
        Assert.Equal(3, waiting.ExitCode);
        Assert.Contains("TS01: receipts wait: school TS01 has no tax code", waiting.Out);
        Assert.Equal(["pending_signature|trường TS01 chưa có mã số thuế; biên lai chờ đến khi có."],
            await fees.Db.ListAsync("SELECT status || '|' || sign_problem FROM receipts"));

        await fees.OkAsync("schools", "import", fees.File("tax.csv", Samples.Schools));
        Assert.Contains("1 receipt(s) signed", await fees.OkAsync("ereceipts", "sign"));
        Assert.Equal(["issued|"], await fees.Db.ListAsync("SELECT status || '|' || COALESCE(sign_problem, '') FROM receipts"));
    }

    [Fact]
    public async Task AnItemTheTaxOfficeInvoices_StaysOffTheReceipt_AndTheAuditStillTiesEveryDongToItsDocument()
    {
        await using var fees = await Support.Fees.StartAsync();
        await fees.SetUpExampleSchoolAsync();
        await fees.OkAsync("notices", "issue", "--period", "2025-09");
        Assert.Contains("invoice_sales", await fees.OkAsync("ereceipts", "document-kind", "--school", "TS01", "--item", "BHYT", "--kind", "invoice_sales"));
        var bad = await fees.RunAsync("ereceipts", "document-kind", "--school", "TS01", "--item", "BHYT", "--kind", "hoá đơn");
        Assert.Equal(2, bad.ExitCode);

        await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00001", "--amount", "1371800");

        Assert.Equal([(1_371_800L - 631_800L).ToString(System.Globalization.CultureInfo.InvariantCulture)], await fees.Db.ListAsync("SELECT amount_vnd::text FROM receipts"));
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM receipt_items WHERE name LIKE 'Bảo hiểm y tế%'"));
        Assert.Contains("BHYT\tinvoice_sales", await fees.OkAsync("ereceipts", "document-kind", "--school", "TS01"));
    }

    [Fact]
    public async Task TheFirstReceiptOfANewYear_OpensThatYearsSeries_FromNumberOne()
    {
        await using var fees = await Support.Fees.StartAsync();
        await fees.SetUpExampleSchoolAsync();
        await fees.OkAsync("notices", "issue", "--period", "2025-09");
        await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00001", "--amount", "100000");
        fees.Clock.Now = new DateTimeOffset(2026, 1, 5, 2, 0, 0, TimeSpan.Zero);

        Assert.StartsWith("TS01/EBL01/26T/0000001", await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00001", "--amount", "100000"));
        Assert.Equal(["25T|false|2", "26T|true|2"], await fees.Db.ListAsync("""
            SELECT r.series || '|' || r.is_default || '|' || r.next_number FROM receipt_series r JOIN schools s ON s.id = r.school_id WHERE s.code = 'TS01' ORDER BY r.series
            """));
        Assert.Equal(["2026-01-05"], await fees.Db.ListAsync("SELECT issued_on::text FROM receipts WHERE number = 1 AND series_id = (SELECT id FROM receipt_series WHERE series = '26T')"));
    }

    [Fact]
    public async Task AReplacement_NamesTheReceiptItReplaces_AndAReversal_CancelsItsReceipt_EachSayingSoOnTheRecordAndInTheDocument()
    {
        await using var fees = await Support.Fees.StartAsync();
        await fees.SetUpExampleSchoolAsync();
        await fees.OkAsync("notices", "issue", "--period", "2025-09");
        var first = (await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00001", "--amount", "200000", "--payer", "Nguyen Thi Lan")).Split('\n')[0];

        var said = await fees.OkAsync("receipts", "cancel", "--receipt", first, "--reason", "Sai tên người nộp");

        Assert.Contains("its replacement is TS01/EBL01/25T/0000002", said);
        Assert.Equal(["1|replaced|200000", "2|issued|200000"], await fees.Db.ListAsync("SELECT number || '|' || status || '|' || amount_vnd FROM receipts ORDER BY number"));
        var replacement = Encoding.UTF8.GetString(await XmlAsync(fees, (await fees.Db.ListAsync("SELECT lookup_code FROM receipts WHERE number = 2")).Single()));
        Assert.Contains("<TTCTLQuan><TCCTu>2</TCCTu><KHMSCTLQuan>EBL01</KHMSCTLQuan><KHCTLQuan>25T</KHCTLQuan><SCTLQuan>1</SCTLQuan>", replacement);
        Assert.Contains("Thay thế cho biên lai mẫu EBL01 ký hiệu 25T số 0000001 ngày 05/09/2025", replacement);
        Assert.Equal(["issued>replaced|Sai tên người nộp"], await fees.Db.ListAsync(
            "SELECT e.from_status || '>' || e.to_status || '|' || e.reason FROM receipt_events e JOIN receipts r ON r.id = e.receipt_id WHERE r.number = 1 AND e.to_status = 'replaced'"));
        var again = await fees.RunAsync("receipts", "cancel", "--receipt", first, "--reason", "lần nữa");
        Assert.Equal(3, again.ExitCode);

        await fees.OkAsync("payments", "reverse", "--receipt", "TS01/EBL01/25T/0000002", "--reason", "Thu nhầm");
        Assert.Equal(["1|replaced", "2|cancelled"], await fees.Db.ListAsync("SELECT number || '|' || status FROM receipts ORDER BY number"));
        Assert.Equal(0, (await fees.RunAsync("audit")).ExitCode);
    }

    [Fact]
    public async Task ASchoolThatHasSignedReceipts_KeepsItsTaxCode_WhileOneWithoutMayStillCorrectIt()
    {
        await using var fees = await Support.Fees.StartAsync();
        await fees.SetUpExampleSchoolAsync();
        await fees.OkAsync("notices", "issue", "--period", "2025-09");
        await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00001", "--amount", "100000");

        var moved = await fees.RunAsync("schools", "import", fees.File("moved.csv", Samples.Schools.Replace("3700000001", "3700000009", StringComparison.Ordinal)));

        Assert.Equal(2, moved.ExitCode);
        Assert.Contains("school TS01 has signed e-receipts under tax code 3700000001", moved.Err);
        Assert.Equal(["TS01|3700000001", "TS02|3700000002"], await fees.Db.ListAsync("SELECT code || '|' || tax_code FROM schools ORDER BY code"));
        await fees.OkAsync("schools", "import", fees.File("ts02.csv", Samples.Schools.Replace("3700000002", "3700000008", StringComparison.Ordinal)));
        Assert.Equal(["TS01|3700000001", "TS02|3700000008"], await fees.Db.ListAsync("SELECT code || '|' || tax_code FROM schools ORDER BY code"));
    }

    [Theory]
    [InlineData("DELETE FROM receipt_items WHERE position = 2", "every paid receipt item has a receipt", "paid on a receipted line, 0 on the payment's receipts")]
    [InlineData("UPDATE receipts SET amount_vnd = amount_vnd + 1000", "receipts match their payments", "listing")]
    [InlineData("UPDATE receipt_items SET amount_vnd = amount_vnd + 1000 WHERE position = 1", "every paid receipt item has a receipt", "on the payment's receipts")]
    [InlineData("UPDATE receipts SET lookup_code = 'ILOU00000000'", "a signed receipt is stored as it was signed", "is not 12 letters of Crockford's base32")]
    public async Task TheAudit_NamesAReceiptThatNoLongerCarriesItsMoney(string corruption, string check, string problem)
    {
        await using var fees = await Support.Fees.StartAsync();
        await fees.SetUpExampleSchoolAsync();
        await fees.OkAsync("notices", "issue", "--period", "2025-09");
        await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00001", "--amount", "1371800");
        Assert.Equal(0, (await fees.RunAsync("audit")).ExitCode);

        fees.PlantsBrokenState();
        await fees.Db.ExecAsync($"SET session_replication_role = replica; {corruption}; SET session_replication_role = origin");
        var audit = await fees.RunAsync("audit");

        Assert.Equal(3, audit.ExitCode);
        Assert.Contains(audit.Err.Split('\n'), l => l.StartsWith("FAIL  " + check, StringComparison.Ordinal) && l.Contains(problem, StringComparison.Ordinal));
    }
}
