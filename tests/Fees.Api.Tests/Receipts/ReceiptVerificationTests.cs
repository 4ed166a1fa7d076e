using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TdmEdu.Fees.Api.Application.Receipts;
using TdmEdu.Fees.Api.Web;
using TdmEdu.Fees.Api.Security;
using TdmEdu.Fees.Api.Tests.Printing;
using TdmEdu.Fees.Api.Tests.Support;
using TdmEdu.Fees.Domain.Receipts;
using ZXing;

namespace TdmEdu.Fees.Api.Tests.Receipts;

/// <summary>
/// The verification anyone can do without an account (contracts/ereceipts.md §12): the QR printed on the receipt's PDF
/// leads to a page that shows the receipt and its signature; the JSON says the same; a wrong pair answers exactly as an
/// unknown one; one address gets 30 look-ups a minute; the payer's name is masked.
/// </summary>
public sealed class ReceiptVerificationTests
{
    private static async Task<(string Code, Guid Payment)> PayCashAsync(BankHost host)
    {
        await host.Fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00001", "--amount", "1371800", "--payer", "Nguyễn Thị Lan");
        var row = (await host.Fees.Db.ListAsync("SELECT lookup_code || '|' || payment_id FROM receipts")).Single().Split('|');
        return (row[0], Guid.Parse(row[1]));
    }

    [Fact]
    public async Task TheQrOnTheReceiptPdf_OpensThePage_ThatShowsTheReceiptValid_OnAPhone()
    {
        await using var host = await BankHost.StartAsync();
        await StaffLogins.AddAsync(host.Fees);
        var (code, payment) = await PayCashAsync(host);
        var accountant = await StaffLogins.ClientAsync(host, StaffLogins.Accountant);
        var pdf = await accountant.GetAsync($"/truong/TS01/thu-tien-mat?handler=Receipt&payment={payment}");
        Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
        var folder = Directory.CreateTempSubdirectory("fees-receipt-pdf-");
        try
        {
            var file = Path.Combine(folder.FullName, "receipt.pdf");
            await File.WriteAllBytesAsync(file, await pdf.Content.ReadAsByteArrayAsync());
            var pages = await NoticePdfTests.RenderAsync(file, folder.FullName);
            if (Environment.GetEnvironmentVariable("FEES_SCREENSHOTS") is { Length: > 0 } shots) File.Copy(pages[0], Path.Combine(shots, "receipt-pdf.png"), true);
            var scanned = NoticePdfTests.Decode(pages[0], BarcodeFormat.QR_CODE);
            Assert.NotNull(scanned);
            var target = new Uri(scanned);
            Assert.Equal($"/bien-lai/3700000001/{code}", target.AbsolutePath);

            await using var browser = await Support.Browser.LaunchAsync();
            var page = await browser.PageAsync(host.BaseAddress, width: 390, height: 844);
            await page.GotoAsync(target.PathAndQuery);
            Assert.Equal("issued", await page.GetAttributeAsync("#status", "data-status"));
            Assert.Equal("Có hiệu lực", (await page.InnerTextAsync("#status")).Trim());
            Assert.Equal("sandbox", await page.GetAttributeAsync("#signature", "data-verdict"));
            Assert.Contains("chứng thư thử nghiệm", await page.InnerTextAsync("#verdict"));
            Assert.Equal("N. T. Lan", (await page.InnerTextAsync("#payer")).Trim());
            Assert.Contains("EBL01 · 25T · 0000001", await page.InnerTextAsync("#symbols"));
            Assert.Equal("noindex", await page.GetAttributeAsync("meta[name=robots]", "content"));
            await PhoneChecks.AssertFitsAPhoneAsync(page, "receipt verification");
            await Support.Browser.ScreenshotAsync(page, "receipt-verification-phone");
            Assert.DoesNotContain("Nguyễn Thị Lan", await page.ContentAsync());
        }
        finally
        {
            folder.Delete(true);
        }
    }

    [Fact]
    public async Task TheJson_SaysWhatThePageSays_AWrongPairIsAnUnknownOne_AndOneAddressGetsThirtyAMinute()
    {
        await using var host = await BankHost.StartAsync();
        var (code, _) = await PayCashAsync(host);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };

        var found = await http.GetAsync($"/api/public/receipts/3700000001/{LookupCode.Display(code).ToLowerInvariant()}");
        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        var json = await found.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("issued", json.GetProperty("status").GetString());
        Assert.Equal(1_371_800, json.GetProperty("totalVnd").GetInt64());
        Assert.Equal("N. T. Lan", json.GetProperty("payer").GetString());
        Assert.Equal("sandbox", json.GetProperty("signature").GetProperty("result").GetString());
        var xml = await http.GetAsync(json.GetProperty("xml").GetString());
        Assert.Equal(HttpStatusCode.OK, xml.StatusCode);
        Assert.Equal(json.GetProperty("signature").GetProperty("sha256").GetString(),
            Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await xml.Content.ReadAsByteArrayAsync())));

        // The other school's tax code with this code, and a code nobody has: the same answer, word for word.
        var wrongPair = await http.GetAsync($"/api/public/receipts/3700000002/{code}");
        var unknown = await http.GetAsync("/api/public/receipts/3700000001/0000-0000-0000");
        Assert.Equal(HttpStatusCode.NotFound, wrongPair.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        static async Task<string> Said(HttpResponseMessage r)
        {
            var e = await r.Content.ReadFromJsonAsync<JsonElement>();
            return $"{e.GetProperty("status")} {e.GetProperty("title")} {e.GetProperty("detail")}";
        }
        Assert.Equal(await Said(unknown), await Said(wrongPair));
        var wrongPage = await http.GetAsync($"/bien-lai/3700000002/{code}");
        var unknownPage = await http.GetAsync("/bien-lai/3700000001/ZZZZ-ZZZZ-ZZZZ");
        foreach (var p in new[] { wrongPage, unknownPage })
        {
            Assert.Equal(HttpStatusCode.NotFound, p.StatusCode);
            Assert.Contains("Không tìm thấy biên lai với mã số thuế và mã tra cứu này.", await p.Content.ReadAsStringAsync());
        }

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < ReceiptLookupLimit.PerMinute; i++) answers.Add((await http.GetAsync($"/api/public/receipts/3700000001/{code}")).StatusCode);
        var refused = await http.GetAsync($"/bien-lai/3700000001/{code}");
        Assert.Contains(HttpStatusCode.TooManyRequests, answers.Append(refused.StatusCode));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta is { TotalSeconds: >= 1 });
    }

    [Fact]
    public void ACertificateOfTheSchool_NotTheSandboxs_IsValid_AnotherSchoolsIsNot_AndTheNameIsMaskedToInitials()
    {
        var at = new DateTimeOffset(2026, 9, 10, 3, 0, 0, TimeSpan.Zero);
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest(
            "CN=Trường Tiểu học Phú Hòa 2, O=Trường Tiểu học Phú Hòa 2, UID=MST:3700000000", rsa,
            System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(at.AddDays(-1), at.AddYears(1));
        var document = new ReceiptDocument("EBL01", "26T", 5, new DateOnly(2026, 9, 10), true, "7QK2M9XD4HTB", "https://thu.example.vn/bien-lai",
            new ReceiptCollector("Trường Tiểu học Phú Hòa 2", "3700000000", "Phú Hòa"), new ReceiptPayer("Nguyễn Thị Lan"),
            [new ReceiptItem("Tiền ăn tháng 9/2026", 900_000)], []);
        var signed = ReceiptSignature.Sign(ReceiptXmlWriter.Write(document), Guid.NewGuid(), certificate, at);

        Assert.Equal(SignatureVerdict.Valid, ReceiptVerification.Check(signed.Xml, "3700000000").Verdict);
        var other = ReceiptVerification.Check(signed.Xml, "3700000009");
        Assert.Equal(SignatureVerdict.Invalid, other.Verdict);
        Assert.Contains("not the school's 3700000009", other.Problem);
        Assert.Equal(SignatureVerdict.NotSigned, ReceiptVerification.Check(null, "3700000000").Verdict);
        Assert.Equal("N. T. Lan", ReceiptVerification.Mask("Nguyễn  Thị Lan"));
        Assert.Equal("Lan", ReceiptVerification.Mask("Lan"));
        Assert.Equal("", ReceiptVerification.Mask(null));
    }
}
