using TdmEdu.Fees.Api.Tests.Support;
using static TdmEdu.Fees.Api.Tests.Support.PhoneChecks;

namespace TdmEdu.Fees.Api.Tests.Browser;

/// <summary>
/// An accountant on a 390×844 phone uploads an export whose layout the service has never seen: the page shows its first
/// rows and a form started from what its header says; the columns chosen are previewed, imported and reconciled; the
/// next month's export, its columns moved, is read at once by the map kept for the account, which can be opened again.
/// </summary>
public sealed class ColumnMapBrowserTests
{
    [Fact]
    public async Task Accountant_OnAPhone_MapsAnUnknownExportOnce_AndTheNextOneIsReadByTheKeptMap()
    {
        await using var host = await BankHost.StartAsync();
        var fees = host.Fees;
        await Support.Browser.AddLoginAsync(fees, "kt@ts01.vn", "Kế toán", "accountant", "TS01");
        var an = await host.PaymentCodeAsync("7900000001");
        var account = host.Account("TS01", "VCB").AccountNo;
        var september = fees.File("lich-su-gd-09.csv", $"Lịch sử giao dịch,,,,\nSố tài khoản:,{account},,,\n" +
            "Ngày giao dịch,Số tham chiếu,Ghi có,Ghi nợ,Nội dung\n" +
            $"10/09/2025,GD01,1371800,,{an} hoc phi\n11/09/2025,GD02,,11000,phi SMS\n");
        var october = fees.File("lich-su-gd-10.csv", $"Lịch sử giao dịch,,,,\nSố tài khoản:,{account},,,\n" +
            "Nội dung,Ngày giao dịch,Ghi nợ,Ghi có,Số tham chiếu\n" +
            "ung ho quy lop,02/10/2025,,7000,GD03\n");
        await using var browser = await Support.Browser.LaunchAsync();
        var page = await PhoneAsync(browser, host);
        await Support.Browser.SignInAsync(page, "kt@ts01.vn");
        await page.Locator("#billed").WaitForAsync();

        // A layout never seen: not refused, but shown to be mapped, the form started from the header's words.
        await page.GotoAsync("/truong/TS01/sao-ke");
        await page.SetInputFilesAsync("#file", september);
        await page.ClickAsync("#preview");
        await page.Locator("#columns").WaitForAsync();
        Assert.Contains("chưa biết mẫu tệp lich-su-gd-09.csv", await page.InnerTextAsync("#columns"));
        Assert.Equal(5, await page.Locator("#sample tbody tr").CountAsync());
        Assert.Equal("3", await page.InputValueAsync("#col-header"));
        Assert.Equal(("0", "2", "3", "4", "1", "split"), (await page.InputValueAsync("#col-date"), await page.InputValueAsync("#col-amount"),
            await page.InputValueAsync("#col-debit"), await page.InputValueAsync("#col-description"), await page.InputValueAsync("#col-reference"),
            await page.InputValueAsync("#col-way")));
        Assert.Contains("C · Ghi có", await page.InnerTextAsync("#col-amount"));
        Assert.Equal(0, await page.Locator("#problems").CountAsync());
        await AssertFitsAPhoneAsync(page, "column map");
        await Support.Browser.ScreenshotAsync(page, "statement-column-map");

        // A wrong choice is refused in words, the form kept; then the right one previews.
        await page.SelectOptionAsync("#col-debit", "");
        await page.ClickAsync("#columns-preview");
        await page.Locator("#problems").WaitForAsync();
        Assert.Contains("Hãy chọn cột tiền ra", await page.InnerTextAsync("#problems"));
        Assert.Contains("Chưa đọc được tệp theo cách ghép cột này", await page.InnerTextAsync("#problems"));
        Assert.Equal("2", await page.InputValueAsync("#col-amount"));
        await page.SelectOptionAsync("#col-debit", "3");
        await page.ClickAsync("#columns-preview");
        await page.Locator("#preview-lines").WaitForAsync();
        Assert.Contains("2 dòng, 2 dòng mới", await page.InnerTextAsync("#preview-summary"));
        Assert.Contains("Nguyễn Văn An", await page.Locator("#preview-lines > li").Nth(0).InnerTextAsync());
        Assert.Equal(1, await page.Locator("#read-by-columns").CountAsync());
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM statement_column_maps"));
        await AssertFitsAPhoneAsync(page, "column map preview");

        await page.ClickAsync("#import");
        await page.Locator("#imported").WaitForAsync();
        Assert.Equal("1", await page.InnerTextAsync("#reconciled [data-outcome=matched] dd"));
        Assert.Equal(1, await fees.Db.ScalarAsync("SELECT count(*) FROM statement_column_maps"));

        // October, the columns moved: read at once; the kept map can be opened again, as it fits this file.
        await page.SetInputFilesAsync("#file", october);
        await page.ClickAsync("#preview");
        await page.Locator("#preview-lines").WaitForAsync();
        Assert.Contains("1 dòng, 1 dòng mới", await page.InnerTextAsync("#preview-summary"));
        Assert.Contains("7.000", await page.InnerTextAsync("#preview-lines"));
        await page.ClickAsync("#remap");
        await page.Locator("#columns").WaitForAsync();
        Assert.Equal(("1", "3", "2", "0", "4"), (await page.InputValueAsync("#col-date"), await page.InputValueAsync("#col-amount"),
            await page.InputValueAsync("#col-debit"), await page.InputValueAsync("#col-description"), await page.InputValueAsync("#col-reference")));
        await page.ClickAsync("#columns-preview");
        await page.Locator("#preview-lines").WaitForAsync();
        await page.ClickAsync("#import");
        await page.Locator("#imported").WaitForAsync();
        Assert.Equal(3, await fees.Db.ScalarAsync("SELECT count(*) FROM statement_lines"));
    }
}
