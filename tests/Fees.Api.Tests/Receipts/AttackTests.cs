using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Receipts;

/// <summary>
/// Attacks on the legal e-receipts (issue 17) that got through: each test says what must hold, and fails while it does not.
/// </summary>
public sealed class AttackTests
{
    private static FormUrlEncodedContent Form(string token, params (string Key, string Value)[] fields) =>
        new([new("__RequestVerificationToken", token), .. fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value))]);

    private static Task<List<string>> StatusOfAsync(Support.Fees fees, string studentCode) => fees.Db.ListAsync($"""
        SELECT r.status FROM receipts r JOIN students s ON s.id = r.student_id WHERE s.student_code = '{studentCode}' ORDER BY r.number
        """);

    /// <summary>
    /// U+FFFF is not a control character (the web's filter lets it through) and PostgreSQL stores it, but XML 1.0 cannot
    /// hold it: ReceiptXmlWriter's XmlWriter throws an ArgumentException, the signer catches only ReceiptContentException,
    /// the batch's transaction rolls back, and every run takes the same first 200 receipts by id again. One payer name
    /// typed at the counter stops the signing of every later receipt of every school, with no reason shown anywhere.
    /// </summary>
    [Fact]
    public async Task APayerNameXmlCannotHold_TypedAtTheCounter_IsRefused_AndOneReceiptThatCannotBeWritten_WaitsAlone()
    {
        await using var host = await BankHost.StartAsync();
        await StaffLogins.AddAsync(host.Fees);
        var accountant = await StaffLogins.ClientAsync(host, StaffLogins.Accountant);
        var token = Forms.Token(await accountant.GetStringAsync("/truong/TS01/thu-tien-mat"));
        var taken = await accountant.PostAsync("/truong/TS01/thu-tien-mat", Form(token, ("Notice", "TS01-202509-00001"), ("Amount", "100000"),
            ("Payer", "Nguyễn Thị Lan\uFFFF"), ("ClientRef", "web-ffff"), ("Seen", "0")));
        Assert.Equal(HttpStatusCode.BadRequest, taken.StatusCode);

        // One receipt whose payer the document cannot hold (planted past the service and the trigger), then another
        // family pays by bank: the signing job signs the second and leaves the first waiting with the reason.
        var code1 = await host.PaymentCodeAsync("7900000001");
        var code2 = await host.PaymentCodeAsync("7900000002");
        await host.VcbAsync(host.VcbBody("VCB0900", 100_000, $"{code1} hoc phi"));
        await host.ProcessInboxAsync();
        await host.Fees.Db.ExecAsync("SET session_replication_role = replica; UPDATE receipts SET payer_name = 'Lan' || chr(65535); SET session_replication_role = origin");
        await host.VcbAsync(host.VcbBody("VCB0901", 500_000, $"{code2} hoc phi"));
        await host.ProcessInboxAsync();
        var sign = await host.Fees.RunAsync("ereceipts", "sign");

        Assert.Equal(["issued"], await StatusOfAsync(host.Fees, "7900000002"));
        Assert.Equal(["pending_signature"], await StatusOfAsync(host.Fees, "7900000001"));
        Assert.Equal(1, await host.Fees.Db.ScalarAsync("SELECT count(*) FROM receipts WHERE signed_xml IS NULL AND sign_problem LIKE 'không lập được biên lai:%'"));
        Assert.True(sign.ExitCode is 0 or 3, sign.ToString());
    }

    /// <summary>
    /// The roster file with U+FFFE in a guardian's name (the name every bank payment's receipt gives as payer): the tabular
    /// reader's control-character check lets it through and the import then dies on string.Normalize with "Unexpected
    /// problem (ArgumentException)", exit 4, instead of refusing the line (exit 2) and saying which. Nothing is written.
    /// </summary>
    [Fact]
    public async Task AGuardianNameWithANonCharacter_InTheRosterFile_IsRefusedAsBadInput_NotAnUnexpectedProblem()
    {
        await using var fees = await Support.Fees.StartAsync();
        await fees.SetUpExampleSchoolAsync();

        var imported = await fees.RunAsync("students", "import", fees.File("more.csv", Samples.StudentHeader +
            "TS01,7900000009,Võ Thị Hạnh,02/02/2018,Nữ,1,1A1,Võ Văn\uFFFETâm,0912000009,,,\n"));

        Assert.True(imported.ExitCode == 2, imported.ToString());
        Assert.DoesNotContain("Unexpected problem", imported.Err, StringComparison.Ordinal);
    }

    /// <summary>The command line takes any payer name (it bypasses the web's control-character filter): U+0001 does the same.</summary>
    [Fact]
    public async Task AControlCharacterInThePayer_FromTheCommandLine_IsRefused_OrItsReceiptWaitsAlone()
    {
        await using var host = await BankHost.StartAsync();
        var cash = await host.Fees.RunAsync("payments", "cash", "--notice", "TS01-202509-00001", "--amount", "100000", "--payer", "Nguyễn Thị\u0001Lan");
        if (cash.ExitCode != 0) return; // refused: fine
        await host.VcbAsync(host.VcbBody("VCB0904", 500_000, $"{await host.PaymentCodeAsync("7900000002")} hoc phi"));
        await host.ProcessInboxAsync();
        var sign = await host.Fees.RunAsync("ereceipts", "sign");

        Assert.Equal(["issued"], await StatusOfAsync(host.Fees, "7900000002"));
        Assert.True(sign.ExitCode is 0 or 3, sign.ToString());
    }

    /// <summary>
    /// A school's tax code corrected in the schools file (the import allows it) orphans every receipt already signed:
    /// the QR printed on them (/bien-lai/{old}/{code}) answers 404, and under the new code the page says "invalid"
    /// because the check compares the certificate with the school's tax code now, not with the one the receipt states.
    /// </summary>
    [Fact]
    public async Task AReceiptSignedBeforeTheSchoolsTaxCodeWasCorrected_IsStillFoundByItsQr_AndStillVerifies()
    {
        await using var host = await BankHost.StartAsync();
        await host.Fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00001", "--amount", "1371800", "--payer", "Nguyễn Thị Lan");
        var code = (await host.Fees.Db.ListAsync("SELECT lookup_code FROM receipts")).Single();
        Assert.Equal(["issued"], await host.Fees.Db.ListAsync("SELECT status FROM receipts"));

        // The roster refuses this once receipts bear the code (ADR 41); an operator mending it with the tax office may still.
        await host.Fees.Db.ExecAsync("UPDATE schools SET tax_code = '3700000091' WHERE code = 'TS01'");

        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        var byQr = await http.GetAsync($"/api/public/receipts/3700000001/{code}");
        var byNew = await http.GetAsync($"/api/public/receipts/3700000091/{code}");
        var verdicts = new List<string>();
        foreach (var r in new[] { byQr, byNew })
            if (r.StatusCode == HttpStatusCode.OK)
                verdicts.Add((await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("signature").GetProperty("result").GetString()!);
        Assert.Equal(HttpStatusCode.OK, byQr.StatusCode);
        Assert.All(verdicts, v => Assert.Equal("sandbox", v));
    }

    /// <summary>
    /// Two schools may carry one tax code (nothing refuses it; a school on two sites, or a typo). Each numbers its own
    /// EBL01/25T from 1, so the legal entity the tax office knows by that code issues two different receipts with the
    /// same template, series and number, both "signed" for it.
    /// </summary>
    [Fact]
    public async Task TwoSchoolsWithOneTaxCode_AreRefused_NamingTheLineAndTheOtherSchool()
    {
        await using var fees = await Support.Fees.StartAsync();
        var same = await fees.RunAsync("schools", "import", fees.File("same-mst.csv", Samples.Schools.Replace("3700000002", "3700000001", StringComparison.Ordinal)));
        Assert.Equal(2, same.ExitCode);
        Assert.Contains("tax code 3700000001 is already school TS01's", same.Err);
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM schools"));

        await fees.SetUpExampleSchoolAsync();
        var later = await fees.RunAsync("schools", "import", fees.File("ts09.csv", "school_code,name,level,bank,account_no,account_name,tax_code\n" +
            "TS09,Trường Mầm non Chín,MN,BIDV,65219999999999,TRUONG MN CHIN,3700000002\n"));
        Assert.Equal(2, later.ExitCode);
        Assert.Contains("already school TS02's", later.Err);
    }

    [Fact]
    public async Task AReceiptCancelledBeforeItWasSigned_IsNeverSignedAfterwards()
    {
        await using var fees = await Support.Fees.StartAsync();
        await fees.OkAsync("schools", "import", fees.File("schools.csv", """
            school_code,name,level,ward,bank,account_no,account_name
            TS01,Trường Tiểu học Thử Nghiệm,TH,Phú Cường,VCB,0281000111222,TRUONG TIEU HOC THU NGHIEM
            """));
        await fees.OkAsync("schedule", "import", fees.File("schedule.json", Samples.Schedule));
        await fees.OkAsync("students", "import", fees.File("students.csv", Samples.Students, bom: true));
        await fees.OkAsync("notices", "issue", "--period", "2025-09");
        var reference = (await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00001", "--amount", "100000")).Split('\n')[0].Trim();
        await fees.OkAsync("payments", "reverse", "--receipt", reference, "--reason", "trả lại tiền cho phụ huynh");
        Assert.Equal(["cancelled"], await fees.Db.ListAsync("SELECT status FROM receipts"));

        await fees.OkAsync("schools", "import", fees.File("tax.csv", Samples.Schools));
        await fees.RunAsync("ereceipts", "sign");

        Assert.Equal(["cancelled|unsigned"], await fees.Db.ListAsync("SELECT status || '|' || CASE WHEN signed_xml IS NULL THEN 'unsigned' ELSE 'signed' END FROM receipts"));
    }

    /// <summary>
    /// The check trusts whatever certificate the XML carries: no chain to a licensed CA, no comparison with the
    /// certificate the row records or the school's configured one; any self-made certificate whose subject says
    /// "MST:{tax code}" (and not O=TdmEdu sandbox) is "valid". The audit only hashes the XML against xml_sha256 and never
    /// compares what the XML says with the row. So whoever can write the row (the threat the trigger and the hash are
    /// there for) swaps in a document for 9,000,000 đồng, re-signed with a certificate made a second ago: the page
    /// upgrades it from "sandbox" to "valid", the JSON still shows the row's 1,371,800, and the audit passes.
    /// </summary>
    [Fact]
    public async Task AReceiptReSignedWithACertificateAnyoneCanMake_SayingAnotherAmount_IsNotValid_AndTheAuditNamesIt()
    {
        await using var host = await BankHost.StartAsync();
        await host.Fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00001", "--amount", "1371800", "--payer", "Nguyễn Thị Lan");
        var row = (await host.Fees.Db.ListAsync("SELECT id || '|' || lookup_code FROM receipts")).Single().Split('|');
        var (id, code) = (Guid.Parse(row[0]), row[1]);

        var at = host.Fees.Clock.Now;
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest(
            "CN=Trường Tiểu học Thử Nghiệm, O=Trường Tiểu học Thử Nghiệm, UID=MST:3700000001", rsa,
            System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        using var forged = request.CreateSelfSigned(at.AddDays(-1), at.AddYears(1));
        var document = new Domain.Receipts.ReceiptDocument("EBL01", "25T", 1, new DateOnly(2025, 9, 5), true, code, "http://127.0.0.1/bien-lai",
            new Domain.Receipts.ReceiptCollector("Trường Tiểu học Thử Nghiệm", "3700000001", "12 Yersin"), new Domain.Receipts.ReceiptPayer("Nguyễn Thị Lan"),
            [new Domain.Receipts.ReceiptItem("Học phí", 9_000_000)], []);
        var signed = TdmEdu.Fees.Api.Security.ReceiptSignature.Sign(Domain.Receipts.ReceiptXmlWriter.Write(document), id, forged, at);
        host.Fees.PlantsBrokenState();
        await host.Fees.Db.ExecAsync($"""
            SET session_replication_role = replica;
            UPDATE receipts SET signed_xml = decode('{Convert.ToHexString(signed.Xml)}', 'hex'), xml_sha256 = '{signed.Sha256}',
                   cert_serial = '{signed.CertificateSerial}', cert_subject = '{signed.CertificateSubject}', sandbox_cert = false WHERE id = '{id}';
            SET session_replication_role = origin
            """);

        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        var json = await http.GetFromJsonAsync<JsonElement>($"/api/public/receipts/3700000001/{code}");
        var audit = await host.Fees.RunAsync("audit");

        var verdict = json.GetProperty("signature").GetProperty("result").GetString();
        Assert.True(verdict != "valid" && audit.ExitCode == 3, $"the page says {verdict} for {json.GetProperty("totalVnd")} đồng; the audit exits {audit.ExitCode}");
    }
}
