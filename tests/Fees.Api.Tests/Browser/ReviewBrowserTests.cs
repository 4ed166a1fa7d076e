using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Browser;

/// <summary>The review queue as the accountant works it: a mangled code confirmed for the right pupil, a gift marked as not a fee.</summary>
public sealed class ReviewBrowserTests
{
    [Fact]
    public async Task Accountant_ConfirmsOneLineAndIgnoresAnother_WithReasons_AndTheMoneyLands()
    {
        await using var host = await BankHost.StartAsync();
        var fees = host.Fees;
        await Support.Browser.AddLoginAsync(fees, "kt@ts01.vn", "Kế toán", "accountant", "TS01");
        var bich = await host.PaymentCodeAsync("7900000002");
        var mangled = bich[..^2] + bich[^1] + bich[^2];
        var account = host.Account("TS01", "VCB").AccountNo;
        await fees.OkAsync("statements", "import", fees.File("s.sta", $":20:S\n:25:{account}\n:60F:C250909VND0,\n" +
            $":61:2509100910C1001800,NTRFNONREF//FT1\n:86:hoc phi be Bich {mangled}\n:61:2509100910C7000,NTRFNONREF//FT2\n:86:ung ho quy lop\n"),
            "--bank", "VCB", "--account", account);
        await fees.OkAsync("reconcile");
        await using var browser = await Support.Browser.LaunchAsync();
        var page = await browser.PageAsync(host.BaseAddress);
        await Support.Browser.SignInAsync(page, "kt@ts01.vn");
        await page.Locator("#billed").WaitForAsync();
        Assert.Equal("2", await page.InnerTextAsync("#queue"));

        await page.ClickAsync("text=Giao dịch chờ đối soát");
        var first = page.Locator("section.review", new() { HasText = "hoc phi be Bich" });
        Assert.Contains("sai chữ số kiểm tra", await first.Locator(".why").InnerTextAsync());
        await Support.Browser.ScreenshotAsync(page, "review-queue");
        // One reason for the line, then one click on the suggested pupil (named beside the code, put first: she owes exactly this).
        await first.Locator("input[name=Reason]").FillAsync("Phụ huynh gọi điện xác nhận");
        await first.Locator("li.suggestion").First.Locator("button.accept", new() { HasText = "Trần Thị Bích" }).ClickAsync();
        await page.Locator("#decided").WaitForAsync();
        Assert.Contains("đã ghi nhận cho học sinh 7900000002", await page.InnerTextAsync("#decided"));

        var gift = page.Locator("section.review", new() { HasText = "ung ho quy lop" });
        await gift.Locator("input[name=Reason]").FillAsync("Quỹ lớp, không phải học phí");
        await gift.Locator("button.ignore").ClickAsync();
        await page.GetByText("0 mục chờ quyết định").WaitForAsync();

        Assert.Equal(1_001_800, await fees.Db.ScalarAsync("SELECT amount_paid_vnd FROM notices WHERE notice_no = 'TS01-202509-00002'"));
        Assert.Equal(2, await fees.Db.ScalarAsync("SELECT count(*) FROM review_decisions WHERE actor = 'web:kt@ts01.vn'"));
        Assert.Equal(0, (await fees.RunAsync("audit")).ExitCode);
    }

    [Fact]
    public async Task Accountant_SplitsALine_MovesAnother_AndAStalePageUndoesNothing()
    {
        await using var host = await BankHost.StartAsync();
        var fees = host.Fees;
        await Support.Browser.AddLoginAsync(fees, "kt@ts01.vn", "Kế toán", "accountant", "TS01");
        var account = host.Account("TS01", "VCB").AccountNo;
        await fees.OkAsync("statements", "import", fees.File("s.sta", $":20:S\n:25:{account}\n:60F:C250909VND0,\n" +
            $":61:2509100910C900000,NTRFNONREF//FT1\n:86:hoc phi hai chau nha chi Lan\n:61:2509100910C1001800,NTRFNONREF//FT2\n:86:nop hoc phi\n"),
            "--bank", "VCB", "--account", account);
        await fees.OkAsync("reconcile");
        await using var browser = await Support.Browser.LaunchAsync();
        var page = await browser.PageAsync(host.BaseAddress);
        await Support.Browser.SignInAsync(page, "kt@ts01.vn");
        await page.Locator("#billed").WaitForAsync();
        await page.GotoAsync("/truong/TS01/doi-soat");

        // Split: parts that do not add up are refused in Vietnamese and nothing moves; then the right parts.
        var two = page.Locator("section.review", new() { HasText = "hai chau" });
        await two.Locator("summary").ClickAsync();
        await two.Locator("textarea[name=Parts]").FillAsync("7900000001=500.000\n7900000002=300.000");
        await two.Locator("input[name=Reason]").FillAsync("Hai con của chị Lan");
        await two.Locator("button.split").ClickAsync();
        Assert.Contains("Các phần cộng lại được 800.000 ₫ nhưng giao dịch là 900.000 ₫", await page.Locator("#problem").InnerTextAsync());
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM payments WHERE source LIKE 'STMT-%'"));
        two = page.Locator("section.review", new() { HasText = "hai chau" });
        await two.Locator("summary").ClickAsync();
        await two.Locator("textarea[name=Parts]").FillAsync("7900000001=500.000\n7900000002=400.000");
        await two.Locator("input[name=Reason]").FillAsync("Hai con của chị Lan");
        await two.Locator("button.split").ClickAsync();
        Assert.Contains("đã chia cho 7900000001 (500.000 ₫), 7900000002 (400.000 ₫)", await page.Locator("#decided").InnerTextAsync());

        // Confirm the other line for the wrong pupil, then move it to the right one from the decided lines.
        var one = page.Locator("section.review", new() { HasText = "nop hoc phi" });
        await one.Locator("input[name=Typed]").FillAsync("7900000002");
        await one.Locator("input[name=Reason]").FillAsync("Phụ huynh nói là của Bích");
        await one.Locator("button.confirm-typed").ClickAsync();
        await page.GetByText("0 mục chờ quyết định").WaitForAsync();

        // A second tab opened now will be stale once the first tab moves the line.
        var stale = await page.Context.NewPageAsync();
        await stale.GotoAsync("/truong/TS01/doi-soat");
        var row = page.Locator("#decided-lines tr", new() { HasText = "nop hoc phi" });
        await row.Locator("form.reassign input[name=Student]").FillAsync("7900000001");
        await row.Locator("form.reassign input[name=Reason]").FillAsync("Phụ huynh gọi lại: là của An");
        await row.Locator("form.reassign button").ClickAsync();
        await page.Locator("#decided", new() { HasText = "nay ghi nhận cho học sinh 7900000001" }).WaitForAsync();
        Assert.Equal("chuyển sang học sinh khác", await page.Locator("#decided-lines tr", new() { HasText = "nop hoc phi" }).Locator(".action").InnerTextAsync());

        var staleRow = stale.Locator("#decided-lines tr", new() { HasText = "nop hoc phi" });
        Assert.Equal("xác nhận cho học sinh", await staleRow.Locator(".action").InnerTextAsync());
        await staleRow.Locator("form.undo input[name=Reason]").FillAsync("Bấm nhầm");
        await staleRow.Locator("form.undo button").ClickAsync();
        Assert.Contains("vừa được người khác xử lý", await stale.Locator("#problem").InnerTextAsync());
        await Support.Browser.ScreenshotAsync(page, "review-decided");

        // A line id that names nothing: refused in the page's language, Vietnamese first, English after the switch.
        async Task<string> MoveUnknownAsync()
        {
            await stale.FillAsync("#move-applied input[name=Line]", "zzzzzzzz");
            await stale.FillAsync("#move-applied input[name=Student]", "7900000001");
            await stale.FillAsync("#move-applied input[name=Reason]", "Thử");
            await stale.ClickAsync("#move-applied button");
            return await stale.InnerTextAsync("#problem");
        }
        Assert.Contains("không có giao dịch nào mã zzzzzzzz", await MoveUnknownAsync());
        await stale.ClickAsync("text=English");
        await stale.Locator("h1", new() { HasText = "Bank lines to review" }).WaitForAsync();
        Assert.Contains("nothing in the review queue has the id zzzzzzzz", await MoveUnknownAsync());

        // Every đồng in exactly one place: the split's parts, the moved line once (its first payment reversed).
        const string PaidBy = "SELECT coalesce(sum(p.amount_vnd), 0) FROM payments p JOIN students s ON s.id = p.student_id WHERE p.method IN ('bank', 'reversal') AND s.student_code = ";
        Assert.Equal(500_000 + 1_001_800, await fees.Db.ScalarAsync(PaidBy + "'7900000001'"));
        Assert.Equal(400_000, await fees.Db.ScalarAsync(PaidBy + "'7900000002'"));
        Assert.Equal(3, await fees.Db.ScalarAsync("SELECT count(*) FROM review_decisions WHERE actor = 'web:kt@ts01.vn'"));
        Assert.Equal(0, (await fees.RunAsync("audit")).ExitCode);
    }
}
