using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Browser;

/// <summary>A parent on a phone: looks the child up, sees the notice explained and its QR, the bank pays, the page shows it paid.</summary>
public sealed class ParentPortalBrowserTests
{
    [Fact]
    public async Task Parent_LooksUpTheChild_SeesTheQr_TheBankPays_AndThePageShowsItPaidWithAReceipt()
    {
        await using var host = await BankHost.StartAsync();
        var code = await host.PaymentCodeAsync("7900000002");          // Trần Thị Bích, born 01/03/2017
        await using var browser = await Support.Browser.LaunchAsync();
        var page = await browser.PageAsync(host.BaseAddress, 390, 844);

        await page.GotoAsync("/phu-huynh");
        await page.FillAsync("#code", "hs-" + code[2..].ToLowerInvariant());
        await page.FillAsync("#dob", "02/03/2017");
        await page.ClickAsync("button[type=submit]");
        // A wrong date says only that no pupil has this code and date: not the shape of the name, not that the code exists.
        Assert.Equal("Không tìm thấy học sinh có mã thanh toán và ngày sinh này. Hãy kiểm tra lại mã trên thông báo và ngày sinh của con.",
            await page.InnerTextAsync("[role=alert]"));
        Assert.DoesNotContain("B***", await page.ContentAsync());

        // Typed on a phone's number pad without separators, the date still reads as 01/03/2017.
        await page.FillAsync("#dob", "01032017");
        await page.ClickAsync("button[type=submit]");
        await page.Locator(".pupil-name").WaitForAsync();
        Assert.Equal("Trần Thị Bích", await page.InnerTextAsync(".pupil-name"));
        var notice = page.Locator("[data-notice='TS01-202509-00002']");
        Assert.Equal("Chưa nộp", await notice.Locator(".status").InnerTextAsync());
        Assert.Equal("1.001.800 ₫", await notice.Locator(".balance").InnerTextAsync());
        await notice.Locator("summary").ClickAsync();
        Assert.Contains("Dịch vụ bán trú", await notice.InnerTextAsync());
        await notice.Locator("img.qr").ScrollIntoViewIfNeededAsync();
        Assert.True(await notice.Locator("img.qr").EvaluateAsync<int>("img => img.decode().then(() => img.naturalWidth)") > 100, "the QR image loads");

        // The sandbox Vietcombank pays the balance by the code; the parent comes back to the page.
        await host.VcbAsync(host.VcbBody("VCB7001", 1_001_800, $"{code} hoc phi"));
        await host.ProcessInboxAsync();
        await page.ReloadAsync();

        Assert.Equal("Đã nộp đủ", await notice.Locator(".status").InnerTextAsync());
        Assert.Equal("0 ₫", await notice.Locator(".balance").InnerTextAsync());
        Assert.Equal(0, await notice.Locator("img.qr").CountAsync());
        Assert.Matches(@"^TS01/EBL01/25T/\d{7}$", (await page.InnerTextAsync(".history .receipt")).Trim());

        // The receipt downloads as a PDF: the bank payment, the notice it paid, the amount in words.
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync(".history a.receipt"));
        var pdf = Path.Combine(host.Fees.Folder, "receipt.pdf");
        await download.SaveAsAsync(pdf);
        var text = await Printing.PdfText.ExtractAsync(pdf);
        Assert.Contains("Chuyển khoản", text);
        Assert.Contains("TS01-202509-00002", text);
        Assert.Contains("Một triệu không trăm linh một nghìn tám trăm đồng", text);

        // Another child's receipt is not this session's to see, even by its id.
        await host.Fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00001", "--amount", "50000");
        var other = (await host.Fees.Db.ListAsync("SELECT r.id FROM receipts r JOIN payments p ON p.id = r.payment_id WHERE p.source = 'cash'")).Single();
        Assert.Equal(404, (await page.APIRequest.GetAsync($"/phu-huynh/bien-lai/{other}")).Status);
    }

    [Fact]
    public async Task Parent_GuessingDatesOfBirth_IsStoppedAfterAFewTries_AndTheQrNeedsTheLookUp()
    {
        await using var host = await BankHost.StartAsync();
        var code = await host.PaymentCodeAsync("7900000002");
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = host.BaseAddress };
        await using var browser = await Support.Browser.LaunchAsync();
        var page = await browser.PageAsync(host.BaseAddress);
        await page.GotoAsync("/phu-huynh");

        var statuses = new List<int>();
        for (var day = 1; day <= 10; day++)
        {
            await page.FillAsync("#code", code);
            await page.FillAsync("#dob", $"{day:D2}/01/2017");
            var response = await page.RunAndWaitForResponseAsync(() => page.ClickAsync("button[type=submit]"), r => r.Request.Method == "POST");
            statuses.Add(response.Status);
        }

        Assert.Equal([.. Enumerable.Repeat(200, 8), 429, 429], statuses);
        Assert.Contains("Tra cứu sai quá nhiều lần từ mạng này", await page.InnerTextAsync("[role=alert]"));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await client.GetAsync("/phu-huynh/qr/TS01-202509-00002")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await client.GetAsync($"/phu-huynh/bien-lai/{Guid.NewGuid()}")).StatusCode);
    }
}
