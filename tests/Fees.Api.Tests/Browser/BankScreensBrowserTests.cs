using TdmEdu.Fees.Api.Tests.Support;
using static TdmEdu.Fees.Api.Tests.Support.PhoneChecks;

namespace TdmEdu.Fees.Api.Tests.Browser;

/// <summary>
/// The accountant's bank money on a 390×844 phone: a statement uploaded and previewed (nothing written), imported, the
/// transactions listed and filtered by outcome, a suggestion accepted in one click in the review queue; no page scrolls
/// sideways and the ledger passes its audit. The auditor can open neither the upload nor the names.
/// </summary>
public sealed class BankScreensBrowserTests
{
    [Fact]
    public async Task Accountant_OnAPhone_UploadsPreviewsAndImportsAStatement_ListsItsTransactions_AndAcceptsASuggestionInOneClick()
    {
        await using var host = await BankHost.StartAsync();
        var fees = host.Fees;
        await Support.Browser.AddLoginAsync(fees, "kt@ts01.vn", "Kế toán", "accountant", "TS01");
        await Support.Browser.AddLoginAsync(fees, "tt@so.vn", "Thanh tra", "auditor");
        var an = await host.PaymentCodeAsync("7900000001");
        var bich = await host.PaymentCodeAsync("7900000002");
        // A notification the bank sent earlier: the list shows every channel.
        await host.VcbAsync(host.VcbBody("VCB0100", 500_000, $"{an} dot 1"));
        await host.ProcessInboxAsync();
        var account = host.Account("TS01", "VCB").AccountNo;
        var statement = fees.File("sao-ke-10-09.sta", $":20:S1\n:25:{account}\n:60F:C250909VND0,\n" +
            $":61:2509100910C871800,NTRFNONREF//FT001\n:86:{an} hoc phi con lai\n" +
            $":61:2509100910C1001800,NTRFNONREF//FT002\n:86:hoc phi be Bich {bich[..^2] + bich[^1] + bich[^2]}\n" +
            ":61:2509100910C7000,NTRFNONREF//FT003\n:86:ung ho quy lop\n:62F:C250910VND1880600,\n");
        await using var browser = await Support.Browser.LaunchAsync();
        var page = await PhoneAsync(browser, host);
        await Support.Browser.SignInAsync(page, "kt@ts01.vn");
        await page.Locator("#billed").WaitForAsync();

        // Step 1: the preview shows each line and what reconciliation would do, and writes nothing.
        await page.ClickAsync("#menu-open");
        await page.ClickAsync("#menu-statement");
        await page.SetInputFilesAsync("#file", statement);
        await page.ClickAsync("#preview");
        await page.Locator("#preview-lines").WaitForAsync();
        Assert.Contains("3 dòng, 3 dòng mới, 0 dòng đã nhập trước đây", await page.InnerTextAsync("#preview-summary"));
        var lines = page.Locator("#preview-lines > li");
        Assert.Equal(3, await lines.CountAsync());
        Assert.Contains("Đã khớp, đủ số tiền", await lines.Nth(0).InnerTextAsync());
        Assert.Contains("Nguyễn Văn An", await lines.Nth(0).InnerTextAsync());
        Assert.Contains("TS01-202509-00001", await lines.Nth(0).InnerTextAsync());
        Assert.Contains("Có gợi ý, chờ xác nhận", await lines.Nth(1).InnerTextAsync());
        Assert.Contains("Trần Thị Bích", await lines.Nth(1).InnerTextAsync());
        Assert.Contains("sai chữ số kiểm tra", await lines.Nth(1).InnerTextAsync());
        Assert.Contains("Chưa khớp, chờ xử lý", await lines.Nth(2).InnerTextAsync());
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM statement_lines"));
        Assert.Equal(500_000, await fees.Db.ScalarAsync("SELECT amount_paid_vnd FROM notices WHERE notice_no = 'TS01-202509-00001'"));
        await AssertFitsAPhoneAsync(page, "statement preview");
        await Support.Browser.ScreenshotAsync(page, "bank-statement-preview");

        // Step 2: exactly that file is imported and reconciled.
        await page.ClickAsync("#import");
        await page.Locator("#imported").WaitForAsync();
        Assert.Contains("3 dòng, 3 dòng mới, 0 dòng đã có", await page.InnerTextAsync("#imported"));
        Assert.Equal("1", await page.InnerTextAsync("#reconciled [data-outcome=matched] dd"));
        Assert.Equal(1_371_800, await fees.Db.ScalarAsync("SELECT amount_paid_vnd FROM notices WHERE notice_no = 'TS01-202509-00001'"));
        await AssertFitsAPhoneAsync(page, "statement imported");

        // Every bank transaction, the notification among them; then only those waiting with a suggestion.
        await page.ClickAsync("#to-transactions");
        await page.Locator("#transactions").WaitForAsync();
        await page.GotoAsync("/truong/TS01/giao-dich");
        Assert.Equal("4 giao dịch", await page.InnerTextAsync("#tx-count"));
        Assert.Contains("Thông báo Vietcombank", await page.InnerTextAsync("#transactions"));
        await page.SelectOptionAsync("#ket-qua", "suggested");
        await page.ClickAsync("#filter");
        await page.Locator("#tx-count", new() { HasText = "1 giao dịch" }).WaitForAsync();
        Assert.Contains("ket-qua=suggested", page.Url);
        var waiting = page.Locator("#transactions > li");
        Assert.Equal(1, await waiting.CountAsync());
        Assert.Contains("Trần Thị Bích", await waiting.InnerTextAsync());
        Assert.Contains("giống mã thanh toán nhưng sai chữ số kiểm tra", await waiting.InnerTextAsync());
        await page.SelectOptionAsync("#ket-qua", "");
        await page.ClickAsync("#filter");
        await page.Locator("#tx-count", new() { HasText = "4 giao dịch" }).WaitForAsync();
        await page.Locator("#transactions a[href='/truong/TS01/hoc-sinh/" + an + "']").First.WaitForAsync();
        await AssertFitsAPhoneAsync(page, "transactions list");
        await Support.Browser.ScreenshotAsync(page, "bank-transactions");

        // The review queue: one reason, one click on the pupil put first.
        await page.GotoAsync("/truong/TS01/doi-soat");
        var line = page.Locator("section.review", new() { HasText = "hoc phi be Bich" });
        var first = line.Locator("li.suggestion").First;
        Assert.Contains("Trần Thị Bích", await first.InnerTextAsync());
        Assert.Contains("gợi ý hàng đầu", await first.InnerTextAsync());
        await AssertFitsAPhoneAsync(page, "review queue");
        await Support.Browser.ScreenshotAsync(page, "bank-review-queue");
        await line.Locator("input[name=Reason]").FillAsync("Mã đảo hai chữ số; đúng số tiền của Bích");
        await first.Locator("button.accept").ClickAsync();
        await page.Locator("#decided").WaitForAsync();
        Assert.Contains("đã ghi nhận cho học sinh 7900000002 (Trần Thị Bích)", await page.InnerTextAsync("#decided"));
        Assert.Equal(1_001_800, await fees.Db.ScalarAsync("SELECT amount_paid_vnd FROM notices WHERE notice_no = 'TS01-202509-00002'"));
        Assert.Equal(0, (await fees.RunAsync("audit")).ExitCode);

        // The auditor: neither the upload nor the names.
        var auditor = await PhoneAsync(browser, host);
        await Support.Browser.SignInAsync(auditor, "tt@so.vn");
        await auditor.Locator("#schools").WaitForAsync();
        Assert.Equal(403, (await auditor.GotoAsync("/truong/TS01/sao-ke"))!.Status);
        Assert.Equal(403, (await auditor.GotoAsync("/truong/TS01/giao-dich"))!.Status);
        await auditor.GotoAsync("/truong/TS01/2025-09");
        await auditor.Locator("#billed").WaitForAsync();
        Assert.Equal(0, await auditor.Locator("#menu-statement, #menu-transactions").CountAsync());
    }
}
