using TdmEdu.Fees.Api.Tests.Support;
using static TdmEdu.Fees.Api.Tests.Support.PhoneChecks;

namespace TdmEdu.Fees.Api.Tests.Browser;

/// <summary>
/// A family on a phone: siblings on one page after one look-up, each paying with their own code; nobody else's child
/// opened by changing an id; a pupil who moved owing each school on that school's own QR; how each payment was applied.
/// </summary>
public sealed class ParentFamilyBrowserTests
{
    private static async Task<Dictionary<string, string>> PairsAsync(BankHost host, string sql) =>
        (await host.Fees.Db.ListAsync(sql)).Select(r => r.Split('=')).ToDictionary(p => p[0], p => p[1]);

    private static async Task<string> NoticeAsync(BankHost host, string student, int period) => (await host.Fees.Db.ListAsync(
        $"SELECT n.notice_no FROM notices n JOIN students s ON s.id = n.student_id WHERE s.student_code = '{student}' AND n.period_key = {period}")).Single();

    private static Task<long> OwedAsync(BankHost host, string student) => host.Fees.Db.ScalarAsync(
        $"SELECT sum(n.amount_due_vnd - n.amount_paid_vnd) FROM notices n JOIN students s ON s.id = n.student_id WHERE s.student_code = '{student}'");

    [Fact]
    public async Task Siblings_AreOnOnePage_EachWithTheirOwnTotalAndQr_AndAStrangersChildIsRefusedWhateverTheId()
    {
        await using var host = await BankHost.StartAsync();
        // Same guardian phone at another school: not this school's family, not on the page.
        await host.Fees.OkAsync("students", "import", host.Fees.File("ts01-more.csv", Samples.StudentHeader +
            "TS01,7900000050,Đặng Minh Khôi,09/09/2018,Nam,1,1A1,Đặng Văn Hùng,0912000040,,,\n"));
        await host.Fees.OkAsync("notices", "issue", "--period", "2025-10");
        var (bao, thu) = (await host.PaymentCodeAsync("7900000040"), await host.PaymentCodeAsync("7900000041"));
        var ids = await PairsAsync(host, "SELECT student_code || '=' || id FROM students");
        var bidv = host.Account("TS02", "BIDV").AccountNo;
        // The sister's September was paid at the counter; the brother's bank transfer named his October bill.
        await host.Fees.OkAsync("payments", "cash", "--notice", await NoticeAsync(host, "7900000041", 202509), "--amount", "1371800");
        var (status, _) = await host.BidvAsync("paybill", host.PayBill("T9001", bao, await NoticeAsync(host, "7900000040", 202510), "500000"), await host.BidvTokenAsync());
        Assert.Equal(200, status);
        Assert.Equal(1, await host.ProcessInboxAsync());
        // Another family's child, with a receipt of its own.
        await host.Fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00001", "--amount", "50000");
        var receipts = await PairsAsync(host, "SELECT s.student_code || '=' || r.id FROM receipts r JOIN payments p ON p.id = r.payment_id JOIN students s ON s.id = p.student_id");

        await using var browser = await Support.Browser.LaunchAsync();
        var page = await PhoneAsync(browser, host);
        await LookUpAsync(page, bao, "07-07-2013");

        Assert.Equal([bao, thu], await page.Locator(".pupil").EvaluateAllAsync<string[]>("s => s.map(x => x.dataset.pupil)"));
        Assert.Equal(["Đặng Quốc Bảo", "Đặng Thị Thu"], await page.Locator(".pupil-name").AllInnerTextsAsync());
        var text = await page.InnerTextAsync("main");
        Assert.DoesNotContain("Nguyễn Văn An", text);
        Assert.DoesNotContain("Đặng Minh Khôi", text);
        // Each child: their own total and a QR that pays it with their own code; one figure for the whole family, no QR for it.
        foreach (var (code, student) in new[] { (bao, "7900000040"), (thu, "7900000041") })
        {
            var owed = await OwedAsync(host, student);
            var card = page.Locator($"[data-pupil='{code}'] .owed");
            Assert.Equal(Web.Lang.Money(owed), await card.Locator(".sum").InnerTextAsync());
            var qr = await QrOfAsync(page, card.Locator("img.qr"));
            Assert.Equal(("970418", bidv, owed, code), (qr.BankBin, qr.Account, qr.AmountVnd!.Value, qr.Purpose));
        }
        Assert.Equal(Web.Lang.Money(await OwedAsync(host, "7900000040") + await OwedAsync(host, "7900000041")), await page.InnerTextAsync("#family-total"));
        Assert.Equal(0, await page.Locator("#family img").CountAsync());

        // How each payment was applied, in one sentence, and which months it paid.
        var brother = page.Locator($"[data-pupil='{bao}'] .history .payment");
        Assert.Equal("Áp vào tháng 10/2025 như nội dung chuyển khoản ghi.", await brother.Locator(".applied").InnerTextAsync());
        Assert.Equal("Đã trả: tháng 10/2025 (500.000 ₫)", await brother.Locator(".paid-months").InnerTextAsync());
        var sister = page.Locator($"[data-pupil='{thu}'] .history .payment");
        Assert.Equal("Nộp tại trường cho tháng 9/2025.", await sister.Locator(".applied").InnerTextAsync());
        Assert.Equal(200, (await page.APIRequest.GetAsync((await sister.Locator("a.receipt").GetAttributeAsync("href"))!)).Status);

        await OpenEveryMonthAsync(page);
        await AssertFitsAPhoneAsync(page, "siblings");
        await page.EvaluateAsync("() => document.querySelectorAll('details.month').forEach(d => d.open = false)");
        await Support.Browser.ScreenshotAsync(page, "parent-family");

        // Changing an id in an address opens a sibling's files, and nobody else's.
        async Task<int> StatusAsync(string address) => (await page.APIRequest.GetAsync(address)).Status;
        Assert.Equal(200, await StatusAsync($"/phu-huynh/qr-tong/{ids["7900000041"]}/TS02"));
        Assert.Equal(200, await StatusAsync($"/phu-huynh/qr/{await NoticeAsync(host, "7900000041", 202510)}"));
        Assert.Equal(404, await StatusAsync($"/phu-huynh/qr-tong/{ids["7900000001"]}/TS01"));
        Assert.Equal(404, await StatusAsync($"/phu-huynh/qr/{await NoticeAsync(host, "7900000001", 202509)}"));
        Assert.Equal(404, await StatusAsync($"/phu-huynh/bien-lai/{receipts["7900000001"]}"));
        Assert.Equal(404, await StatusAsync($"/phu-huynh/qr-tong/{ids["7900000050"]}/TS01"));
        Assert.Equal(200, await StatusAsync($"/phu-huynh/bien-lai/{receipts["7900000041"]}"));
    }

    [Fact]
    public async Task APupilWhoMoved_OwesEachSchoolOnThatSchoolsOwnQr_NeverOneQrForBoth()
    {
        await using var host = await BankHost.StartAsync();
        await host.Fees.OkAsync("students", "transfer", "--student", "7900000001", "--to", "TS02", "--class", "6A1", "--reason", "Chuyển nhà");
        await host.Fees.OkAsync("notices", "issue", "--period", "2025-10");
        var code = await host.PaymentCodeAsync("7900000001");
        var owed = (await PairsAsync(host, "SELECT sc.code || '=' || sum(n.amount_due_vnd - n.amount_paid_vnd) FROM notices n JOIN schools sc ON sc.id = n.school_id " +
            "JOIN students s ON s.id = n.student_id WHERE s.student_code = '7900000001' GROUP BY sc.code")).ToDictionary(p => p.Key, p => long.Parse(p.Value));
        var (vcb, bidv) = (host.Account("TS01", "VCB").AccountNo, host.Account("TS02", "BIDV").AccountNo);
        await using var browser = await Support.Browser.LaunchAsync();
        var page = await PhoneAsync(browser, host);
        await LookUpAsync(page, code, "12.05.2018");

        Assert.Equal(2, await page.Locator(".owed").CountAsync());
        Assert.True(await page.Locator(".two-schools").IsVisibleAsync());
        foreach (var (school, bin, account, other, month) in new[] { ("TS01", "970436", vcb, bidv, "9/2025"), ("TS02", "970418", bidv, vcb, "10/2025") })
        {
            var card = page.Locator($".owed[data-total='{school}']");
            var qr = await QrOfAsync(page, card.Locator("img.qr"));
            Assert.Equal((bin, account, owed[school], code), (qr.BankBin, qr.Account, qr.AmountVnd!.Value, qr.Purpose));
            Assert.Equal(month, await card.Locator(".months").InnerTextAsync());
            Assert.Equal(Web.Lang.Money(owed[school]), await card.Locator(".sum").InnerTextAsync());
            Assert.DoesNotContain(other, await card.InnerTextAsync());
        }
        Assert.Contains("Trường Tiểu học Thử Nghiệm", await page.InnerTextAsync(".owed[data-total='TS01'] h3"));
        await AssertFitsAPhoneAsync(page, "a pupil who moved");
        await Support.Browser.ScreenshotAsync(page, "parent-two-schools");
    }
}
