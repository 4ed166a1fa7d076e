using Microsoft.Playwright;
using TdmEdu.Fees.Api.Application.Statements;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Tests.Support;
using TdmEdu.Fees.BankAdapters.Statements.Files;
using static TdmEdu.Fees.Api.Tests.Support.StatementDesk;

namespace TdmEdu.Fees.Api.Tests.Hostile;

/// <summary>
/// Second attack round on the column map, through the statement page as a hostile signed-in accountant, each a test
/// then a fix: forged posts, script in cells, each language alone, a forged column number answered with a 500, English
/// field names on the Vietnamese page.
/// </summary>
public sealed class ColumnMapPageAttackTests
{
    private static async Task<IPage> SignedInAsync(Support.Browser browser, BankHost host, string email)
    {
        var page = await browser.PageAsync(host.BaseAddress);
        await Support.Browser.SignInAsync(page, email);
        await page.WaitForLoadStateAsync();
        return page;
    }

    /// <summary>Uploads a file of an unknown layout on a school's page; the form to map it is shown. Returns the upload's id and the antiforgery token.</summary>
    private static async Task<(string UploadId, string Token)> HoldOnPageAsync(IPage page, string school, string file)
    {
        await page.GotoAsync($"/truong/{school}/sao-ke");
        await page.SetInputFilesAsync("#file", file);
        await page.ClickAsync("#preview");
        await page.Locator("#columns, #problems").First.WaitForAsync();
        if (await page.Locator("#columns").CountAsync() == 0) Assert.Fail("not held for mapping: " + await page.InnerTextAsync("#problems"));
        return ((await page.Locator("#columns-form input[name=UploadId]").GetAttributeAsync("value"))!,
            (await page.Locator("#columns-form input[name=__RequestVerificationToken]").GetAttributeAsync("value"))!);
    }

    private static async Task<(int Status, string Body)> PostAsync(IPage page, string path, string? token, params (string Name, string Value)[] fields)
    {
        var form = page.APIRequest.CreateFormData();
        if (token is not null) form.Set("__RequestVerificationToken", token);
        foreach (var (n, v) in fields) form.Set(n, v);
        var answer = await page.APIRequest.PostAsync(path, new() { Form = form, MaxRedirects = 0 });
        return (answer.Status, await answer.TextAsync());
    }

    private static (string, string)[] Choice(string id, string header = "3", string date = "0", string amount = "2", string direction = "split",
        string? debit = "3", string description = "4", string? reference = "1", string? dirCol = null) =>
        new[] { ("UploadId", id), ("HeaderLine", header), ("ColDate", date), ("ColAmount", amount), ("Direction", direction), ("ColDebit", debit ?? ""),
            ("ColDescription", description), ("ColReference", reference ?? ""), ("ColDirection", dirCol ?? ""), ("MonthFirst", "false") };

    /// <summary>
    /// Forged posts: TS02's upload posted to TS01's page (and TS01's posted to TS02's page), impossible columns and header
    /// lines, a direction outside split/sign/column, no antiforgery token, a principal and an auditor of TS01. Never a 500,
    /// never TS02's rows or account shown to TS01, never a map saved on any account, never money.
    /// </summary>
    [Fact]
    public async Task ForgedPostsToTheMappingHandlers_NeverFail_NorShowNorSaveAnotherSchoolsData()
    {
        await using var host = await BankHost.StartAsync();
        var fees = host.Fees;
        await Support.Browser.AddLoginAsync(fees, "kt@ts01.vn", "Kế toán", "accountant", "TS01");
        await Support.Browser.AddLoginAsync(fees, "kt@ts02.vn", "Kế toán 2", "accountant", "TS02");
        await Support.Browser.AddLoginAsync(fees, "ht@ts01.vn", "Hiệu trưởng", "principal", "TS01");
        await Support.Browser.AddLoginAsync(fees, "kiemtoan@ts01.vn", "Kiểm toán", "auditor");
        var an = await host.PaymentCodeAsync("7900000001");
        var a1 = host.Account("TS01", "VCB").AccountNo;
        var a2 = host.Credentials.First(c => c.SchoolCode == "TS02").AccountNo;
        var ours = fees.File("ts01-gd.csv", $"Lịch sử giao dịch,,,,\nSố tài khoản:,{a1},,,\nNgày giao dịch,Số tham chiếu,Ghi có,Ghi nợ,Nội dung\n" +
            $"10/09/2025,GD01,1371800,,{an} hoc phi\n");
        var theirs = fees.File("ts02-bi-mat.csv", $"Lịch sử giao dịch,,,,\nSố tài khoản:,{a2},,,\nNgày giao dịch,Số tham chiếu,Ghi có,Ghi nợ,Nội dung\n" +
            "10/09/2025,BIMAT01,5000000,,BIMATTS02 luong\n");
        await using var browser = await Support.Browser.LaunchAsync();

        var other = await SignedInAsync(browser, host, "kt@ts02.vn");
        var (theirId, _) = await HoldOnPageAsync(other, "TS02", theirs);
        var page = await SignedInAsync(browser, host, "kt@ts01.vn");
        var (ourId, token) = await HoldOnPageAsync(page, "TS01", ours);

        var failures = new List<string>();
        async Task Expect(string what, string path, string? tok, (string, string)[] fields, Func<int, string, bool> ok)
        {
            var (status, body) = await PostAsync(page, path, tok, fields);
            if (!ok(status, body)) failures.Add($"{what}: {status} {(body.Contains("BIMAT") ? "(shows TS02's rows)" : "")}");
        }
        bool Safe(int s, string b) => s < 500 && !b.Contains("BIMAT") && !b.Contains(a2) && !b.Contains("ts02-bi-mat");
        const string P = "/truong/TS01/sao-ke";
        foreach (var handler in new[] { "Remap", "Columns", "Import" })
        {
            await Expect($"{handler} with TS02's upload", $"{P}?handler={handler}", token, [.. Choice(theirId), ("Sha", new string('0', 64))], Safe);
            await Expect($"{handler} on TS02's page", $"/truong/TS02/sao-ke?handler={handler}", token, [.. Choice(ourId), ("Sha", new string('0', 64))], (s, _) => s is 403 or 302);
            await Expect($"{handler} without antiforgery", $"{P}?handler={handler}", null, Choice(ourId), (s, _) => s == 400);
            await Expect($"{handler} with a random id", $"{P}?handler={handler}", token, [.. Choice(Guid.NewGuid().ToString()), ("Sha", "x")], Safe);
            await Expect($"{handler} with a malformed id", $"{P}?handler={handler}", token, Choice("not-a-guid"), Safe);
        }
        foreach (var (what, fields) in new[]
                 {
                     ("negative date column", Choice(ourId, date: "-1")),
                     ("huge amount column", Choice(ourId, amount: "2147483647")),
                     ("overflowing column", Choice(ourId, amount: "99999999999999")),
                     ("negative debit column", Choice(ourId, debit: "-7")),
                     ("header line below the file", Choice(ourId, header: "100000")),
                     ("negative header line", Choice(ourId, header: "-1")),
                     ("header line int.MaxValue", Choice(ourId, header: "2147483647")),
                     ("header line 0", Choice(ourId, header: "0")),
                     ("direction outside", Choice(ourId, direction: "<script>alert(1)</script>")),
                     ("direction column negative", Choice(ourId, direction: "column", dirCol: "-3", debit: null)),
                     ("direction column huge", Choice(ourId, direction: "column", dirCol: "2147483647", debit: null)),
                     ("empty direction", Choice(ourId, direction: "")),
                     ("reference on the amount", Choice(ourId, reference: "2")),
                 })
            await Expect(what, $"{P}?handler=Columns", token, fields, Safe);
        await Expect("remap after all that", $"{P}?handler=Remap", token, Choice(ourId), Safe);

        foreach (var login in new[] { "ht@ts01.vn", "kiemtoan@ts01.vn" })
        {
            var staff = await SignedInAsync(browser, host, login);
            await staff.GotoAsync(P);
            var staffToken = await staff.Locator("input[name=__RequestVerificationToken]").First.GetAttributeAsync("value") ?? token;
            foreach (var handler in new[] { "Preview", "Remap", "Columns", "Import" })
            {
                var (status, _) = await PostAsync(staff, $"{P}?handler={handler}", staffToken, [.. Choice(ourId), ("Sha", new string('0', 64))]);
                if (status is not (403 or 302)) failures.Add($"{login} {handler}: {status}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM statement_column_maps"));
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM statement_lines WHERE bank_ref = 'BIMAT01'"));
        // TS02's upload is still waiting for its own accountant.
        Assert.Equal(1, await fees.Db.ScalarAsync($"SELECT count(*) FROM statement_uploads WHERE id = '{theirId}'"));
    }

    /// <summary>Script in the file's cells and in its name reaches the sample table and the select options only as text.</summary>
    [Fact]
    public async Task ScriptInCellsOrTheFileName_IsShownAsText_NeverRun()
    {
        await using var host = await BankHost.StartAsync();
        var fees = host.Fees;
        await Support.Browser.AddLoginAsync(fees, "kt@ts01.vn", "Kế toán", "accountant", "TS01");
        var a1 = host.Account("TS01", "VCB").AccountNo;
        const string Img = "<img src=x onerror=window.__x=1>";
        const string Svg = "\"\"\"><svg onload=window.__x=2>\"";
        var file = fees.File($"{Img}.csv", $"<script>window.__x=3</script>,,,,\nSố tài khoản:,{a1},,,\n" +
            $"Ngày giao dịch,{Svg},Ghi có,Ghi nợ,{Img}\n10/09/2025,GD01,1371800,,'><script>window.__x=4</script>\n");
        await using var browser = await Support.Browser.LaunchAsync();
        var page = await SignedInAsync(browser, host, "kt@ts01.vn");
        var dialogs = 0;
        page.Dialog += (_, d) => { dialogs++; _ = d.DismissAsync(); };
        await HoldOnPageAsync(page, "TS01", file);
        await page.SelectOptionAsync("#col-header", "3");
        await page.ClickAsync("#columns-preview");
        await page.WaitForLoadStateAsync();

        Assert.Equal("undefined", await page.EvaluateAsync<string>("() => typeof window.__x"));
        Assert.Equal(0, dialogs);
        Assert.Equal(0, await page.Locator("#columns img, #columns svg, #columns script, #sample script, main script:not([src])").CountAsync());
    }

    /// <summary>On the English page the mapping form, its refusals included, is in English only (the file's own cells aside).</summary>
    [Fact]
    public async Task TheEnglishPage_ShowsTheMappingFormAndItsRefusals_InEnglishOnly()
    {
        await using var host = await BankHost.StartAsync();
        var fees = host.Fees;
        await Support.Browser.AddLoginAsync(fees, "kt@ts01.vn", "Kế toán", "accountant", "TS01");
        var a1 = host.Account("TS01", "VCB").AccountNo;
        var file = fees.File("gd.csv", $"Statement,,,,\nAccount holder,{a1},,,\nDate,Ref,In,Out,Details\n10/09/2025,GD01,1371800,,hoc phi\n");
        await using var browser = await Support.Browser.LaunchAsync();
        var page = await SignedInAsync(browser, host, "kt@ts01.vn");
        await page.GotoAsync("/ngon-ngu?to=en&back=%2Ftruong%2FTS01%2Fsao-ke");
        var (id, token) = await HoldOnPageAsync(page, "TS01", file);
        var vietnamese = new System.Text.RegularExpressions.Regex("[àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ]",
            System.Text.RegularExpressions.RegexOptions.IgnoreCase);
        var texts = new List<string> { await page.InnerTextAsync("#columns") };
        foreach (var (what, fields) in new[]
                 {
                     ("missing", Choice(id, debit: null)),
                     ("no name", Choice(id, date: "9")),
                     ("header", Choice(id, header: "40")),
                     ("twice", Choice(id, reference: "2")),
                     ("direction", Choice(id, direction: "zzz")),
                     ("date", Choice(id, date: "4", description: "0")),
                 })
        {
            await page.GotoAsync("/truong/TS01/sao-ke");
            var (status, body) = await PostAsync(page, "/truong/TS01/sao-ke?handler=Columns", token, fields);
            await page.SetContentAsync(body);
            texts.Add($"{what} ({status}): " + (await page.Locator("#problems").CountAsync() > 0 ? await page.InnerTextAsync("#problems") : "(no problems shown)"));
        }
        var leaks = texts.Where(t => vietnamese.IsMatch(t.Replace("Kế toán", ""))).ToList();
        Assert.True(leaks.Count == 0, string.Join("\n---\n", leaks));
    }

    /// <summary>On the Vietnamese page a refused column choice names the field in Vietnamese, not "cột date" or "cột header".</summary>
    [Fact]
    public async Task TheVietnamesePage_RefusesAColumnChoice_WithoutEnglishFieldNames()
    {
        await using var fees = await IssuedAsync();
        await using var db = fees.Db.Open();
        var uploads = Uploads(fees, db);
        var held = await uploads.HoldAsync("TS01", await AccountIdAsync(db), fees.File("gd.csv", ColumnMapDoubleImportAttackTests.Unknown(await CodeAsync(fees, "7900000001"))));
        var shown = new List<string>();
        foreach (var choice in new[]
                 {
                     new ColumnChoice(3, -1, 2, ColumnMaps.BySplit, null, 3, 4, 1, false),
                     new ColumnChoice(3, 0, 9, ColumnMaps.BySplit, null, 3, 4, 1, false),
                     new ColumnChoice(3, 0, 2, ColumnMaps.BySplit, null, 3, 4, 40, false),
                     new ColumnChoice(99, 0, 2, ColumnMaps.BySplit, null, 3, 4, 1, false),
                 })
        {
            var refused = await Assert.ThrowsAsync<BadInputException>(() => uploads.MapAsync("TS01", held.UploadId, choice));
            shown.AddRange(refused.Problems.Select(p => p.Render(vietnamese: true)));
        }
        Assert.DoesNotContain(shown, s => System.Text.RegularExpressions.Regex.IsMatch(s, @"cột (date|amount|reference|header|money out|description)\b"));
    }

    /// <summary>Column int.MaxValue (a forged post; the form offers at most 40): the refusal's column letter overflows (checked arithmetic) and the page answers 500.</summary>
    [Fact]
    public async Task AColumnIndexOfIntMaxValue_IsRefusedInWords_NotAnOverflow()
    {
        await using var fees = await IssuedAsync();
        await using var db = fees.Db.Open();
        var uploads = Uploads(fees, db);
        var held = await uploads.HoldAsync("TS01", await AccountIdAsync(db), fees.File("gd.csv", ColumnMapDoubleImportAttackTests.Unknown(await CodeAsync(fees, "7900000001"))));

        var refused = await Record.ExceptionAsync(() => uploads.MapAsync("TS01", held.UploadId,
            new ColumnChoice(3, 0, int.MaxValue, ColumnMaps.BySplit, null, 3, 4, 1, false)));

        Assert.IsType<BadInputException>(refused);
    }
}
