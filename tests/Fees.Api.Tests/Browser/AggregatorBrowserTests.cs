using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Browser;

/// <summary>
/// A school banking at VietinBank, which the service reaches only through SePay (issue 16): the administrator sets the
/// channel and key on the bank page, the parent's phone shows a VietinBank VietQR, SePay tells of the transfer, and the
/// parent's page shows the notice paid with its receipt. All at 390 px.
/// </summary>
public sealed class AggregatorBrowserTests
{
    [Fact]
    public async Task SchoolThroughSepay_AdminSetsTheKey_ParentPaysTheVietinBankQr_AndSeesTheReceipt()
    {
        await using var host = await BankHost.StartAsync(before: async fees =>
        {
            await fees.OkAsync("schools", "import", fees.File("ts03.csv", """
                school_code,name,level,ward,bank,account_no,account_name,via
                TS03,Trường Tiểu học Phú Mỹ,TH,Phú Mỹ,ICB,1020304050,TRUONG TIEU HOC PHU MY,SePay

                """));
            await fees.OkAsync("students", "import", fees.File("ts03-students.csv", Samples.StudentHeader +
                "TS03,7900000090,Lê Minh Khang,05/05/2018,Nam,1,1A1,Lê Văn Tâm,0912000090,,,\n"));
            await fees.OkAsync("notices", "issue", "--period", "2025-09");
        });
        await Support.Browser.AddLoginAsync(host.Fees, "qt@so.vn", "Quản trị", "admin");
        var code = await host.PaymentCodeAsync("7900000090");
        var notice = (await host.Fees.Db.ListAsync("SELECT n.notice_no FROM notices n JOIN students s ON s.id = n.student_id WHERE s.student_code = '7900000090'")).Single();
        await using var browser = await Support.Browser.LaunchAsync();

        // The administrator: the account is collected through SePay; its key is set, never shown again; the page gives the webhook address.
        var admin = await browser.PageAsync(host.BaseAddress, 390, 844);
        await Support.Browser.SignInAsync(admin, "qt@so.vn");
        await admin.Locator("#tasks").WaitForAsync();
        await admin.GotoAsync("/quan-tri/ngan-hang");
        var row = admin.Locator("tr[data-account='TS03-ICB']");
        Assert.Contains("Thu qua: SePay", await row.InnerTextAsync());
        // The sandbox gave the account a key of its own when the host started; the administrator replaces it with SePay's.
        const string Sealed = "SELECT aggregator_key_sealed FROM school_bank_accounts WHERE account_no = '1020304050'";
        var sandboxKey = (await host.Fees.Db.ListAsync(Sealed)).Single();
        await row.Locator("a").ClickAsync();
        Assert.Equal("SEPAY", await admin.InputValueAsync("#via"));
        await admin.FillAsync("#secret", "khoa-api-sepay-cua-ts03");
        await admin.ClickAsync("#save");
        await admin.Locator("#saved").WaitForAsync();
        Assert.Equal("Đủ thông tin", await admin.InnerTextAsync("tr[data-account='TS03-ICB'] .state"));
        Assert.NotEqual(sandboxKey, (await host.Fees.Db.ListAsync(Sealed)).Single());
        await admin.ClickAsync("tr[data-account='TS03-ICB'] a");
        Assert.EndsWith("/api/banks/sepay/notify", (await admin.InnerTextAsync("#webhook code")).Trim());
        Assert.DoesNotContain("khoa-api-sepay-cua-ts03", await admin.ContentAsync());
        await PhoneChecks.AssertFitsAPhoneAsync(admin, "bank-settings-aggregator");

        // The parent: the notice's QR is VietinBank's, to the school's own account, with the balance and the code.
        var parent = await browser.PageAsync(host.BaseAddress, 390, 844);
        await parent.GotoAsync("/phu-huynh");
        await parent.FillAsync("#code", code);
        await parent.FillAsync("#dob", "05/05/2018");
        await parent.ClickAsync("button[type=submit]");
        var card = parent.Locator($"[data-notice='{notice}']");
        await card.WaitForAsync();
        var balance = (await host.Fees.Db.ListAsync($"SELECT amount_due_vnd - amount_paid_vnd FROM notices WHERE notice_no = '{notice}'")).Single();
        await card.Locator("summary").ClickAsync();
        var qr = await PhoneChecks.QrOfAsync(parent, card.Locator("img.qr"));
        Assert.Equal(("970415", "1020304050", long.Parse(balance, System.Globalization.CultureInfo.InvariantCulture)), (qr.BankBin, qr.Account, qr.AmountVnd!.Value));
        Assert.Contains(code, qr.Purpose, StringComparison.OrdinalIgnoreCase);

        // The parent's bank app pays it; SePay tells the service, signed with the key the administrator set.
        var sent = await host.Fees.OkAsync("bank-sim", "pay", "--notice", notice, "--via", "sepay", "--url", host.BaseAddress.ToString());
        Assert.Contains(" 200", sent);
        await host.ProcessInboxAsync();
        await parent.ReloadAsync();

        Assert.Equal("Đã nộp đủ", await card.Locator(".status").InnerTextAsync());
        Assert.Equal(0, await card.Locator("img.qr").CountAsync());
        Assert.Matches(@"^TS03/EBL01/[0-9]{2}T/\d{7}$", (await parent.InnerTextAsync(".history .receipt")).Trim());
        Assert.Equal(0, (await host.Fees.RunAsync("audit")).ExitCode);
    }
}
