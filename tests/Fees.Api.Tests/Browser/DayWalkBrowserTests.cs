using System.Text.RegularExpressions;
using TdmEdu.Fees.Api.Tests.Support;
using static TdmEdu.Fees.Api.Tests.Support.EnglishWords;

namespace TdmEdu.Fees.Api.Tests.Browser;

/// <summary>
/// A school accountant's day on a 390 px phone, start to end, every page of it checked to fit the phone and to hold no
/// English word: a pupil found by a name typed without marks, cash taken over what is owed after the confirmation,
/// the payment reversed from its receipt, a statement uploaded and a review line decided in one click, the month
/// closed; then the principal's approvals and books. The ledger passes the audit at the end. The education office's
/// auditor drills from a ward to a school's month to its notices, on the same phone, in the same words.
/// </summary>
public sealed class DayWalkBrowserTests
{
    [Fact]
    public async Task TheAccountantsDay_ThenThePrincipals_EveryPageVietnameseAndOnAPhone()
    {
        await using var host = await BankHost.StartAsync();
        var fees = host.Fees;
        await StaffLogins.AddAsync(fees);
        var an = await host.PaymentCodeAsync("7900000001");
        var bich = await host.PaymentCodeAsync("7900000002");
        var account = host.Account("TS01", "VCB").AccountNo;
        var statement = fees.File("sao-ke.sta", $":20:S1\n:25:{account}\n:60F:C250909VND0,\n" +
            $":61:2509100910C1371800,NTRFNONREF//FT001\n:86:{an} hoc phi\n" +
            $":61:2509100910C1001800,NTRFNONREF//FT002\n:86:hoc phi be Bich {bich[..^2] + bich[^1] + bich[^2]}\n:62F:C250910VND2373600,\n");
        await using var browser = await Support.Browser.LaunchAsync();
        var page = await PhoneChecks.PhoneAsync(browser, host);

        await Support.Browser.SignInAsync(page, StaffLogins.Accountant);
        await page.Locator("#billed").WaitForAsync();
        await AssertVietnameseOnAPhoneAsync(page, "the accountant's home");

        // A parent at the counter: the name typed without its marks finds the pupil.
        await page.Locator("#ps-q").PressSequentiallyAsync("tran thi bich");
        await page.Locator("#ps-live .ps-hits a", new() { HasText = "Trần Thị Bích" }).ClickAsync();
        await page.Locator("#pupil-name").WaitForAsync();
        await AssertVietnameseOnAPhoneAsync(page, "the pupil's page");

        // Cash over what is owed: the confirmation says where the excess goes before anything is recorded.
        await page.GotoAsync("/truong/TS01/thu-tien-mat");
        await page.FillAsync("#q", "tran thi bich");
        await page.ClickAsync("#find-notice button");
        await page.ClickAsync("#pupils a:has-text('Trần Thị Bích')");
        await AssertVietnameseOnAPhoneAsync(page, "the cash desk");
        await page.FillAsync("#amount", "1.201.800");
        await page.ClickAsync("#record");
        await page.Locator("#confirm-excess").WaitForAsync();
        await AssertVietnameseOnAPhoneAsync(page, "the overpayment's confirmation");
        await page.ClickAsync("#confirm");
        await page.Locator("#receipt-issued").WaitForAsync();
        await AssertVietnameseOnAPhoneAsync(page, "the cash taken");

        // Wrong pupil after all: reversed from the receipt's page, with a reason.
        await page.ClickAsync("#receipt-page");
        await page.Locator("#reverse-form").WaitForAsync();
        await AssertVietnameseOnAPhoneAsync(page, "the receipt's page");
        await page.FillAsync("#reverse-reason", "Thu nhầm, phụ huynh chuyển khoản rồi");
        await page.ClickAsync("#reverse");
        await page.Locator("#said").WaitForAsync();
        Assert.Equal("Đã huỷ", await page.InnerTextAsync("#status"));
        await AssertVietnameseOnAPhoneAsync(page, "the receipt reversed");

        // The bank statement: previewed, imported; the mistyped code decided in one click.
        await page.ClickAsync("#menu-open");
        await page.ClickAsync("#menu-statement");
        await page.SetInputFilesAsync("#file", statement);
        await page.ClickAsync("#preview");
        await page.Locator("#preview-lines").WaitForAsync();
        await AssertVietnameseOnAPhoneAsync(page, "the statement's preview");
        await page.ClickAsync("#import");
        await page.Locator("#imported").WaitForAsync();
        await AssertVietnameseOnAPhoneAsync(page, "the statement imported");
        await page.GotoAsync("/truong/TS01/doi-soat");
        var line = page.Locator("section.review", new() { HasText = "hoc phi be Bich" });
        await AssertVietnameseOnAPhoneAsync(page, "the review queue");
        await line.Locator("input[name=Reason]").FillAsync("Mã đảo hai chữ số; đúng số tiền của Bích");
        await line.Locator("li.suggestion").First.Locator("button.accept").ClickAsync();
        await page.Locator("#decided").WaitForAsync();
        await AssertVietnameseOnAPhoneAsync(page, "the review line decided");
        Assert.Equal(2_373_600, await fees.Db.ScalarAsync("SELECT sum(amount_paid_vnd) FROM notices WHERE notice_no IN ('TS01-202509-00001', 'TS01-202509-00002')"));

        // The month closed, with the box ticked.
        await page.GotoAsync("/truong/TS01/2025-09/khoa-so");
        await AssertVietnameseOnAPhoneAsync(page, "closing the month");
        await page.CheckAsync("#sure");
        await page.ClickAsync("#close");
        await page.Locator("#said").WaitForAsync();
        Assert.Equal("Đã khoá sổ", await page.InnerTextAsync("#state"));
        await AssertVietnameseOnAPhoneAsync(page, "the month closed");

        // The principal: the books of the day, the receipts, the transactions.
        await page.ClickAsync("text=Đăng xuất");
        await Support.Browser.SignInAsync(page, StaffLogins.Principal);
        await page.Locator("#billed").WaitForAsync();
        await AssertVietnameseOnAPhoneAsync(page, "the principal's home");
        foreach (var (path, what) in new[] { ("/truong/TS01/duyet", "approvals"), ("/truong/TS01/so-quy?ngay=2025-09-05", "the cash book"),
                     ("/truong/TS01/bang-ke-bien-lai?ngay=2025-09-05", "the receipts of the day"), ("/truong/TS01/giao-dich", "the transactions") })
        {
            await page.GotoAsync(path);
            await AssertVietnameseOnAPhoneAsync(page, "the principal: " + what);
        }
        var audit = await fees.RunAsync("audit");
        Assert.True(audit.ExitCode == 0, audit.ToString());
    }

    [Fact]
    public async Task TheAuditorsDrill_FromAWardToASchoolsMonthToItsNotices_PupilFree_VietnameseAndOnAPhone()
    {
        await using var host = await BankHost.StartAsync();
        var fees = host.Fees;
        await StaffLogins.AddAsync(fees);
        await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00001", "--amount", "1371800");
        var pupils = await fees.Db.ListAsync("SELECT full_name FROM students");
        var notices = await fees.Db.ScalarAsync(
            "SELECT count(*) FROM notices n JOIN schools s ON s.id = n.school_id WHERE s.code = 'TS01' AND n.period_key = 202509");
        await using var browser = await Support.Browser.LaunchAsync();
        var page = await PhoneChecks.PhoneAsync(browser, host);

        await Support.Browser.SignInAsync(page, StaffLogins.Auditor);
        await page.WaitForURLAsync(new Regex("/so/2025-09$"));
        await AssertVietnameseOnAPhoneAsync(page, "the education office's month");
        await page.ClickAsync("tr[data-scope='Phú Cường'] a");
        await page.WaitForURLAsync(new Regex("phuong="));
        await AssertVietnameseOnAPhoneAsync(page, "a ward's schools");
        await page.ClickAsync("tr[data-scope='TS01'] a");
        await page.WaitForURLAsync(new Regex("/so/2025-09/truong/TS01$"));
        await AssertVietnameseOnAPhoneAsync(page, "a school's month");
        await page.ClickAsync("#notices-all");
        await page.WaitForURLAsync(new Regex("/truong/TS01/2025-09/thong-bao$"));
        await AssertVietnameseOnAPhoneAsync(page, "the school's notices of the month");

        // The notices are all there, and the pupils behind them are not named to the education office.
        Assert.Equal(notices, await page.Locator("tr[data-notice]").CountAsync());
        Assert.NotEmpty(pupils);
        var seen = await page.InnerTextAsync("body");
        Assert.DoesNotContain(pupils, p => seen.Contains(p, StringComparison.Ordinal));
    }
}
